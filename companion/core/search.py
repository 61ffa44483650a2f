"""Full-text search over lesson titles, summaries, subtitle text, tags and a person's own notes.

Results come as the person types, so the last word is matched as a prefix. Input is never
passed to FTS5 as query syntax: each word is quoted, so ``"``, ``*`` or ``OR`` typed by a person
cannot break the query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import sqlite_utils

_WORD_RE = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 8


@dataclass(frozen=True)
class SearchHit:
    kind: str  # "lesson" or "note"
    lesson_id: str
    title: str
    snippet: str
    note_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "lesson": self.lesson_id, "title": self.title,
                "snippet": self.snippet, "note": self.note_id}


def build_match_query(text: str) -> str | None:
    """An FTS5 MATCH expression for what a person typed, or None if there is nothing to find."""
    words = _WORD_RE.findall(text)[:MAX_TERMS]
    if not words:
        return None
    quoted = ['"' + w.replace('"', '""') + '"' for w in words]
    if not text.rstrip() or not text[-1].isspace():
        quoted[-1] += " *"  # still typing the last word
    return " AND ".join(quoted)


class Search:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self._db = db

    def lessons(self, query: str, limit: int = 30) -> list[SearchHit]:
        match = build_match_query(query)
        if match is None:
            return []
        # FTS5's own rank (with the column weights) lets SQLite stop at the limit.
        rows = self._db.execute(
            "SELECT l.id, l.title,"
            " snippet(lessons_fts, -1, '«', '»', '…', 12)"
            " FROM lessons_fts JOIN lessons l ON l.rowid = lessons_fts.rowid"
            " WHERE lessons_fts MATCH ? AND rank MATCH 'bm25(10.0, 4.0, 1.0, 2.0)'"
            " ORDER BY rank LIMIT ?",
            [match, limit],
        ).fetchall()
        return [SearchHit("lesson", r[0], r[1], r[2]) for r in rows]

    def notes(self, profile_id: int, query: str, limit: int = 30) -> list[SearchHit]:
        """Only this person's own notes, never another profile's."""
        match = build_match_query(query)
        if match is None:
            return []
        # Rank and cut to the limit first; look up lesson titles only for what is shown.
        rows = self._db.execute(
            "WITH top AS ("
            "  SELECT n.lesson_id AS lesson_id, n.id AS note_id, notes_fts.rank AS score,"
            "   snippet(notes_fts, 0, '«', '»', '…', 12) AS snip"
            "  FROM notes_fts JOIN notes n ON n.rowid = notes_fts.rowid"
            "  WHERE notes_fts MATCH ? AND n.profile_id = ? AND n.deleted = 0"
            "  ORDER BY notes_fts.rank LIMIT ?)"
            " SELECT top.lesson_id, coalesce(l.title, top.lesson_id), top.snip, top.note_id"
            " FROM top LEFT JOIN lessons l ON l.id = top.lesson_id ORDER BY top.score",
            [match, profile_id, limit],
        ).fetchall()
        return [SearchHit("note", r[0], r[1], r[2], r[3]) for r in rows]

    def all(self, profile_id: int, query: str, limit: int = 30) -> list[SearchHit]:
        return self.lessons(query, limit) + self.notes(profile_id, query, limit)
