"""The pure merge rules of companion.core.merge, shared by hub and client."""

from __future__ import annotations

import pytest

from companion.core import merge
from companion.core.merge import (
    ChangeRejected,
    CommentState,
    ProfileState,
    ProgressState,
    merge_comment,
    merge_note,
    merge_profile,
    merge_progress,
    merge_quiz_attempt,
)


def test_done_stays_done_and_position_follows_latest() -> None:
    """A later change with done=false keeps done; its position wins; watched time only grows."""
    s = merge_progress(None, {"position_s": 90.0, "watched_s": 170.0, "done": True})
    s = merge_progress(s, {"position_s": 10.0, "watched_s": 10.0, "done": False})
    assert s == ProgressState(position_s=10.0, watched_s=170.0, done=True)


def test_best_quiz_score_is_kept() -> None:
    """A lower score from progress or an attempt never replaces the best one."""
    s = merge_progress(None, {"quiz_best": 3, "quiz_total": 4})
    s = merge_progress(s, {"quiz_best": 1, "quiz_total": 4})
    s = merge_quiz_attempt(s, {"score": 2, "total": 4})
    assert (s.quiz_best, s.quiz_total) == (3, 4)
    assert merge_quiz_attempt(s, {"score": 4, "total": 4}).quiz_best == 4


def test_progress_values_are_checked() -> None:
    """Negative, non-numeric or non-boolean values are rejected as invalid."""
    for bad in ({"position_s": -1}, {"position_s": "x"}, {"done": "yes"},
                {"quiz_best": 1.5}, {"position_s": float("nan")}):
        with pytest.raises(ChangeRejected) as err:
            merge_progress(None, bad)
        assert err.value.code == "invalid"


def test_note_latest_edit_and_tombstone() -> None:
    """A note follows its latest edit; delete leaves a tombstone; a later edit restores it."""
    s = merge_note(None, "upsert", {"lesson_id": "l", "body": "a"})
    s = merge_note(s, "upsert", {"body": "b"})
    assert (s.lesson_id, s.body) == ("l", "b")
    s = merge_note(s, "delete", {})
    assert s.deleted and s.body == ""
    assert not merge_note(s, "upsert", {"body": "c"}).deleted


def test_comment_rules() -> None:
    """Only the author edits; the author or a trainer deletes; a tombstone is final."""
    c = merge_comment(None, "upsert", {"lesson_id": "l", "body": "hi"}, comment_id="c",
                      actor_id=1, group_id=7)
    assert c == CommentState("c", 7, 1, "l", "hi")
    with pytest.raises(ChangeRejected, match="only its author"):
        merge_comment(c, "upsert", {"body": "x"}, comment_id="c", actor_id=2)
    with pytest.raises(ChangeRejected):
        merge_comment(c, "delete", {}, comment_id="c", actor_id=2)
    edited = merge_comment(c, "upsert", {"body": "hello"}, comment_id="c", actor_id=1)
    assert edited.edited and edited.body == "hello"
    gone = merge_comment(edited, "delete", {}, comment_id="c", actor_id=9,
                         actor_is_trainer=True)
    assert gone.deleted and gone.deleted_by == 9 and gone.body == ""
    with pytest.raises(ChangeRejected, match="deleted"):
        merge_comment(gone, "upsert", {"body": "back"}, comment_id="c", actor_id=1)
    assert merge_comment(gone, "delete", {}, comment_id="c", actor_id=1) == gone


def test_new_comment_needs_group_lesson_and_body() -> None:
    """A new comment without group, lesson or text is invalid."""
    for payload, group in (({"lesson_id": "l", "body": "x"}, None),
                           ({"body": "x"}, 1), ({"lesson_id": "l", "body": "  "}, 1)):
        with pytest.raises(ChangeRejected):
            merge_comment(None, "upsert", payload, comment_id="c", actor_id=1, group_id=group)


def test_profile_fields_follow_latest_edit() -> None:
    """Each public field present replaces the one before; private fields never enter."""
    s = merge_profile(None, {"name": "  An   Baker ", "motto": "Bread", "language": "nl"})
    s = merge_profile(s, {"motto": "Cake"})
    assert s == ProfileState(name="An Baker", motto="Cake", photo_sha256=None)
    with pytest.raises(ChangeRejected):
        merge_profile(s, {"photo_sha256": "not-a-hash"})


def test_replaying_changes_gives_the_same_state() -> None:
    """Applying a sequence twice in the same order ends in the same state (safe re-pulls)."""
    changes = [{"position_s": 5.0, "watched_s": 5.0}, {"done": True, "position_s": 0.0},
               {"position_s": 40.0, "watched_s": 40.0, "quiz_best": 2, "quiz_total": 3}]
    once = None
    for c in changes:
        once = merge_progress(once, c)
    twice = once
    for c in changes:
        twice = merge_progress(twice, c)
    assert once == twice


def test_change_envelope_is_checked() -> None:
    """Kinds, ops, ids and payload types of the wire form are checked."""
    good = {"change_id": "x", "kind": "comment", "op": "append", "entity_id": "e",
            "payload": {}, "device_seq": 3}
    merge.check_change_shape(good)
    for bad in ({"kind": "gossip"}, {"op": "merge"}, {"change_id": ""}, {"payload": []},
                {"change_id": "x" * 65}, {"device_seq": "1"}):
        with pytest.raises(ChangeRejected):
            merge.check_change_shape({**good, **bad})
