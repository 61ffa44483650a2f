"""The participation ladder over time (``GET /v1/groups/{id}/ladder``): every count of every
week on a crafted group with known times, who may ask, the bounds, and the last week against
the report's own ladder."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import insert, update

from companion.hub import ladder
from companion.hub import tables as t
from tests.hub.helpers import Device, LiveHub
from tests.hub.test_group_report import (
    Group,
    group,  # noqa: F401  (the report's crafted group)
    report,
)

DAY = 86400.0
AT = float(int(time.time()))  # the moment the history is asked for: known week ends
WEEKS = 4  # ends at AT - 21, - 14, - 7 days and AT; each looks back 30 days


@dataclass
class Crafted:
    hub: LiveHub
    trainer: Device
    people: dict[str, Device]
    group_id: int


def ids(crafted: Crafted) -> dict[str, int]:
    return {name: d.account_id for name, d in crafted.people.items()}


@pytest.fixture
def crafted(hub: LiveHub) -> Crafted:
    """Six learners with events at known times (days before AT):

    an: a discussion started 40 days ago, a lesson played 2 days ago, and a discussion in
        another group 2 days ago (which counts for nothing here);
    bo: a reply to an 10 days ago; a discussion of its own 60 days ago (before every period)
        and a reply to that one 20 days ago (answering oneself makes no critic);
    cy: a motto (a profile today), joined 10 days ago;
    di: marked an's comment useful 33 days ago; a lesson touched 3 days ago;
    ed: follows a discussion since 15 days ago; a lesson touched 60 to 45 days ago;
    fy: a session without a lesson played yesterday, and a "thanks" 2 days ago: nothing.
    """
    hub.add_trainer("tina")
    g = hub.create_group("Bakers", "tina")
    other = hub.create_group("Florists", "tina")
    trainer = hub.device("tina")
    people = {name: hub.device(name, invite=g.invite_code)
              for name in ("an", "bo", "cy", "di", "ed", "fy")}
    who = {name: d.account_id for name, d in people.items()}
    seq = iter(range(900_001, 901_000))

    def comment(conn: Any, cid: str, author: str, days_ago: float, reply_to: str | None = None,
                group_id: int = g.id) -> None:
        s = next(seq)
        conn.execute(insert(t.changes).values(
            server_seq=s, change_id=uuid.uuid4().hex, account_id=who[author], device_id="d",
            device_seq=s, kind="comment", entity_id=cid, op="upsert", payload="{}",
            created_at="", group_id=group_id, received_at=AT - days_ago * DAY))
        conn.execute(insert(t.comment_state).values(
            comment_id=cid, group_id=group_id, author_id=who[author], lesson_id="p/l1",
            reply_to=reply_to, body="text", deleted=False, deleted_by=None, edited=False,
            created_seq=s, last_seq=s, created_at=AT - days_ago * DAY))

    def played(conn: Any, sid: str, person: str, days_ago: float, was_played: bool) -> None:
        start = AT - days_ago * DAY
        moment = datetime.fromtimestamp(start, UTC)
        conn.execute(insert(t.session_summary).values(
            account_id=who[person], session_id=sid, start_at=start,
            local_day=moment.date().toordinal(), weekday=moment.weekday(), hour=moment.hour,
            duration_s=60.0, played=was_played))

    with hub.storage.write() as conn:
        m = t.memberships.c
        conn.execute(update(t.memberships).where(m.group_id == g.id)
                     .values(joined_at=AT - 100 * DAY))
        conn.execute(update(t.memberships).where(m.group_id == g.id, m.account_id == who["cy"])
                     .values(joined_at=AT - 10 * DAY))
        conn.execute(insert(t.memberships).values(group_id=other.id, account_id=who["an"],
                                                  role="learner", joined_at=AT - 100 * DAY))
        comment(conn, "c-an", "an", 40)
        comment(conn, "c-an-elsewhere", "an", 2, group_id=other.id)
        comment(conn, "c-bo", "bo", 10, reply_to="c-an")
        comment(conn, "c-bo-own", "bo", 60)
        comment(conn, "c-bo-self", "bo", 20, reply_to="c-bo-own")
        played(conn, "s-an", "an", 2, True)
        played(conn, "s-fy", "fy", 1, False)
        conn.execute(update(t.profile_state).where(t.profile_state.c.account_id == who["cy"])
                     .values(motto="Bloemen met liefde"))
        conn.execute(insert(t.reactions), [
            {"account_id": who["di"], "comment_id": "c-an", "kind": "useful",
             "created_at": AT - 33 * DAY},
            {"account_id": who["fy"], "comment_id": "c-an", "kind": "thanks",
             "created_at": AT - 2 * DAY}])
        conn.execute(insert(t.lesson_activity), [
            {"account_id": who["di"], "lesson_id": "p/l1", "first_at": AT - 3 * DAY,
             "last_at": AT - 3 * DAY, "done_at": None},
            {"account_id": who["ed"], "lesson_id": "p/l1", "first_at": AT - 60 * DAY,
             "last_at": AT - 45 * DAY, "done_at": None}])
        conn.execute(insert(t.follows).values(account_id=who["ed"], lesson_id="p/l1",
                                              group_id=g.id, created_at=AT - 15 * DAY))
    return Crafted(hub, trainer, people, g.id)


def counts(**given: int) -> dict[str, int]:
    return {rung: given.get(rung, 0) for rung in ladder.RUNGS}


def history(crafted: Crafted, weeks: int = WEEKS, at: float = AT) -> dict[str, Any]:
    with crafted.hub.storage.read() as conn:
        return ladder.ladder_history(conn, crafted.group_id, weeks, at=at)


def test_every_week_of_the_crafted_group(crafted: Crafted) -> None:
    data = history(crafted)
    assert data["group"] == {"id": crafted.group_id, "name": "Bakers"} and data["days"] == 30
    assert [w["highest"] for w in data["weeks"]] == [
        # an creator, di critic, ed spectator; bo and fy nothing; cy not yet a member
        counts(creator=1, critic=1, spectator=1, inactive=2),
        # ed's follow began a day before this week's end
        counts(creator=1, critic=1, collector=1, inactive=2),
        # an's discussion is 33 days old now; bo answered an; cy has joined
        counts(critic=2, collector=1, joiner=1, inactive=2),
        # di's mark is 33 days old: di is back to watching, as an is
        counts(critic=1, collector=1, joiner=1, spectator=2, inactive=1),
    ]


def test_week_ends_are_seven_days_apart_and_the_last_is_today(crafted: Crafted) -> None:
    ends = [w["week_end"] for w in history(crafted)["weeks"]]
    assert ends == [datetime.fromtimestamp(AT - k * 7 * DAY, UTC).date().isoformat()
                    for k in (3, 2, 1, 0)]


def test_a_learner_counts_only_from_joining(crafted: Crafted) -> None:
    sizes = [sum(w["highest"].values()) for w in history(crafted)["weeks"]]
    assert sizes == [5, 5, 6, 6]


def test_which_weeks_hold_a_moment() -> None:
    """A week's period is [end - 30 days, end); the last week also holds a clock ahead."""
    weeks = ladder._Weeks(WEEKS, AT)
    assert weeks.span(AT - 10 * DAY) == (2, 3)
    assert weeks.span(AT - 37 * DAY) == (0, 2)  # exactly 30 days before the third end: in
    assert weeks.span(AT - 7 * DAY) == (3, 3)  # exactly the third end: not in the third
    assert weeks.span(AT - 7 * DAY - 1) == (2, 3)
    assert weeks.span(AT - 51 * DAY) == (0, 0)  # the oldest moment any week holds
    assert weeks.span(AT - 51 * DAY - 1) is None
    assert weeks.span(AT - 1) == (3, 3)
    assert weeks.span(AT) == (3, 3)
    assert weeks.span(AT + 40 * DAY) == (3, 3)  # a PC clock far ahead: the last week
    # every moment over the whole span, a third of a day apart, against the definition
    ends = weeks.ends
    moment = AT - 52 * DAY
    while moment < AT + 2 * DAY:
        held = [i for i, end in enumerate(ends)
                if end - 30 * DAY <= moment < end or (i == WEEKS - 1 and moment >= end)]
        assert weeks.span(moment) == ((held[0], held[-1]) if held else None), moment
        moment += DAY / 3


