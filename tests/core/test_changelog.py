"""The change log: every change written in the same transaction as the data."""

from __future__ import annotations

import pytest

from companion.core.changelog import (
    all_changes,
    count_pending,
    mark_pushed,
    pending_changes,
    record_change,
)
from companion.core.db import write_transaction
from companion.services import Services
from tests.core.fake_library import add_pack


def test_change_ids_are_unique_and_ordered(services: Services, profile_id: int) -> None:
    """Each change has its own id and the device's counter orders them."""
    lessons = add_pack(services.db, "pack", 3)
    for lesson in lessons:
        services.notes.add(profile_id, lesson, "x")
    changes = all_changes(services.db, profile_id)
    assert len({c.change_id for c in changes}) == len(changes)
    assert [c.seq for c in changes] == sorted(c.seq for c in changes)
    wire = changes[-1].to_dict()
    assert set(wire) == {"change_id", "device_id", "device_seq", "kind", "entity_id", "op",
                         "payload", "created_at"}


def test_a_failed_write_leaves_no_change(services: Services, profile_id: int) -> None:
    """If the data write fails, its change is rolled back with it."""
    before = all_changes(services.db, profile_id)
    with pytest.raises(RuntimeError), write_transaction(services.db):
        record_change(services.db, profile_id, "note", "n1", "upsert", {"body": "x"})
        raise RuntimeError("power cut")
    assert all_changes(services.db, profile_id) == before


def test_record_outside_transaction_is_a_bug(services: Services, profile_id: int) -> None:
    """Recording a change outside the data's transaction is refused."""
    with pytest.raises(RuntimeError, match="inside the transaction"):
        record_change(services.db, profile_id, "note", "n1", "upsert", {})
    with pytest.raises(ValueError, match="unknown change kind"), write_transaction(services.db):
        record_change(services.db, profile_id, "gossip", "n1", "upsert", {})


def test_pending_and_pushed(services: Services, profile_id: int) -> None:
    """Pushed changes leave the pending list; marking twice is harmless."""
    (lesson,) = add_pack(services.db, "pack", 1)
    services.notes.add(profile_id, lesson, "a")
    services.notes.add(profile_id, lesson, "b")
    pending = pending_changes(services.db, profile_id)
    n = count_pending(services.db, profile_id)
    mark_pushed(services.db, [pending[0].change_id])
    mark_pushed(services.db, [pending[0].change_id])
    assert count_pending(services.db, profile_id) == n - 1
    assert pending_changes(services.db, profile_id, limit=1)[0].change_id == pending[1].change_id
