"""The participation ladder over time, worked out by the hub (``GET /v1/groups/{id}/ladder``).

For each of the last N weeks: how many of the group's learners stood at each highest rung over
the 30 days that end at that week's end. The last week ends at the moment of the request, so
its counts are those of the report's ladder over 30 days; each earlier week ends 7 days before
the next. The rungs are the report's (companion/hub/reports.py, one definition, issue 10), each
taken from data the hub keeps with a time:

- creator, critic: the group's comments by when the hub received them
  (``comment_state.created_at``); critic also by "useful" marks (``reactions.created_at``);
- collector: a follow counts from when it was set (``follows.created_at``) on; a follow taken
  back is gone, so it counts in no week (the hub keeps the current follows only);
- joiner: the profile as it is now (photo or motto). The hub keeps no history of profiles, so a
  learner with a profile today counts as a joiner in every week they were a member;
- spectator: a session with a lesson played (``session_summary.start_at``), or a lesson first
  or last touched (``lesson_activity.first_at`` / ``last_at``) in the period.

A learner counts in a week only once they were a member at its end (``memberships.joined_at``);
people who have left the group are not in it any more and count nowhere.

A handful of bulk queries over the whole span, never one per learner or per week: each event
(or, for the many sessions, each learner's 7-day bucket of them) marks the at most five weeks
whose 30 days hold it, in Python.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Integer, cast, func, or_, select, union_all

from companion.hub import reports
from companion.hub import tables as t

DEFAULT_WEEKS = 12
MAX_WEEKS = 52
PERIOD_DAYS = 30  # each week's ladder looks back this far, as the report's default period
RUNGS = reports.RUNGS  # one ladder, one definition
DAY_S = 86400.0
WEEK_S = 7 * DAY_S
PERIOD_S = PERIOD_DAYS * DAY_S

_BIT = {rung: 1 << i for i, rung in enumerate(RUNGS[:-1])}


class _Weeks:
    """The week ends, oldest first, and which weeks' periods hold a moment.

    A week's period is ``[end - 30 days, end)``; the last week also holds whatever came at or
    after the moment of the request (a PC clock ahead), as the report's period does. Moments
    are taken as ``d``, the seconds since the oldest period began: week ``i`` holds
    ``i * 7 days <= d < i * 7 days + 30 days``. So the weeks that hold every moment of the
    7-day bucket ``k = d // 7 days`` are ``k - 3`` to ``k``, and ``k - 4`` holds the moments in
    the bucket's first 2 days: the earliest moment of a bucket tells all.
    """

    def __init__(self, weeks: int, at: float) -> None:
        self.count = weeks
        self.at = at
        first_end = at - (weeks - 1) * WEEK_S
        self.since = first_end - PERIOD_S  # nothing older counts in any week
        self.ends = [first_end + i * WEEK_S for i in range(weeks)]
        self._last_bucket = weeks + 3  # where ``at`` falls: (weeks - 1) * 7 + 30 days

    def mark(self, row: list[int], bucket: int, earliest: float, bit: int) -> None:
        """Set ``bit`` in the weeks of ``row`` that hold a moment of ``bucket`` (7-day
        buckets counted from ``since``) whose earliest moment is ``earliest``."""
        if bucket >= self._last_bucket:
            row[self.count - 1] |= bit
            return
        for week in range(max(0, bucket - 3), min(self.count - 1, bucket) + 1):
            row[week] |= bit
        week = bucket - 4
        if week >= 0 and earliest - self.since < week * WEEK_S + PERIOD_S:
            row[week] |= bit

    def mark_moment(self, row: list[int], moment: float, bit: int) -> None:
        if moment >= self.since:
            self.mark(row, int((moment - self.since) // WEEK_S), moment, bit)

    def span(self, moment: float) -> tuple[int, int] | None:
        """The first and last week that hold ``moment`` (for the tests and the docs)."""
        row = [0] * self.count
        self.mark_moment(row, moment, 1)
        held = [week for week, bits in enumerate(row) if bits]
        return (held[0], held[-1]) if held else None


def ladder_history(conn: Connection, group_id: int, weeks: int = DEFAULT_WEEKS,
                   at: float | None = None) -> dict[str, Any]:
    """The highest-rung counts of the group's learners for each of the last ``weeks`` weeks
    (see the module doc), oldest first."""
    span = _Weeks(weeks, time.time() if at is None else at)
    group = conn.execute(select(t.groups.c.id, t.groups.c.name)
                         .where(t.groups.c.id == group_id)).one()
    m, pr = t.memberships.c, t.profile_state.c
    members = (select(m.account_id)
               .where(m.group_id == group_id, m.role == "learner").scalar_subquery())
    joined: dict[int, float] = {}
    profile: set[int] = set()
    for account_id, joined_at, motto, photo in conn.execute(
            select(m.account_id, m.joined_at, pr.motto, pr.photo_sha256)
            .select_from(t.memberships.outerjoin(t.profile_state,
                                                 pr.account_id == m.account_id))
            .where(m.group_id == group_id, m.role == "learner")).all():
        joined[account_id] = float(joined_at)
        if photo or (motto or "").strip():
            profile.add(account_id)
    met: dict[int, list[int]] = {a: [0] * weeks for a in joined}
    spare = [0] * weeks  # for someone who left the group while the queries ran

    cs = t.comment_state
    parent = cs.alias("parent")
    for author, reply_to, parent_author, received in conn.execute(
            select(cs.c.author_id, cs.c.reply_to, parent.c.author_id, cs.c.created_at)
            .select_from(cs.outerjoin(parent, parent.c.comment_id == cs.c.reply_to))
            .where(cs.c.group_id == group_id, cs.c.author_id.in_(members))).all():
        if received is None:
            continue
        if reply_to is None:
            span.mark_moment(met.get(author, spare), received, _BIT["creator"])
        elif parent_author is not None and parent_author != author:
            span.mark_moment(met.get(author, spare), received, _BIT["critic"])

    r = t.reactions
    of_the_group = (select(cs.c.comment_id)
                    .where(cs.c.comment_id == r.c.comment_id, cs.c.group_id == group_id,
                           cs.c.author_id != r.c.account_id).exists())
    for account_id, created in conn.execute(
            select(r.c.account_id, r.c.created_at)
            .where(r.c.kind == "useful", r.c.account_id.in_(members),
                   r.c.created_at >= span.since, of_the_group)).all():
        span.mark_moment(met.get(account_id, spare), created, _BIT["critic"])

    # Watching: tens of thousands of sessions. The database folds them into one row per
    # learner and 7-day bucket with the bucket's earliest moment, which is all the weeks need.
    ss, la = t.session_summary.c, t.lesson_activity.c
    moments = union_all(
        select(ss.account_id.label("a"), ss.start_at.label("x"))
        .where(ss.account_id.in_(members), ss.played, ss.start_at >= span.since),
        select(la.account_id.label("a"), la.first_at.label("x"))
        .where(la.account_id.in_(members), la.first_at >= span.since),
        select(la.account_id.label("a"), la.last_at.label("x"))
        .where(la.account_id.in_(members), la.last_at >= span.since),
    ).subquery()
    offset = (moments.c.x - span.since) / WEEK_S
    bucket = (cast(func.floor(offset), Integer) if conn.dialect.name == "postgresql"
              else cast(offset, Integer))  # SQLite's cast truncates: the floor, as d >= 0
    for account_id, week_bucket, earliest in conn.execute(
            select(moments.c.a, bucket, func.min(moments.c.x))
            .group_by(moments.c.a, bucket)).all():
        span.mark(met.get(account_id, spare), int(week_bucket), float(earliest),
                  _BIT["spectator"])

    # A follow holds from when it was set (the earliest, when there are several).
    following: dict[int, float] = {}
    f = t.follows.c
    for account_id, first in conn.execute(
            select(f.account_id, func.min(f.created_at))
            .where(f.account_id.in_(members),
                   or_(f.group_id == group_id, f.group_id.is_(None)))
            .group_by(f.account_id)).all():
        following[account_id] = float(first)

    counts = [dict.fromkeys(RUNGS, 0) for _ in range(weeks)]
    for account_id, row in met.items():
        since = joined[account_id]
        follows_from = following.get(account_id)
        for week, end in enumerate(span.ends):
            if since > end:
                continue
            bits = row[week]
            if account_id in profile:
                bits |= _BIT["joiner"]
            if follows_from is not None and follows_from <= end:
                bits |= _BIT["collector"]
            counts[week][_highest(bits)] += 1
    return {
        "group": {"id": group.id, "name": group.name},
        "days": PERIOD_DAYS,
        "generated_at": _iso(span.at),
        "weeks": [{"week_end": datetime.fromtimestamp(end, UTC).date().isoformat(),
                   "highest": counts[week]} for week, end in enumerate(span.ends)],
    }


def _highest(bits: int) -> str:
    for rung in RUNGS[:-1]:  # from the top of the ladder down
        if bits & _BIT[rung]:
            return rung
    return "inactive"


def _iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="seconds")