def test_one_week_and_many(crafted: Crafted) -> None:
    (only,) = history(crafted, weeks=1)["weeks"]
    assert only == history(crafted)["weeks"][-1]
    many = history(crafted, weeks=ladder.MAX_WEEKS)["weeks"]
    assert len(many) == 52 and many[-4:] == history(crafted)["weeks"]
    # long before anyone joined, the group had no one in it
    assert many[0]["highest"] == counts()


def test_the_route(crafted: Crafted) -> None:
    r = crafted.trainer.get(f"/v1/groups/{crafted.group_id}/ladder", params={"weeks": 4})
    assert r.status_code == 200, r.text
    data = r.json()
    assert len(data["weeks"]) == 4
    # asked a moment after AT: the same weeks, give or take an edge crossed since
    assert data["weeks"][-1]["highest"] == history(crafted, at=time.time())["weeks"][-1][
        "highest"]
    r = crafted.trainer.get(f"/v1/groups/{crafted.group_id}/ladder")
    assert r.status_code == 200 and len(r.json()["weeks"]) == ladder.DEFAULT_WEEKS


@pytest.mark.parametrize("weeks", ["0", "53", "-1", "x", "1.5"])
def test_weeks_out_of_bounds(crafted: Crafted, weeks: str) -> None:
    r = crafted.trainer.get(f"/v1/groups/{crafted.group_id}/ladder", params={"weeks": weeks})
    assert r.status_code == 422, r.text


