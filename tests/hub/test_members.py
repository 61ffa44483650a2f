"""A trainer's work on members: a new invite code, removing a learner, splitting a group;
and the hidden comment's text withheld at pull time (on SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Any

import pytest

from companion.hub import members
from tests.hub.helpers import Device, LiveHub, change


@pytest.fixture
def bakers(hub: LiveHub) -> tuple[Device, Any]:
    hub.add_trainer("tina")
    return hub.device("tina"), hub.create_group("Bakers", "tina")


def test_a_new_invite_code_stops_the_old_one(hub: LiveHub, bakers) -> None:
    tina, group = bakers
    with tina.http() as c:
        r = c.post(f"/v1/groups/{group.id}/invite")
        assert r.status_code == 200
        code = r.json()["invite_code"]
    assert code != group.invite_code
    with hub.client() as c:
        r = c.post("/v1/accounts", json={"username": "late", "password": "correct horse 1",
                                         "device_id": "d", "invite_code": group.invite_code})
        assert r.status_code == 404
    hub.device("newbie", invite=code)
    learner = hub.device("newbie")
    assert learner.http().post(f"/v1/groups/{group.id}/invite").status_code == 403


def test_remove_a_member(hub: LiveHub, bakers) -> None:
    tina, group = bakers
    ann = hub.device("ann", invite=group.invite_code)
    ann.sync([change("comment", "c1", {"lesson_id": "p/l", "body": "hallo"})])
    with tina.http() as c:
        assert c.delete(f"/v1/groups/{group.id}/members/{ann.account_id}").status_code == 204
        assert c.delete(f"/v1/groups/{group.id}/members/{ann.account_id}").status_code == 404
        assert c.delete(f"/v1/groups/{group.id}/members/{tina.account_id}").status_code == 403
    assert ann.get(f"/v1/groups/{group.id}/comments").status_code == 404
    assert [g["id"] for g in ann.get("/v1/groups").json()] == []
    names = [r["username"] for r in tina.get(f"/v1/groups/{group.id}/report").json()["learners"]]
    assert names == []


def test_spread_deals_active_and_inactive_evenly() -> None:
    rows = [{"account_id": i, "username": f"u{i:02d}", "sessions": i % 3,
             "rung": "inactive" if i % 3 == 0 else "spectator"} for i in range(31)]
    groups = members.spread(rows, 3)
    assert sorted(a for g in groups for a in g) == list(range(31))
    active = {r["account_id"] for r in rows if r["rung"] != "inactive"}
    counts = [len(set(g) & active) for g in groups]
    idle = [len(set(g) - active) for g in groups]
    assert max(counts) - min(counts) <= 1 and max(idle) - min(idle) <= 1
    assert max(map(len, groups)) - min(map(len, groups)) <= 1


def test_split_into_groups(hub: LiveHub, bakers) -> None:
    tina, group = bakers
    people = [hub.device(f"l{i}", invite=group.invite_code) for i in range(7)]
    for p in people[:3]:  # three active learners
        p.sync([change("session", f"s-{p.account_id}",
                       {"event": "app_opened", "started_at": "2026-11-30T10:00:00+01:00"},
                       op="append")])
    people[0].sync([change("comment", "c1", {"lesson_id": "p/l", "body": "voor de splitsing"})])
    with tina.http() as c:
        assert c.post(f"/v1/groups/{group.id}/split", json={"into": 1}).status_code == 422
        assert c.post(f"/v1/groups/{group.id}/split", json={"into": 8}).status_code == 400
        r = c.post(f"/v1/groups/{group.id}/split", json={"into": 3})
    assert r.status_code == 200, r.text
    new = r.json()["groups"]
    assert [g["name"] for g in new] == ["Bakers 1", "Bakers 2", "Bakers 3"]
    assert sorted(g["learners"] for g in new) == [2, 2, 3]
    assert len({g["invite_code"] for g in new}) == 3
    homes = {}
    for g in new:
        learners = tina.get(f"/v1/groups/{g['id']}/report").json()["learners"]
        assert len(learners) == g["learners"]
        for row in learners:
            homes[row["username"]] = g["id"]
    assert sorted(homes) == [f"l{i}" for i in range(7)]
    assert sorted(list(homes.values()).count(g["id"]) for g in new) == [2, 2, 3]
    active_homes = [homes[f"l{i}"] for i in range(3)]
    assert len(set(active_homes)) == 3  # one active learner in each new group
    # The old discussion stays readable by its readers, who can no longer write there.
    first = people[0]
    listed = first.get(f"/v1/groups/{group.id}/comments").json()
    assert [x["body"] for x in listed] == ["voor de splitsing"]
    out = first.sync([change("comment", "c2", {"lesson_id": "p/l", "body": "nog eentje",
                                               "group_id": group.id})])
    assert out["rejected"][0]["code"] == "forbidden"
    out = first.sync([change("comment", "c3", {"lesson_id": "p/l", "body": "in de nieuwe"})])
    assert out["rejected"] == []  # the one group left to write in is the new one
    assert tina.get(f"/v1/groups/{group.id}/report").json()["learners"] == []
    assert people[1].http().post(f"/v1/groups/{new[0]['id']}/split",
                                 json={"into": 2}).status_code in (403, 404)


def test_hidden_text_is_withheld_from_other_learners_pulls(hub: LiveHub, bakers) -> None:
    tina, group = bakers
    ann = hub.device("ann", invite=group.invite_code)
    bob = hub.device("bob", invite=group.invite_code)
    ann.sync([change("comment", "c1", {"lesson_id": "p/l", "body": "koop kaas"})])
    with tina.http() as c:
        assert c.post("/v1/comments/c1/hide", json={"reason": "reclame"}).status_code == 200
    pulled = [x for x in bob.pull_all() if x["entity_id"] == "c1"]
    assert [x["kind"] for x in pulled] == ["comment", "comment_hide"]
    assert "body" not in pulled[0]["payload"] and pulled[0]["payload"]["hidden"] is True
    assert pulled[1]["payload"]["reason"] == "reclame"
    ann_phone = hub.device("ann")
    mine = [x for x in ann_phone.pull_all() if x["entity_id"] == "c1"]
    assert mine[0]["payload"]["body"] == "koop kaas"
    with tina.http() as c:
        assert c.post("/v1/comments/c1/restore").status_code == 200
    restored = [x for x in bob.pull_all() if x["entity_id"] == "c1"]
    assert restored[-1]["op"] == "delete" and restored[-1]["payload"]["body"] == "koop kaas"
