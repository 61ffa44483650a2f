"""Full-text search over lessons and a person's own notes."""

from __future__ import annotations

from companion.core.search import build_match_query
from companion.services import Services
from tests.core.fake_library import add_pack


def test_query_building_is_safe() -> None:
    """Typed text never becomes FTS syntax; the last word is a prefix while typing."""
    assert build_match_query("") is None
    assert build_match_query('  "*" OR ') is not None
    assert build_match_query("insta") == '"insta" *'
    assert build_match_query("insta ") == '"insta"'
    assert build_match_query('face" OR x') == '"face" AND "OR" AND "x" *'


def test_finds_lessons_by_title_subtitles_and_prefix(services: Services) -> None:
    """A word from a subtitle or the start of a title word finds the lesson."""
    add_pack(services.db, "pack", 50)
    hits = services.search.lessons("zwakk")
    assert hits and all(h.kind == "lesson" for h in hits)
    assert "«" in hits[0].snippet
    assert services.search.lessons("zzzqqq") == []


def test_search_ignores_accents(services: Services, profile_id: int) -> None:
    """Typing without accents finds text with them (café, één)."""
    (lesson,) = add_pack(services.db, "pack", 1)
    services.notes.add(profile_id, lesson, "Koffie in het café naast de winkel")
    assert len(services.search.notes(profile_id, "cafe")) == 1


def test_updated_and_deleted_notes_follow_in_search(services: Services, profile_id: int) -> None:
    """Search sees a note's latest text and no longer finds a deleted note."""
    (lesson,) = add_pack(services.db, "pack", 1)
    note = services.notes.add(profile_id, lesson, "tulpen")
    services.notes.update(profile_id, note.id, "rozen")
    assert services.search.notes(profile_id, "tulpen") == []
    assert len(services.search.notes(profile_id, "rozen")) == 1
    services.notes.delete(profile_id, note.id)
    assert services.search.notes(profile_id, "rozen") == []


def test_search_survives_pack_update(services: Services) -> None:
    """Replacing lessons keeps the index in step (no stale or missing hits)."""
    add_pack(services.db, "pack", 3)
    services.db.execute("UPDATE lessons SET title = 'Etalage in de lente' WHERE position = 0")
    assert [h.title for h in services.search.lessons("lente")] == ["Etalage in de lente"]
    services.db.execute("DELETE FROM lessons")
    assert services.search.lessons("lente") == []
