"""The merge rules of the sync, as pure functions: the hub and every client apply the same ones.

Changes are applied in the hub's receive order (its server sequence), never by device clocks: a
PC three days ahead does not win, a PC an hour behind does not lose. Each function takes the
current state (``None`` when there is none yet) and one change, and returns the new state; none
touches a database or a screen. Applying the same sequence of changes always gives the same state.

- progress: a lesson once done stays done; the resume position follows the latest watch; the
  watched time and the best quiz score only grow.
- note: follows its latest edit; a deletion leaves a tombstone. An edit that comes after a
  deletion (made on a device that had not heard of it yet) brings the note back: text a person
  wrote is never thrown away.
- comment: an append-only record in one group; only its author edits it; its author or a trainer
  of the group deletes it, as a tombstone that no later edit undoes.
- profile: each public field (name, motto, photo) follows its latest edit.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

KINDS = frozenset({"progress", "note", "quiz_attempt", "session", "profile", "comment",
                   "reaction", "follow", "draft", "notif_read", "announcement", "offer"})
KINDS = KINDS | {"comment_hide"}  # issue 10: a trainer hides (upsert) or restores (delete)
OPS = frozenset({"upsert", "delete", "append"})
PROFILE_FIELDS = ("name", "motto", "photo_sha256")
MAX_ID_LENGTH = 128
MAX_CHANGE_ID_LENGTH = 64
MAX_NOTE_LENGTH = 100_000
MAX_COMMENT_LENGTH = 10_000
MAX_NAME_LENGTH = 60
MAX_MOTTO_LENGTH = 200
# Counters and scores are 32-bit columns on the hub's databases; device_seq is 64-bit.
MAX_COUNT = 2**31 - 1
MAX_DEVICE_SEQ = 2**63 - 1
_SHA256_RE = re.compile(r"^[0-9a-f]{64}$")


class ChangeRejected(ValueError):
    """A change that can never be applied. ``code`` is ``invalid`` or ``forbidden``."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


def invalid(reason: str) -> ChangeRejected:
    return ChangeRejected("invalid", reason)


def forbidden(reason: str) -> ChangeRejected:
    return ChangeRejected("forbidden", reason)


# -- progress ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgressState:
    position_s: float = 0.0
    watched_s: float = 0.0
    done: bool = False
    quiz_best: int | None = None
    quiz_total: int | None = None


def _number(payload: Mapping[str, Any], key: str, default: float = 0.0) -> float:
    value = payload.get(key, default)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise invalid(f"{key} must be a number")
    if value < 0:
        raise invalid(f"{key} must not be negative")
    return float(value)


def _optional_int(payload: Mapping[str, Any], key: str) -> int | None:
    value = payload.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_COUNT:
        raise invalid(f"{key} must be a whole number from 0 to {MAX_COUNT}")
    return value


def merge_progress(current: ProgressState | None, payload: Mapping[str, Any]) -> ProgressState:
    """Apply one progress change (the whole state of one lesson as the device saw it)."""
    old = current or ProgressState()
    done = payload.get("done", False)
    if not isinstance(done, bool):
        raise invalid("done must be true or false")
    best, total = old.quiz_best, old.quiz_total
    new_best, new_total = _optional_int(payload, "quiz_best"), _optional_int(payload, "quiz_total")
    if new_best is not None and (best is None or new_best > best):
        best, total = new_best, new_total if new_total is not None else total
    return ProgressState(
        position_s=_number(payload, "position_s", old.position_s),
        watched_s=max(old.watched_s, _number(payload, "watched_s")),
        done=old.done or done,
        quiz_best=best,
        quiz_total=total,
    )


def merge_quiz_attempt(current: ProgressState | None, payload: Mapping[str, Any]) -> ProgressState:
    """A quiz attempt raises the best score of its lesson if it beats it."""
    score, total = _optional_int(payload, "score"), _optional_int(payload, "total")
    if score is None or total is None or score > total:
        raise invalid("a quiz attempt needs score and total, with score <= total")
    old = current or ProgressState()
    if old.quiz_best is not None and old.quiz_best >= score:
        return old
    return replace(old, quiz_best=score, quiz_total=total)


# -- notes ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NoteState:
    lesson_id: str
    body: str
    deleted: bool = False


def merge_note(current: NoteState | None, op: str, payload: Mapping[str, Any]) -> NoteState:
    """Apply one note change: the latest edit wins; a delete leaves a tombstone."""
    lesson_id = payload.get("lesson_id", current.lesson_id if current else None)
    _check_id(lesson_id, "lesson_id")
    if op == "delete":
        return NoteState(lesson_id=str(lesson_id), body="", deleted=True)
    if op != "upsert":
        raise invalid(f"a note cannot be changed with {op!r}")
    body = payload.get("body")
    if not isinstance(body, str):
        raise invalid("a note needs a body (text)")
    if len(body) > MAX_NOTE_LENGTH:
        raise invalid(f"a note has at most {MAX_NOTE_LENGTH} characters")
    return NoteState(lesson_id=str(lesson_id), body=body, deleted=False)


