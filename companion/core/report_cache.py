"""The last group report a trainer fetched, kept in the library (issue 10).

The trainer's page shows the data of the last successful fetch, with its age, when the hub
cannot be reached: one report per profile and group, replaced by each new fetch.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlite_utils

from companion.core.db import now_local, write_transaction


@dataclass(frozen=True)
class CachedReport:
    group_id: int
    days: int
    fetched_at: str  # local time with offset, ISO 8601
    report: dict[str, Any]

    def age_s(self, now: datetime | None = None) -> float:
        """Seconds since the fetch (0 when the stored time cannot be read)."""
        try:
            fetched = datetime.fromisoformat(self.fetched_at)
        except ValueError:
            return 0.0
        moment = now or datetime.now(fetched.tzinfo)
        return max(0.0, (moment - fetched).total_seconds())


class ReportCache:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self._db = db

    def save(self, profile_id: int, group_id: int, days: int, report: dict[str, Any],
             fetched_at: str | None = None) -> CachedReport:
        when = fetched_at or now_local()
        with write_transaction(self._db):
            self._db.execute(
                "INSERT INTO group_reports(profile_id, group_id, days, fetched_at, body)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT(profile_id, group_id) DO UPDATE SET"
                " days = excluded.days, fetched_at = excluded.fetched_at, body = excluded.body",
                [profile_id, group_id, days, when, json.dumps(report, ensure_ascii=False)])
        return CachedReport(group_id, days, when, report)

    def latest(self, profile_id: int, group_id: int) -> CachedReport | None:
        """The last report fetched for this group, or None (never fetched, or unreadable)."""
        row = self._db.execute(
            "SELECT days, fetched_at, body FROM group_reports WHERE profile_id = ?"
            " AND group_id = ?", [profile_id, group_id]).fetchone()
        if row is None:
            return None
        try:
            report = json.loads(row[2])
        except ValueError:
            return None
        return CachedReport(group_id, int(row[0]), str(row[1]), report) \
            if isinstance(report, dict) else None
