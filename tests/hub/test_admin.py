"""Operating a hub: revoke, reset-password, remove-member, backup, restore (through the CLI),
and the epoch a restore starts (on SQLite and PostgreSQL)."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import pytest

from companion.cli import main
from companion.hub import admin_ops, epochs
from companion.hub.settings import HubSettings
from companion.hub.storage import Storage, last_sequence
from tests.hub.helpers import PASSWORD, Device, LiveHub, change


@pytest.fixture(autouse=True)
def cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI uses the production Argon2 cost; make it cheap for the tests."""
    from companion.hub import settings

    real = settings.build_settings
    monkeypatch.setattr(settings, "build_settings", lambda *a, **k: real(*a, **k).with_changes(
        argon2_memory_kib=1024, argon2_time_cost=1, argon2_parallelism=1))


@pytest.fixture
def args(hub_settings: HubSettings) -> list[str]:
    """--data (and --database-url) of the test hub, for the CLI."""
    out = ["--data", str(hub_settings.data_dir)]
    return out + (["--database-url", hub_settings.database_url]
                  if hub_settings.database_url else [])


@pytest.fixture
def group(hub: LiveHub):
    hub.add_trainer("tina")
    return hub.create_group("Bakers Ghent", "tina")


def _me(device: Device) -> int:
    return device.get("/v1/me").status_code


def test_revoke_one_device_then_all(hub: LiveHub, group, args: list[str],
                                    capsys: pytest.CaptureFixture[str]) -> None:
    shop = hub.device("alice", invite=group.invite_code)
    home = hub.device("alice")
    assert main(["hub", "revoke", "Alice", "--device", shop.device_id, *args]) == 0
    assert "1 login revoked" in capsys.readouterr().out
    assert (_me(shop), _me(home)) == (401, 200)
    assert main(["hub", "revoke", "alice", *args]) == 0
    assert (_me(shop), _me(home)) == (401, 401)
    hub.device("alice")  # logging in again works


def test_revoke_bad_input(hub: LiveHub, group, args: list[str],
                          capsys: pytest.CaptureFixture[str]) -> None:
    shop = hub.device("alice", invite=group.invite_code)
    assert main(["hub", "revoke", "nobody", *args]) == 1
    assert capsys.readouterr().err.strip() == "error: there is no account 'nobody' on this hub"
    assert main(["hub", "revoke", "alice", "--device", "not-a-device", *args]) == 1
    assert "has no device 'not-a-device'" in capsys.readouterr().err
    assert _me(shop) == 200


def test_reset_password(hub: LiveHub, group, args: list[str],
                        monkeypatch: pytest.MonkeyPatch) -> None:
    shop = hub.device("alice", invite=group.invite_code)
    monkeypatch.setattr("sys.stdin", io.StringIO("a brand new password\n"))
    assert main(["hub", "reset-password", "alice", "--password-stdin", *args]) == 0
    assert _me(shop) == 401  # every device asks for the new password
    with hub.client() as c:
        old = c.post("/v1/auth/login", json={"username": "alice", "password": PASSWORD,
                                             "device_id": "d1"})
        assert old.status_code == 401
    hub.device("alice", password="a brand new password")


def test_reset_password_bad_input(hub: LiveHub, group, args: list[str],
                                  monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    shop = hub.device("alice", invite=group.invite_code)
    monkeypatch.setattr("sys.stdin", io.StringIO("a brand new password\n"))
    assert main(["hub", "reset-password", "nobody", "--password-stdin", *args]) == 1
    assert "no account 'nobody'" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["hub", "reset-password", "alice", "--password-stdin", *args]) == 1
    assert "at least 8 characters" in capsys.readouterr().err
    assert _me(shop) == 200  # nothing changed


def test_remove_member(hub: LiveHub, group, args: list[str],
                       capsys: pytest.CaptureFixture[str]) -> None:
    alice = hub.device("alice", invite=group.invite_code)
    alice.sync()
    assert main(["hub", "remove-member", "alice", "--group", "bakers ghent", *args]) == 0
    assert alice.get(f"/v1/groups/{group.id}/members").status_code == 404
    data = alice.sync([change("comment", "c1", {"group_id": group.id, "lesson_id": "l",
                                                "body": "still here?"})])
    assert data["rejected"][0]["code"] == "forbidden"
    assert data["reset"] is True  # her groups changed: the pull starts afresh
    assert main(["hub", "remove-member", "alice", "--group", str(group.id), *args]) == 1
    assert "not a member of the group 'Bakers Ghent'" in capsys.readouterr().err


def test_remove_member_bad_input(hub: LiveHub, group, args: list[str],
                                 capsys: pytest.CaptureFixture[str]) -> None:
    hub.device("alice", invite=group.invite_code)
    assert main(["hub", "remove-member", "alice", "--group", "Florists", *args]) == 1
    assert "no group 'Florists'" in capsys.readouterr().err
    assert main(["hub", "remove-member", "bob", "--group", "Bakers Ghent", *args]) == 1
    assert "no account 'bob'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["hub", "remove-member", "alice", *args])  # --group is required


