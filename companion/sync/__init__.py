"""The client side of the hub: login and token keeping, the HTTP client, the sync engine.

No Qt here (a test checks it): the app's UI and the CLI both drive these modules.
"""
