"""A profile's courier keys: made at login, registered with the hub, kept like the token.

The device signs its bundles with an Ed25519 key and receives its answers sealed to an X25519
key; the hub's public keys (from ``GET /v1/hub``) are pinned at the same moment, over the same
TLS connection the login used. The private keys go where the login's token went: the system
keyring, or, only when the person agreed to that for the token, an owner-only file in the
config folder. A device logged in before the courier existed registers at its next sync.
"""

from __future__ import annotations

import contextlib
import logging
import os
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from companion.core.courier_format import KeyPair, SealError
from companion.core.db import device_id, now_local, write_transaction
from companion.sync.client import HubClient, HubError, HubRefused
from companion.sync.credentials import (
    SERVICE_NAME,
    CredentialError,
    CredentialStore,
    NoKeyringError,
    keyring_problem,
)

log = logging.getLogger(__name__)


class CourierKeysError(CredentialError):
    """The courier keys of this profile are missing or cannot be read."""


@dataclass(frozen=True)
class CourierState:
    profile_id: int
    profile_uid: str
    device_id: str
    hub_url: str
    hub_box_key: str
    hub_sign_key: str
    sign_key: str
    box_key: str
    key_store: str
    bundle_seq: int
    answered_seq: int


def state(db: sqlite_utils.Database, profile_id: int) -> CourierState | None:
    row = db.execute(
        "SELECT c.hub_url, c.hub_box_key, c.hub_sign_key, c.sign_key, c.box_key, c.key_store,"
        " c.bundle_seq, c.answered_seq, p.uid FROM courier_state c"
        " JOIN profiles p ON p.id = c.profile_id WHERE c.profile_id = ?",
        [profile_id]).fetchone()
    if row is None:
        return None
    return CourierState(profile_id, row[8], device_id(db), row[0], row[1], row[2], row[3],
                        row[4], row[5], int(row[6]), int(row[7]))


def _entry(db: sqlite_utils.Database, profile_id: int) -> str:
    row = db.execute("SELECT uid FROM profiles WHERE id = ?", [profile_id]).fetchone()
    if row is None:
        raise CourierKeysError(f"no profile with id {profile_id}")
    return f"{device_id(db)}:{row[0]}:courier"


def _file(credentials: CredentialStore, profile_id: int) -> Path:
    """Beside the token's file: ``<device id>-<profile uid>.keys``, owner-only."""
    token = credentials.token_file(profile_id)
    return token.with_name(token.stem + ".keys")


def _save_secret(credentials: CredentialStore, profile_id: int, secret: str,
                 where: str) -> None:
    if where == "keyring":
        problem = keyring_problem()
        if problem is not None:
            raise NoKeyringError(f"the courier keys cannot be kept: {problem}")
        import keyring

        keyring.set_password(SERVICE_NAME, _entry(credentials.db, profile_id), secret)
        return
    path = _file(credentials, profile_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(secret)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def private_keys(credentials: CredentialStore, st: CourierState) -> KeyPair:
    """The profile's private courier keys, from where they were kept."""
    try:
        if st.key_store == "keyring":
            import keyring

            secret = keyring.get_password(SERVICE_NAME,
                                          _entry(credentials.db, st.profile_id)) or ""
        else:
            secret = _file(credentials, st.profile_id).read_text(encoding="utf-8")
    except Exception as exc:  # any keyring or file failure: the keys are not at hand
        raise CourierKeysError(f"the courier keys of this profile cannot be read ({exc}); "
                               "log in to the hub again while online") from exc
    if not secret:
        raise CourierKeysError("the courier keys of this profile are gone from this PC; log "
                               "in to the hub again while online")
    try:
        pair = KeyPair.from_secret(secret)
    except SealError as exc:
        raise CourierKeysError(exc.message) from exc
    if pair.sign_public != st.sign_key:
        raise CourierKeysError("the stored courier keys do not match this profile's; log in "
                               "to the hub again while online")
    return pair


def ensure_registered(credentials: CredentialStore, profile_id: int, client: HubClient, *,
                      force: bool = False) -> bool:
    """Make, keep and register the profile's courier keys and pin the hub's, unless done
    already for this hub (``force``: always, as at a login). False when the hub has no
    courier (an older hub). Raises the client's HubError and CredentialError."""
    db = credentials.db
    login = credentials.login(profile_id)
    if login is None:
        return False
    current = state(db, profile_id)
    if current is not None and current.hub_url == login.hub_url and not force:
        return True
    hub_keys = client.info().get("courier")
    if not isinstance(hub_keys, dict) or not hub_keys.get("box_key"):
        return False
    pair = KeyPair.generate()
    _save_secret(credentials, profile_id, pair.to_secret(), login.token_store)
    client.register_device_keys(pair.sign_public, pair.box_public)
    with write_transaction(db):
        # The bundle numbers only ever grow on this PC, whatever keys come and go.
        db.execute(
            "INSERT INTO courier_state(profile_id, hub_url, hub_box_key, hub_sign_key,"
            " sign_key, box_key, key_store, bundle_seq, answered_seq, registered_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, ?)"
            " ON CONFLICT(profile_id) DO UPDATE SET hub_url = excluded.hub_url,"
            " hub_box_key = excluded.hub_box_key, hub_sign_key = excluded.hub_sign_key,"
            " sign_key = excluded.sign_key, box_key = excluded.box_key,"
            " key_store = excluded.key_store,"
            " registered_at = excluded.registered_at",
            [profile_id, login.hub_url, str(hub_keys["box_key"]),
             str(hub_keys.get("sign_key", "")), pair.sign_public, pair.box_public,
             login.token_store, now_local()])
    return True


def try_register(credentials: CredentialStore, profile_id: int, client: HubClient, *,
                 force: bool = False) -> None:
    """:func:`ensure_registered`, never failing the login or sync it rides along with."""
    try:
        ensure_registered(credentials, profile_id, client, force=force)
    except HubRefused as exc:
        log.warning("the hub did not take the courier keys: %s", exc.message)
    except (HubError, CredentialError, OSError) as exc:
        log.info("courier keys not registered this time: %s", exc)


def forget(credentials: CredentialStore, profile_id: int) -> None:
    """Remove the profile's courier keys (at logout); safe to call twice."""
    db = credentials.db
    with contextlib.suppress(Exception):
        import keyring

        if keyring_problem() is None:
            keyring.delete_password(SERVICE_NAME, _entry(db, profile_id))
    with contextlib.suppress(OSError, CredentialError):
        _file(credentials, profile_id).unlink()
    with write_transaction(db):
        db.execute("DELETE FROM courier_state WHERE profile_id = ?", [profile_id])
