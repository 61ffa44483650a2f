"""What a trainer sees of a group: the report behind ``GET /v1/groups/{id}/report``.

Per learner: progress, sessions, minutes, best quiz scores, the participation rung and the
reasons someone may need help; per lesson: viewers, completions, how much is watched, where
viewers stop and which quiz questions go wrong; for the group: the weekday x hour heatmap on the
shop's own clock, the participation ladder and the overview against the previous period.

Every figure comes from a few bulk queries over the group's learners (never one per learner),
so a group of 900 answers in well under a second. Only progress, activity and public profile
fields are read: notes (``note_state``) and drafts are never touched, and no comment text is.

The participation ladder (one definition, see issue 10), over the period, per learner:
creator (started a discussion in the group), critic (replied to someone else's comment or
marked one useful), collector (follows a discussion), joiner (has a public profile: photo or
motto), spectator (watched a lesson), inactive (none of these).
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, and_, case, func, or_, select

from companion.hub import packs
from companion.hub import tables as t

DEFAULT_DAYS = 30
MAX_DAYS = 366
STALLED_DAYS = 7  # a lesson started this long ago and not done: needs help
QUIET_DAYS = 14  # no activity for this long: needs help
FAILED_QUIZZES = 2  # a quiz failed this often (and not passed since): needs help
ACTIVE_DAYS = 7  # "active" in the overview
HISTOGRAM_BINS = 10
RUNGS = ("creator", "critic", "collector", "joiner", "spectator", "inactive")
DAY_S = 86400.0

# The keys of one learner's row: the privacy tests hold the report to exactly these.
LEARNER_FIELDS = ("account_id", "username", "name", "motto", "photo", "lessons_done",
                  "lessons_started", "last_active", "sessions", "minutes", "quiz_best", "rung",
                  "rungs", "needs_help")


def _iso(epoch: float | None) -> str | None:
    if epoch is None:
        return None
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="seconds")


def _quiz_passed(score: int, total: int) -> bool:
    return total > 0 and score * 2 >= total  # as companion.core.progress.quiz_passed


class _Period:
    def __init__(self, days: int, at: float) -> None:
        self.days = days
        self.at = at
        self.since = at - days * DAY_S
        self.before = self.since - days * DAY_S  # the previous period: [before, since)


_PROGRESS_SQL = (
    "SELECT p.account_id, p.lesson_id, p.position_s, p.watched_s, p.done, p.quiz_best,"
    " p.quiz_total, a.first_at, a.last_at, a.done_at"
    " FROM progress_state p LEFT OUTER JOIN lesson_activity a"
    " ON a.account_id = p.account_id AND a.lesson_id = p.lesson_id"
    " WHERE p.account_id IN (SELECT m.account_id FROM memberships m"
    " WHERE m.group_id = {group} AND m.role = 'learner')"
)

# Parsed manifests by their SHA-256 (the bytes behind a hash never change): a manifest may be
# megabytes of JSON, read once per hub process, not once per report.
_MANIFESTS: dict[str, dict[str, Any]] = {}
_MANIFEST_CACHE_SIZE = 64


def _group_manifests(conn: Connection, group_id: int) -> list[dict[str, Any]]:
    out = []
    for entry in packs.catalog(conn, group_id):
        digest = entry["manifest_sha256"]
        if digest not in _MANIFESTS:
            text = conn.execute(select(t.packs.c.manifest).where(
                t.packs.c.manifest_sha256 == digest)).scalar_one()
            try:
                parsed = json.loads(text)
            except ValueError:
                parsed = {}
            if len(_MANIFESTS) >= _MANIFEST_CACHE_SIZE:
                _MANIFESTS.pop(next(iter(_MANIFESTS)))
            _MANIFESTS[digest] = parsed if isinstance(parsed, dict) else {}
        out.append(_MANIFESTS[digest])
    return out


def _lessons_of_group(conn: Connection, group_id: int) -> list[dict[str, Any]]:
    """The lessons of the newest version of each pack offered to the group, in pack order."""
    out: list[dict[str, Any]] = []
    for manifest in _group_manifests(conn, group_id):
        pack = manifest.get("pack") if isinstance(manifest.get("pack"), dict) else manifest
        pack_id = pack.get("id")
        lessons = manifest.get("lessons")
        if not isinstance(pack_id, str) or not isinstance(lessons, list):
            continue
        for lesson in lessons:
            if not isinstance(lesson, dict) or not isinstance(lesson.get("id"), str):
                continue
            quiz = lesson.get("quiz") if isinstance(lesson.get("quiz"), list) else []
            duration = lesson.get("duration_s")
            out.append({
                "lesson_id": f"{pack_id}/{lesson['id']}",
                "title": str(lesson.get("title") or lesson["id"]),
                "duration_s": float(duration) if isinstance(duration, int | float)
                and not isinstance(duration, bool) and duration > 0 else None,
                "quiz": [{"question": str(q.get("question", "")), "answer": q.get("answer")}
                         for q in quiz if isinstance(q, dict)],
            })
    return out


def group_report(conn: Connection, group_id: int, days: int = DEFAULT_DAYS,
                 at: float | None = None) -> dict[str, Any]:
    """The trainer's report of one group over the last ``days`` days (see the module doc)."""
    period = _Period(days, time.time() if at is None else at)
    group = conn.execute(select(t.groups.c.id, t.groups.c.name)
                         .where(t.groups.c.id == group_id)).one()
    m, a, pr = t.memberships, t.accounts, t.profile_state
    members = (select(m.c.account_id)
               .where(m.c.group_id == group_id, m.c.role == "learner").scalar_subquery())
    people = conn.execute(
        select(a.c.id, a.c.username, pr.c.name, pr.c.motto, pr.c.photo_sha256, m.c.joined_at)
        .join(m, m.c.account_id == a.c.id).join(pr, pr.c.account_id == a.c.id)
        .where(m.c.group_id == group_id, m.c.role == "learner").order_by(pr.c.name, a.c.id)
    ).all()
    ids = {r.id for r in people}
    acc: dict[int, dict[str, Any]] = {i: {
        "progress": {}, "sessions": 0, "seconds": 0.0, "previous": 0, "last": None,
        "rungs": set(),
        "starts": {}, "fails": defaultdict(int), "active": [False, False]} for i in ids}

    def seen(account_id: int, epoch: float) -> None:
        row = acc[account_id]
        if row["last"] is None or epoch > row["last"]:
            row["last"] = epoch

    # Progress: the current state of every lesson of every learner, with when it was first
    # and last touched and first finished (hub receive times, kept by hub/activity.py).
    lessons_done = [0, 0]
    stalled_since = period.at - STALLED_DAYS * DAY_S
    by_lesson: dict[str, list[Any]] = defaultdict(list)
    # The largest read (a row per learner and lesson), as plain tuples from the driver: the
    # same SQL on both databases (the group id is a checked integer, not text), without the
    # result processing that cost as much as the query. ``done`` comes as 0/1 or a bool.
    # One pass does both the learners' and the lessons' share of it.
    for r in conn.exec_driver_sql(_PROGRESS_SQL.format(group=int(group_id))).fetchall():
        row = acc[r[0]]
        row["progress"][r[1]] = r
        by_lesson[r[1]].append(r)
        last_at = r[8]
        if last_at is None:
            continue
        if row["last"] is None or last_at > row["last"]:
            row["last"] = last_at
        if last_at >= period.since:
            row["rungs"].add("spectator")
        if r[9] is not None and r[9] >= period.before:
            lessons_done[0 if r[9] >= period.since else 1] += 1
        if not r[4] and r[7] <= stalled_since:
            row["starts"][r[1]] = r[7]

    # Sessions: one summary row per run of the app, its start on the shop's clock.
    ss = t.session_summary.c
    recent = period.at - ACTIVE_DAYS * DAY_S
    in_period = ss.start_at >= period.since
    for r in conn.execute(select(
            ss.account_id, func.sum(case((in_period, 1), else_=0)),
            func.sum(case((in_period, ss.duration_s), else_=0.0)), func.max(ss.start_at),
            func.max(case((and_(in_period, ss.played), 1), else_=0)),
            func.sum(case((and_(ss.start_at >= period.before, ss.start_at < period.since), 1),
                          else_=0)),
            func.max(case((ss.start_at >= recent, 1), else_=0)),
            func.max(case((and_(ss.start_at >= recent - ACTIVE_DAYS * DAY_S,
                                ss.start_at < recent), 1), else_=0)))
            .where(ss.account_id.in_(members)).group_by(ss.account_id)).all():
        row = acc[r[0]]
        row["sessions"], row["seconds"], row["previous"] = int(r[1]), float(r[2] or 0), int(r[5])
        seen(r[0], float(r[3]))
        if r[4]:
            row["rungs"].add("spectator")
        row["active"] = [bool(r[6]), bool(r[7])]
    hours = [[0] * 24 for _ in range(7)]
    weeks: dict[int, int] = defaultdict(int)
    for day, hour, count in conn.execute(
            select(ss.local_day, ss.hour, func.count())
            .where(ss.account_id.in_(members), in_period)
            .group_by(ss.local_day, ss.hour)).all():
        weekday = date.fromordinal(day).weekday()
        if 0 <= hour < 24:
            hours[weekday][hour] += count
        weeks[day - weekday] += count

    # Quiz attempts: quizzes failed again and again, and per question what was answered.
    q = t.quiz_log.c
    for account_id, lesson_id, fails in conn.execute(
            select(q.account_id, q.lesson_id, func.count())
            .where(q.account_id.in_(members), q.score * 2 < q.total)
            .group_by(q.account_id, q.lesson_id)
            .having(func.count() >= FAILED_QUIZZES)).all():
        acc[account_id]["fails"][lesson_id] = int(fails)
    # Alike answers are counted by the database: a handful of patterns per quiz, not one row
    # per attempt.
    answered: dict[str, list[tuple[list[int], int]]] = defaultdict(list)
    for lesson_id, answers, count in conn.execute(
            select(q.lesson_id, q.answers, func.count())
            .where(q.account_id.in_(members), q.at >= period.since, q.answers.isnot(None))
            .group_by(q.lesson_id, q.answers)).all():
        given = json.loads(answers)
        if isinstance(given, list):
            answered[lesson_id].append((given, int(count)))

    # Comments in the group: who started a discussion, who answered someone else.
    cs, parent = t.comment_state, t.comment_state.alias("parent")
    for author, reply_to, parent_author, received in conn.execute(
            select(cs.c.author_id, cs.c.reply_to, parent.c.author_id, cs.c.created_at)
            .select_from(cs.outerjoin(parent, parent.c.comment_id == cs.c.reply_to))
            .where(cs.c.group_id == group_id, cs.c.author_id.in_(members))).all():
        if received is None:  # unknown (a comment whose change is gone): not counted
            continue
        seen(author, float(received))
        if received < period.since:
            continue
        if reply_to is None:
            acc[author]["rungs"].add("creator")
        elif parent_author is not None and parent_author != author:
            acc[author]["rungs"].add("critic")
    _social_rungs(conn, group_id, members, period, acc)

    lessons = _lessons_of_group(conn, group_id)
    return {
        "group": {"id": group.id, "name": group.name},
        "days": days,
        "generated_at": _iso(period.at),
        "learners": [_learner(r, acc[r.id], period) for r in people],
        "lessons": _lesson_rows(lessons, by_lesson, answered),
        "hours": hours,
        "weeks": [{"week": date.fromordinal(day).isoformat(), "sessions": count}
                  for day, count in sorted(weeks.items())],
        "ladder": _ladder(acc.values()),
        "overview": {
            "members": {"value": len(people),
                        "previous": sum(1 for r in people if r.joined_at < period.since)},
            "active_7d": {"value": sum(1 for x in acc.values() if x["active"][0]),
                          "previous": sum(1 for x in acc.values() if x["active"][1])},
            "lessons_done": {"value": lessons_done[0], "previous": lessons_done[1]},
            "sessions": {"value": sum(x["sessions"] for x in acc.values()),
                         "previous": sum(x["previous"] for x in acc.values())},
        },
    }


