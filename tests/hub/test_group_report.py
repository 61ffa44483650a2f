"""The trainer's group report: every number on a crafted group, who may read it, privacy."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import select, update

from companion.hub import reports
from companion.hub import tables as t
from tests.hub.helpers import Device, LiveHub, change

COVER = b"a cover"
SHOP = timezone(timedelta(hours=1))  # the shop's clock: its offset travels in started_at
DAY = 86400.0
MANIFEST = {
    "format": "companion-pack", "format_version": 1,
    "pack": {"id": "p", "title": "Sociale media", "version": "1.0", "language": "nl"},
    "lessons": [
        {"id": "l1", "title": "Instagram", "duration_s": 100.0},
        {"id": "l2", "title": "Facebook", "duration_s": 60.0,
         "quiz": [{"question": "Q1", "choices": ["a", "b"], "answer": 0},
                  {"question": "Q2", "choices": ["a", "b"], "answer": 0},
                  {"question": "Q3", "choices": ["a", "b"], "answer": 1}]},
    ],
    "files": [{"path": "cover.png", "sha256": hashlib.sha256(COVER).hexdigest(),
               "size": len(COVER)}],
}
SECRETS = {"note_body": "SECRET-NOTE-BODY-7781", "note_id": "note-id-secret-4410",
           "note_lesson": "p/secret-lesson-9912", "comment_body": "COMMENT-TEXT-5521",
           "reply_body": "REPLY-TEXT-3307", "password": "correct horse battery"}


@dataclass
class Group:
    hub: LiveHub
    trainer: Device
    people: dict[str, Device]
    group_id: int
    starts: list[datetime]  # the shop-clock starts of the sessions in the period


def at_shop(days_ago: float, hour: int, minute: int = 0) -> datetime:
    moment = datetime.now(SHOP) - timedelta(days=days_ago)
    return moment.replace(hour=hour, minute=minute, second=0, microsecond=0)


def session(sid: str, start: datetime, event: str, **extra: Any) -> dict[str, Any]:
    payload = {"event": event, "started_at": start.isoformat(), "hour": start.hour,
               "weekday": start.isoweekday(), **extra}
    return change("session", sid, payload, op="append")


@pytest.fixture
def group(hub: LiveHub) -> Group:
    """an: creator, stalled on l2 and failed its quiz twice; bo: critic (answers an); cy:
    joiner (a motto, nothing else); di: spectator (a played lesson 10 days ago, one session
    40 days ago); ed: nothing at all."""
    hub.add_trainer("tina")
    g = hub.create_group("Bakers", "tina")
    trainer = hub.device("tina")
    people = {name: hub.device(name, invite=g.invite_code) for name in ("an", "bo", "cy", "di",
                                                                       "ed")}
    with trainer.http() as c:
        assert c.put(f"/v1/media/{MANIFEST['files'][0]['sha256']}",
                     content=COVER).status_code == 201
        r = c.post(f"/v1/groups/{g.id}/packs", json={"manifest": json.dumps(MANIFEST)})
        assert r.status_code == 201, r.text
    s1, s2, s3 = at_shop(3, 11, 40), at_shop(1, 13, 10), at_shop(10, 9, 5)
    old = at_shop(40, 16)
    an = people["an"]
    out = an.sync([
        change("progress", "p/l1", {"position_s": 0.0, "watched_s": 100.0, "done": True}),
        change("progress", "p/l2", {"position_s": 30.0, "watched_s": 30.0, "done": False}),
        change("quiz_attempt", "qa1", {"lesson_id": "p/l2", "answers": [1, 1, 1], "score": 1,
                                       "total": 3}, op="append"),
        change("quiz_attempt", "qa2", {"lesson_id": "p/l2", "answers": [0, 1, 0], "score": 1,
                                       "total": 3}, op="append"),
        session("s1", s1, "app_opened"),
        session("s1", s1, "lesson_played", lesson_id="p/l1", from_s=0.0, to_s=100.0),
        session("s1", s1, "app_closed", duration_s=240),
        session("s2", s2, "app_opened"),
        session("s2", s2, "app_closed", duration_s=120),
        change("comment", "c1", {"lesson_id": "p/l1", "body": SECRETS["comment_body"]}),
        change("note", SECRETS["note_id"], {"lesson_id": SECRETS["note_lesson"],
                                            "body": SECRETS["note_body"]}),
    ])
    assert out["rejected"] == []
    # The stalled lesson was started 9 days ago: the hub's receive time says when.
    with hub.storage.write() as conn:
        conn.execute(update(t.changes).where(t.changes.c.kind == "progress",
                                             t.changes.c.entity_id == "p/l2")
                     .values(received_at=t.changes.c.received_at - 9 * DAY))
        la = t.lesson_activity.c
        conn.execute(update(t.lesson_activity).where(la.lesson_id == "p/l2")
                     .values(first_at=la.first_at - 9 * DAY))
    out = people["bo"].sync([
        change("progress", "p/l1", {"position_s": 50.0, "watched_s": 50.0}),
        change("comment", "c2", {"lesson_id": "p/l1", "body": SECRETS["reply_body"],
                                 "reply_to": "c1"}),
        change("comment", "c3", {"lesson_id": "p/l1", "body": "own thread", "reply_to": "c2"}),
    ])
    assert out["rejected"] == []
    # bo's own top-level comment? No: c3 answers bo's own reply, which makes no one a critic.
    people["cy"].sync([change("profile", "cy", {"motto": "Bloemen met liefde"})])
    people["di"].sync([session("s3", s3, "app_opened"),
                       session("s3", s3, "lesson_played", lesson_id="p/l2", from_s=0.0,
                               to_s=20.0),
                       session("s4", old, "app_opened")])
    return Group(hub, trainer, people, g.id, [s1, s2, s3])


def report(group: Group, days: int | None = None) -> dict[str, Any]:
    params = {"days": days} if days else {}
    r = group.trainer.get(f"/v1/groups/{group.group_id}/report", params=params)
    assert r.status_code == 200, r.text
    return r.json()


def rows(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {row["username"]: row for row in data["learners"]}


def test_learner_rows(group: Group) -> None:
    data = report(group)
    assert data["group"] == {"id": group.group_id, "name": "Bakers"} and data["days"] == 30
    by = rows(data)
    assert sorted(by) == ["an", "bo", "cy", "di", "ed"]
    an = by["an"]
    assert (an["lessons_done"], an["lessons_started"], an["sessions"], an["minutes"]) == \
        (1, 2, 2, 6.0)
    assert an["quiz_best"] == {"p/l2": {"best": 1, "total": 3}}
    # Writing in a discussion follows it (issue 11): both writers are collectors too.
    assert an["rung"] == "creator" and an["rungs"] == ["creator", "collector", "spectator"]
    assert [(h["code"], h.get("lesson_id")) for h in an["needs_help"]] == [
        ("lesson_stalled", "p/l2"), ("quiz_failed", "p/l2")]
    assert an["needs_help"][0]["days"] == 9 and an["needs_help"][1]["failures"] == 2
    assert an["needs_help"][0]["lessons"] == ["p/l2"]
    assert an["last_active"] is not None
    assert by["bo"]["rung"] == "critic" and by["bo"]["needs_help"] == []
    assert by["bo"]["rungs"] == ["critic", "collector", "spectator"]
    assert by["cy"]["rung"] == "joiner" and by["cy"]["motto"] == "Bloemen met liefde"
    assert [h["code"] for h in by["cy"]["needs_help"]] == ["inactive"]
    assert by["cy"]["last_active"] is None
    di = by["di"]
    assert (di["rung"], di["sessions"], di["minutes"], di["needs_help"]) == \
        ("spectator", 1, 0.0, [])
    assert by["ed"]["rung"] == "inactive" and by["ed"]["rungs"] == ["inactive"]


def test_ladder_adds_up_and_overlaps(group: Group) -> None:
    ladder = report(group)["ladder"]
    assert ladder["highest"] == {"creator": 1, "critic": 1, "collector": 0, "joiner": 1,
                                 "spectator": 1, "inactive": 1}
    assert sum(ladder["highest"].values()) == 5
    assert ladder["overlapping"] == {"creator": 1, "critic": 1, "collector": 2, "joiner": 1,
                                     "spectator": 3, "inactive": 1}


def test_hours_are_weekday_by_hour_on_the_shop_clock(group: Group) -> None:
    expected = [[0] * 24 for _ in range(7)]
    for start in group.starts:
        expected[start.weekday()][start.hour] += 1
    assert report(group)["hours"] == expected
    assert sum(w["sessions"] for w in report(group)["weeks"]) == 3


def test_overview_against_the_previous_period(group: Group) -> None:
    overview = report(group)["overview"]
    assert overview["members"] == {"value": 5, "previous": 0}  # all joined just now
    assert overview["active_7d"] == {"value": 1, "previous": 1}  # an; di 10 days ago
    assert overview["sessions"] == {"value": 3, "previous": 1}  # di's session 40 days ago
    assert overview["lessons_done"] == {"value": 1, "previous": 0}


def test_lessons(group: Group) -> None:
    lessons = {x["lesson_id"]: x for x in report(group)["lessons"]}
    assert list(lessons) == ["p/l1", "p/l2"]
    l1, l2 = lessons["p/l1"], lessons["p/l2"]
    assert (l1["title"], l1["viewers"], l1["completions"], l1["median_watched"]) == \
        ("Instagram", 2, 1, 0.75)
    assert l1["stops"] == [0, 0, 0, 0, 0, 1, 0, 0, 0, 0]  # bo stopped at 50 of 100 s
    assert l1["questions"] == []
    assert (l2["viewers"], l2["completions"], l2["median_watched"]) == (1, 0, 0.5)
    assert [q["share_right"] for q in l2["questions"]] == [0.5, 0.0, 0.5]
    assert [q["answers"] for q in l2["questions"]] == [2, 2, 2]


def test_a_shorter_period_leaves_older_activity_out(group: Group) -> None:
    by = rows(report(group, days=7))
    assert by["di"]["sessions"] == 0 and by["di"]["rung"] == "inactive"  # played 10 days ago
    assert by["an"]["sessions"] == 2


def test_who_may_read_the_report(group: Group, hub: LiveHub) -> None:
    path = f"/v1/groups/{group.group_id}/report"
    assert group.people["an"].get(path).status_code == 403
    hub.add_trainer("olga")
    hub.create_group("Florists", "olga")
    assert hub.device("olga").get(path).status_code == 404
    for days in (0, -1, 367, "x"):
        r = group.trainer.get(path, params={"days": days})
        assert r.status_code == 422 and r.json()["error"]["code"] == "invalid"
    assert group.trainer.get(path, params={"days": 366}).status_code == 200
    with hub.client() as c:
        assert c.get(path).status_code == 401


def test_what_my_trainer_sees_is_my_own_row(group: Group, hub: LiveHub) -> None:
    mine = group.people["bo"].get("/v1/me/report", params={"group": group.group_id})
    assert mine.status_code == 200
    data = mine.json()
    assert [r["username"] for r in data["learners"]] == ["bo"]
    assert data["learners"][0] == rows(report(group))["bo"]
    hub.add_trainer("olga")
    hub.create_group("Florists", "olga")
    assert hub.device("olga").get("/v1/me/report",
                                  params={"group": group.group_id}).status_code == 404
    assert group.people["bo"].get("/v1/me/report").status_code == 422


def test_learner_rows_hold_exactly_the_allowed_fields(group: Group) -> None:
    for row in report(group)["learners"]:
        assert tuple(row) == reports.LEARNER_FIELDS


@pytest.mark.parametrize("field", sorted(SECRETS))
def test_private_text_never_reaches_the_report(group: Group, field: str) -> None:
    """Notes, drafts, comment text and passwords stay out of the report and my own row."""
    text = json.dumps(report(group)) + json.dumps(group.people["an"].get(
        "/v1/me/report", params={"group": group.group_id}).json())
    assert SECRETS[field] not in text


def test_drafts_never_reach_the_report(group: Group) -> None:
    """A learner's unsent comment (a ``draft``, issue 11) is stored by the hub for their own
    devices only: neither its text, its id nor its lesson reaches the trainer's report."""
    secret = {"id": "draft-id-secret-6021", "body": "DRAFT-TEXT-8843",
              "lesson": "p/draft-lesson-1177"}
    out = group.people["an"].sync([change("draft", secret["id"], {
        "lesson_id": secret["lesson"], "body": secret["body"]})])
    assert out["rejected"] == []
    with group.hub.storage.read() as conn:  # it is on the hub, so leaving it out is the report's
        assert conn.execute(select(t.changes.c.payload).where(
            t.changes.c.entity_id == secret["id"])).scalar_one()
    text = json.dumps(report(group)) + json.dumps(report(group, days=365))
    assert not [value for value in secret.values() if value in text]


