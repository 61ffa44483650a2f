"""A person's private notes on lessons.

Notes are records with a stable id (the same on every device of the person); a lesson can have
several. Deleting leaves a tombstone so the deletion can travel. Edits arrive as the person types;
an edit the hub has not seen yet replaces the previous pending one.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from companion.core.changelog import record_change
from companion.core.db import now_local, write_transaction
from companion.core.errors import LibraryError

MAX_NOTE_LENGTH = 100_000
TIMESTAMP_RE = re.compile(r"\[(\d{1,2}):([0-5]\d)\]")


@dataclass(frozen=True)
class Note:
    id: str
    profile_id: int
    lesson_id: str
    body: str
    created_at: str
    updated_at: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "lesson": self.lesson_id, "body": self.body,
                "created_at": self.created_at, "updated_at": self.updated_at}


def format_timestamp(seconds: float) -> str:
    """``[m:ss]``: the mark a timestamped note line starts with."""
    total = max(0, int(seconds))
    return f"[{total // 60}:{total % 60:02d}]"


def parse_timestamps(body: str) -> list[tuple[int, int, float]]:
    """Every ``[m:ss]`` mark in a note as (start, end, seconds), for clickable times."""
    return [(m.start(), m.end(), int(m.group(1)) * 60 + int(m.group(2)))
            for m in TIMESTAMP_RE.finditer(body)]


_COLUMNS = "id, profile_id, lesson_id, body, created_at, updated_at"


class NotesStore:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self._db = db

    def _check(self, body: str) -> str:
        if not isinstance(body, str):
            raise LibraryError("a note is text")
        if len(body) > MAX_NOTE_LENGTH:
            raise LibraryError(f"a note has at most {MAX_NOTE_LENGTH} characters")
        return body

    def add(self, profile_id: int, lesson_id: str, body: str) -> Note:
        body = self._check(body)
        note_id = uuid.uuid4().hex
        now = now_local()
        with write_transaction(self._db):
            self._db.execute(
                "INSERT INTO notes(id, profile_id, lesson_id, body, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [note_id, profile_id, lesson_id, body, now, now],
            )
            record_change(self._db, profile_id, "note", note_id, "upsert",
                          {"lesson_id": lesson_id, "body": body})
        return self.get(profile_id, note_id)

    def get(self, profile_id: int, note_id: str) -> Note:
        row = self._db.execute(
            f"SELECT {_COLUMNS} FROM notes WHERE id = ? AND profile_id = ? AND deleted = 0",
            [note_id, profile_id],
        ).fetchone()
        if row is None:
            raise LibraryError(f"no note {note_id!r}")
        return Note(*row)

    def update(self, profile_id: int, note_id: str, body: str) -> Note:
        body = self._check(body)
        with write_transaction(self._db):
            old = self.get(profile_id, note_id)
            if old.body == body:
                return old
            self._db.execute(
                "UPDATE notes SET body = ?, updated_at = ? WHERE id = ?",
                [body, now_local(), note_id],
            )
            self._db.execute(
                "DELETE FROM changes WHERE profile_id = ? AND kind = 'note' AND entity_id = ?"
                " AND op = 'upsert' AND pushed_at IS NULL",
                [profile_id, note_id],
            )
            record_change(self._db, profile_id, "note", note_id, "upsert",
                          {"lesson_id": old.lesson_id, "body": body})
        return self.get(profile_id, note_id)

    def delete(self, profile_id: int, note_id: str) -> None:
        with write_transaction(self._db):
            old = self.get(profile_id, note_id)
            self._db.execute(
                "UPDATE notes SET deleted = 1, body = '', updated_at = ? WHERE id = ?",
                [now_local(), note_id],
            )
            record_change(self._db, profile_id, "note", note_id, "delete",
                          {"lesson_id": old.lesson_id})

    def for_lesson(self, profile_id: int, lesson_id: str) -> list[Note]:
        rows = self._db.execute(
            f"SELECT {_COLUMNS} FROM notes WHERE profile_id = ? AND lesson_id = ?"
            " AND deleted = 0 ORDER BY created_at, rowid",
            [profile_id, lesson_id],
        ).fetchall()
        return [Note(*r) for r in rows]

    def all(self, profile_id: int) -> list[Note]:
        rows = self._db.execute(
            f"SELECT {_COLUMNS} FROM notes WHERE profile_id = ? AND deleted = 0"
            " ORDER BY lesson_id, created_at, rowid",
            [profile_id],
        ).fetchall()
        return [Note(*r) for r in rows]

    def save_lesson_text(self, profile_id: int, lesson_id: str, body: str) -> Note | None:
        """The notes editor beside the video: one text per lesson, saved as the person types.

        Writes into the lesson's first note (created on the first character typed)."""
        existing = self.for_lesson(profile_id, lesson_id)
        if existing:
            return self.update(profile_id, existing[0].id, body)
        if not body.strip():
            return None
        return self.add(profile_id, lesson_id, body)

    def export_markdown(self, profile_id: int) -> str:
        """All notes of a person as one Markdown document, grouped by pack and lesson."""
        rows = self._db.execute(
            "SELECT n.lesson_id, coalesce(l.title, n.lesson_id), coalesce(k.title, ''), n.body"
            " FROM notes n LEFT JOIN lessons l ON l.id = n.lesson_id"
            " LEFT JOIN packs k ON k.id = l.pack_id"
            " WHERE n.profile_id = ? AND n.deleted = 0 AND trim(n.body) != ''"
            " ORDER BY k.title, l.position, n.lesson_id, n.created_at, n.rowid",
            [profile_id],
        ).fetchall()
        out: list[str] = []
        pack_title = None
        lesson_id = None
        for lid, lesson_title, pack, body in rows:
            if pack != pack_title:
                pack_title = pack
                if pack:
                    out.append(f"# {pack}\n")
            if lid != lesson_id:
                lesson_id = lid
                out.append(f"## {lesson_title}\n")
            out.append(body.rstrip() + "\n")
        return "\n".join(out)