def _social_rungs(conn: Connection, group_id: int, members: Any, period: _Period,
                  acc: dict[int, dict[str, Any]]) -> None:
    """Critic by a "useful" mark and collector by a follow, from the tables that hold them
    where this hub has them (they arrive with the reactions and follows of issue 11)."""
    tables = t.metadata.tables
    if "reactions" in tables:
        r, cs = tables["reactions"], t.comment_state
        # The marks lead and each finds its comment by key. As a join, SQLite walked the
        # group's 5,000 comments times its 900 members through the reactions key: 380 ms on
        # the seeds' group, with not one mark in it.
        of_the_group = (select(cs.c.comment_id)
                        .where(cs.c.comment_id == r.c.comment_id, cs.c.group_id == group_id,
                               cs.c.author_id != r.c.account_id).exists())
        for (account_id,) in conn.execute(
                select(r.c.account_id).distinct()
                .where(r.c.kind == "useful", r.c.account_id.in_(members),
                       r.c.created_at >= period.since, of_the_group)):
            acc[account_id]["rungs"].add("critic")
    if "follows" in tables:
        f = tables["follows"]
        for (account_id,) in conn.execute(
                select(f.c.account_id).distinct()
                .where(f.c.account_id.in_(members),
                       or_(f.c.group_id == group_id, f.c.group_id.is_(None)))):
            acc[account_id]["rungs"].add("collector")


