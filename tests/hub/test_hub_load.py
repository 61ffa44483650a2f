"""How one hub process shares its database and threads among many clients at once."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import update

from companion.hub import storage as storage_module
from companion.hub import tables as t
from companion.hub.settings import HubSettings
from companion.hub.storage import Storage


def _bump(storage: Storage) -> None:
    with storage.write() as conn:
        conn.execute(update(t.hub_state).values(last_seq=t.hub_state.c.last_seq + 1))


def test_sqlite_writers_of_one_process_queue_for_the_write_lock(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A second writer waits in line for the first instead of polling SQLite's busy handler
    (which sleeps up to 100 ms between tries, and gives up after the busy timeout)."""
    monkeypatch.setattr(storage_module, "SQLITE_BUSY_TIMEOUT_MS", 50)
    storage = Storage(HubSettings(data_dir=tmp_path))
    holding, release, second_started = threading.Event(), threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def first() -> None:
        with storage.write() as conn:
            conn.execute(update(t.hub_state).values(last_seq=t.hub_state.c.last_seq + 1))
            holding.set()
            release.wait(10)

    def second() -> None:
        second_started.set()
        try:
            _bump(storage)
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)

    try:
        one = threading.Thread(target=first)
        one.start()
        assert holding.wait(10)
        two = threading.Thread(target=second)
        two.start()
        assert second_started.wait(10)
        # Hold the lock well past the busy timeout: SQLite alone would refuse the second writer.
        two.join(0.5)
        release.set()
        one.join(10)
        two.join(10)
        assert errors == []
        with storage.read() as conn:
            assert storage_module.last_sequence(conn) == 2
    finally:
        release.set()
        storage.close()
