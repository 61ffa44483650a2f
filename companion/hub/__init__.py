"""The hub: the small sync server a trainers' organisation runs (FastAPI, no Qt).

Build one with :func:`companion.hub.app.create_app` from :class:`HubSettings`; serve it with
``companion hub serve``. The protocol is described in ``docs/sync-protocol.md``.
"""

from __future__ import annotations

from companion.hub.settings import HubSettings, build_settings

__all__ = ["HubSettings", "build_settings"]