def _learner(person: Any, row: dict[str, Any], period: _Period) -> dict[str, Any]:
    if person.photo_sha256 or (person.motto or "").strip():
        row["rungs"].add("joiner")
    rungs = [rung for rung in RUNGS[:-1] if rung in row["rungs"]] or ["inactive"]
    progress = row["progress"]
    help_reasons: list[dict[str, Any]] = []
    stalled = sorted(row["starts"].items(), key=lambda item: (item[1], item[0]))
    if stalled:
        # One reason for all of them (the oldest first): a learner with 9 lessons waiting
        # needs one word from the trainer, not nine.
        waited = int((period.at - stalled[0][1]) // DAY_S)
        help_reasons.append({
            "code": "lesson_stalled", "lesson_id": stalled[0][0], "days": waited,
            "lessons": [lesson_id for lesson_id, _ in stalled],
            "text": f"started {stalled[0][0]} {waited} days ago, not done"
            + (f" (and {len(stalled) - 1} more)" if len(stalled) > 1 else "")})
    for lesson_id, fails in sorted(row["fails"].items()):
        state = progress.get(lesson_id)
        passed = state is not None and state[5] is not None and state[6] \
            and _quiz_passed(int(state[5]), int(state[6]))
        if fails >= FAILED_QUIZZES and not passed:
            help_reasons.append({"code": "quiz_failed", "lesson_id": lesson_id,
                                 "failures": fails,
                                 "text": f"failed the quiz of {lesson_id} {fails} times"})
    last = row["last"]
    if last is None or period.at - last >= QUIET_DAYS * DAY_S:
        quiet = None if last is None else int((period.at - last) // DAY_S)
        help_reasons.append({"code": "inactive", "days": quiet,
                             "text": "no activity yet" if quiet is None
                             else f"no activity for {quiet} days"})
    return {
        "account_id": person.id, "username": person.username, "name": person.name,
        "motto": person.motto or "", "photo": person.photo_sha256,
        "lessons_done": sum(1 for p in progress.values() if p[4]),
        "lessons_started": len(progress), "last_active": _iso(last),
        "sessions": row["sessions"], "minutes": round(row["seconds"] / 60, 1),
        "quiz_best": {lid: {"best": p[5], "total": p[6]}
                      for lid, p in sorted(progress.items()) if p[5] is not None},
        "rung": rungs[0], "rungs": rungs, "needs_help": help_reasons,
    }


def _ladder(rows: Any) -> dict[str, dict[str, int]]:
    highest = dict.fromkeys(RUNGS, 0)
    overlapping = dict.fromkeys(RUNGS, 0)
    for row in rows:
        met = [rung for rung in RUNGS[:-1] if rung in row["rungs"]] or ["inactive"]
        highest[met[0]] += 1
        for rung in met:
            overlapping[rung] += 1
    return {"highest": highest, "overlapping": overlapping}


def _lesson_rows(lessons: list[dict[str, Any]], by_lesson: dict[str, list[Any]],
                 answered: dict[str, list[tuple[list[int], int]]]) -> list[dict[str, Any]]:
    """``by_lesson``: the progress rows of each lesson (see ``_PROGRESS_SQL`` for the columns)."""
    if not lessons:  # no pack offered to the group: the lessons its learners have started
        lessons = [{"lesson_id": lid, "title": lid, "duration_s": None, "quiz": []}
                   for lid in sorted(by_lesson)]
    out = []
    top = HISTOGRAM_BINS - 1
    for lesson in lessons:
        states = by_lesson.get(lesson["lesson_id"], ())
        duration = lesson["duration_s"]
        median_watched = stops = None
        if duration:
            median_watched = _median_share([s[3] for s in states], duration)
            stops = [0] * HISTOGRAM_BINS
            bins = HISTOGRAM_BINS / duration
            for state in states:
                if not state[4]:
                    stops[min(max(int(state[2] * bins), 0), top)] += 1
        questions = []
        attempts = answered.get(lesson["lesson_id"], [])
        size = len(lesson["quiz"])
        for index, q in enumerate(lesson["quiz"]):
            given = right = 0
            for ans, count in attempts:
                if len(ans) == size:
                    given += count
                    right += count if ans[index] == q["answer"] else 0
            questions.append({"index": index, "question": q["question"], "answers": given,
                              "share_right": round(right / given, 3) if given else None})
        out.append({
            "lesson_id": lesson["lesson_id"], "title": lesson["title"],
            "duration_s": duration, "viewers": len(states),
            "completions": sum(1 for s in states if s[4]),
            "median_watched": median_watched, "stops": stops, "questions": questions,
        })
    return out


def _median_share(watched: list[float], duration: float) -> float | None:
    """The median of ``min(1, watched / duration)``: clipping keeps the order, so only the
    middle one or two values are divided and clipped, not every viewer's."""
    if not watched:
        return None
    watched.sort()
    mid = len(watched) // 2
    if len(watched) % 2:
        return round(min(1.0, watched[mid] / duration), 3)
    return round((min(1.0, watched[mid - 1] / duration) + min(1.0, watched[mid] / duration)) / 2,
                 3)


def learner_row(report: dict[str, Any], account_id: int) -> dict[str, Any] | None:
    """One learner's own row of a report ("What my trainer sees")."""
    return next((r for r in report["learners"] if r["account_id"] == account_id), None)


def group_progress(conn: Connection, group_id: int) -> dict[str, Any]:
    """The older progress view (``GET /v1/groups/{id}/progress``), kept for scripts that read
    it; its participation is the report's ladder (highest rung over the default period)."""
    report = group_report(conn, group_id)
    ps, cs = t.progress_state, t.comment_state
    m = t.memberships
    members = (select(m.c.account_id)
               .where(m.c.group_id == group_id, m.c.role == "learner").scalar_subquery())
    lessons: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for r in conn.execute(select(ps).where(ps.c.account_id.in_(members))
                          .order_by(ps.c.account_id, ps.c.lesson_id)):
        lessons[r.account_id].append({
            "lesson_id": r.lesson_id, "done": bool(r.done), "position_s": r.position_s,
            "watched_s": r.watched_s, "quiz_best": r.quiz_best, "quiz_total": r.quiz_total})
    comments = dict(conn.execute(
        select(cs.c.author_id, func.count())
        .where(cs.c.group_id == group_id, cs.c.deleted.is_(False),
               cs.c.author_id.in_(members)).group_by(cs.c.author_id)).all())
    # All sessions, not only the report's period: this view always counted them all.
    s = t.sessions.c
    sessions: dict[int, tuple[int, float]] = {}
    for r in conn.execute(select(s.account_id, func.count(s.session_id.distinct()),
                                 func.sum(s.duration_s))
                          .where(s.account_id.in_(members)).group_by(s.account_id)):
        sessions[r[0]] = (int(r[1]), float(r[2] or 0))
    hours = [0] * 24
    for hour, count in conn.execute(select(s.local_hour, func.count(s.session_id.distinct()))
                                    .where(s.account_id.in_(members))
                                    .group_by(s.local_hour)):
        if 0 <= hour < 24:
            hours[hour] = int(count)
    out = []
    for row in report["learners"]:
        account_id = row["account_id"]
        count, seconds = sessions.get(account_id, (0, 0.0))
        out.append({
            "account_id": account_id, "username": row["username"], "name": row["name"],
            "lessons_done": row["lessons_done"], "lessons_started": row["lessons_started"],
            "sessions": count, "learning_minutes": round(seconds / 60, 1),
            "comments": int(comments.get(account_id, 0)), "participation": row["rung"],
            "lessons": lessons.get(account_id, []),
        })
    return {"group_id": group_id, "learners": out, "sessions_total": sum(hours),
            "popular_hours": hours, "participation": report["ladder"]["highest"]}


def learner_detail(conn: Connection, group_id: int, account_id: int,
                   sessions: int = 50) -> dict[str, Any] | None:
    """One learner of the group, for the trainer's double-click: each lesson (progress, quiz,
    when first and last touched, when finished) and the latest runs of the app. None when the
    account is not a learner of the group. The same fields as the report: never notes."""
    m = t.memberships.c
    if conn.execute(select(m.account_id).where(m.group_id == group_id, m.account_id == account_id,
                                               m.role == "learner")).first() is None:
        return None
    titles = {x["lesson_id"]: x["title"] for x in _lessons_of_group(conn, group_id)}
    ps, la = t.progress_state, t.lesson_activity
    lessons = []
    for r in conn.execute(
            select(ps.c.lesson_id, ps.c.position_s, ps.c.watched_s, ps.c.done, ps.c.quiz_best,
                   ps.c.quiz_total, la.c.first_at, la.c.last_at, la.c.done_at)
            .select_from(ps.outerjoin(la, and_(la.c.account_id == ps.c.account_id,
                                                la.c.lesson_id == ps.c.lesson_id)))
            .where(ps.c.account_id == account_id).order_by(la.c.last_at.desc())).all():
        lessons.append({"lesson_id": r[0], "title": titles.get(r[0], r[0]),
                        "position_s": r[1], "watched_s": r[2], "done": bool(r[3]),
                        "quiz_best": r[4], "quiz_total": r[5], "first_at": _iso(r[6]),
                        "last_at": _iso(r[7]), "done_at": _iso(r[8])})
    ss = t.session_summary.c
    runs = [{"started_at": _iso(r[0]), "minutes": round(float(r[1]) / 60, 1),
             "played": bool(r[2])}
            for r in conn.execute(select(ss.start_at, ss.duration_s, ss.played)
                                  .where(ss.account_id == account_id)
                                  .order_by(ss.start_at.desc()).limit(sessions)).all()]
    return {"account_id": account_id, "lessons": lessons, "sessions": runs}
