"""The token is kept in the keyring; without one nothing secret is ever written silently."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from companion.sync.credentials import SERVICE_NAME, NoKeyringError, NotLoggedInError
from tests.sync.helpers import Pc

SECRET = "tok-0123456789abcdef-secret"


def _files_containing(root: Path, needle: bytes) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and needle in p.read_bytes()]


def test_token_in_keyring_rest_in_library(tmp_path: Path, memory_keyring) -> None:
    """The token goes to the keyring under a per-library, per-profile key; the login's other
    parts to the library; forget removes both."""
    pc = Pc.create(tmp_path / "pc")
    try:
        login = pc.store.save(pc.profile_id, hub_url="https://hub.example", username="anna",
                              account_id=7, token=SECRET)
        assert (login.hub_url, login.username, login.account_id, login.token_store) == (
            "https://hub.example", "anna", 7, "keyring")
        assert pc.store.token(pc.profile_id) == SECRET
        ((service, key),) = memory_keyring.secrets
        assert service == SERVICE_NAME and key.endswith(pc.svc.profiles.get(pc.profile_id).uid)
        pc.svc.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        assert _files_containing(pc.home, SECRET.encode()) == []
        pc.store.forget(pc.profile_id)
        assert memory_keyring.secrets == {} and pc.store.login(pc.profile_id) is None
        with pytest.raises(NotLoggedInError):
            pc.store.token(pc.profile_id)
    finally:
        pc.close()


def test_two_profiles_keep_two_tokens(tmp_path: Path, memory_keyring) -> None:
    """Each profile of a shared shop PC has its own login."""
    pc = Pc.create(tmp_path / "pc")
    try:
        other = pc.svc.profiles.create("Bart").id
        pc.store.save(pc.profile_id, hub_url="https://h", username="anna", account_id=1,
                      token="a-token")
        pc.store.save(other, hub_url="https://h", username="bart", account_id=2,
                      token="b-token")
        assert pc.store.token(pc.profile_id) == "a-token" and pc.store.token(other) == "b-token"
    finally:
        pc.close()


def test_no_keyring_raises_and_writes_nothing(tmp_path: Path) -> None:
    """With the null backend (no keyring) saving raises NoKeyringError, says where a file
    would go, and leaves no trace of the token or the login anywhere in the home."""
    pc = Pc.create(tmp_path / "pc")
    try:
        with pytest.raises(NoKeyringError, match="no keyring") as info:
            pc.store.save(pc.profile_id, hub_url="https://h", username="anna", account_id=1,
                          token=SECRET)
        assert "--store-token-in-home" in str(info.value)
        assert pc.store.login(pc.profile_id) is None
        pc.svc.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        assert _files_containing(pc.home, SECRET.encode()) == []
        assert not pc.store.token_file(pc.profile_id).exists()
    finally:
        pc.close()


def test_file_fallback_only_when_allowed(tmp_path: Path) -> None:
    """allow_file=True keeps the token in an owner-only file in the home; forget deletes it."""
    pc = Pc.create(tmp_path / "pc")
    try:
        login = pc.store.save(pc.profile_id, hub_url="https://h", username="anna",
                              account_id=1, token=SECRET, allow_file=True)
        path = pc.store.token_file(pc.profile_id)
        assert login.token_store == "file" and path.read_text() == SECRET
        assert path.is_relative_to(pc.home)
        if os.name == "posix":
            assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert pc.store.token(pc.profile_id) == SECRET
        pc.store.forget(pc.profile_id)
        assert not path.exists()
    finally:
        pc.close()


def test_keyring_token_unreadable_later_is_no_keyring(tmp_path: Path, memory_keyring) -> None:
    """A login kept in a keyring that is gone later (another session) says so plainly."""
    import keyring
    from keyring.backends import null

    pc = Pc.create(tmp_path / "pc")
    try:
        pc.store.save(pc.profile_id, hub_url="https://h", username="anna", account_id=1,
                      token=SECRET)
        keyring.set_keyring(null.Keyring())
        with pytest.raises(NoKeyringError, match="system keyring"):
            pc.store.token(pc.profile_id)
    finally:
        pc.close()


def test_store_on_another_connection_reads_the_same_logins(tmp_path: Path) -> None:
    """The sync engine reads the logins through its own connection (``on``): same token
    folder, same library, not the UI thread's connection."""
    from companion.core.db import open_database

    pc = Pc.create(tmp_path / "pc")
    other = open_database(pc.svc.locations.database_path)
    try:
        pc.store.save(pc.profile_id, hub_url="https://h", username="anna", account_id=1,
                      token=SECRET, allow_file=True)
        theirs = pc.store.on(other)
        assert theirs.db is other and theirs is not pc.store
        assert theirs.token_file(pc.profile_id) == pc.store.token_file(pc.profile_id)
        assert theirs.token(pc.profile_id) == SECRET
        assert theirs.login(pc.profile_id) == pc.store.login(pc.profile_id)
        theirs.forget(pc.profile_id)
        assert pc.store.login(pc.profile_id) is None
    finally:
        other.close()
        pc.close()
