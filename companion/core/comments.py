"""Peer comments under a lesson: the group's discussion, readable and writable offline.

A comment written offline is stored at once and shows as "waiting to send" until the hub has
it. Comments are shown as plain text only (never HTML). Edits are by the author; deletions by
the author (or, on the hub, a trainer) and leave a tombstone.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from companion.core.changelog import record_change
from companion.core.db import now_local, write_transaction
from companion.core.errors import LibraryError, Reason
from companion.core.social import Drafts

MAX_COMMENT_LENGTH = 5_000


@dataclass(frozen=True)
class Comment:
    id: str
    lesson_id: str
    author_id: str
    author_name: str
    is_own: bool
    body: str
    reply_to: str | None
    created_at: str
    edited_at: str | None
    deleted: bool
    waiting_to_send: bool
    hidden_reason: str | None = None  # hidden by a trainer, with this reason

    @property
    def hidden(self) -> bool:
        return self.hidden_reason is not None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "lesson": self.lesson_id, "author": self.author_name,
            "author_id": self.author_id, "own": self.is_own, "body": self.body,
            "reply_to": self.reply_to, "created_at": self.created_at,
            "edited_at": self.edited_at, "deleted": self.deleted,
            "waiting_to_send": self.waiting_to_send, "hidden": self.hidden,
            "hidden_reason": self.hidden_reason,
        }


_SELECT = (
    "SELECT c.id, c.lesson_id, c.author_id, c.author_name, c.is_own, c.body, c.reply_to,"
    " c.created_at, c.edited_at, c.deleted,"
    " EXISTS (SELECT 1 FROM changes x WHERE x.profile_id = c.profile_id AND x.kind = 'comment'"
    "  AND x.entity_id = c.id AND x.pushed_at IS NULL),"
    " c.hidden_reason"
    " FROM comments c"
)


def _row(r: tuple[Any, ...]) -> Comment:
    return Comment(r[0], r[1], r[2], r[3], bool(r[4]), r[5], r[6], r[7], r[8], bool(r[9]),
                   bool(r[10]), r[11])


def _clean(body: str) -> str:
    if not isinstance(body, str) or not body.strip():
        raise LibraryError("a comment needs some text", Reason.COMMENT_EMPTY)
    body = body.strip()
    if len(body) > MAX_COMMENT_LENGTH:
        raise LibraryError(f"a comment has at most {MAX_COMMENT_LENGTH} characters",
                           Reason.COMMENT_TOO_LONG)
    return body


class CommentsStore:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self._db = db

    def for_lesson(self, profile_id: int, lesson_id: str) -> list[Comment]:
        """The discussion in hub order; own comments not yet sent come last, oldest first."""
        rows = self._db.execute(
            f"{_SELECT} WHERE c.profile_id = ? AND c.lesson_id = ?"
            " ORDER BY c.server_seq IS NULL, c.server_seq, c.rowid",
            [profile_id, lesson_id],
        ).fetchall()
        return [_row(r) for r in rows]

    def get(self, profile_id: int, comment_id: str) -> Comment:
        row = self._db.execute(
            f"{_SELECT} WHERE c.profile_id = ? AND c.id = ?", [profile_id, comment_id]
        ).fetchone()
        if row is None:
            raise LibraryError(f"no comment {comment_id!r}")
        return _row(row)

    def add(self, profile_id: int, lesson_id: str, body: str,
            reply_to: str | None = None) -> Comment:
        body = _clean(body)
        if reply_to is not None:
            parent = self.get(profile_id, reply_to)
            if parent.lesson_id != lesson_id:
                raise LibraryError("a reply belongs under the same lesson as its comment")
        profile = self._db.execute(
            "SELECT uid, name FROM profiles WHERE id = ?", [profile_id]
        ).fetchone()
        if profile is None:
            raise LibraryError(f"no profile with id {profile_id}")
        comment_id = uuid.uuid4().hex
        now = now_local()
        with write_transaction(self._db):
            self._db.execute(
                "INSERT INTO comments(id, profile_id, lesson_id, author_id, author_name, is_own,"
                " body, reply_to, created_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?)",
                [comment_id, profile_id, lesson_id, profile[0], profile[1], body, reply_to, now],
            )
            record_change(self._db, profile_id, "comment", comment_id, "upsert",
                          {"lesson_id": lesson_id, "body": body, "reply_to": reply_to})
            # A sent draft is done with (issue 11). Writing here also follows the discussion,
            # without a change of its own: see core/social.Follows.
            Drafts(self._db).discard(profile_id, lesson_id, reply_to)
        return self.get(profile_id, comment_id)

    def _own(self, profile_id: int, comment_id: str) -> Comment:
        comment = self.get(profile_id, comment_id)
        if not comment.is_own:
            raise LibraryError("you can only change your own comments", Reason.COMMENT_NOT_OWN)
        if comment.deleted:
            raise LibraryError("this comment was deleted", Reason.COMMENT_DELETED)
        return comment

    def edit(self, profile_id: int, comment_id: str, body: str) -> Comment:
        body = _clean(body)
        with write_transaction(self._db):
            old = self._own(profile_id, comment_id)
            if old.body == body:
                return old
            self._db.execute(
                "UPDATE comments SET body = ?, edited_at = ? WHERE profile_id = ? AND id = ?",
                [body, now_local(), profile_id, comment_id],
            )
            record_change(self._db, profile_id, "comment", comment_id, "upsert",
                          {"lesson_id": old.lesson_id, "body": body, "reply_to": old.reply_to})
        return self.get(profile_id, comment_id)

    def delete(self, profile_id: int, comment_id: str) -> None:
        with write_transaction(self._db):
            old = self._own(profile_id, comment_id)
            self._db.execute(
                "UPDATE comments SET deleted = 1, body = '', edited_at = ?"
                " WHERE profile_id = ? AND id = ?",
                [now_local(), profile_id, comment_id],
            )
            record_change(self._db, profile_id, "comment", comment_id, "delete",
                          {"lesson_id": old.lesson_id})
