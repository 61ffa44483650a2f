"""Learning sessions: when a person opens the app, closes it, and which part of a lesson they
played, with the local time of day. Trainers use these later for "sessions a month" and "the
popular hours of the day" (PRODUCT.md); the person can turn recording off (``record_sessions``
on the profile), and then nothing at all is written.

Every record is an immutable change-log entry (kind ``session``, op ``append``). All records of
one run of the app share its session id as their ``entity_id``, so the hub can group them. The
opening is written at once, so a session still counts when the app is killed or the power goes.

Payloads (times are the device's local time with its UTC offset; ``hour`` is the local hour of
the day, 0 to 23, and ``weekday`` 1 = Monday to 7 = Sunday, both of the start):

- ``{"event": "app_opened", "started_at", "hour", "weekday"}``
- ``{"event": "app_closed", "started_at", "ended_at", "duration_s", "hour", "weekday"}``
- ``{"event": "lesson_played", "lesson_id", "from_s", "to_s", "started_at", "ended_at",
  "hour", "weekday"}``
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlite_utils

from companion.core.changelog import Change, record_change
from companion.core.db import write_transaction

Clock = Callable[[], datetime]
MIN_PLAYED_S = 1.0  # a played stretch shorter than this is a click, not learning


def local_now() -> datetime:
    """The wall clock of the PC, with its UTC offset."""
    return datetime.now().astimezone()


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _when(moment: datetime) -> dict[str, Any]:
    return {"hour": moment.hour, "weekday": moment.isoweekday()}


@dataclass
class _OpenSession:
    session_id: str
    started_at: datetime


class SessionRecorder:
    """Writes session records for the profiles that allow it.

    One recorder per running app. ``clock`` returns an aware local datetime (tests pass their
    own)."""

    def __init__(self, db: sqlite_utils.Database, clock: Clock | None = None) -> None:
        self._db = db
        self._clock = clock or local_now
        self._open: dict[int, _OpenSession] = {}

    def _allowed(self, profile_id: int) -> bool:
        row = self._db.execute(
            "SELECT record_sessions FROM profiles WHERE id = ?", [profile_id]
        ).fetchone()
        return bool(row and row[0])

    def _append(self, profile_id: int, session_id: str, payload: dict[str, Any]) -> Change:
        with write_transaction(self._db):
            return record_change(self._db, profile_id, "session", session_id, "append", payload)

    def session_id(self, profile_id: int) -> str | None:
        """The id of the profile's open session, if the app was opened for it."""
        open_session = self._open.get(profile_id)
        return open_session.session_id if open_session else None

    def app_opened(self, profile_id: int) -> str:
        """The app is now in use by ``profile_id``; returns the new session id."""
        now = self._clock()
        session = _OpenSession(uuid.uuid4().hex, now)
        self._open[profile_id] = session
        if self._allowed(profile_id):
            self._append(profile_id, session.session_id,
                         {"event": "app_opened", "started_at": _iso(now), **_when(now)})
        return session.session_id

    def app_closed(self, profile_id: int) -> Change | None:
        """The app closes (or another profile takes over): records the whole session."""
        session = self._open.pop(profile_id, None)
        if session is None or not self._allowed(profile_id):
            return None
        now = self._clock()
        duration_s = max(0.0, (now - session.started_at).total_seconds())
        return self._append(profile_id, session.session_id, {
            "event": "app_closed", "started_at": _iso(session.started_at),
            "ended_at": _iso(now), "duration_s": round(duration_s, 1),
            **_when(session.started_at),
        })

    def lesson_played(
        self, profile_id: int, lesson_id: str, from_s: float, to_s: float,
        started_at: datetime | None = None,
    ) -> Change | None:
        """A stretch of a lesson was played, from second ``from_s`` to ``to_s`` of the video.

        Call it when playing stops (pause, end, leaving the lesson). ``started_at`` defaults to
        now minus the stretch played. Stretches under a second are not recorded."""
        from_s, to_s = float(from_s), float(to_s)
        if not (to_s - from_s >= MIN_PLAYED_S) or not self._allowed(profile_id):
            return None
        now = self._clock()
        start = started_at or now - timedelta(seconds=to_s - from_s)
        session_id = self.session_id(profile_id) or uuid.uuid4().hex
        return self._append(profile_id, session_id, {
            "event": "lesson_played", "lesson_id": lesson_id, "from_s": round(from_s, 1),
            "to_s": round(to_s, 1), "started_at": _iso(start), "ended_at": _iso(now),
            **_when(start),
        })

    def close_all(self) -> None:
        """Close every open session (the app quits)."""
        for profile_id in list(self._open):
            self.app_closed(profile_id)
