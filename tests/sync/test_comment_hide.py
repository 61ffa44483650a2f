"""A trainer hides a learner's comment with a reason and restores it, through real syncs.

The author keeps the text and sees the reason; another learner's PC loses the text (also a PC
that pulls everything afresh); a restore brings it back everywhere.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from companion.hub import tables as t
from tests.hub.helpers import LiveHub
from tests.sync.helpers import Pc


def by_id(pc: Pc, comment_id: str):  # -> Comment
    return pc.svc.comments.get(pc.profile_id, comment_id)


@pytest.fixture
def world(hub: LiveHub, invite: str, make_pc) -> tuple[Pc, Pc, str]:
    anna, bart = make_pc("anna"), make_pc("bart", "Bart")
    anna.login(hub.url, "anna", invite)
    bart.login(hub.url, "bart", invite)
    comment = anna.svc.comments.add(anna.profile_id, anna.lessons[0], "Koop mijn kaas!")
    anna.sync()
    bart.sync()
    assert by_id(bart, comment.id).body == "Koop mijn kaas!"
    return anna, bart, comment.id


def test_hide_reaches_author_and_others_then_restore(hub: LiveHub, world, make_pc) -> None:
    anna, bart, cid = world
    tina = hub.device("tina")
    with tina.http() as c:
        r = c.post(f"/v1/comments/{cid}/hide", json={"reason": "  reclame  "})
        assert r.status_code == 200, r.text
    anna.sync()
    bart.sync()
    mine, theirs = by_id(anna, cid), by_id(bart, cid)
    assert (mine.body, mine.hidden_reason) == ("Koop mijn kaas!", "reclame")
    assert (theirs.body, theirs.hidden_reason) == ("", "reclame")
    fresh = make_pc("bart-new", "Bart")
    fresh.login(hub.url, "bart")
    fresh.sync()
    assert (by_id(fresh, cid).body, by_id(fresh, cid).hidden) == ("", True)
    # An edit of a hidden comment stays with its author.
    anna.svc.comments.edit(anna.profile_id, cid, "Koop mijn kaas, nu!")
    anna.sync()
    bart.sync()
    assert by_id(bart, cid).body == ""
    listed = {x["comment_id"]: x for x in hub.device("bart").get(
        f"/v1/groups/{tina.account['groups'][0]['id']}/comments").json()}
    assert listed[cid]["body"] == "" and listed[cid]["hidden_reason"] == "reclame"
    trainer_view = {x["comment_id"]: x for x in tina.get(
        f"/v1/groups/{tina.account['groups'][0]['id']}/comments").json()}
    assert trainer_view[cid]["body"] == "Koop mijn kaas, nu!"
    # Restored: the text (its latest edit) comes back everywhere.
    with tina.http() as c:
        assert c.post(f"/v1/comments/{cid}/restore").status_code == 200
    for pc in (anna, bart, fresh):
        pc.sync()
        assert (by_id(pc, cid).body, by_id(pc, cid).hidden) == ("Koop mijn kaas, nu!", False)
    newest = make_pc("bart-newest", "Bart")
    newest.login(hub.url, "bart")
    newest.sync()
    assert (by_id(newest, cid).body, by_id(newest, cid).hidden) == ("Koop mijn kaas, nu!", False)


def test_only_the_groups_trainer_hides(hub: LiveHub, world) -> None:
    _, _, cid = world
    bart = hub.device("bart")
    with bart.http() as c:
        r = c.post(f"/v1/comments/{cid}/hide", json={"reason": "niet leuk"})
        assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
        assert c.post(f"/v1/comments/{cid}/restore").status_code == 403
    hub.add_trainer("olga")
    hub.create_group("Bloemisten", "olga")
    with hub.device("olga").http() as c:
        assert c.post(f"/v1/comments/{cid}/hide", json={"reason": "x"}).status_code == 404
    with hub.device("tina").http() as c:
        for body in ({"reason": ""}, {"reason": "x" * 501}, {}, {"reason": "a\u0000b"}):
            assert c.post(f"/v1/comments/{cid}/hide", json=body).status_code == 422, body
        assert c.post("/v1/comments/nope/hide", json={"reason": "x"}).status_code == 404


def test_a_hidden_comment_deleted_later_leaves_no_text_anywhere(hub: LiveHub, world) -> None:
    """The restore change carries the text: a later deletion erases it there too."""
    anna, _, cid = world
    tina = hub.device("tina")
    with tina.http() as c:
        assert c.post(f"/v1/comments/{cid}/hide", json={"reason": "reclame"}).status_code == 200
        assert c.post(f"/v1/comments/{cid}/restore").status_code == 200
    anna.svc.comments.delete(anna.profile_id, cid)
    anna.sync()
    with hub.storage.read() as conn:
        payloads = conn.execute(select(t.changes.c.payload).where(
            t.changes.c.entity_id == cid)).scalars().all()
    assert payloads and not any("Koop" in p for p in payloads)
    assert all("body" not in json.loads(p) for p in payloads)


def test_a_learner_pushing_a_hide_is_refused(hub: LiveHub, world) -> None:
    """The kind travels in the sync too, and the hub holds it to the same rule."""
    _, bart, cid = world
    from tests.hub.helpers import change

    out = hub.device("bart").sync([change("comment_hide", cid, {"reason": "weg ermee"})])
    assert out["rejected"][0]["code"] == "forbidden"
    bart.sync()
    assert by_id(bart, cid).hidden is False