def test_who_may_ask(crafted: Crafted, hub: LiveHub) -> None:
    path = f"/v1/groups/{crafted.group_id}/ladder"
    assert crafted.people["an"].get(path).status_code == 403  # a learner of the group
    hub.add_trainer("olga")
    assert hub.device("olga").get(path).status_code == 404  # not in the group
    assert crafted.trainer.get("/v1/groups/999999/ladder").status_code == 404
    with hub.client() as c:
        assert c.get(path).status_code == 401


def test_the_last_week_is_the_reports_ladder(group: Group) -> None:
    """Pushed through the real sync path: the last week's counts are the report's (30 days)."""
    r = group.trainer.get(f"/v1/groups/{group.group_id}/ladder", params={"weeks": 2})
    assert r.status_code == 200, r.text
    assert r.json()["weeks"][-1]["highest"] == report(group)["ladder"]["highest"]


def test_many_sessions_fold_by_week_and_a_clock_ahead_counts_last(crafted: Crafted) -> None:
    """fy's played sessions: the database folds them into 7-day buckets by their earliest
    moment; that earliest one decides whether the oldest week holding the bucket counts."""
    def spectators() -> list[int]:
        return [w["highest"]["spectator"] for w in history(crafted)["weeks"]]

    fy = ids(crafted)["fy"]

    def add(sid: str, days_ago: float) -> None:
        with crafted.hub.storage.write() as conn:
            conn.execute(insert(t.session_summary).values(
                account_id=fy, session_id=sid, start_at=AT - days_ago * DAY, local_day=1,
                weekday=0, hour=9, duration_s=60.0, played=True))

    assert spectators() == [1, 0, 0, 2]
    add("later", 18)  # 33 days into the span: the bucket of days 28 to 35
    add("ahead", -3)  # a PC clock three days ahead: the last week, as in the report
    add("ahead2", -40)
    assert spectators() == [1, 1, 1, 3]
    add("earlier", 22)  # day 29 of the span: the same bucket, and inside the oldest week
    assert spectators() == [2, 1, 1, 3]
