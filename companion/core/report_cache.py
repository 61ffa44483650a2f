"""The last group report a trainer fetched, kept in the library (issue 10).

The trainer's page shows the data of the last successful fetch, with its age, when the hub
cannot be reached: one report per profile and group, replaced by each new fetch. With it, the
ladder of each day a 30-day report came: the ladder over time for when the hub is out of reach.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlite_utils

from companion.core.db import now_local, write_transaction

HISTORY_DAYS = 30  # the period whose ladder is kept per day


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
        ladder = report.get("ladder")
        highest = ladder.get("highest") if isinstance(ladder, dict) else None
        with write_transaction(self._db):
            if days == HISTORY_DAYS and isinstance(highest, dict):
                # One ladder a day, of the same period length, so the days compare.
                self._db.execute(
                    "INSERT INTO group_ladder_history(profile_id, group_id, day, highest)"
                    " VALUES (?, ?, ?, ?) ON CONFLICT(profile_id, group_id, day)"
                    " DO UPDATE SET highest = excluded.highest",
                    [profile_id, group_id, when[:10], json.dumps(highest)])
            self._db.execute(
                "INSERT INTO group_reports(profile_id, group_id, days, fetched_at, body)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT(profile_id, group_id) DO UPDATE SET"
                " days = excluded.days, fetched_at = excluded.fetched_at, body = excluded.body",
                [profile_id, group_id, days, when, json.dumps(report, ensure_ascii=False)])
        return CachedReport(group_id, days, when, report)

    def ladder_history(self, profile_id: int, group_id: int,
                       limit: int = 26) -> list[tuple[str, dict[str, int]]]:
        """(day, highest rung counts) of the last ``limit`` days a 30-day report was fetched,
        oldest first. The hub works out the ladder week by week itself
        (``GET /v1/groups/{id}/ladder``); these are what the page shows when it cannot."""
        rows = self._db.execute(
            "SELECT day, highest FROM group_ladder_history WHERE profile_id = ?"
            " AND group_id = ? ORDER BY day DESC LIMIT ?", [profile_id, group_id, limit]
        ).fetchall()
        out = []
        for day, text in reversed(rows):
            try:
                highest = json.loads(text)
            except ValueError:
                continue
            if isinstance(highest, dict):
                out.append((str(day), {str(k): int(v) for k, v in highest.items()}))
        return out

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
