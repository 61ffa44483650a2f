"""Connecting a profile to its group's hub: the one login flow of the CLI and the app.

Join with an invite code (a new account) or log in to an existing one, then keep the token for
the profile (:class:`~companion.sync.credentials.CredentialStore`). If the token cannot be kept,
the hub is told to forget it at once: no login is left behind that nobody holds.
"""

from __future__ import annotations

import platform
from dataclasses import dataclass

from companion.core.db import device_id
from companion.sync.client import HubAuthError, HubClient, HubError
from companion.sync.credentials import CredentialError, CredentialStore, HubLogin


@dataclass(frozen=True)
class Connected:
    login: HubLogin
    groups: list[str]


def device_name(profile_name: str) -> str:
    """How this PC shows in the person's list of devices on the hub."""
    return f"{platform.node() or 'PC'} ({profile_name})"


def connect(store: CredentialStore, profile_id: int, profile_name: str, *,
            hub_url: str, username: str, password: str, invite: str | None = None,
            ca_file: str | None = None, allow_file: bool = False) -> Connected:
    """Join (with ``invite``) or log in, and keep the login for ``profile_id``.

    Raises the client's HubError subclasses (offline, refused login, ...) and the credential
    errors (no keyring and ``allow_file`` False: nothing is kept, the token is revoked).
    """
    device = device_id(store.db)
    name = device_name(profile_name)
    with HubClient(hub_url, ca_file=ca_file) as client:
        if invite:
            info = client.join(invite.strip(), username, password, device, name)
        else:
            info = client.login(username, password, device, name)
        try:
            login = store.save(profile_id, hub_url=client.base_url,
                               username=str(info.account.get("username", username)),
                               account_id=info.account_id, token=info.token,
                               ca_file=ca_file, allow_file=allow_file)
        except CredentialError:
            try:
                client.logout()
            except HubError:
                pass
            raise
    groups = [str(g.get("name")) for g in info.account.get("groups", []) if g.get("name")]
    return Connected(login, groups)


def disconnect(store: CredentialStore, profile_id: int) -> str | None:
    """Forget the profile's login; tell the hub to revoke the token when it can be reached.

    Returns None when the hub let the token go (or had already), else why it could not be told
    (the token is forgotten here all the same and expires on the hub unused).
    """
    login = store.login(profile_id)
    problem: str | None = None
    if login is not None:
        try:
            token = store.token(profile_id)
            with HubClient(login.hub_url, token, ca_file=login.ca_file) as client:
                client.logout()
        except HubAuthError:
            pass  # the hub had already let it go
        except (HubError, CredentialError) as exc:
            problem = str(exc)
    store.forget(profile_id)
    return problem
