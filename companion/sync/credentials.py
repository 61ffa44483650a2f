"""A profile's hub login: where the hub is, who the person is there, and their token.

The token is a secret that lets anyone act as the person on the hub, so it goes to the system
keyring (Windows Credential Manager, macOS Keychain, Secret Service), one entry per library and
profile. The rest (hub URL, username, account id, custom CA file, the pull cursor) is not secret
and lives in the library database (``sync_logins``), so the app can show "connected as ..."
without unlocking anything.

Where the system has no usable keyring (a headless Linux box gives ``keyring.backends.fail``),
:class:`NoKeyringError` is raised: the secret is never written to a file behind the person's
back. Only when the caller passes ``allow_file=True`` (the CLI's ``--store-token-in-home``, the
app after asking) is it kept in a file inside the config folder, readable by the owner only, and
the login records that it did so.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlite_utils

from companion.core.db import device_id, now_local, write_transaction
from companion.core.errors import CompanionError

SERVICE_NAME = "companion-hub"
TOKEN_DIR_NAME = "hub-tokens"


class CredentialError(CompanionError):
    """The hub login cannot be stored or read."""


class NoKeyringError(CredentialError):
    """This system has no keyring to keep the token in (and no file was allowed)."""


class NotLoggedInError(CredentialError):
    """The profile has no hub login (or its token is gone)."""


@dataclass(frozen=True)
class HubLogin:
    """The non-secret half of a login, plus where its token is kept."""

    profile_id: int
    hub_url: str
    username: str
    account_id: int
    ca_file: str | None = None
    token_store: str = "keyring"
    cursor: str | None = None
    last_success_at: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"hub": self.hub_url, "username": self.username, "account_id": self.account_id,
                "ca_file": self.ca_file, "token_store": self.token_store,
                "last_success_at": self.last_success_at}


def _backend_is_unusable(backend: Any) -> bool:
    """The fail and null backends accept calls but keep nothing: treat them as no keyring."""
    from keyring.backends import chainer, fail, null

    if isinstance(backend, fail.Keyring | null.Keyring):
        return True
    return isinstance(backend, chainer.ChainerBackend) and not backend.backends


def keyring_problem() -> str | None:
    """Why the system keyring cannot hold a token, or None when it looks usable."""
    try:
        import keyring

        backend = keyring.get_keyring()
    except Exception as exc:  # any failure to load a backend means "no keyring"
        return f"the system keyring could not be loaded ({exc})"
    if _backend_is_unusable(backend):
        return "this system has no keyring (password store) the companion can use"
    return None


NO_KEYRING_ADVICE = (
    "the login token cannot be kept safely: {problem}. Install and unlock a keyring (on Linux "
    "a Secret Service such as GNOME Keyring), or agree to keep the token in a file in the "
    "companion's own folder ({where}), readable by anyone who can read that folder "
    "(command line: --store-token-in-home)"
)


class CredentialStore:
    """Save, load and forget the hub login of each profile of one library."""

    def __init__(self, db: sqlite_utils.Database, config_dir: Path | str) -> None:
        self._db = db
        self._config_dir = Path(config_dir)
        self._token_dir = self._config_dir / TOKEN_DIR_NAME

    @property
    def db(self) -> sqlite_utils.Database:
        return self._db

    def on(self, db: sqlite_utils.Database) -> CredentialStore:
        """The same logins read through ``db``: a thread with its own connection (the sync
        engine) must not share the UI thread's."""
        return CredentialStore(db, self._config_dir)

    # -- where a profile's token lives ---------------------------------------------------------

    def _key(self, profile_id: int) -> str:
        """One keyring entry per library (its device id) and profile: homes never collide."""
        row = self._db.execute("SELECT uid FROM profiles WHERE id = ?", [profile_id]).fetchone()
        if row is None:
            raise CredentialError(f"no profile with id {profile_id}")
        return f"{device_id(self._db)}:{row[0]}"

    def token_file(self, profile_id: int) -> Path:
        return self._token_dir / f"{self._key(profile_id).replace(':', '-')}.token"

    # -- public --------------------------------------------------------------------------------

    def save(self, profile_id: int, *, hub_url: str, username: str, account_id: int,
             token: str, ca_file: str | None = None, allow_file: bool = False) -> HubLogin:
        """Keep a fresh login. The secret goes first, so a failure leaves nothing half-saved.

        Raises :class:`NoKeyringError` when there is no keyring and ``allow_file`` is False;
        then nothing at all has been written.
        """
        key = self._key(profile_id)
        problem = keyring_problem()
        if problem is None:
            try:
                import keyring

                keyring.set_password(SERVICE_NAME, key, token)
                if keyring.get_password(SERVICE_NAME, key) != token:
                    problem = "the system keyring did not keep the token"
            except Exception as exc:  # locked, no D-Bus, denied...: all "no"
                problem = f"the system keyring refused the token ({exc})"
        if problem is None:
            store = "keyring"
            self._remove_file(profile_id)
        elif allow_file:
            store = "file"
            self._write_file(profile_id, token)
        else:
            raise NoKeyringError(NO_KEYRING_ADVICE.format(problem=problem,
                                                          where=self._token_dir))
        with write_transaction(self._db):
            self._db.execute(
                "INSERT INTO sync_logins(profile_id, hub_url, username, account_id, ca_file,"
                " token_store, cursor, last_success_at, logged_in_at)"
                " VALUES (?, ?, ?, ?, ?, ?, NULL, NULL, ?)"
                " ON CONFLICT(profile_id) DO UPDATE SET hub_url = excluded.hub_url,"
                " username = excluded.username, account_id = excluded.account_id,"
                " ca_file = excluded.ca_file, token_store = excluded.token_store,"
                # Another account or hub: what was pulled for the old one says nothing here.
                " cursor = CASE WHEN sync_logins.account_id = excluded.account_id"
                "  AND sync_logins.hub_url = excluded.hub_url THEN sync_logins.cursor END,"
                " logged_in_at = excluded.logged_in_at",
                [profile_id, hub_url, username, account_id, ca_file, store, now_local()],
            )
        login = self.login(profile_id)
        assert login is not None
        return login

    def login(self, profile_id: int) -> HubLogin | None:
        """The non-secret part of the profile's login, or None when it has none."""
        row = self._db.execute(
            "SELECT hub_url, username, account_id, ca_file, token_store, cursor, last_success_at"
            " FROM sync_logins WHERE profile_id = ?", [profile_id]).fetchone()
        if row is None:
            return None
        return HubLogin(profile_id, row[0], row[1], int(row[2]), row[3], row[4], row[5], row[6])

    def token(self, profile_id: int) -> str:
        """The profile's token. Raises NotLoggedInError, or NoKeyringError if it is unreachable."""
        login = self.login(profile_id)
        if login is None:
            raise NotLoggedInError("this profile is not connected to a hub: run companion login")
        if login.token_store == "file":
            try:
                token = self.token_file(profile_id).read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise NotLoggedInError(f"the saved login token cannot be read ({exc}); "
                                       "log in again") from exc
        else:
            problem = keyring_problem()
            if problem is not None:
                raise NoKeyringError(f"the login token is in the system keyring, but {problem}")
            try:
                import keyring

                token = keyring.get_password(SERVICE_NAME, self._key(profile_id)) or ""
            except Exception as exc:
                raise NoKeyringError(f"the system keyring cannot be read ({exc})") from exc
        if not token:
            raise NotLoggedInError("the login token is gone from this PC: log in again")
        return token

    def forget(self, profile_id: int) -> None:
        """Remove the login and its token wherever it is kept (safe to call twice)."""
        with contextlib.suppress(Exception):
            import keyring

            if keyring_problem() is None:
                keyring.delete_password(SERVICE_NAME, self._key(profile_id))
        self._remove_file(profile_id)
        with write_transaction(self._db):
            self._db.execute("DELETE FROM sync_logins WHERE profile_id = ?", [profile_id])

    # -- the opt-in file -----------------------------------------------------------------------

    def _write_file(self, profile_id: int, token: str) -> None:
        path = self.token_file(profile_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        # Created owner-only from the start (no window where others could read it).
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(token)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)

    def _remove_file(self, profile_id: int) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.token_file(profile_id).unlink()
