"""The social loop's core (issue 11) on a real library file: notifications bundled per key and
counted once, read marks, quiet hours, drafts, marks and follows with their bad input."""

from __future__ import annotations

from datetime import datetime, time

import pytest

from companion.core.changelog import all_changes
from companion.core.db import write_transaction
from companion.core.errors import LibraryError
from companion.core.notifications import (
    MAX_KEY_LENGTH,
    NotificationDeriver,
    Notifications,
    QuietHours,
    bundle_key,
    excerpt,
)
from companion.core.social import Drafts, Follows, Reactions, draft_id
from companion.services import Services
from tests.core.fake_library import add_pack


def derive(services: Services, profile_id: int, *events: tuple, reads: tuple = ()) -> int:
    with write_transaction(services.db):
        deriver = NotificationDeriver(services.db, profile_id)
        for kind, target, seq, name in events:
            deriver.event(kind, target, seq, name, lesson_id=target or None,
                          comment_id=f"c{seq}", text=f"tekst {seq}")
        for key, seq in reads:
            deriver.read(key, seq)
        return deriver.flush()


def test_events_bundle_per_key_and_count_once(services: Services, profile_id: int) -> None:
    (lesson,) = add_pack(services.db, "pack", 1)
    assert derive(services, profile_id, ("reply", lesson, 10, "Bo"), ("reply", lesson, 11, "Bo"),
                  ("reply", lesson, 12, "Tina"), ("announcement", "a1", 13, "Tina")) == 2
    store = Notifications(services.db)
    announcement, reply = store.list(profile_id)  # newest first
    assert (reply.count, reply.from_names, reply.comment_id, reply.text) == (
        3, ("Bo", "Tina"), "c10", "tekst 12")
    assert reply.lesson_title.startswith("Les 0: ")  # joined from the library
    assert announcement.kind == "announcement" and announcement.count == 1
    # The same changes pulled again (a reset pull) count nothing twice.
    assert derive(services, profile_id, ("reply", lesson, 11, "Bo"),
                  ("reply", lesson, 12, "Tina")) == 0
    assert store.list(profile_id)[1].count == 3
    assert store.unread_count(profile_id) == 2


def test_reading_resets_the_bundle_and_is_a_change(services: Services, profile_id: int) -> None:
    derive(services, profile_id, ("comment", "p/1", 5, "Bo"), ("comment", "p/1", 6, "Bo"))
    store = Notifications(services.db)
    (n,) = store.list(profile_id)
    assert store.mark_read(profile_id, [n.id]) == 1
    assert store.mark_read(profile_id, [n.id]) == 0  # already read: no second change
    (read,) = [c for c in all_changes(services.db, profile_id) if c.kind == "notif_read"]
    assert (read.entity_id, read.payload, read.op) == ("comment:p/1", {"seq": 6}, "upsert")
    derive(services, profile_id, ("comment", "p/1", 9, "Tina"))
    (again,) = store.list(profile_id, unread_only=True)
    assert (again.id, again.count, again.from_names) == (n.id, 1, ("Tina",))
    with pytest.raises(LookupError):
        store.mark_read(profile_id, [n.id, 424242])
    assert store.mark_read(profile_id) == 1  # all


def test_a_read_mark_from_my_other_device(services: Services, profile_id: int) -> None:
    """Read elsewhere up to seq 7: events up to 7 are read, later ones are news; a mark for a
    bundle this PC has not seen yet is kept and covers it when it comes."""
    derive(services, profile_id, ("reply", "p/1", 6, "Bo"), ("reply", "p/1", 7, "Bo"),
           reads=(("reply:p/1", 7), ("member", 20)))
    store = Notifications(services.db)
    assert store.unread_count(profile_id) == 0 and store.list(profile_id)[0].read
    derive(services, profile_id, ("member", "", 15, "Cor"))  # read already on the other PC
    assert store.unread_count(profile_id) == 0
    assert [n.kind for n in store.list(profile_id)] == ["reply"]  # a bare mark is not listed
    derive(services, profile_id, ("reply", "p/1", 8, "Cor"))
    (n,) = store.list(profile_id, unread_only=True)
    assert n.count == 1 and n.from_names == ("Cor",)


