"""The last group report kept in the library for the trainer's page when offline."""

from __future__ import annotations

from datetime import datetime, timedelta

from companion.core.report_cache import ReportCache


def test_keeps_the_latest_report_per_group(services) -> None:
    cache = ReportCache(services.db)
    profile = services.profiles.ensure("Tina").id
    other = services.profiles.ensure("Tom").id
    assert cache.latest(profile, 3) is None
    cache.save(profile, 3, 30, {"learners": [1]}, fetched_at="2026-12-01T10:00:00+01:00")
    cache.save(profile, 3, 7, {"learners": [1, 2]})
    cache.save(profile, 4, 30, {"learners": []})
    got = cache.latest(profile, 3)
    assert got is not None and got.days == 7 and got.report == {"learners": [1, 2]}
    assert cache.latest(other, 3) is None  # each profile has its own groups


def test_age_and_damaged_rows(services) -> None:
    cache = ReportCache(services.db)
    profile = services.profiles.ensure("Tina").id
    saved = cache.save(profile, 3, 30, {}, fetched_at="2026-12-01T10:00:00+01:00")
    later = datetime.fromisoformat("2026-12-01T10:00:00+01:00") + timedelta(minutes=90)
    assert saved.age_s(later) == 5400
    assert saved.age_s(later - timedelta(days=1)) == 0  # a clock set back: no negative age
    services.db.execute("UPDATE group_reports SET body = 'not json'")
    assert cache.latest(profile, 3) is None
    services.db.execute("UPDATE group_reports SET body = '[1]'")
    assert cache.latest(profile, 3) is None


def test_ladder_over_time_one_a_day(services) -> None:
    cache = ReportCache(services.db)
    profile = services.profiles.ensure("Tina").id

    def report(creators: int) -> dict:
        return {"ladder": {"highest": {"creator": creators, "inactive": 1}}}

    cache.save(profile, 3, 30, report(1), fetched_at="2026-11-30T10:00:00+01:00")
    cache.save(profile, 3, 30, report(2), fetched_at="2026-12-01T09:00:00+01:00")
    cache.save(profile, 3, 30, report(4), fetched_at="2026-12-01T17:00:00+01:00")  # same day
    cache.save(profile, 3, 7, report(9), fetched_at="2026-12-02T09:00:00+01:00")  # 7 days: not
    cache.save(profile, 3, 30, {"ladder": "broken"}, fetched_at="2026-12-03T09:00:00+01:00")
    assert cache.ladder_history(profile, 3) == [
        ("2026-11-30", {"creator": 1, "inactive": 1}),
        ("2026-12-01", {"creator": 4, "inactive": 1})]
    assert cache.ladder_history(profile, 4) == []
