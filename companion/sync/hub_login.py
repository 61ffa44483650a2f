"""An authorized connection to the profile's hub, for the CLI's ``companion pack`` commands and
the downloads page alike (one way to find the login, one client)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import httpx

from companion.sync.client import authorized_http
from companion.sync.credentials import CredentialStore, NotLoggedInError


class NotConnectedError(NotLoggedInError):
    """The profile has no hub login at all (as opposed to a login whose token is gone): the
    CLI tells the person to run ``companion login``."""


@contextlib.contextmanager
def open_hub(credentials: CredentialStore, profile_id: int) -> Iterator[httpx.Client]:
    """An authorized httpx client for ``profile_id``'s hub login. Raises NotConnectedError
    when the profile never logged in, NotLoggedInError when its token cannot be read."""
    login = credentials.login(profile_id)
    if login is None:
        raise NotConnectedError("this profile is not connected to a hub")
    with authorized_http(login.hub_url, credentials.token(profile_id),
                         ca_file=login.ca_file) as http:
        yield http