def test_keys_fit_a_change_and_excerpts_are_short() -> None:
    long = "x" * 300
    key = bundle_key("comment", long)
    assert len(key) <= MAX_KEY_LENGTH and key == bundle_key("comment", long)
    assert key != bundle_key("comment", long + "y")
    assert bundle_key("member") == "member"
    assert excerpt("a\n\n b") == "a b" and len(excerpt("woord " * 100)) == 120


def test_quiet_hours() -> None:
    default = QuietHours.parse("")
    assert default.breaks == ((0, 570), (720, 840), (1080, 1440))
    assert default.in_break(time(9, 29)) and not default.in_break(time(9, 30))
    assert default.in_break(time(13, 59)) and not default.in_break(time(17, 59))
    assert default.in_break(datetime(2026, 1, 1, 23, 59))
    night = QuietHours.parse("22:00-06:00")  # across midnight
    assert night.in_break(time(23, 0)) and night.in_break(time(5, 0))
    assert not night.in_break(time(12, 0))
    assert night.next_break(datetime(2026, 1, 1, 12, 0)) == datetime(2026, 1, 1, 22, 0)
    for broken in ("25:00-26:00", "9-x", "12:61-13:00", "nonsense"):
        assert QuietHours.parse(broken) == default
    never = QuietHours(())
    assert not never.in_break(time(12, 0))
    assert never.next_break(datetime(2026, 1, 1, 12, 0)) == datetime(2026, 1, 1, 12, 0)


def test_alerts_one_per_bundle_or_a_digest_after_quiet(services: Services,
                                                       profile_id: int) -> None:
    derive(services, profile_id, ("reply", "p/1", 1, "Bo"))
    store = Notifications(services.db)
    (alert,) = store.due_alerts(profile_id, datetime(2026, 1, 1, 10, 0))  # no quiet hours
    assert not alert.digest and alert.text == "Bo replied on p/1"
    quiet = QuietHours.parse("")
    derive(services, profile_id, ("announcement", "a", 2, "Tina"), ("member", "", 3, "Cor"))
    assert store.due_alerts(profile_id, datetime(2026, 1, 1, 10, 0), quiet) == []
    (digest,) = store.due_alerts(profile_id, datetime(2026, 1, 1, 12, 0), quiet)
    assert digest.digest and len(digest.notification_ids) == 2
    assert store.due_alerts(profile_id, datetime(2026, 1, 1, 12, 1), quiet) == []


def test_drafts_per_lesson_and_reply(services: Services, profile_id: int) -> None:
    (lesson,) = add_pack(services.db, "pack", 1)
    drafts = Drafts(services.db)
    drafts.save(profile_id, lesson, "Begin")
    drafts.save(profile_id, lesson, "Antwoord op c1", reply_to="c1")
    drafts.save(profile_id, lesson, "Antwoord op c1", reply_to="c1")  # unchanged: no change
    assert {d.reply_to for d in drafts.all(profile_id)} == {None, "c1"}
    changes = [c for c in all_changes(services.db, profile_id) if c.kind == "draft"]
    assert len(changes) == 2 and changes[1].entity_id == draft_id(lesson, "c1")
    assert changes[1].payload == {"lesson_id": lesson, "body": "Antwoord op c1",
                                  "reply_to": "c1"}
    drafts.save(profile_id, lesson, "   ")  # emptied: dropped, and the drop is a change
    assert drafts.get(profile_id, lesson) is None
    assert [c.op for c in all_changes(services.db, profile_id) if c.kind == "draft"][-1] == \
        "delete"
    with pytest.raises(LibraryError):
        drafts.save(profile_id, lesson, "x" * 5_001)
    with pytest.raises(LibraryError):
        drafts.save(profile_id, "", "tekst")
    services.comments.add(profile_id, lesson, "Antwoord", reply_to=None)
    assert drafts.get(profile_id, lesson, "c1") is not None  # another target's draft stays


