"""A learner in several groups comments without naming a group (the app does not ask): the hub
places the comment in the group that was offered the lesson's pack, a reply in its comment's
group, and refuses with a reason when that does not decide it."""

from __future__ import annotations

from tests.hub.helpers import LiveHub, change
from tests.hub.test_packs import publish_all


def test_the_lessons_group_or_the_parents_group(hub: LiveHub) -> None:
    hub.add_trainer("tina")
    bakers = hub.create_group("Bakkers", "tina")
    florists = hub.create_group("Bloemisten", "tina")
    lea = hub.device("lea", invite=bakers.invite_code)
    with lea.http() as c:
        assert c.post("/v1/groups/join",
                      json={"invite_code": florists.invite_code}).status_code == 200
    publish_all(hub.device("tina"), florists.id)  # pack "sociale-media-nl", to the florists only
    ask = change("comment", "c1", {"lesson_id": "sociale-media-nl/01", "body": "Vraag"})
    reply = change("comment", "c2", {"lesson_id": "sociale-media-nl/01", "body": "Antwoord",
                                     "reply_to": "c1"})
    elsewhere = change("comment", "c3", {"lesson_id": "ander-pakket/01", "body": "Hier?"})
    out = lea.sync([ask, reply, elsewhere])
    assert [a["change_id"] for a in out["accepted"]] == [ask["change_id"], reply["change_id"]]
    (refused,) = out["rejected"]
    assert refused["change_id"] == elsewhere["change_id"] and refused["code"] == "invalid"
    assert "several groups" in refused["reason"]
    florist_view = hub.device("tina").get(f"/v1/groups/{florists.id}/comments").json()
    assert {c["comment_id"] for c in florist_view} == {"c1", "c2"}
    assert hub.device("tina").get(f"/v1/groups/{bakers.id}/comments").json() == []
