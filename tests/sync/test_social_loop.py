"""The social loop end to end (issue 11): two learners and a trainer on a real hub (SQLite, and
PostgreSQL when configured), each on their own library PC, driven through the core calls and the
`companion` command."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from companion.cli import main
from companion.core.notifications import Notifications, QuietHours
from companion.core.social import Drafts, Follows
from companion.hub import tables as t
from companion.hub.settings import HubSettings
from companion.services import build_services
from tests.hub.conftest import database_url, postgres_schema  # noqa: F401 (fixtures)
from tests.hub.helpers import LiveHub, start_hub
from tests.hub.test_packs import publish_all
from tests.sync.helpers import Pc


@pytest.fixture
def hub(tmp_path: Path, database_url: str | None) -> Iterator[LiveHub]:
    settings = HubSettings(data_dir=tmp_path / "hub", database_url=database_url,
                           argon2_time_cost=1, argon2_memory_kib=1024, argon2_parallelism=1)
    live = start_hub(settings)
    try:
        yield live
    finally:
        live.stop()


@pytest.fixture
def people(hub: LiveHub, make_pc) -> tuple[Pc, Pc, Pc]:
    """Learners An and Bo and trainer Tina, each logged in on a PC, all synced once."""
    hub.add_trainer("tina")
    invite = hub.create_group("Bakkers", "tina").invite_code
    an, bo, tina = make_pc("an", "An"), make_pc("bo", "Bo"), make_pc("tina", "Tina")
    an.login(hub.url, "an", invite)
    bo.login(hub.url, "bo", invite)
    tina.login(hub.url, "tina")
    for pc in (an, bo, tina):
        pc.sync()
    return an, bo, tina


def notes(pc: Pc, unread: bool = False) -> list[dict[str, Any]]:
    return [n.to_dict() for n in Notifications(pc.svc.db).list(pc.profile_id, unread)]


def cli(capsys, monkeypatch, pc: Pc, *args: str) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    status = main(["--home", str(pc.home), "--profile", pc.svc.profiles.get(pc.profile_id).name,
                   *args])
    out, err = capsys.readouterr()
    return status, out, err


def test_a_reply_while_offline_is_exactly_one_notification(people) -> None:
    an, bo, tina = people
    lesson = an.lessons[0]
    question = an.svc.comments.add(an.profile_id, lesson, "Hoe vaak moet ik posten?")
    an.sync()
    bo.sync()
    bo.svc.comments.add(bo.profile_id, lesson, "Twee keer per week", reply_to=question.id)
    bo.sync()
    assert notes(an) == []  # An was offline: nothing yet
    an.sync()
    an.sync()  # a second sync brings nothing new, and counts nothing twice
    (reply,) = notes(an)
    assert {k: reply[k] for k in ("kind", "lesson_id", "from", "count", "text", "read")} == {
        "kind": "reply", "lesson_id": lesson, "from": ["Bo"], "count": 1,
        "text": "Twee keer per week", "read": False}
    assert Notifications(an.svc.db).unread_count(an.profile_id) == 1
    assert notes(bo) == []  # my own actions never notify me
    tina.sync()
    assert notes(tina) == []  # the trainer follows nothing and wrote nothing here


def test_five_replies_are_one_bundle_until_read(people, capsys, monkeypatch) -> None:
    an, bo, tina = people
    lesson = an.lessons[1]
    question = an.svc.comments.add(an.profile_id, lesson, "Welke hashtags?")
    an.sync()
    bo.sync()
    tina.sync()
    for i in range(3):
        bo.svc.comments.add(bo.profile_id, lesson, f"Idee {i}", reply_to=question.id)
    for i in range(2):
        tina.svc.comments.add(tina.profile_id, lesson, f"Tip {i}", reply_to=question.id)
    bo.sync()
    tina.sync()
    an.sync()
    status, out, _ = cli(capsys, monkeypatch, an, "notifications", "--json")
    (bundle,) = json.loads(out)
    assert status == 0 and bundle["kind"] == "reply" and bundle["count"] == 5
    assert bundle["from"] == ["Bo", "Tina"] and bundle["text"] == "Tip 1"
    assert bundle["summary"].startswith("5 new replies on ")
    status, out, _ = cli(capsys, monkeypatch, an, "notifications", "read", "--all")
    assert status == 0 and out.strip() == "1 marked read"
    assert json.loads(cli(capsys, monkeypatch, an, "notifications", "--unread", "--json")[1]) \
        == []
    bo.svc.comments.add(bo.profile_id, lesson, "Nog een", reply_to=question.id)
    bo.sync()
    an.sync()
    (again,) = notes(an)
    assert again["id"] == bundle["id"] and again["count"] == 1 and not again["read"]


def test_reading_on_one_device_reads_it_on_the_other(hub: LiveHub, people, make_pc, capsys,
                                                     monkeypatch) -> None:
    an, bo, _tina = people
    home = make_pc("an-home", "An")
    home.login(hub.url, "an")
    lesson = an.lessons[0]
    question = an.svc.comments.add(an.profile_id, lesson, "Vraag")
    an.sync()
    bo.sync()
    bo.svc.comments.add(bo.profile_id, lesson, "Antwoord", reply_to=question.id)
    bo.sync()
    an.sync()
    home.sync()
    (on_shop,) = notes(an)
    (on_home,) = notes(home)
    assert on_home["kind"] == "reply" and not on_home["read"]  # home follows An's own comment
    status, _, _ = cli(capsys, monkeypatch, an, "notifications", "read", str(on_shop["id"]))
    assert status == 0
    an.sync()
    home.sync()
    assert notes(home)[0]["read"] is True
    assert Notifications(home.svc.db).unread_count(home.profile_id) == 0
    status, _, err = cli(capsys, monkeypatch, an, "notifications", "read", "999")
    assert status == 1 and err == "error: no notification 999\n"
    status, _, err = cli(capsys, monkeypatch, an, "notifications", "read")
    assert status == 1 and err.startswith("error: ") and err.count("\n") == 1


def test_a_draft_survives_a_restart_and_reaches_only_my_devices(hub: LiveHub, people,
                                                                 make_pc) -> None:
    an, bo, tina = people
    lesson = an.lessons[2]
    Drafts(an.svc.db).save(an.profile_id, lesson, "Ik denk dat Instagram")
    an.svc.close()  # the app closes; the draft is on disk
    an.svc = build_services(home=an.home)
    assert Drafts(an.svc.db).get(an.profile_id, lesson).body == "Ik denk dat Instagram"
    home = make_pc("an-home", "An")
    home.login(hub.url, "an")
    an.sync()
    home.sync()
    assert [d.body for d in Drafts(home.svc.db).all(home.profile_id)] == [
        "Ik denk dat Instagram"]
    bo.sync()
    tina.sync()
    for other in (bo, tina):
        assert Drafts(other.svc.db).all(other.profile_id) == []
    with hub.storage.read() as conn:
        c = t.changes.c
        rows = conn.execute(select(c.group_id, c.payload).where(c.kind == "draft")).all()
        assert rows and all(r.group_id is None for r in rows)
        assert conn.execute(select(t.comment_state)).all() == []  # no group data at all
    an.svc.comments.add(an.profile_id, lesson, "Ik denk dat Instagram werkt")  # sent: gone
    assert Drafts(an.svc.db).all(an.profile_id) == []
    an.sync()
    home.sync()
    assert Drafts(home.svc.db).all(home.profile_id) == []


def test_quiet_hours_hold_until_the_break(people) -> None:
    an, bo, tina = people
    lesson = an.lessons[0]
    question = an.svc.comments.add(an.profile_id, lesson, "Vraag")
    an.sync()
    bo.sync()
    bo.svc.comments.add(bo.profile_id, lesson, "Antwoord", reply_to=question.id)
    bo.sync()
    tina.sync()
    tina.svc.profiles.update(tina.profile_id, motto="Samen leren")
    tina.sync()
    an.sync()
    store, quiet = Notifications(an.svc.db), QuietHours.parse("")
    busy, lunch = datetime(2026, 3, 4, 10, 15), datetime(2026, 3, 4, 12, 5)
    assert store.due_alerts(an.profile_id, busy, quiet) == []
    assert quiet.next_break(busy) == datetime(2026, 3, 4, 12, 0)
    (digest,) = store.due_alerts(an.profile_id, lunch, quiet)
    assert digest.digest and len(digest.notification_ids) == 2
    assert store.due_alerts(an.profile_id, lunch, quiet) == []  # shown once
    assert store.unread_count(an.profile_id) == 2  # still unread until read


def test_announcements_from_trainers_only(people, capsys, monkeypatch) -> None:
    an, bo, tina = people
    status, out, err = cli(capsys, monkeypatch, an, "announce", "Bakkers", "Hallo allemaal")
    assert status == 1 and out == ""
    assert err == "error: only a trainer of Bakkers may post an announcement\n"
    status, out, err = cli(capsys, monkeypatch, tina, "announce", "bakkers", "Donderdag vrij")
    assert status == 0 and out.strip() == "announced to Bakkers", err
    status, _, err = cli(capsys, monkeypatch, tina, "announce", "Bloemisten", "x")
    assert status == 1 and "not in a group" in err
    an.sync()
    (note,) = notes(an)
    assert (note["kind"], note["from"], note["text"]) == ("announcement", ["Tina"],
                                                         "Donderdag vrij")
    bo.sync()
    assert [n["kind"] for n in notes(bo)] == ["announcement"]
    tina.sync()
    assert notes(tina) == []


def test_useful_marks_follows_members_and_packs(hub: LiveHub, people, capsys,
                                               monkeypatch) -> None:
    an, bo, _tina = people
    lesson, other_lesson = an.lessons[0], an.lessons[1]
    mine = an.svc.comments.add(an.profile_id, lesson, "Mijn tip: korte filmpjes")
    an.sync()
    bo.sync()
    status, out, _ = cli(capsys, monkeypatch, bo, "react", mine.id, "useful", "--json")
    assert status == 0 and json.loads(out)["useful"] == 1
    assert cli(capsys, monkeypatch, bo, "react", mine.id, "thanks")[0] == 0
    status, _, err = cli(capsys, monkeypatch, an, "react", mine.id, "useful")
    assert status == 1 and err == "error: you cannot mark your own comment\n"
    assert cli(capsys, monkeypatch, bo, "follow", other_lesson)[0] == 0
    status, _, err = cli(capsys, monkeypatch, bo, "follow", "no-such-lesson")
    assert status == 1 and err.startswith("error: no lesson")
    bo.svc.profiles.update(bo.profile_id, motto="Bakken is delen")
    bo.sync()
    an.svc.comments.add(an.profile_id, other_lesson, "Iemand ervaring met TikTok?")
    an.sync()
    bo.sync()
    publish_all(tina_device(hub), group_id(hub))
    an.sync()
    bo.sync()
    kinds = {n["kind"]: n for n in notes(an)}
    assert set(kinds) == {"useful", "member", "pack"}
    assert kinds["useful"]["from"] == ["Bo"] and kinds["useful"]["lesson_id"] == lesson
    assert kinds["member"]["from"] == ["Bo"] and kinds["member"]["text"] == "Bakken is delen"
    assert kinds["pack"]["text"] == "Sociale media"
    bo_kinds = sorted(n["kind"] for n in notes(bo))
    assert bo_kinds == ["comment", "pack"]  # the followed discussion; no useful for thanks
    with hub.storage.read() as conn:
        assert [(r.kind,) for r in conn.execute(select(t.reactions.c.kind)
                                                .order_by(t.reactions.c.kind))] == [
            ("thanks",), ("useful",)]
        follows = {r.lesson_id for r in conn.execute(select(t.follows))}
        assert follows == {lesson, other_lesson}  # An by writing, Bo by hand
    assert cli(capsys, monkeypatch, bo, "react", mine.id, "useful", "--undo")[0] == 0
    assert cli(capsys, monkeypatch, bo, "unfollow", other_lesson)[0] == 0
    assert not Follows(bo.svc.db).is_following(bo.profile_id, other_lesson)
    bo.sync()
    an.svc.comments.add(an.profile_id, other_lesson, "Nog iemand?")
    an.sync()
    bo.sync()
    assert sorted(n["kind"] for n in notes(bo)) == ["comment", "pack"]
    assert [n["count"] for n in notes(bo) if n["kind"] == "comment"] == [1]
    with hub.storage.read() as conn:
        assert [r.kind for r in conn.execute(select(t.reactions.c.kind))] == ["thanks"]


def tina_device(hub: LiveHub):  # -> Device
    return hub.device("tina")


def group_id(hub: LiveHub) -> int:
    with hub.storage.read() as conn:
        return int(conn.execute(select(t.groups.c.id)).scalar_one())


def test_my_group_members_with_trainer_badge_kept_offline(hub: LiveHub, people) -> None:
    from companion.core.social import GroupMembers
    from companion.sync.client import HubOffline
    from companion.sync.people import refresh_group_members

    an, bo, _tina = people
    bo.svc.profiles.update(bo.profile_id, motto="Bakken is delen")
    an.svc.profiles.update(an.profile_id, motto="Elke dag vers")
    bo.sync()
    an.sync()
    assert refresh_group_members(an.client(), an.svc.db, an.profile_id) == 3
    members = GroupMembers(an.svc.db).list(an.profile_id)
    assert [(m.name, m.role, m.motto, m.is_me) for m in members] == [
        ("Tina", "trainer", "", False), ("An", "learner", "Elke dag vers", True),
        ("Bo", "learner", "Bakken is delen", False)]
    assert all(m.group_name == "Bakkers" and m.since for m in members)
    assert GroupMembers(an.svc.db).trainers(an.profile_id) == {f"hub:{members[0].account_id}"}
    with pytest.raises(HubOffline):
        refresh_group_members(an.client("http://127.0.0.1:9"), an.svc.db, an.profile_id)
    assert len(GroupMembers(an.svc.db).list(an.profile_id)) == 3  # kept for offline use


def kept_members(pc: Pc) -> list[tuple[str, str]]:
    return sorted((r[0], r[1]) for r in pc.svc.db.execute(
        "SELECT username, role FROM group_members WHERE profile_id = ?", [pc.profile_id]))


def test_the_online_round_brings_members_and_trainer_groups(hub: LiveHub, people,
                                                            make_pc) -> None:
    """Gap of issue 11: My group, the badges and the trainer's announcement groups are there
    after an ordinary sync, without the page ever being opened; a new member is fetched at
    the round that brings them; a failing members fetch does not fail the round."""
    from companion.sync.engine import UP_TO_DATE
    from tests.sync.test_engine import Statuses, _engine

    an, _bo, tina = people
    assert kept_members(an) == [] and kept_members(tina) == []  # sync_round alone: none
    engines, seen = {}, {}
    for pc in (an, tina):
        seen[id(pc)] = Statuses()
        engines[id(pc)] = _engine(pc, seen[id(pc)], {}, period_s=3600.0)
        engines[id(pc)].start()
    try:
        for pc in (an, tina):
            seen[id(pc)].wait_for(lambda s: s.phase == UP_TO_DATE)
            assert engines[id(pc)].last_result.people_changed
        assert kept_members(an) == [("an", "learner"), ("bo", "learner"),
                                    ("tina", "trainer")]
        # The trainer's groups for an announcement (the query of the announce dialog).
        assert tina.svc.db.execute(
            "SELECT DISTINCT m.group_name FROM group_members m JOIN sync_logins l"
            " ON l.profile_id = m.profile_id AND l.account_id = m.account_id"
            " WHERE m.profile_id = ? AND m.role = 'trainer'", [tina.profile_id]
        ).fetchall() == [("Bakkers",)]
        # A new member introduces themselves: An's next round (well within the period)
        # pulls their profile and fetches the members again.
        with hub.storage.read() as conn:
            invite = conn.execute(select(t.groups.c.invite_code)).scalar_one()
        cor = make_pc("cor", "Cor")
        cor.login(hub.url, "cor", invite)
        cor.svc.profiles.update(cor.profile_id, motto="Samen sterk")
        cor.sync()
        before = len(seen[id(an)].seen)
        engines[id(an)].sync_now()
        seen[id(an)].wait_for(lambda s: s.phase == UP_TO_DATE, after=before)
        assert ("cor", "learner") in kept_members(an)
        assert engines[id(an)].last_result.people_changed
        # Nothing new: the round does not fetch them again (one small request).
        before = len(seen[id(an)].seen)
        engines[id(an)].sync_now()
        seen[id(an)].wait_for(lambda s: s.phase == UP_TO_DATE, after=before)
        assert not engines[id(an)].last_result.people_changed
    finally:
        for engine in engines.values():
            engine.stop()


def test_a_failing_members_fetch_keeps_the_list_and_the_round(hub: LiveHub, people,
                                                              monkeypatch) -> None:
    from companion.sync.client import HubClient, HubServerError
    from companion.sync.engine import UP_TO_DATE
    from tests.sync.test_engine import Statuses, _engine

    an, _bo, _tina = people
    an.svc.db.execute(
        "INSERT INTO group_members(profile_id, group_id, group_name, account_id, username,"
        " role, joined_at) VALUES (?, 1, 'Bakkers', 99, 'oud', 'learner', NULL)",
        [an.profile_id])

    def broken(self, group_id: int) -> list:
        raise HubServerError("the hub had a problem")

    monkeypatch.setattr(HubClient, "group_members", broken)
    seen = Statuses()
    engine = _engine(an, seen, {})
    engine.start()
    try:
        status = seen.wait_for(lambda s: s.phase == UP_TO_DATE)
    finally:
        engine.stop()
    assert status.phase == UP_TO_DATE and not engine.last_result.people_changed
    assert kept_members(an) == [("oud", "learner")]


def test_photos_travel_to_my_group_and_not_beyond(hub: LiveHub, people, make_pc) -> None:
    """Gap of issue 11: the profile change carries only a photo's hash; the bytes go up with
    my next online round and come down to the members of my group into their media store
    (the discussion and My group show them from there); a stranger gets nothing."""
    from companion.sync.engine import UP_TO_DATE
    from companion.sync.people import PHOTO_SENT_SETTING, sync_photos
    from tests.sync.test_engine import Statuses, _engine

    an, bo, _tina = people
    photo = b"\xff\xd8\xff\xe0" + b"An bij de oven" * 50
    sha, _size = an.svc.media.ingest(io.BytesIO(photo), None, len(photo))
    an.svc.profiles.update(an.profile_id, photo_sha256=sha)
    # Before the profile change is through, the hub refuses the bytes: tried again later.
    assert sync_photos(an.client(), an.svc.db, an.svc.media, an.profile_id) == 0
    assert an.svc.db.execute("SELECT value FROM settings WHERE key = ?",
                             [f"{PHOTO_SENT_SETTING}{an.profile_id}"]).fetchone() is None
    an.sync()
    assert sync_photos(an.client(), an.svc.db, an.svc.media, an.profile_id) == 0
    assert an.svc.db.execute("SELECT value FROM settings WHERE key = ?",
                             [f"{PHOTO_SENT_SETTING}{an.profile_id}"]).fetchone() == (sha,)

    assert not bo.svc.media.has(sha)
    seen = Statuses()
    engine = _engine(bo, seen, {}, media=bo.svc.media)
    engine.start()
    try:
        seen.wait_for(lambda s: s.phase == UP_TO_DATE)
    finally:
        engine.stop()
    assert bo.svc.media.has(sha) and engine.last_result.people_changed
    assert bo.svc.media.path_for(sha).read_bytes() == photo

    # A new photo goes up with An's next round, long before the members' period is over.
    seen_an = Statuses()
    engine = _engine(an, seen_an, {}, media=an.svc.media, period_s=3600.0)
    engine.start()
    try:
        seen_an.wait_for(lambda s: s.phase == UP_TO_DATE)  # the first round
        newer = photo + b" met muts"
        sha2, _size = an.svc.media.ingest(io.BytesIO(newer), None, len(newer))
        an.svc.profiles.update(an.profile_id, photo_sha256=sha2)
        before = len(seen_an.seen)
        engine.sync_now()
        seen_an.wait_for(lambda s: s.phase == UP_TO_DATE, after=before)
    finally:
        engine.stop()
    assert an.svc.db.execute("SELECT value FROM settings WHERE key = ?",
                             [f"{PHOTO_SENT_SETTING}{an.profile_id}"]).fetchone() == (sha2,)
    assert bo.client().get_photo(sha2) == newer

    # A stranger who somehow learnt the hash gets nothing from the hub.
    with hub.storage.write() as conn:
        from companion.hub import accounts
        other = accounts.create_group(conn, "Bloemen", "tina").invite_code
    cy = make_pc("cy", "Cy")
    cy.login(hub.url, "cy", other)
    cy.sync()
    cy.svc.db.execute("INSERT OR REPLACE INTO sync_people(profile_id, account_id, name, motto,"
                      " photo_sha256) VALUES (?, 4242, 'An', '', ?)", [cy.profile_id, sha])
    assert sync_photos(cy.client(), cy.svc.db, cy.svc.media, cy.profile_id) == 0
    assert not cy.svc.media.has(sha)
