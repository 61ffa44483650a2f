"""The participation ladder over time, worked out by the hub (``GET /v1/groups/{id}/ladder``).

For each of the last N weeks: how many of the group's learners stood at each highest rung over
the 30 days that end at that week's end. The last week ends at the moment of the request, so
its counts are those of the report's ladder over 30 days; each earlier week ends 7 days before
the next. The rungs are the report's (companion/hub/reports.py, one definition, issue 10), each
taken from data the hub keeps with a time:

- creator, critic: the group's comments by when the hub received them (``changes.received_at``
  of the comment's ``created_seq``); critic also by "useful" marks (``reactions.created_at``);
- collector: a follow counts from when it was set (``follows.created_at``) on; a follow taken
  back is gone, so it counts in no week (the hub keeps the current follows only);
- joiner: the profile as it is now (photo or motto). The hub keeps no history of profiles, so a
  learner with a profile today counts as a joiner in every week they were a member;
- spectator: a session with a lesson played (``session_summary.start_at``), or a lesson first
  or last touched (``lesson_activity.first_at`` / ``last_at``) in the period.

A learner counts in a week only once they were a member at its end (``memberships.joined_at``);
people who have left the group are not in it any more and count nowhere.

A handful of bulk queries over the whole span, never one per learner or per week: each event
marks the (at most five) weeks whose 30 days hold it, in Python.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, func, or_, select

from companion.hub import tables as t

DEFAULT_WEEKS = 12
MAX_WEEKS = 52
PERIOD_DAYS = 30  # each week's ladder looks back this far, as the report's default period
RUNGS = ("creator", "critic", "collector", "joiner", "spectator", "inactive")
DAY_S = 86400.0
WEEK_S = 7 * DAY_S
PERIOD_S = PERIOD_DAYS * DAY_S

_BIT = {rung: 1 << i for i, rung in enumerate(RUNGS[:-1])}


class _Weeks:
    """The week ends, oldest first, and which of them an event at a moment falls into."""

    def __init__(self, weeks: int, at: float) -> None:
        self.count = weeks
        self.at = at
        self.first_end = at - (weeks - 1) * WEEK_S
        self.since = self.first_end - PERIOD_S  # nothing older counts in any week
        self.ends = [self.first_end + i * WEEK_S for i in range(weeks)]

    def span(self, moment: float) -> tuple[int, int] | None:
        """The first and last week whose period ``[end - 30 days, end]`` holds ``moment``."""
        moment = min(moment, self.at)  # a clock a hair ahead still counts in the last week
        if moment < self.since:
            return None
        lo = max(0, math.ceil((moment - self.first_end) / WEEK_S))
        hi = min(self.count - 1, math.floor((moment - self.first_end + PERIOD_S) / WEEK_S))
        return (lo, hi) if lo <= hi else None


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

    # (account, first week, last week) -> the rungs met; the same stretch of weeks comes up
    # for many sessions of one learner, so they are folded before they are spread out.
    marks: dict[tuple[int, int, int], int] = defaultdict(int)

    def mark(account_id: int, moment: float | None, bit: int) -> None:
        if moment is None:
            return
        weeks_of = span.span(float(moment))
        if weeks_of is not None:
            marks[(account_id, *weeks_of)] |= bit

    c, cs = t.changes.c, t.comment_state
    parent = cs.alias("parent")
    for author, reply_to, parent_author, received in conn.execute(
            select(cs.c.author_id, cs.c.reply_to, parent.c.author_id, c.received_at)
            .select_from(cs.join(t.changes, c.server_seq == cs.c.created_seq)
                         .outerjoin(parent, parent.c.comment_id == cs.c.reply_to))
            .where(cs.c.group_id == group_id, cs.c.author_id.in_(members),
                   c.received_at >= span.since)).all():
        if reply_to is None:
            mark(author, received, _BIT["creator"])
        elif parent_author is not None and parent_author != author:
            mark(author, received, _BIT["critic"])

    r = t.reactions
    of_the_group = (select(cs.c.comment_id)
                    .where(cs.c.comment_id == r.c.comment_id, cs.c.group_id == group_id,
                           cs.c.author_id != r.c.account_id).exists())
    for account_id, created in conn.execute(
            select(r.c.account_id, r.c.created_at)
            .where(r.c.kind == "useful", r.c.account_id.in_(members),
                   r.c.created_at >= span.since, of_the_group)).all():
        mark(account_id, created, _BIT["critic"])

    # A follow holds from when it was set: its first week is the first that ends after it.
    following: dict[int, float] = {}
    f = t.follows.c
    for account_id, first in conn.execute(
            select(f.account_id, func.min(f.created_at))
            .where(f.account_id.in_(members),
                   or_(f.group_id == group_id, f.group_id.is_(None)))
            .group_by(f.account_id)).all():
        following[account_id] = float(first)

    ss = t.session_summary.c
    for account_id, start in conn.execute(
            select(ss.account_id, ss.start_at)
            .where(ss.account_id.in_(members), ss.played, ss.start_at >= span.since)).all():
        mark(account_id, start, _BIT["spectator"])
    la = t.lesson_activity.c
    for account_id, first, last in conn.execute(
            select(la.account_id, la.first_at, la.last_at)
            .where(la.account_id.in_(members), la.last_at >= span.since)).all():
        mark(account_id, first, _BIT["spectator"])
        mark(account_id, last, _BIT["spectator"])

    met: dict[int, list[int]] = {a: [0] * weeks for a in joined}
    for (account_id, lo, hi), bits in marks.items():
        row = met.get(account_id)
        if row is None:  # left the group while the query ran
            continue
        for week in range(lo, hi + 1):
            row[week] |= bits
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

