"""A person's progress: resume position, watched time, done, quiz scores.

Every write also goes to the change log in the same transaction. Position updates arrive every
few seconds while a video plays; an update that the hub has not seen yet replaces the previous
pending one, so a minute of watching is one change on the wire, not twelve.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from companion.core.catalog import DONE_FRACTION, Catalog, LessonProgress
from companion.core.changelog import record_change
from companion.core.db import now_local, write_transaction
from companion.core.errors import LibraryError


@dataclass(frozen=True)
class QuizResult:
    lesson_id: str
    score: int
    total: int
    correct: list[bool]
    best_score: int

    @property
    def passed(self) -> bool:
        return self.total > 0 and self.score * 2 >= self.total


def _state_payload(p: LessonProgress) -> dict[str, Any]:
    return {
        "position_s": round(p.position_s, 3), "watched_s": round(p.watched_s, 3),
        "done": p.done, "quiz_best": p.quiz_best, "quiz_total": p.quiz_total,
    }


def write_progress_row(db: sqlite_utils.Database, profile_id: int, lesson_id: str,
                       position_s: float, watched_s: float, done: bool, done_at: str | None,
                       quiz_best: int | None, quiz_total: int | None,
                       last_watched_at: str | None) -> None:
    """Insert or update a lesson's progress row: the one write for the person's own changes
    and for those pulled from the hub. ``done_at`` is kept once set; a missing
    ``last_watched_at`` keeps the one already there. No change-log entry: the caller decides."""
    db.execute(
        "INSERT INTO progress(profile_id, lesson_id, position_s, watched_s, done, done_at,"
        " quiz_best, quiz_total, last_watched_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT(profile_id, lesson_id) DO UPDATE SET position_s = excluded.position_s,"
        " watched_s = excluded.watched_s, done = excluded.done,"
        " done_at = coalesce(progress.done_at, excluded.done_at),"
        " quiz_best = excluded.quiz_best, quiz_total = excluded.quiz_total,"
        " last_watched_at = coalesce(excluded.last_watched_at, progress.last_watched_at),"
        " updated_at = excluded.updated_at",
        [profile_id, lesson_id, position_s, watched_s, int(done), done_at, quiz_best,
         quiz_total, last_watched_at, now_local()],
    )


class ProgressStore:
    def __init__(self, db: sqlite_utils.Database, catalog: Catalog) -> None:
        self._db = db
        self._catalog = catalog

    def get(self, profile_id: int, lesson_id: str) -> LessonProgress:
        row = self._db.execute(
            "SELECT position_s, watched_s, done, quiz_best, quiz_total, last_watched_at"
            " FROM progress WHERE profile_id = ? AND lesson_id = ?",
            [profile_id, lesson_id],
        ).fetchone()
        if row is None:
            return LessonProgress()
        return LessonProgress(row[0], row[1], bool(row[2]), row[3], row[4], row[5])

    def _write(self, profile_id: int, lesson_id: str, new: LessonProgress,
               was_done: bool) -> None:
        write_progress_row(self._db, profile_id, lesson_id, new.position_s, new.watched_s,
                           new.done, now_local() if new.done and not was_done else None,
                           new.quiz_best, new.quiz_total, new.last_watched_at)
        # Replace a pending (not yet pushed) state change of this lesson: the state is whole.
        self._db.execute(
            "DELETE FROM changes WHERE profile_id = ? AND kind = 'progress' AND entity_id = ?"
            " AND pushed_at IS NULL",
            [profile_id, lesson_id],
        )
        record_change(self._db, profile_id, "progress", lesson_id, "upsert",
                      _state_payload(new))

    def save_position(
        self, profile_id: int, lesson_id: str, position_s: float,
        duration_s: float | None = None,
    ) -> LessonProgress:
        """Store where the person is in the video; marks it done once 90% has been watched."""
        if position_s != position_s or position_s < 0:  # NaN or negative
            raise LibraryError(f"a position must be a number of seconds >= 0, not {position_s}")
        lesson = self._catalog.lesson(profile_id, lesson_id)
        length = duration_s if duration_s and duration_s > 0 else lesson.duration_s
        if length > 0:
            position_s = min(position_s, length)
        with write_transaction(self._db):
            old = self.get(profile_id, lesson_id)
            watched = max(old.watched_s, position_s)
            done = old.done or (length > 0 and watched >= DONE_FRACTION * length)
            # At the very end, resume from the start next time.
            resume = 0.0 if length > 0 and position_s >= length - 1.0 else position_s
            new = LessonProgress(resume, watched, done, old.quiz_best, old.quiz_total,
                                 now_local())
            if new == old:
                return old
            self._write(profile_id, lesson_id, new, old.done)
        return new

    def mark_done(self, profile_id: int, lesson_id: str) -> LessonProgress:
        """Mark a lesson done (a lesson once done stays done)."""
        lesson = self._catalog.lesson(profile_id, lesson_id)
        with write_transaction(self._db):
            old = self.get(profile_id, lesson_id)
            if old.done:
                return old
            new = LessonProgress(old.position_s, max(old.watched_s, lesson.duration_s), True,
                                 old.quiz_best, old.quiz_total,
                                 old.last_watched_at or now_local())
            self._write(profile_id, lesson_id, new, old.done)
        return new

    def answer_quiz(self, profile_id: int, lesson_id: str, answers: list[int]) -> QuizResult:
        """Score a quiz attempt, keep it, and keep the best score with the lesson's progress."""
        quiz = self._catalog.detail(profile_id, lesson_id).quiz
        if not quiz:
            raise LibraryError(f"lesson {lesson_id!r} has no quiz")
        if len(answers) != len(quiz):
            raise LibraryError(
                f"the quiz of {lesson_id!r} has {len(quiz)} questions, got {len(answers)} answers"
            )
        correct = [a == q.answer for a, q in zip(answers, quiz, strict=True)]
        score, total = sum(correct), len(quiz)
        attempt_id = uuid.uuid4().hex
        with write_transaction(self._db):
            now = now_local()
            self._db.execute(
                "INSERT INTO quiz_attempts(id, profile_id, lesson_id, answers, score, total,"
                " answered_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [attempt_id, profile_id, lesson_id, json.dumps(answers), score, total, now],
            )
            record_change(self._db, profile_id, "quiz_attempt", attempt_id, "append",
                          {"lesson_id": lesson_id, "answers": answers, "score": score,
                           "total": total, "answered_at": now})
            old = self.get(profile_id, lesson_id)
            best = max(score, old.quiz_best or 0) if old.quiz_best is not None else score
            if best != old.quiz_best or total != old.quiz_total:
                new = LessonProgress(old.position_s, old.watched_s, old.done, best, total,
                                     old.last_watched_at)
                self._write(profile_id, lesson_id, new, old.done)
        return QuizResult(lesson_id, score, total, correct, best)
