"""Who sees what: a test for every rule of the hub."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from companion.hub import tables as t
from tests.hub.helpers import Device, LiveHub, change


@dataclass
class World:
    hub: LiveHub
    trainer: Device  # trainer of group A
    other_trainer: Device  # trainer of group B
    alice: Device  # learner in A
    alice_phone: Device  # alice's second device
    bob: Device  # learner in A
    carol: Device  # learner in B
    group_a: int
    group_b: int


@pytest.fixture
def world(hub: LiveHub) -> World:
    """Two groups with a trainer each; alice and bob in A (alice on two devices), carol in B."""
    hub.add_trainer("trainer")
    hub.add_trainer("trainer-b")
    a = hub.create_group("Bakers", "trainer")
    b = hub.create_group("Florists", "trainer-b")
    alice = hub.device("alice", invite=a.invite_code)
    return World(hub, hub.device("trainer"), hub.device("trainer-b"), alice,
                 hub.device("alice"), hub.device("bob", invite=a.invite_code),
                 hub.device("carol", invite=b.invite_code), a.id, b.id)


def kinds(device: Device, kind: str) -> list[dict]:
    return [c for c in device.pull_all() if c["kind"] == kind]


def test_notes_reach_only_the_same_persons_devices(world: World) -> None:
    """A note goes to the author's other devices, never to group members or trainers."""
    world.alice.sync([change("note", "n1", {"lesson_id": "l", "body": "private"})])
    assert [c["entity_id"] for c in kinds(world.alice_phone, "note")] == ["n1"]
    for device in (world.bob, world.trainer, world.carol, world.other_trainer):
        assert kinds(device, "note") == []


def test_progress_and_quiz_reach_only_own_devices(world: World) -> None:
    """Progress and quiz attempts are pulled by the person's own devices only."""
    world.alice.sync([change("progress", "l", {"position_s": 5.0, "done": True}),
                      change("quiz_attempt", "q", {"lesson_id": "l", "score": 1, "total": 2},
                             op="append")])
    assert sorted(c["kind"] for c in world.alice_phone.pull_all()
                  if c["kind"] in ("progress", "quiz_attempt")) == ["progress", "quiz_attempt"]
    for device in (world.bob, world.trainer, world.carol):
        assert [c for c in device.pull_all() if c["kind"] in ("progress", "quiz_attempt")] == []


def test_comments_stay_within_the_group(world: World) -> None:
    """A comment reaches the members of its group and no one else, by pull and by listing."""
    out = world.alice.sync([change("comment", "c1", {"lesson_id": "l", "body": "hi all"})])
    assert out["rejected"] == []
    for device in (world.bob, world.trainer, world.alice_phone):
        assert [c["entity_id"] for c in kinds(device, "comment")] == ["c1"]
    for device in (world.carol, world.other_trainer):
        assert kinds(device, "comment") == []
    listed = world.bob.get(f"/v1/groups/{world.group_a}/comments", params={"lesson_id": "l"})
    assert [c["body"] for c in listed.json()] == ["hi all"]
    assert world.carol.get(f"/v1/groups/{world.group_a}/comments").status_code == 404


def test_cannot_comment_in_someone_elses_group(world: World) -> None:
    """A comment aimed at a group the author is not in is rejected as forbidden."""
    out = world.carol.sync([change("comment", "c1", {"group_id": world.group_a,
                                                     "lesson_id": "l", "body": "sneak"})])
    assert out["rejected"][0]["code"] == "forbidden"
    assert kinds(world.bob, "comment") == []


def test_author_comes_from_the_token_not_the_payload(world: World) -> None:
    """Claims of another author or device in a change are ignored: the token decides."""
    fake = change("comment", "c1", {"lesson_id": "l", "body": "I am bob",
                                    "author_id": world.bob.account_id})
    fake["device_id"] = world.bob.device_id
    fake["account_id"] = world.bob.account_id
    world.alice.sync([fake])
    got = kinds(world.trainer, "comment")
    assert got[0]["author_id"] == world.alice.account_id
    assert got[0]["device_id"] == world.alice.device_id
    assert "author_id" not in got[0]["payload"]
    listed = world.trainer.get(f"/v1/groups/{world.group_a}/comments").json()
    assert listed[0]["author_id"] == world.alice.account_id


def test_only_the_author_edits_a_comment(world: World) -> None:
    """Bob cannot edit alice's comment (forbidden); alice can."""
    world.alice.sync([change("comment", "c1", {"lesson_id": "l", "body": "first"})])
    out = world.bob.sync([change("comment", "c1", {"body": "defaced"})])
    assert out["rejected"][0]["code"] == "forbidden"
    out = world.alice.sync([change("comment", "c1", {"body": "second"})])
    assert out["rejected"] == []
    listed = world.bob.get(f"/v1/groups/{world.group_a}/comments").json()
    assert listed[0]["body"] == "second" and listed[0]["edited"] is True


