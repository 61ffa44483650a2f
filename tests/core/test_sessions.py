"""Learning sessions: app opened/closed and lessons played, into the change log."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from companion.core.changelog import all_changes
from companion.core.sessions import SessionRecorder
from companion.services import Services

BRUSSELS_WINTER = timezone(timedelta(hours=1))


class FakeClock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def _sessions(services: Services, profile_id: int) -> list:
    return [c for c in all_changes(services.db, profile_id) if c.kind == "session"]


def test_open_and_close_record_one_session(services: Services, profile_id: int) -> None:
    """Opening writes at once; closing writes start, end, duration and the local hour."""
    clock = FakeClock(datetime(2026, 3, 2, 11, 50, 5, tzinfo=BRUSSELS_WINTER))
    rec = SessionRecorder(services.db, clock=clock)
    session_id = rec.app_opened(profile_id)
    opened = _sessions(services, profile_id)
    assert [c.payload["event"] for c in opened] == ["app_opened"]
    assert opened[0].payload == {"event": "app_opened", "started_at": "2026-03-02T11:50:05+01:00",
                                 "hour": 11, "weekday": 1}
    clock.advance(600)
    closed = rec.app_closed(profile_id)
    assert closed is not None
    assert closed.op == "append" and closed.entity_id == session_id
    assert closed.payload["ended_at"] == "2026-03-02T12:00:05+01:00"
    assert closed.payload["duration_s"] == 600.0
    assert closed.payload["hour"] == 11
    assert rec.app_closed(profile_id) is None  # closing twice writes nothing more


def test_lesson_played_records_the_stretch(services: Services, profile_id: int) -> None:
    """A played stretch keeps the lesson, from/to seconds and when it started."""
    clock = FakeClock(datetime(2026, 3, 2, 13, 10, 0, tzinfo=BRUSSELS_WINTER))
    rec = SessionRecorder(services.db, clock=clock)
    session_id = rec.app_opened(profile_id)
    change = rec.lesson_played(profile_id, "pack/les-1", 12.0, 102.0)
    assert change is not None and change.entity_id == session_id
    p = change.payload
    assert p["event"] == "lesson_played" and p["lesson_id"] == "pack/les-1"
    assert (p["from_s"], p["to_s"]) == (12.0, 102.0)
    assert p["started_at"] == "2026-03-02T13:08:30+01:00"
    assert p["ended_at"] == "2026-03-02T13:10:00+01:00"
    assert p["hour"] == 13


def test_tiny_or_backwards_stretches_are_ignored(services: Services, profile_id: int) -> None:
    """A click on play and pause, or a seek backwards, is not a learning stretch."""
    rec = SessionRecorder(services.db)
    assert rec.lesson_played(profile_id, "pack/les-1", 10.0, 10.4) is None
    assert rec.lesson_played(profile_id, "pack/les-1", 50.0, 20.0) is None
    assert rec.lesson_played(profile_id, "pack/les-1", float("nan"), 20.0) is None
    assert _sessions(services, profile_id) == []


def test_nothing_is_recorded_when_the_person_turned_it_off(services: Services,
                                                           profile_id: int) -> None:
    """With record_sessions off, opening, playing and closing leave no record at all."""
    services.profiles.update(profile_id, record_sessions=False)
    rec = SessionRecorder(services.db)
    rec.app_opened(profile_id)
    rec.lesson_played(profile_id, "pack/les-1", 0.0, 60.0)
    rec.app_closed(profile_id)
    assert _sessions(services, profile_id) == []


def test_profiles_are_recorded_separately(services: Services, profile_id: int) -> None:
    """Each profile's records go to its own change log; close_all closes every session."""
    other = services.profiles.create("Bert").id
    rec = SessionRecorder(services.db)
    rec.app_opened(profile_id)
    rec.app_opened(other)
    rec.close_all()
    assert [c.payload["event"] for c in _sessions(services, profile_id)] == [
        "app_opened", "app_closed"]
    assert [c.payload["event"] for c in _sessions(services, other)] == [
        "app_opened", "app_closed"]
