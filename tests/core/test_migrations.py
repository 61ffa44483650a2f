"""Schema migrations: every earlier version upgrades to the latest with its data intact."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from companion.core.db import SCHEMA_VERSION, migrate_to, open_database, schema_version
from companion.core.errors import LibraryError

# Rows to put in a database at a given version before upgrading it, as (table, row) pairs.
SEED: dict[int, list[tuple[str, dict]]] = {
    1: [
        ("profiles", {"id": 1, "uid": "u1", "name": "Anna", "created_at": "2026-01-01T10:00"}),
        ("progress", {"profile_id": 1, "lesson_id": "p/l", "position_s": 12.5,
                      "updated_at": "2026-01-01T10:00"}),
        ("notes", {"id": "n1", "profile_id": 1, "lesson_id": "p/l", "body": "zuurdesem",
                   "created_at": "x", "updated_at": "x"}),
    ],
    2: [
        ("comments", {"id": "c1", "profile_id": 1, "lesson_id": "p/l", "author_id": "u1",
                      "author_name": "Anna", "body": "Goed idee!", "created_at": "x"}),
    ],
    3: [
        ("sync_logins", {"profile_id": 1, "hub_url": "https://hub.example", "username": "anna",
                         "account_id": 7, "cursor": "12.1", "logged_in_at": "x"}),
        ("sync_refusals", {"change_id": "ch1", "profile_id": 1, "kind": "comment",
                           "entity_id": "c1", "op": "upsert", "payload": "{}",
                           "code": "forbidden", "reason": "no", "refused_at": "x"}),
        ("sync_entity_seq", {"profile_id": 1, "kind": "note", "entity_key": "n1", "seq": 5}),
        ("sync_people", {"profile_id": 1, "account_id": 8, "name": "Bart"}),
    ],
    4: [
        ("changes", {"change_id": "ch2", "profile_id": 1, "kind": "note", "entity_id": "n1",
                     "op": "upsert", "payload": "{}", "device_id": "d", "created_at": "x",
                     "pushed_at": "x", "hub_seq": 41}),
    ],
    5: [  # _v5_courier
        ("courier_state", {"profile_id": 1, "hub_url": "https://hub.example",
                           "hub_box_key": "hb", "hub_sign_key": "hs", "sign_key": "s",
                           "box_key": "b", "bundle_seq": 3, "registered_at": "x"}),
    ],
    6: [  # _v6_social
        ("follows", {"profile_id": 1, "lesson_id": "p/l", "following": 1, "updated_at": "x"}),
        ("drafts", {"profile_id": 1, "id": "d1", "lesson_id": "p/l", "body": "Ik denk",
                    "updated_at": "x"}),
        ("notifications", {"profile_id": 1, "key": "reply:p/l", "kind": "reply", "count": 2,
                           "last_seq": 9, "unread": 1, "updated_at": "x"}),
    ],
    7: [  # _v7_trainer_workspace
        ("comments", {"id": "c2", "profile_id": 1, "lesson_id": "p/l", "author_id": "hub:8",
                      "author_name": "Bart", "body": "", "created_at": "x",
                      "hidden_reason": "reclame"}),
        ("group_reports", {"profile_id": 1, "group_id": 3, "days": 30, "fetched_at": "x",
                           "body": "{}"}),
        ("group_ladder_history", {"profile_id": 1, "group_id": 3, "day": "2026-12-01",
                                  "highest": "{}"}),
    ],
}


@pytest.mark.parametrize("start", range(0, SCHEMA_VERSION))
def test_upgrade_from_every_version(tmp_path: Path, start: int) -> None:
    """A library at version ``start`` with data opens at the latest version, data kept."""
    path = tmp_path / "library.sqlite3"
    db = open_database(path, migrate=False)
    migrate_to(db, start)
    seeded = [row for version, rows in SEED.items() if version <= start for row in rows]
    for table, row in seeded:
        db[table].insert(row)
    db.close()
    db = open_database(path)
    assert schema_version(db) == SCHEMA_VERSION
    for table, row in seeded:
        key = next(iter(row))
        stored = db.execute(f"SELECT * FROM {table} WHERE {key} = ?", [row[key]]).fetchone()
        assert stored is not None, (table, row)
    if start >= 1:
        assert db.execute(
            "SELECT count(*) FROM notes_fts WHERE notes_fts MATCH 'zuurdesem'"
        ).fetchone()[0] == 1
    db.close()


def test_every_seed_version_exists() -> None:
    """The seed data names only real schema versions (a new migration adds its own seed)."""
    assert set(SEED) <= set(range(1, SCHEMA_VERSION + 1))
    assert SCHEMA_VERSION in SEED


def test_newer_library_is_refused(tmp_path: Path) -> None:
    """A library written by a newer app is refused with a clear message, not damaged."""
    path = tmp_path / "library.sqlite3"
    open_database(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(LibraryError, match="newer version"):
        open_database(path)


def test_damaged_file_is_refused(tmp_path: Path) -> None:
    """A file that is not a database gives a clear error."""
    path = tmp_path / "library.sqlite3"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(LibraryError, match="damaged"):
        open_database(path)


def test_wal_and_foreign_keys_are_on(tmp_path: Path) -> None:
    """The library runs in WAL mode with foreign keys enforced."""
    db = open_database(tmp_path / "library.sqlite3")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_two_connections_creating_a_library_at_once(tmp_path) -> None:
    """Four threads opening a brand-new library together: one migrates, the others wait and
    find it done (no "table already exists", no "database is locked" from switching to WAL,
    which SQLite answers at once instead of waiting: about one new library in six hit it)."""
    import threading

    from companion.core.db import open_database, schema_version
    from companion.core.migrations import MIGRATIONS

    errors: list[BaseException] = []

    for attempt in range(30):
        path = tmp_path / f"library-{attempt}.db"
        start = threading.Barrier(4)

        def open_it(path=path, start=start) -> None:
            try:
                start.wait()
                db = open_database(path)
                assert schema_version(db) == len(MIGRATIONS)
                db.close()
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=open_it) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert errors == []