def test_marks_and_follows(services: Services, profile_id: int) -> None:
    (lesson,) = add_pack(services.db, "pack", 1)
    services.db.execute(
        "INSERT INTO comments(id, profile_id, lesson_id, author_id, author_name, is_own, body,"
        " created_at) VALUES ('theirs', ?, ?, 'hub:8', 'Bo', 0, 'Tip', 'x')",
        [profile_id, lesson])
    reactions = Reactions(services.db)
    assert reactions.toggle(profile_id, "theirs", "useful").useful == 1
    counts = reactions.set(profile_id, "theirs", "useful", True)  # already: no new change
    assert counts.mine == frozenset({"useful"})
    assert reactions.toggle(profile_id, "theirs", "useful").useful == 0
    kinds = [c.payload for c in all_changes(services.db, profile_id) if c.kind == "reaction"]
    assert kinds == [{"reaction": "useful", "on": True}, {"reaction": "useful", "on": False}]
    own = services.comments.add(profile_id, lesson, "Mijn vraag")
    with pytest.raises(LibraryError, match="own comment"):
        reactions.set(profile_id, own.id, "thanks", True)
    with pytest.raises(LibraryError):
        reactions.set(profile_id, "theirs", "love", True)
    with pytest.raises(LibraryError):
        reactions.set(profile_id, "nope", "useful", True)
    follows = Follows(services.db)
    assert follows.is_following(profile_id, lesson)  # I wrote there
    assert not [c for c in all_changes(services.db, profile_id) if c.kind == "follow"]
    assert follows.set(profile_id, lesson, False) and not follows.is_following(profile_id, lesson)
    services.comments.add(profile_id, lesson, "Nog een vraag")
    assert not follows.is_following(profile_id, lesson)  # the choice by hand wins
    assert follows.set(profile_id, "pack/other", True) and not follows.set(
        profile_id, "pack/other", True)
    assert follows.followed(profile_id) == {"pack/other"}


def test_quiet_hours_come_from_the_preferences(services: Services, profile_id: int) -> None:
    from companion.core.notifications import BREAKS_ONLY_PREF, BREAKS_PREF, quiet_hours

    prefs = services.preferences
    assert quiet_hours(prefs, profile_id) is None  # every notification at once by default
    prefs.set(BREAKS_ONLY_PREF, True, profile_id)
    assert quiet_hours(prefs, profile_id) == QuietHours.parse("")
    prefs.set(BREAKS_PREF, "07:00-08:00", profile_id)
    assert quiet_hours(prefs, profile_id).breaks == ((420, 480),)


def test_home_shows_news_pinned_announcements_and_unfinished_answers(
        services: Services, profile_id: int) -> None:
    from companion.core.notifications import pinned_announcements, whats_new

    (lesson,) = add_pack(services.db, "pack", 1)
    services.db.execute(
        "INSERT INTO announcements(profile_id, id, group_id, author_id, author_name, body,"
        " created_at, server_seq) VALUES (?, 'a1', '1', 'hub:3', 'Tina', 'Donderdag vrij', 'x',"
        " 4)", [profile_id])
    derive(services, profile_id, ("announcement", "a1", 4, "Tina"), ("reply", lesson, 5, "Bo"))
    (pinned,) = pinned_announcements(services.db, profile_id)
    assert (pinned.author_name, pinned.body) == ("Tina", "Donderdag vrij")
    assert [n.kind for n in whats_new(services.db, profile_id)] == ["reply"]
    Notifications(services.db).mark_read(profile_id, [pinned.notification_id])
    assert pinned_announcements(services.db, profile_id) == []  # read: no longer pinned
    Drafts(services.db).save(profile_id, lesson, "Half af")
    Drafts(services.db).save(profile_id, "elders/les", "Ook half")
    titles = [title for _, title in Drafts(services.db).unfinished(profile_id)]
    assert sorted(titles) == sorted(["elders/les", services.catalog.lesson(
        profile_id, lesson).title])
