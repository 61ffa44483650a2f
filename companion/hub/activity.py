"""Running summaries of learners' activity, kept at every push for the trainer's report.

The report of a group of 900 must answer in a fraction of a second, and reading 80,000 session
records and the change log for it took seconds. So each push folds its sessions, progress and
quiz attempts into three small tables (``tables.session_summary``, ``lesson_activity``,
``quiz_log``), which the report reads with a few aggregate queries. A hub that had data before
these tables existed fills them once from the change log when it starts (:func:`backfill`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, case, func, insert, or_, select
from sqlalchemy.dialects import postgresql, sqlite

from companion.hub import tables as t


def parse_time(text: str) -> datetime | None:
    """A device's ISO 8601 time; one without an offset is taken as UTC."""
    try:
        moment = datetime.fromisoformat(str(text))
    except (TypeError, ValueError):
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _quiz_passed(score: int, total: int) -> bool:
    return total > 0 and score * 2 >= total  # as companion.core.progress.quiz_passed


def _upsert(conn: Connection, table: Any, rows: list[dict[str, Any]], keys: list[str],
            merge: Any) -> None:
    if not rows:
        return
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(table)
    conn.execute(stmt.on_conflict_do_update(index_elements=keys, set_=merge(stmt.excluded)),
                 rows)


def _session_rows(session_rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """One summary row per run of the app in these records: its earliest start on the shop's
    clock, the seconds of its records and whether a lesson was played."""
    out: dict[tuple[int, str], dict[str, Any]] = {}
    for r in session_rows:
        start = parse_time(r["started_at"])
        if start is None:
            continue
        row = {"account_id": r["account_id"], "session_id": r["session_id"],
               "start_at": start.timestamp(), "local_day": start.toordinal(),
               "weekday": start.weekday(), "hour": start.hour,
               "duration_s": float(r["duration_s"] or 0),
               "played": r["event"] == "lesson_played"}
        key = (row["account_id"], row["session_id"])
        old = out.get(key)
        if old is None:
            out[key] = row
            continue
        seconds = old["duration_s"] + row["duration_s"]
        played = old["played"] or row["played"]
        if row["start_at"] < old["start_at"]:
            old.update(row)
        old.update(duration_s=seconds, played=played)
    return list(out.values())


def _merge_session(new: Any) -> dict[str, Any]:
    s = t.session_summary.c
    earlier = new.start_at < s.start_at
    return {"start_at": case((earlier, new.start_at), else_=s.start_at),
            "local_day": case((earlier, new.local_day), else_=s.local_day),
            "weekday": case((earlier, new.weekday), else_=s.weekday),
            "hour": case((earlier, new.hour), else_=s.hour),
            "duration_s": s.duration_s + new.duration_s,
            "played": or_(s.played, new.played)}


def _merge_lesson(new: Any) -> dict[str, Any]:
    a = t.lesson_activity.c
    return {"first_at": case((new.first_at < a.first_at, new.first_at), else_=a.first_at),
            "last_at": case((new.last_at > a.last_at, new.last_at), else_=a.last_at),
            "done_at": func.coalesce(a.done_at, new.done_at)}


def record(conn: Connection, change_rows: list[dict[str, Any]],
           session_rows: list[dict[str, Any]]) -> None:
    """Fold one push's accepted changes into the summaries (inside its transaction)."""
    _upsert(conn, t.session_summary, _session_rows(session_rows),
            ["account_id", "session_id"], _merge_session)
    lessons: dict[tuple[int, str], dict[str, Any]] = {}
    quizzes: list[dict[str, Any]] = []
    for r in change_rows:
        if r["kind"] not in ("progress", "quiz_attempt"):
            continue
        payload = json.loads(r["payload"])
        at = float(r["received_at"])
        if r["kind"] == "progress":
            lesson_id, done = r["entity_id"], payload.get("done") is True
        else:
            lesson_id = payload.get("lesson_id")
            score, total = payload.get("score"), payload.get("total")
            if not isinstance(lesson_id, str) or not isinstance(score, int) \
                    or not isinstance(total, int):
                continue
            done = _quiz_passed(score, total)
            answers = payload.get("answers")
            quizzes.append({"account_id": r["account_id"], "lesson_id": lesson_id, "at": at,
                            "score": score, "total": total,
                            "answers": json.dumps(answers) if isinstance(answers, list)
                            else None})
        key = (r["account_id"], lesson_id)
        row = lessons.setdefault(key, {"account_id": key[0], "lesson_id": key[1],
                                       "first_at": at, "last_at": at, "done_at": None})
        row["last_at"] = max(row["last_at"], at)
        if done and row["done_at"] is None:
            row["done_at"] = at
    _upsert(conn, t.lesson_activity, list(lessons.values()), ["account_id", "lesson_id"],
            _merge_lesson)
    if quizzes:
        conn.execute(insert(t.quiz_log), quizzes)


def backfill(conn: Connection) -> None:
    """Fill the summaries from the change log when this hub kept sessions or progress before
    they existed (run once at start; a no-op on a new hub and on one already filled)."""
    c = t.changes.c
    if conn.execute(select(t.lesson_activity.c.account_id).limit(1)).first() is not None \
            or conn.execute(select(t.session_summary.c.account_id).limit(1)).first() is not None:
        return
    if conn.execute(select(c.server_seq).where(c.kind.in_(("progress", "quiz_attempt")))
                    .limit(1)).first() is None and \
            conn.execute(select(t.sessions.c.server_seq).limit(1)).first() is None:
        return
    last = 0
    while True:  # in pages, so a large hub does not hold every change in memory at once
        changes = conn.execute(
            select(c.server_seq, c.account_id, c.kind, c.entity_id, c.payload, c.received_at)
            .where(c.server_seq > last, c.kind.in_(("progress", "quiz_attempt")))
            .order_by(c.server_seq).limit(5000)).mappings().all()
        if not changes:
            break
        record(conn, [dict(r) for r in changes], [])
        last = int(changes[-1]["server_seq"])
    s = t.sessions.c
    last = 0
    while True:
        rows = conn.execute(select(s.server_seq, s.account_id, s.session_id, s.started_at,
                                   s.duration_s, s.event)
                            .where(s.server_seq > last).order_by(s.server_seq).limit(5000)
                            ).mappings().all()
        if not rows:
            break
        record(conn, [], [dict(r) for r in rows])
        last = int(rows[-1]["server_seq"])