def test_useful_marks_make_a_critic(group: Group, hub: LiveHub) -> None:
    if "reactions" not in t.metadata.tables:
        pytest.skip("this hub has no reactions table yet (issue 11)")
    from sqlalchemy import insert
    with hub.storage.write() as conn:
        conn.execute(insert(t.metadata.tables["reactions"]).values(
            account_id=group.people["cy"].account_id, comment_id="c1", kind="useful",
            created_at=datetime.now().timestamp()))
    assert rows(report(group))["cy"]["rung"] == "critic"


def test_marks_that_make_no_critic(group: Group, hub: LiveHub) -> None:
    """A mark on one's own comment, on a comment of no group of theirs, a "thanks", or one
    from before the period: none of them counts (the query walks the marks, not the
    comments; it must keep every condition of the join it replaced)."""
    if "reactions" not in t.metadata.tables:
        pytest.skip("this hub has no reactions table yet (issue 11)")
    from sqlalchemy import insert
    before = rows(report(group))
    now = datetime.now().timestamp()
    people = group.people
    with hub.storage.write() as conn:
        conn.execute(insert(t.metadata.tables["reactions"]), [
            {"account_id": people["an"].account_id, "comment_id": "c1", "kind": "useful",
             "created_at": now},  # an's own comment
            {"account_id": people["ed"].account_id, "comment_id": "nope", "kind": "useful",
             "created_at": now},
            {"account_id": people["ed"].account_id, "comment_id": "c1", "kind": "thanks",
             "created_at": now},
            {"account_id": people["di"].account_id, "comment_id": "c1", "kind": "useful",
             "created_at": now - 40 * 86400},
        ])
    after = rows(report(group))
    for name in ("an", "di", "ed"):
        assert after[name]["rungs"] == before[name]["rungs"], name
        assert "critic" not in after[name]["rungs"] or name == "an"
    assert after["ed"]["rung"] == "inactive" and after["di"]["rung"] == "spectator"


