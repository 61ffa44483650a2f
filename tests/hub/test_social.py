"""The social loop's change kinds on the hub (issue 11): reactions and follows in their own
tables, drafts and read marks private to their author's devices, announcements by trainers only,
pack offers recorded by the hub once per build. SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from companion.hub import tables as t
from tests.hub.helpers import Device, LiveHub, change
from tests.hub.test_packs import publish_all

LESSON = "sociale-media-nl/01"


def _group(hub: LiveHub) -> tuple[Device, Device, Device, Device, int]:
    """Trainer tina, learners an and bo (bo on two devices), one group."""
    hub.add_trainer("tina")
    group = hub.create_group("Bakkers", "tina")
    an = hub.device("an", invite=group.invite_code)
    bo = hub.device("bo", invite=group.invite_code)
    bo2 = hub.device("bo")
    tina = hub.device("tina")
    return tina, an, bo, bo2, group.id


def _rows(hub: LiveHub, table: Any) -> list[tuple[Any, ...]]:
    with hub.storage.read() as conn:
        return [tuple(r) for r in conn.execute(select(table))]


def _kinds(changes: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [c for c in changes if c["kind"] == kind]


def test_reactions_toggle_one_each_and_reach_the_group(hub: LiveHub) -> None:
    tina, an, bo, _bo2, group_id = _group(hub)
    an.sync([change("comment", "c1", {"group_id": group_id, "lesson_id": LESSON,
                                      "body": "Hoe vaak posten?"})])
    useful = {"reaction": "useful", "on": True}
    out = bo.sync([change("reaction", "c1", useful), change("reaction", "c1", useful),
                   change("reaction", "c1", {"reaction": "thanks"})])
    assert len(out["accepted"]) == 3 and out["rejected"] == []
    rows = _rows(hub, t.reactions)
    assert sorted((r[0], r[1], r[2]) for r in rows) == [
        (bo.account_id, "c1", "thanks"), (bo.account_id, "c1", "useful")]
    bo.sync([change("reaction", "c1", {"reaction": "useful", "on": False})])
    assert [(r[2]) for r in _rows(hub, t.reactions)] == ["thanks"]
    pulled = _kinds(an.pull_all(), "reaction")
    assert [(c["payload"]["reaction"], c["payload"]["on"]) for c in pulled] == [
        ("useful", True), ("useful", True), ("thanks", True), ("useful", False)]
    assert all(c["payload"]["comment_author"] == an.account_id for c in pulled)
    assert len(_kinds(tina.pull_all(), "reaction")) == 4  # the trainer sees the counts too


def test_reactions_refused_with_reasons(hub: LiveHub) -> None:
    _tina, an, bo, _bo2, group_id = _group(hub)
    hub.add_trainer("otto")
    other = hub.create_group("Bloemisten", "otto")
    hub.device("otto").sync([change("comment", "x1", {"group_id": other.id,
                                                       "lesson_id": LESSON, "body": "Elders"})])
    an.sync([change("comment", "c1", {"group_id": group_id, "lesson_id": LESSON,
                                      "body": "Vraag"})])
    bad = [change("reaction", "c1", {"reaction": "useful"}),          # own comment
           change("reaction", "nope", {"reaction": "useful"}),        # no such comment
           change("reaction", "x1", {"reaction": "useful"}),          # another group
           change("reaction", "c1", {"reaction": "love"}),            # unknown mark
           change("reaction", "c1", {"reaction": "useful", "on": "yes"}),
           change("reaction", "c1", {"reaction": "useful"}, op="delete")]
    out = an.sync(bad[:1])
    assert out["rejected"][0]["code"] == "forbidden"
    out = bo.sync(bad[1:])
    assert [r["code"] for r in out["rejected"]] == [
        "invalid", "forbidden", "invalid", "invalid", "invalid"]
    assert _rows(hub, t.reactions) == []


def test_follows_are_private_and_kept_in_their_table(hub: LiveHub) -> None:
    tina, an, bo, bo2, _group_id = _group(hub)
    bo.sync([change("follow", LESSON, {"on": True}), change("follow", "pack/02", {"on": True}),
             change("follow", "pack/02", {"on": False})])
    assert [(r[0], r[1]) for r in _rows(hub, t.follows)] == [(bo.account_id, LESSON)]
    assert len(_kinds(bo2.pull_all(), "follow")) == 3
    assert _kinds(an.pull_all(), "follow") == [] and _kinds(tina.pull_all(), "follow") == []
    out = bo.sync([change("follow", LESSON, {"on": 1}), change("follow", LESSON, {},
                                                                op="append")])
    assert [r["code"] for r in out["rejected"]] == ["invalid", "invalid"]


def test_drafts_and_read_marks_reach_only_my_devices(hub: LiveHub) -> None:
    tina, an, bo, bo2, _group_id = _group(hub)
    draft = change("draft", "d1", {"lesson_id": LESSON, "body": "Ik denk dat", "reply_to": "c9",
                                   "group_id": 1, "extra": "dropped"})
    read = change("notif_read", "reply:" + LESSON, {"seq": 12})
    assert len(bo.sync([draft, read, change("draft", "d1", {}, op="delete")])["accepted"]) == 3
    got = bo2.pull_all()
    assert [c["kind"] for c in got if c["kind"] in ("draft", "notif_read")] == [
        "draft", "notif_read", "draft"]
    assert _kinds(got, "draft")[0]["payload"] == {"lesson_id": LESSON, "body": "Ik denk dat",
                                                  "reply_to": "c9"}
    for other in (an, tina):
        assert [c for c in other.pull_all() if c["kind"] in ("draft", "notif_read")] == []
    with hub.storage.read() as conn:
        c = t.changes.c
        rows = conn.execute(select(c.kind, c.group_id).where(
            c.kind.in_(("draft", "notif_read")))).all()
        assert rows and all(r.group_id is None for r in rows)
        assert conn.execute(select(t.comment_state)).all() == []
    out = bo.sync([change("draft", "d2", {"lesson_id": LESSON, "body": "x" * 10_001}),
                   change("draft", "d3", {"body": "geen les"}),
                   change("notif_read", "k", {"seq": -1}),
                   change("notif_read", "k", {"seq": True}),
                   change("draft", "d4", {"lesson_id": LESSON, "body": "a\x00b"})])
    assert [r["code"] for r in out["rejected"]] == ["invalid"] * 5


def test_announcements_by_trainers_only(hub: LiveHub) -> None:
    tina, an, bo, _bo2, group_id = _group(hub)
    text = {"group_id": group_id, "body": "Donderdag geen les"}
    out = an.sync([change("announcement", "a1", text, op="append")])
    assert out["rejected"][0]["code"] == "forbidden"
    assert "trainer" in out["rejected"][0]["reason"]
    assert tina.sync([change("announcement", "a2", text, op="append")])["rejected"] == []
    out = tina.sync([change("announcement", "a3", {"group_id": group_id, "body": " "}),
                     change("announcement", "a4", {"body": "geen groep"}),
                     change("announcement", "a5", {"group_id": group_id + 1, "body": "x"})])
    assert [r["code"] for r in out["rejected"]] == ["invalid", "invalid", "forbidden"]
    (got,) = _kinds(bo.pull_all(), "announcement")
    assert got["entity_id"] == "a2" and got["payload"] == text


def test_pack_offer_is_one_change_per_build_and_not_pushable(hub: LiveHub) -> None:
    tina, an, _bo, _bo2, group_id = _group(hub)
    publish_all(tina, group_id)
    publish_all(tina, group_id)  # the same build again: no second offer
    (offer,) = _kinds(an.pull_all(), "offer")
    assert offer["payload"]["pack_id"] == "sociale-media-nl"
    assert offer["payload"]["group_id"] == group_id and offer["payload"]["version"] == "1.0"
    fake = change("offer", "p", {"group_id": group_id, "pack_id": "p", "version": "1"})
    assert tina.sync([fake])["rejected"][0]["code"] == "forbidden"


def test_social_payloads_have_the_bounds_of_every_change(hub: LiveHub) -> None:
    """Size per kind (limits.MAX_PAYLOAD_BYTES), nesting and text, as for the other kinds."""
    _tina, an, bo, _bo2, group_id = _group(hub)
    an.sync([change("comment", "c1", {"group_id": group_id, "lesson_id": LESSON,
                                      "body": "Vraag"})])
    deep: dict[str, Any] = {}
    for _ in range(20):
        deep = {"x": deep}
    out = bo.sync([change("reaction", "c1", {"reaction": "useful", "pad": "x" * 2_100}),
                   change("follow", LESSON, {"on": True, "pad": "x" * 2_100}),
                   change("notif_read", "k", {"seq": 1, "pad": deep}),
                   change("draft", "d", {"lesson_id": LESSON, "body": "é" * 9_000,
                                         "pad": "x" * 60_000}),
                   change("follow", LESSON, {"on": True, "pad": "a\x00b"}),
                   change("notif_read", "k", {"seq": 2**63})])
    assert [r["code"] for r in out["rejected"]] == ["invalid"] * 6
    assert "2000 bytes" in out["rejected"][0]["reason"]
    assert _rows(hub, t.reactions) == []
    assert [r[0] for r in _rows(hub, t.follows)] == [an.account_id]  # by writing, not bo
