"""Peer comments: written offline, waiting to send, edited and deleted by the author only."""

from __future__ import annotations

import pytest

from companion.core.changelog import all_changes, mark_pushed
from companion.core.errors import LibraryError, Reason
from companion.services import Services
from tests.core.fake_library import add_pack


def test_comment_written_offline_waits_to_send(services: Services, profile_id: int) -> None:
    """A new comment shows at once, marked waiting, and leaves once the hub has it."""
    (lesson,) = add_pack(services.db, "pack", 1)
    comment = services.comments.add(profile_id, lesson, "  Wie post al reels?  ")
    assert comment.body == "Wie post al reels?" and comment.waiting_to_send
    change = next(c for c in all_changes(services.db, profile_id) if c.kind == "comment")
    assert change.payload == {"lesson_id": lesson, "body": "Wie post al reels?",
                              "reply_to": None}
    mark_pushed(services.db, [change.change_id])
    assert not services.comments.get(profile_id, comment.id).waiting_to_send


def test_reply_edit_delete(services: Services, profile_id: int) -> None:
    """Replies hang under their comment; edits and deletions are logged as changes."""
    (lesson,) = add_pack(services.db, "pack", 1)
    first = services.comments.add(profile_id, lesson, "Vraag")
    reply = services.comments.add(profile_id, lesson, "Antwoord", reply_to=first.id)
    services.comments.edit(profile_id, reply.id, "Beter antwoord")
    services.comments.delete(profile_id, first.id)
    listed = services.comments.for_lesson(profile_id, lesson)
    assert [(c.body, c.deleted) for c in listed] == [("", True), ("Beter antwoord", False)]
    ops = [c.op for c in all_changes(services.db, profile_id) if c.kind == "comment"]
    assert ops == ["upsert", "upsert", "upsert", "delete"]


def test_bad_comments_are_refused(services: Services, profile_id: int) -> None:
    """Empty, too long, a reply to a missing comment or across lessons: clear errors."""
    a, b = add_pack(services.db, "pack", 2)
    for body in ("", "   ", "x" * 5001):
        with pytest.raises(LibraryError):
            services.comments.add(profile_id, a, body)
    with pytest.raises(LibraryError, match="no comment"):
        services.comments.add(profile_id, a, "hi", reply_to="missing")
    first = services.comments.add(profile_id, a, "hier")
    with pytest.raises(LibraryError, match="same lesson"):
        services.comments.add(profile_id, b, "daar", reply_to=first.id)
    assert len(services.comments.for_lesson(profile_id, a)) == 1


def test_only_own_comments_change(services: Services, profile_id: int) -> None:
    """Someone else's comment (arrived from the hub) cannot be edited or deleted here."""
    (lesson,) = add_pack(services.db, "pack", 1)
    services.db.execute(
        "INSERT INTO comments(id, profile_id, lesson_id, author_id, author_name, is_own, body,"
        " created_at, server_seq) VALUES ('other', ?, ?, 'u9', 'Trainer', 0, 'Welkom', 'x', 1)",
        [profile_id, lesson],
    )
    with pytest.raises(LibraryError, match="your own"):
        services.comments.edit(profile_id, "other", "gewijzigd")
    with pytest.raises(LibraryError, match="your own"):
        services.comments.delete(profile_id, "other")
    assert services.comments.get(profile_id, "other").body == "Welkom"


def test_refusals_carry_a_reason(services: Services, profile_id: int) -> None:
    """Each refusal the discussion explains in its own words says which one it is."""
    (lesson,) = add_pack(services.db, "pack", 1)
    for body, reason in (("  ", Reason.COMMENT_EMPTY), ("x" * 5001, Reason.COMMENT_TOO_LONG)):
        with pytest.raises(LibraryError) as caught:
            services.comments.add(profile_id, lesson, body)
        assert caught.value.reason is reason
    services.db.execute(
        "INSERT INTO comments(id, profile_id, lesson_id, author_id, author_name, is_own, body,"
        " created_at, server_seq) VALUES ('other', ?, ?, 'u9', 'Trainer', 0, 'Welkom', 'x', 1)",
        [profile_id, lesson],
    )
    with pytest.raises(LibraryError) as caught:
        services.comments.edit(profile_id, "other", "gewijzigd")
    assert caught.value.reason is Reason.COMMENT_NOT_OWN
    mine = services.comments.add(profile_id, lesson, "weg ermee")
    services.comments.delete(profile_id, mine.id)
    with pytest.raises(LibraryError) as caught:
        services.comments.edit(profile_id, mine.id, "toch niet")
    assert caught.value.reason is Reason.COMMENT_DELETED
    with pytest.raises(LibraryError) as caught:
        services.comments.get(profile_id, "missing")
    assert caught.value.reason is None  # nothing a caller acts on: the message says it all