def test_the_old_progress_view_uses_the_same_ladder(group: Group) -> None:
    old = group.trainer.get(f"/v1/groups/{group.group_id}/progress").json()
    assert old["participation"] == report(group)["ladder"]["highest"]
    assert {r["username"]: r["participation"] for r in old["learners"]} == {
        name: row["rung"] for name, row in rows(report(group)).items()}


def test_one_learners_lessons_and_sessions(group: Group, hub: LiveHub) -> None:
    an = group.people["an"]
    r = group.trainer.get(f"/v1/groups/{group.group_id}/learners/{an.account_id}")
    assert r.status_code == 200
    detail = r.json()
    lessons = {x["lesson_id"]: x for x in detail["lessons"]}
    assert set(lessons) == {"p/l1", "p/l2"}
    assert lessons["p/l1"]["done"] and lessons["p/l1"]["title"] == "Instagram"
    assert lessons["p/l2"]["quiz_best"] == 1 and lessons["p/l2"]["done_at"] is None
    assert len(detail["sessions"]) == 2 and detail["sessions"][0]["minutes"] == 2.0
    assert SECRETS["note_body"] not in r.text and SECRETS["comment_body"] not in r.text
    path = f"/v1/groups/{group.group_id}/learners"
    assert an.get(f"{path}/{an.account_id}").status_code == 403
    assert group.trainer.get(f"{path}/{group.trainer.account_id}").status_code == 404
    assert group.trainer.get(f"{path}/999999").status_code == 404
    assert group.trainer.get(f"{path}/0").status_code == 422


