"""One opened lesson, without any widget: where to start, which files to play, saving the
position, notes and quiz, the played stretches for the learning sessions, and what comes next.

The profile is fixed when the lesson opens, so a note typed just before a profile switch is
still saved for the person who typed it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from companion.core.catalog import Lesson, LessonDetail, LessonProgress, PackSummary
from companion.core.media_store import MediaStore
from companion.core.playback import subtitle_file, video_file
from companion.core.progress import QuizResult
from companion.services import Services

JUMP_S = 2.5  # a position this far from where playing should be is a seek, not playing


class PlayedRecorder(Protocol):
    def lesson_played(self, profile_id: int, lesson_id: str, from_s: float,
                      to_s: float) -> Any: ...


@dataclass(frozen=True)
class NextLesson:
    lesson_id: str
    title: str
    playlist: list[str] = field(default_factory=list)


class PlayedStretches:
    """Turns play/pause/seek/position reports into the stretches actually played."""

    def __init__(self) -> None:
        self._from: float | None = None
        self._last = 0.0
        self._closed_s = 0.0  # the seconds of the stretches already ended

    def played_s(self) -> float:
        """Seconds of video actually played since opening (seeks and jumps not counted)."""
        open_s = self._last - self._from if self._from is not None else 0.0
        return self._closed_s + max(0.0, open_s)

    def _close(self, done: tuple[float, float]) -> tuple[float, float]:
        self._closed_s += max(0.0, done[1] - done[0])
        return done

    @property
    def playing(self) -> bool:
        return self._from is not None

    def started(self, at_s: float) -> None:
        if self._from is None:
            self._from = self._last = float(at_s)

    def moved(self, at_s: float) -> tuple[float, float] | None:
        """A position report; returns the stretch that a seek just ended, if any."""
        at_s = float(at_s)
        if self._from is None:
            self._last = at_s
            return None
        if abs(at_s - self._last) > JUMP_S:
            done = self._close((self._from, self._last))
            self._from = self._last = at_s
            return done
        self._last = max(self._last, at_s)
        return None

    def stopped(self, at_s: float | None = None) -> tuple[float, float] | None:
        if self._from is None:
            return None
        end = self._last if at_s is None else max(self._last, float(at_s))
        if at_s is not None and abs(float(at_s) - self._last) > JUMP_S:
            end = self._last
        done = self._close((self._from, end))
        self._from = None
        self._last = end
        return done


class LessonSession:
    def __init__(self, services: Services, store: MediaStore, profile_id: int, lesson_id: str,
                 playlist: list[str] | None = None, start_s: float = -1.0,
                 recorder: PlayedRecorder | None = None) -> None:
        self.services = services
        self.store = store
        self.profile_id = profile_id
        self.playlist = [x for x in (playlist or []) if x != lesson_id]
        self.recorder = recorder
        self.detail: LessonDetail = services.catalog.detail(profile_id, lesson_id)
        lesson = self.detail.lesson
        self.pack: PackSummary | None = next(
            (p for p in services.catalog.packs(profile_id) if p.id == lesson.pack_id), None)
        self.pack_lessons: list[Lesson] = services.catalog.lessons(profile_id, lesson.pack_id)
        self.start_s = float(start_s) if start_s >= 0 else lesson.progress.position_s
        self.stretches = PlayedStretches()
        self._played_saved_s = 0.0  # how much of stretches.played_s() the core already has
        self.quiz_result: QuizResult | None = None

    @property
    def lesson(self) -> Lesson:
        return self.detail.lesson

    @property
    def lesson_id(self) -> str:
        return self.detail.lesson.id

    @property
    def number(self) -> tuple[int, int]:
        """(n, of) of this lesson in its pack."""
        ids = [x.id for x in self.pack_lessons]
        return (ids.index(self.lesson_id) + 1 if self.lesson_id in ids else 0, len(ids))

    def progress(self) -> LessonProgress:
        return self.services.progress.get(self.profile_id, self.lesson_id)

    # -- files -------------------------------------------------------------------------------
    def video_path(self) -> Path | None:
        return video_file(self.store, self.lesson)

    def subtitle_path(self, *more_languages: str | None) -> Path | None:
        """The lesson's subtitles in the pack's language first, then ``more_languages``."""
        language = self.pack.language if self.pack else None
        return subtitle_file(self.store, self.lesson, language, *more_languages)

    # -- notes -------------------------------------------------------------------------------
    def notes_text(self) -> str:
        notes = self.services.notes.for_lesson(self.profile_id, self.lesson_id)
        return notes[0].body if notes else ""

    def save_notes(self, text: str) -> None:
        self.services.notes.save_lesson_text(self.profile_id, self.lesson_id, text)

    # -- progress ----------------------------------------------------------------------------
    def save_position(self, position_s: float, duration_s: float | None = None) -> bool:
        """Store the position and the seconds played since the last save; True when this made
        the lesson done (90% of it actually played)."""
        before = self.progress().done
        played = self.stretches.played_s()
        after = self.services.progress.save_position(
            self.profile_id, self.lesson_id, max(0.0, position_s), duration_s or None,
            played_s=max(0.0, played - self._played_saved_s))
        self._played_saved_s = played
        return after.done and not before

    def answer_quiz(self, answers: list[int]) -> QuizResult:
        self.quiz_result = self.services.progress.answer_quiz(
            self.profile_id, self.lesson_id, answers)
        return self.quiz_result

    # -- played stretches (learning sessions) -----------------------------------------------
    def record(self, stretch: tuple[float, float] | None) -> None:
        if stretch is None or self.recorder is None:
            return
        from_s, to_s = stretch
        if to_s > from_s:
            self.recorder.lesson_played(self.profile_id, self.lesson_id, from_s, to_s)

    # -- what comes next ---------------------------------------------------------------------
    def next_lesson(self) -> NextLesson | None:
        """The next lesson of the playlist, else the next unfinished one of this pack."""
        titles = {x.id: x.title for x in self.pack_lessons}
        if self.playlist:
            first = self.playlist[0]
            title = titles.get(first)
            if title is None:
                try:
                    title = self.services.catalog.lesson(self.profile_id, first).title
                except Exception:  # removed meanwhile: skip it
                    return None
            return NextLesson(first, title, self.playlist[1:])
        ids = [x.id for x in self.pack_lessons]
        here = ids.index(self.lesson_id) if self.lesson_id in ids else -1
        after = self.pack_lessons[here + 1:] + self.pack_lessons[:max(here, 0)]
        for lesson in after:
            if lesson.id != self.lesson_id and not lesson.progress.done:
                return NextLesson(lesson.id, lesson.title, [])
        return None
