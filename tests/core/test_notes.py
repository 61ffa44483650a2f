"""Notes: private, saved as typed, tombstoned on delete, exported to Markdown."""

from __future__ import annotations

import pytest

from companion.core.changelog import all_changes
from companion.core.errors import LibraryError
from companion.core.notes import format_timestamp, parse_timestamps
from companion.services import Services
from tests.core.fake_library import add_pack


def test_lesson_text_is_saved_as_typed(services: Services, profile_id: int) -> None:
    """Typing creates the lesson's note once, then edits it; pending edits coalesce."""
    (lesson,) = add_pack(services.db, "pack", 1)
    assert services.notes.save_lesson_text(profile_id, lesson, "   ") is None
    for text in ("B", "Bi", "Bio: openingsuren"):
        services.notes.save_lesson_text(profile_id, lesson, text)
    (note,) = services.notes.for_lesson(profile_id, lesson)
    assert note.body == "Bio: openingsuren"
    note_changes = [c for c in all_changes(services.db, profile_id) if c.kind == "note"]
    assert [c.payload["body"] for c in note_changes] == ["Bio: openingsuren"]


def test_delete_leaves_a_tombstone(services: Services, profile_id: int) -> None:
    """A deleted note disappears from lists and its deletion is logged for sync."""
    (lesson,) = add_pack(services.db, "pack", 1)
    note = services.notes.add(profile_id, lesson, "weg ermee")
    services.notes.delete(profile_id, note.id)
    assert services.notes.for_lesson(profile_id, lesson) == []
    assert [c.op for c in all_changes(services.db, profile_id) if c.kind == "note"] == [
        "upsert", "delete"]
    with pytest.raises(LibraryError):
        services.notes.update(profile_id, note.id, "terug?")


def test_notes_are_private_to_a_profile(services: Services, profile_id: int) -> None:
    """Another profile cannot read or edit someone's note, nor find it by search."""
    (lesson,) = add_pack(services.db, "pack", 1)
    note = services.notes.add(profile_id, lesson, "geheim recept zuurdesem")
    jan = services.profiles.create("Jan").id
    assert services.notes.all(jan) == []
    with pytest.raises(LibraryError):
        services.notes.update(jan, note.id, "overschreven")
    assert services.search.notes(jan, "zuurdesem") == []
    assert len(services.search.notes(profile_id, "zuurdesem")) == 1


def test_too_long_note_is_refused(services: Services, profile_id: int) -> None:
    """A note over the limit is refused and nothing is stored."""
    with pytest.raises(LibraryError, match="at most"):
        services.notes.add(profile_id, "pack/x", "x" * 100_001)
    assert services.notes.all(profile_id) == []


def test_timestamps_format_and_parse() -> None:
    """Timestamp marks round-trip and are found in note text."""
    assert format_timestamp(75.9) == "[1:15]"
    assert format_timestamp(-3) == "[0:00]"
    body = "[0:05] bio\nniets\n[2:30] reels [bad:xx]"
    assert [s for _, _, s in parse_timestamps(body)] == [5, 150]


def test_export_markdown_groups_by_pack_and_lesson(services: Services, profile_id: int) -> None:
    """The export has a heading per pack and lesson with the notes in order."""
    lessons = add_pack(services.db, "pack", 2, title="Sociale media")
    services.notes.add(profile_id, lessons[1], "tweede les")
    services.notes.add(profile_id, lessons[0], "eerste les")
    md = services.notes.export_markdown(profile_id)
    assert md.index("# Sociale media") < md.index("eerste les") < md.index("tweede les")
    assert md.count("## ") == 2