def test_a_comment_keeps_the_time_it_arrived_through_edits(group: Group, hub: LiveHub) -> None:
    """The report dates a discussion by when its first comment arrived: editing it later
    makes no one a creator again."""
    cs = t.comment_state.c
    with hub.storage.write() as conn:
        conn.execute(update(t.comment_state).where(cs.comment_id == "c1")
                     .values(created_at=cs.created_at - 40 * DAY))
        before = conn.execute(select(cs.created_at).where(cs.comment_id == "c1")).scalar_one()
    out = group.people["an"].sync([change("comment", "c1", {"lesson_id": "p/l1",
                                                            "body": "edited"})])
    assert out["rejected"] == []
    with hub.storage.read() as conn:
        assert conn.execute(select(cs.created_at).where(cs.comment_id == "c1")
                            ).scalar_one() == before
    an = next(r for r in report(group)["learners"] if r["username"] == "an")
    assert "creator" not in an["rungs"]


def test_the_median_share_watched_clips_each_viewer_before_the_middle() -> None:
    """Someone who watched a lesson twice counts as having watched all of it, no more: of
    80% and 140% the median is 90%, not 100%."""
    assert reports._median_share([80.0, 140.0], 100.0) == 0.9
    assert reports._median_share([140.0, 10.0, 80.0], 100.0) == 0.8
    assert reports._median_share([250.0, 300.0], 100.0) == 1.0
    assert reports._median_share([], 100.0) is None
