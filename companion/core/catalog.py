"""Reading the installed library: packs and lessons with a person's progress.

Queries here are the hot path of the home and library screens: each is one indexed statement.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from companion.core.errors import LibraryError
from companion.core.packs.header import HeaderFields, PackHeader, header_row

DONE_FRACTION = 0.9  # a lesson counts as watched at 90%


@dataclass(frozen=True)
class QuizQuestion:
    question: str
    choices: list[str]
    answer: int
    explanation: str = ""


@dataclass(slots=True)
class LessonProgress:
    position_s: float = 0.0
    watched_s: float = 0.0
    done: bool = False
    quiz_best: int | None = None
    quiz_total: int | None = None
    last_watched_at: str | None = None

    @property
    def started(self) -> bool:
        return self.done or self.position_s > 0 or self.watched_s > 0


@dataclass(slots=True)
class Lesson:
    """A lesson row as the lists show it. Built for every row of a list: keep it cheap."""

    id: str
    pack_id: str
    key: str
    position: int
    title: str
    summary: str
    video_sha256: str | None
    duration_s: float
    subtitles_json: str
    tags_json: str
    progress: LessonProgress = field(default_factory=LessonProgress)

    @property
    def subtitles(self) -> list[dict[str, str]]:
        return json.loads(self.subtitles_json or "[]")

    @property
    def tags(self) -> list[str]:
        return json.loads(self.tags_json or "[]")

    @property
    def has_subtitles(self) -> bool:
        return self.subtitles_json not in ("", "[]")

    @property
    def state(self) -> str:
        """'done', 'in_progress' or 'not_started'."""
        if self.progress.done:
            return "done"
        return "in_progress" if self.progress.started else "not_started"

    @property
    def fraction_watched(self) -> float:
        if self.progress.done:
            return 1.0
        if self.duration_s <= 0:
            return 0.0
        return max(0.0, min(1.0, self.progress.watched_s / self.duration_s))

    @property
    def remaining_s(self) -> float:
        if self.progress.done:
            return self.duration_s
        return max(0.0, self.duration_s - self.progress.position_s)

    def to_dict(self) -> dict[str, Any]:
        p = self.progress
        return {
            "id": self.id, "pack": self.pack_id, "key": self.key, "position": self.position,
            "title": self.title, "summary": self.summary, "duration_s": round(self.duration_s, 3),
            "has_subtitles": self.has_subtitles, "tags": self.tags, "state": self.state,
            "done": p.done, "position_s": round(p.position_s, 3),
            "watched_fraction": round(self.fraction_watched, 3),
            "quiz_best": p.quiz_best, "quiz_total": p.quiz_total,
            "last_watched_at": p.last_watched_at,
        }


@dataclass(frozen=True)
class LessonDetail:
    """What the lesson screen needs beyond the list row."""

    lesson: Lesson
    trainer_notes: str
    quiz: list[QuizQuestion]
    subtitle_text: str


@dataclass(frozen=True)
class PackSummary(HeaderFields):
    header: PackHeader
    cover_sha256: str | None
    signer_name: str | None
    lesson_count: int
    done_count: int
    total_duration_s: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "title": self.title, "version": self.version,
            "language": self.language, "author": self.author,
            "description": self.description, "signer": self.signer_name,
            "lessons": self.lesson_count, "done": self.done_count,
            "duration_s": round(self.total_duration_s, 3),
        }


_LESSON_COLUMNS = (
    "l.id, l.pack_id, l.lesson_key, l.position, l.title, l.summary, l.video_sha256,"
    " l.duration_s, l.subtitles, l.tags, p.position_s, p.watched_s, p.done, p.quiz_best,"
    " p.quiz_total, p.last_watched_at"
)
_LESSON_FROM = (
    "FROM lessons l LEFT JOIN progress p ON p.lesson_id = l.id AND p.profile_id = ?"
)
# Packs in the person's own language come first (a Dutch speaker sees the Dutch pack first).
_OWN_LANGUAGE_FIRST = (
    "(substr({lang}, 1, 2) = (SELECT substr(coalesce(language, ''), 1, 2) FROM profiles"
    " WHERE id = ?)) DESC"
)


def same_language(a: str | None, b: str | None) -> bool:
    """``nl-BE`` and ``nl`` are the same language; an unknown language matches every one."""
    first, second = (a or "")[:2].lower(), (b or "")[:2].lower()
    return not first or not second or first == second


def _lesson(row: tuple[Any, ...]) -> Lesson:
    progress = LessonProgress(
        position_s=row[10] or 0.0, watched_s=row[11] or 0.0, done=bool(row[12]),
        quiz_best=row[13], quiz_total=row[14], last_watched_at=row[15],
    )
    return Lesson(
        id=row[0], pack_id=row[1], key=row[2], position=row[3], title=row[4], summary=row[5],
        video_sha256=row[6], duration_s=row[7] or 0.0, subtitles_json=row[8],
        tags_json=row[9], progress=progress,
    )


class Catalog:
    """Read-only views of packs and lessons, each seen through one profile's progress."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self._db = db

    def packs(self, profile_id: int) -> list[PackSummary]:
        rows = self._db.execute(
            "SELECT k.id, k.title, k.version, k.language, k.author, k.description,"
            " k.cover_sha256, k.signer_name, count(l.id), coalesce(sum(p.done), 0),"
            " coalesce(sum(l.duration_s), 0)"
            " FROM packs k LEFT JOIN lessons l ON l.pack_id = k.id"
            " LEFT JOIN progress p ON p.lesson_id = l.id AND p.profile_id = ?"
            " GROUP BY k.id ORDER BY "
            + _OWN_LANGUAGE_FIRST.format(lang="k.language") + ", k.title COLLATE NOCASE",
            [profile_id, profile_id],
        ).fetchall()
        return [PackSummary(*header_row(r)) for r in rows]

    def learner_language(self, profile_id: int, fallback: str | None = None) -> str | None:
        """The language the person learns in: the profile's own, else ``fallback`` (the
        system's, which only the UI knows)."""
        row = self._db.execute("SELECT language FROM profiles WHERE id = ?",
                               [profile_id]).fetchone()
        return (row[0] if row and row[0] else None) or fallback

    def suggestable_packs(self, profile_id: int, language: str | None = None) -> list[str] | None:
        """The packs Home may propose lessons from: those in the person's ``language`` (the
        profile's when None) and those the person already started in any language. None means
        every pack: no language known, or not one pack in it installed (then the other
        languages' lessons are all there is to learn from)."""
        language = language or self.learner_language(profile_id)
        if not language:
            return None
        rows = self._db.execute(
            "SELECT k.id, k.language, EXISTS (SELECT 1 FROM lessons l JOIN progress p"
            " ON p.lesson_id = l.id AND p.profile_id = ? WHERE l.pack_id = k.id AND"
            " (p.done OR p.position_s > 0 OR p.watched_s > 0 OR p.last_watched_at IS NOT NULL))"
            " FROM packs k", [profile_id],
        ).fetchall()
        own = [r[0] for r in rows if same_language(r[1], language)]
        if not own:
            return None
        return own + [r[0] for r in rows if r[2] and r[0] not in own]

    def lessons(self, profile_id: int, pack_id: str | None = None) -> list[Lesson]:
        """Lessons in pack order (all packs when ``pack_id`` is None)."""
        if pack_id is None:
            order = _OWN_LANGUAGE_FIRST.format(
                lang="(SELECT language FROM packs WHERE id = l.pack_id)")
            sql = (f"SELECT {_LESSON_COLUMNS} {_LESSON_FROM}"
                   f" ORDER BY {order}, l.pack_id, l.position")
            args: list[Any] = [profile_id, profile_id]
        else:
            sql = (f"SELECT {_LESSON_COLUMNS} {_LESSON_FROM}"
                   " WHERE l.pack_id = ? ORDER BY l.position")
            args = [profile_id, pack_id]
        return [_lesson(r) for r in self._db.execute(sql, args).fetchall()]

    def lesson(self, profile_id: int, lesson_id: str) -> Lesson:
        row = self._db.execute(
            f"SELECT {_LESSON_COLUMNS} {_LESSON_FROM} WHERE l.id = ?", [profile_id, lesson_id]
        ).fetchone()
        if row is None:
            raise LibraryError(f"no lesson {lesson_id!r} in the library")
        return _lesson(row)

    def detail(self, profile_id: int, lesson_id: str) -> LessonDetail:
        lesson = self.lesson(profile_id, lesson_id)
        row = self._db.execute(
            "SELECT trainer_notes, quiz, subtitle_text FROM lessons WHERE id = ?", [lesson_id]
        ).fetchone()
        quiz = [
            QuizQuestion(
                question=q["question"], choices=list(q["choices"]), answer=int(q["answer"]),
                explanation=q.get("explanation", ""),
            )
            for q in json.loads(row[1] or "[]")
        ]
        return LessonDetail(lesson=lesson, trainer_notes=row[0], quiz=quiz, subtitle_text=row[2])

    def resolve(self, ref: str) -> str:
        """A lesson id from what a person typed: the full ``pack/lesson`` id or a unique key."""
        ref = ref.strip()
        row = self._db.execute("SELECT id FROM lessons WHERE id = ?", [ref]).fetchone()
        if row:
            return str(row[0])
        rows = self._db.execute(
            "SELECT id FROM lessons WHERE lesson_key = ? ORDER BY id", [ref]
        ).fetchall()
        if len(rows) == 1:
            return str(rows[0][0])
        if len(rows) > 1:
            options = ", ".join(r[0] for r in rows)
            raise LibraryError(f"lesson {ref!r} is in several packs; use one of: {options}")
        raise LibraryError(f"no lesson {ref!r} in the library")

    def continue_lesson(self, profile_id: int, language: str | None = None) -> Lesson | None:
        """The lesson to continue: the last one watched and not finished, else the next one
        (in the person's ``language`` or a pack already started, see
        :meth:`suggestable_packs`)."""
        row = self._db.execute(
            f"SELECT {_LESSON_COLUMNS} {_LESSON_FROM} WHERE p.last_watched_at IS NOT NULL"
            " ORDER BY p.last_watched_at DESC, p.rowid DESC LIMIT 1",
            [profile_id],
        ).fetchone()
        if row is None:
            return None
        last = _lesson(row)
        if not last.progress.done:
            return last
        following = self.next_unfinished(profile_id, after=last, limit=1, language=language)
        return following[0] if following else None

    def next_unfinished(
        self, profile_id: int, after: Lesson | None = None, limit: int = 20,
        language: str | None = None,
    ) -> list[Lesson]:
        """Unfinished lessons in course order, starting after ``after`` (same pack first),
        from the packs of :meth:`suggestable_packs` only."""
        packs = self.suggestable_packs(profile_id, language)
        return list(itertools.islice(self._unfinished(profile_id, after, limit, packs), limit))

    def _unfinished(self, profile_id: int, after: Lesson | None,
                    limit: int | None = None,
                    packs: list[str] | None = None) -> Iterator[Lesson]:
        """:meth:`next_unfinished`'s lessons one by one, read from the database as they are
        taken: the home screen needs only the first few of a library of thousands, and
        building every lesson there cost tens of milliseconds on the UI thread."""
        order = _OWN_LANGUAGE_FIRST.format(
            lang="(SELECT language FROM packs WHERE id = l.pack_id)")
        where = "WHERE NOT coalesce(p.done, 0)"
        first = ""
        args: list[Any] = [profile_id]
        if packs is not None:
            where += f" AND l.pack_id IN ({', '.join('?' * len(packs))})"
            args += packs
        if after is not None:
            where += " AND l.id != ?"
            first = "(l.pack_id = ? AND l.position > ?) DESC, "
            args += [after.id, after.pack_id, after.position]
        args.append(profile_id)
        sql = f"SELECT {_LESSON_COLUMNS} {_LESSON_FROM} {where} ORDER BY {first}{order}," \
              " l.pack_id, l.position"
        if limit is not None:
            sql += " LIMIT ?"
            args.append(limit)
        cursor = self._db.execute(sql, args)
        try:
            for row in cursor:
                yield _lesson(row)
        finally:
            cursor.close()

    def fits_in_break(self, profile_id: int, minutes: int,
                      language: str | None = None) -> list[Lesson]:
        """Unfinished lessons, in order, whose remaining time adds up to at most ``minutes``.

        The lesson in progress comes first; a lesson too long for what is left of the break is
        skipped and a shorter one after it may still fit. Only lessons of
        :meth:`suggestable_packs` are proposed.
        """
        budget = minutes * 60.0
        current = self.continue_lesson(profile_id, language)
        packs = self.suggestable_packs(profile_id, language)
        queue: Iterator[Lesson] = self._unfinished(profile_id, after=current, packs=packs)
        if current is not None and not current.progress.done:
            queue = itertools.chain([current], queue)
        chosen: list[Lesson] = []
        for lesson in queue:
            cost = lesson.remaining_s or lesson.duration_s
            if cost <= budget:
                chosen.append(lesson)
                budget -= cost
            if budget < 30:
                break
        return chosen