# -- comments ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CommentState:
    comment_id: str
    group_id: int
    author_id: int
    lesson_id: str
    body: str
    reply_to: str | None = None
    edited: bool = False
    deleted: bool = False
    deleted_by: int | None = None


def _comment_body(payload: Mapping[str, Any]) -> str:
    body = payload.get("body")
    if not isinstance(body, str) or not body.strip():
        raise invalid("a comment needs a body (text that is not empty)")
    if len(body) > MAX_COMMENT_LENGTH:
        raise invalid(f"a comment has at most {MAX_COMMENT_LENGTH} characters")
    return body


def merge_comment(
    current: CommentState | None, op: str, payload: Mapping[str, Any], *,
    comment_id: str, actor_id: int, group_id: int | None = None, actor_is_trainer: bool = False,
) -> CommentState:
    """Apply one comment change by ``actor_id`` (who the hub says sent it, never the payload).

    A new comment needs ``group_id`` (the group it is written in) and ``lesson_id``; the caller
    checks that the actor belongs to that group. ``actor_is_trainer`` says whether the actor is a
    trainer of the comment's group.
    """
    if current is None:
        if op == "delete":
            raise invalid("there is no such comment to delete")
        if group_id is None:
            raise invalid("a new comment needs the group it is written in")
        lesson_id = payload.get("lesson_id")
        _check_id(lesson_id, "lesson_id")
        reply_to = payload.get("reply_to")
        if reply_to is not None:
            _check_id(reply_to, "reply_to")
        return CommentState(comment_id=comment_id, group_id=group_id, author_id=actor_id,
                            lesson_id=str(lesson_id), body=_comment_body(payload),
                            reply_to=reply_to)
    if op == "delete":
        if current.deleted:
            return current
        if actor_id != current.author_id and not actor_is_trainer:
            raise forbidden("only its author or a trainer of the group may delete a comment")
        return replace(current, body="", deleted=True, deleted_by=actor_id)
    if actor_id != current.author_id:
        raise forbidden("only its author may edit a comment")
    if current.deleted:
        raise forbidden("this comment was deleted; it can no longer be edited")
    if op == "append":
        raise invalid("this comment exists already")
    return replace(current, body=_comment_body(payload), edited=True)


# -- profile ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProfileState:
    name: str = ""
    motto: str = ""
    photo_sha256: str | None = None


def public_profile_fields(payload: Mapping[str, Any]) -> dict[str, Any]:
    """The public profile fields of a change, checked; private ones (language, PIN) never travel."""
    fields: dict[str, Any] = {}
    if "name" in payload:
        name = payload["name"]
        if not isinstance(name, str) or not " ".join(name.split()):
            raise invalid("a profile name is text that is not empty")
        if len(name) > MAX_NAME_LENGTH:
            raise invalid(f"a profile name has at most {MAX_NAME_LENGTH} characters")
        fields["name"] = " ".join(name.split())
    if "motto" in payload:
        motto = payload["motto"] if payload["motto"] is not None else ""
        if not isinstance(motto, str) or len(motto) > MAX_MOTTO_LENGTH:
            raise invalid(f"a motto is text of at most {MAX_MOTTO_LENGTH} characters")
        fields["motto"] = motto.strip()
    if "photo_sha256" in payload:
        photo = payload["photo_sha256"] or None
        if photo is not None and not (isinstance(photo, str) and _SHA256_RE.match(photo)):
            raise invalid("photo_sha256 is a SHA-256 in lower-case hex")
        fields["photo_sha256"] = photo
    return fields


def merge_profile(current: ProfileState | None, payload: Mapping[str, Any]) -> ProfileState:
    """Each public field present in the change replaces the one before."""
    return replace(current or ProfileState(), **public_profile_fields(payload))


# -- shape of a change ------------------------------------------------------------------------


def _check_id(value: Any, what: str) -> None:
    if not isinstance(value, str) or not value or len(value) > MAX_ID_LENGTH:
        raise invalid(f"{what} must be text of 1 to {MAX_ID_LENGTH} characters")


def check_change_shape(change: Mapping[str, Any], kinds: frozenset[str] = KINDS) -> None:
    """Check the envelope of a change in its wire form (``Change.to_dict()``)."""
    change_id = change.get("change_id")
    if not isinstance(change_id, str) or not 1 <= len(change_id) <= MAX_CHANGE_ID_LENGTH:
        raise invalid(f"change_id must be text of 1 to {MAX_CHANGE_ID_LENGTH} characters")
    kind, op = change.get("kind"), change.get("op")
    # Checked as text first: a list or an object cannot even be looked up in a set.
    if not isinstance(kind, str) or kind not in kinds:
        raise invalid(f"unknown kind {kind!r}"[:200])
    if not isinstance(op, str) or op not in OPS:
        raise invalid(f"unknown op {op!r}"[:200])
    _check_id(change.get("entity_id"), "entity_id")
    if not isinstance(change.get("payload", {}), Mapping):
        raise invalid("payload must be an object")
    seq = change.get("device_seq", 0)
    if isinstance(seq, bool) or not isinstance(seq, int) or not 0 <= seq <= MAX_DEVICE_SEQ:
        raise invalid(f"device_seq must be a whole number from 0 to {MAX_DEVICE_SEQ}")