def test_comment_deletion_by_author_or_trainer_only(world: World) -> None:
    """A learner cannot delete another's comment; the group's trainer can, as a tombstone."""
    world.alice.sync([change("comment", "c1", {"lesson_id": "l", "body": "spam"})])
    out = world.bob.sync([change("comment", "c1", {}, op="delete")])
    assert out["rejected"][0]["code"] == "forbidden"
    with world.other_trainer.http() as c:
        assert c.delete("/v1/comments/c1").status_code == 404
    with world.trainer.http() as c:
        r = c.delete("/v1/comments/c1")
    assert r.status_code == 200, r.text
    world.bob.pull_all()
    pulled = [c for c in world.bob.received if c["kind"] == "comment"]
    assert [c["op"] for c in pulled] == ["upsert", "delete"]
    assert pulled[-1]["author_id"] == world.trainer.account_id
    out = world.alice.sync([change("comment", "c1", {"body": "back again"})])
    assert out["rejected"][0]["code"] == "forbidden"
    listed = world.bob.get(f"/v1/groups/{world.group_a}/comments",
                           params={"include_deleted": True}).json()
    assert listed[0]["deleted"] is True and listed[0]["body"] == ""


def test_author_deletes_own_comment_by_sync(world: World) -> None:
    """The author deletes a comment with a delete change; members see the tombstone."""
    world.alice.sync([change("comment", "c1", {"lesson_id": "l", "body": "oops"})])
    out = world.alice.sync([change("comment", "c1", {}, op="delete")])
    assert out["rejected"] == []
    assert world.bob.get(f"/v1/groups/{world.group_a}/comments").json() == []


def test_profiles_reach_group_members_only(world: World) -> None:
    """Public profile fields go to people who share a group, not to other groups."""
    world.alice.sync([change("profile", "p", {"name": "Alice Baker", "motto": "Bread first",
                                              "language": "nl", "pin_hash": "secret"})])
    got = kinds(world.bob, "profile")
    mine = [c for c in got if c["author_id"] == world.alice.account_id]
    assert mine[-1]["payload"] == {"name": "Alice Baker", "motto": "Bread first"}
    assert [c for c in kinds(world.carol, "profile")
            if c["author_id"] == world.alice.account_id] == []
    members = world.bob.get(f"/v1/groups/{world.group_a}/members").json()
    assert {m["name"] for m in members} >= {"Alice Baker", "bob", "trainer"}
    assert world.carol.get(f"/v1/groups/{world.group_a}/members").status_code == 404


def test_trainer_sees_progress_of_own_groups_only(world: World) -> None:
    """The progress view is for the group's trainers: not learners, not other trainers."""
    world.alice.sync([
        change("progress", "l1", {"position_s": 10.0, "watched_s": 170.0, "done": True}),
        change("session", "s1", {"started_at": "2024-05-06T11:40:00+02:00", "duration_s": 240},
               op="append"),
        change("session", "s2", {"event": "app_opened", "started_at": "2024-05-07T13:10:00+02:00",
                                 "hour": 13, "weekday": 2}, op="append"),
        change("session", "s2", {"event": "lesson_played", "lesson_id": "l1", "from_s": 0.0,
                                 "to_s": 60.0, "started_at": "2024-05-07T13:10:00+02:00",
                                 "ended_at": "2024-05-07T13:11:00+02:00", "hour": 13,
                                 "weekday": 2}, op="append"),
        change("session", "s2", {"event": "app_closed", "started_at": "2024-05-07T13:10:00+02:00",
                                 "ended_at": "2024-05-07T13:12:00+02:00", "duration_s": 120,
                                 "hour": 13, "weekday": 2}, op="append"),
        change("comment", "c1", {"lesson_id": "l1", "body": "nice"}),
    ])
    r = world.trainer.get(f"/v1/groups/{world.group_a}/progress")
    assert r.status_code == 200
    report = r.json()
    alice = next(x for x in report["learners"] if x["username"] == "alice")
    assert alice["lessons_done"] == 1 and alice["sessions"] == 2 and alice["comments"] == 1
    assert alice["learning_minutes"] == 6.0
    assert alice["participation"] == "creator"  # a discussion started: issue 10 ladder
    assert report["popular_hours"][11] == 1 and report["popular_hours"][13] == 1
    assert report["participation"]["inactive"] == 1  # bob
    assert world.other_trainer.get(f"/v1/groups/{world.group_a}/progress").status_code == 404
    assert world.bob.get(f"/v1/groups/{world.group_a}/progress").status_code == 403


def test_invite_codes_are_shown_to_trainers_only(world: World) -> None:
    """Learners see their groups without the invite code; the trainer sees it."""
    assert "invite_code" not in [k for g in world.bob.get("/v1/groups").json() for k in g
                                 if g[k] is not None]
    assert world.trainer.get("/v1/groups").json()[0]["invite_code"]


def test_state_is_kept_per_account(world: World) -> None:
    """Two people using the same note id never touch each other's note."""
    world.alice.sync([change("note", "same-id", {"lesson_id": "l", "body": "alice"})])
    world.bob.sync([change("note", "same-id", {"lesson_id": "l", "body": "bob"})])
    with world.hub.storage.read() as conn:
        rows = conn.execute(t.note_state.select().order_by(t.note_state.c.body)).all()
    assert [r.body for r in rows] == ["alice", "bob"]
