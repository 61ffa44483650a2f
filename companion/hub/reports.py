"""What a trainer sees of a group: progress per learner, sessions, popular hours, participation."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, select

from companion.hub import tables as t

# Where a learner stands on the participation ladder, by comments written in the group.
CREATOR_MIN_COMMENTS = 3


def _ladder_step(comments: int, active: bool) -> str:
    if comments >= CREATOR_MIN_COMMENTS:
        return "creator"
    if comments > 0:
        return "joiner"
    return "spectator" if active else "inactive"


def group_progress(conn: Connection, group_id: int) -> dict[str, Any]:
    m, a, pr = t.memberships, t.accounts, t.profile_state
    learners = conn.execute(
        select(a.c.id, a.c.username, pr.c.name)
        .join(m, m.c.account_id == a.c.id).join(pr, pr.c.account_id == a.c.id)
        .where(m.c.group_id == group_id, m.c.role == "learner").order_by(pr.c.name, a.c.id)
    ).all()
    ids = [r.id for r in learners]
    lessons: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
    s, ps, cs = t.sessions, t.progress_state, t.comment_state
    sessions: dict[int, tuple[int, float]] = {}
    comments: dict[int, int] = {}
    hours = [0] * 24
    if ids:
        for r in conn.execute(select(ps).where(ps.c.account_id.in_(ids))
                              .order_by(ps.c.account_id, ps.c.lesson_id)):
            lessons[r.account_id].append({
                "lesson_id": r.lesson_id, "done": bool(r.done),
                "position_s": r.position_s, "watched_s": r.watched_s,
                "quiz_best": r.quiz_best, "quiz_total": r.quiz_total})
        # A run of the app leaves several records (opened, lessons played, closed) under one
        # session id: count sessions, not records.
        for r in conn.execute(select(s.c.account_id, func.count(s.c.session_id.distinct()),
                                     func.sum(s.c.duration_s))
                              .where(s.c.account_id.in_(ids)).group_by(s.c.account_id)):
            sessions[r[0]] = (int(r[1]), float(r[2] or 0))
        for hour, count in conn.execute(select(s.c.local_hour,
                                               func.count(s.c.session_id.distinct()))
                                        .where(s.c.account_id.in_(ids))
                                        .group_by(s.c.local_hour)):
            if 0 <= hour < 24:
                hours[hour] = int(count)
        comments = dict(conn.execute(
            select(cs.c.author_id, func.count())
            .where(cs.c.group_id == group_id, cs.c.deleted.is_(False),
                   cs.c.author_id.in_(ids)).group_by(cs.c.author_id)).all())
    out = []
    ladder = {"creator": 0, "joiner": 0, "spectator": 0, "inactive": 0}
    for r in learners:
        count, seconds = sessions.get(r.id, (0, 0.0))
        written = int(comments.get(r.id, 0))
        step = _ladder_step(written, bool(count or lessons[r.id]))
        ladder[step] += 1
        out.append({
            "account_id": r.id, "username": r.username, "name": r.name,
            "lessons_done": sum(1 for x in lessons[r.id] if x["done"]),
            "lessons_started": len(lessons[r.id]), "sessions": count,
            "learning_minutes": round(seconds / 60, 1), "comments": written,
            "participation": step, "lessons": lessons[r.id],
        })
    return {"group_id": group_id, "learners": out, "sessions_total": sum(hours),
            "popular_hours": hours, "participation": ladder}