def _upload(hub: LiveHub, data: bytes) -> str:
    trainer = hub.device("tina")
    digest = hashlib.sha256(data).hexdigest()
    with trainer.http() as c:
        assert c.put(f"/v1/media/{digest}", content=data).status_code == 201
    return digest


def test_backup_and_restore(hub: LiveHub, hub_settings: HubSettings, group, args: list[str],
                            tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A backup holds the media, their list and (SQLite) the database; a restore puts back
    the media the hub lost, each checked, and starts a new epoch."""
    alice = hub.device("alice", invite=group.invite_code)
    alice.sync([change("note", "n1", {"lesson_id": "l", "body": "voor"})])
    digest = _upload(hub, b"a lesson video" * 1000)
    folder = tmp_path / "backup"
    assert main(["hub", "backup", str(folder), *args]) == 0
    out = capsys.readouterr()
    info = json.loads((folder / admin_ops.BACKUP_INFO).read_text())
    assert info["media_files"] == 1 and info["last_seq"] >= 1
    assert (folder / admin_ops.MEDIA_LIST).read_text() == f"{digest} 14000\n"
    assert (folder / "media" / digest[:2] / digest).read_bytes() == b"a lesson video" * 1000
    assert (folder / admin_ops.BACKUP_DB).is_file() == (hub_settings.database_url is None)
    assert ("pg_dump" in out.err) == (hub_settings.database_url is not None)
    assert main(["hub", "backup", str(folder), *args]) == 0  # again: nothing copied twice
    assert "0 copied now" in capsys.readouterr().out
    alice.sync([change("note", "n2", {"lesson_id": "l", "body": "na"})])
    with hub.storage.read() as conn:
        before = epochs.ensure_epoch(conn)
    hub.stop()
    (hub_settings.media_dir / digest[:2] / digest).unlink()
    assert main(["hub", "restore", str(folder), *args]) == 0
    assert "1 media files copied back" in capsys.readouterr().out
    assert (hub_settings.media_dir / digest[:2] / digest).is_file()
    storage = Storage(hub_settings)
    try:
        with storage.read() as conn:
            assert epochs.ensure_epoch(conn) != before
    finally:
        storage.close()


def test_restore_bad_input(hub: LiveHub, hub_settings: HubSettings, group, args: list[str],
                           tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["hub", "restore", str(tmp_path / "nothing"), *args]) == 1
    assert "is not a hub backup" in capsys.readouterr().err
    digest = _upload(hub, b"bytes")
    folder = tmp_path / "backup"
    admin_ops.backup(hub_settings, folder)
    damaged = folder / "media" / digest[:2] / digest
    damaged.write_bytes(b"BYTES")
    (hub_settings.media_dir / digest[:2] / digest).unlink()
    hub.stop()
    assert main(["hub", "restore", str(folder), *args]) == 1
    assert "is damaged" in capsys.readouterr().err
    assert not (hub_settings.media_dir / digest[:2] / digest).exists()
    (folder / admin_ops.BACKUP_INFO).write_text("{not json")
    assert main(["hub", "restore", str(folder), *args]) == 1
    assert "is damaged" in capsys.readouterr().err


def test_a_cursor_from_before_a_restore_asks_for_a_resend(hub: LiveHub, group) -> None:
    """The cursor names the epoch; a new epoch (a restore) answers reset and the sequence from
    which the device's own changes must come again, once; a cursor of a lost line of history
    gets 0 (everything), an old cursor without an epoch counts as current."""
    alice = hub.device("alice", invite=group.invite_code)
    alice.sync([change("note", "n1", {"lesson_id": "l", "body": "x"})])
    first_cursor = alice.cursor
    assert first_cursor.count(".") == 2
    with hub.storage.write() as conn:
        epochs.start_epoch(conn)  # what a restore does
        first_base = last_sequence(conn)
    alice.sync([change("note", "n2", {"lesson_id": "l", "body": "y"})])
    with hub.storage.write() as conn:
        epochs.start_epoch(conn)  # a second restore, later in the sequence
        last = last_sequence(conn)
    assert last > first_base
    alice.cursor = first_cursor
    data = alice.sync()
    assert data["reset"] is True and data["resend_after_seq"] == first_base
    data = alice.sync()
    assert data["reset"] is False and "resend_after_seq" not in data
    seq, version, _ = first_cursor.split(".")
    alice.cursor = f"{seq}.{version}.0123456789ab"  # an epoch this database never had
    assert alice.sync()["resend_after_seq"] == 0
    alice.cursor = f"{seq}.{version}"  # a cursor from a hub before epochs
    data = alice.sync()
    assert data["reset"] is False and "resend_after_seq" not in data
    alice.cursor = f"999.{version}"  # ahead of the hub: restored by hand
    assert alice.sync()["resend_after_seq"] == last
