"""Two PCs of one person (and a second person) sync through a real hub and end the same."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from companion.core.changelog import all_changes
from tests.hub.helpers import LiveHub
from tests.sync.helpers import Pc, clock_offset


def _sync_all(*pcs: Pc) -> None:
    for _ in range(2):  # the second pass brings each PC what the others pushed after it
        for pc in pcs:
            pc.sync()


def test_two_pcs_write_offline_and_converge(hub: LiveHub, invite: str, make_pc) -> None:
    """Notes, progress, a quiz-free done mark and comments written offline on two PCs of one
    person end identical on both, with nothing lost and nothing doubled."""
    shop, home = make_pc("shop"), make_pc("home")
    shop.login(hub.url, "anna", invite)
    home.login(hub.url, "anna")
    lesson_a, lesson_b, _ = shop.lessons
    # Offline on both PCs.
    n1 = shop.svc.notes.add(shop.profile_id, lesson_a, "reels op vrijdag")
    shop.svc.progress.save_position(shop.profile_id, lesson_a, 40)
    shop.svc.comments.add(shop.profile_id, lesson_a, "Wie post er dagelijks?")
    home.svc.notes.add(home.profile_id, lesson_b, "bio aanpassen")
    home.svc.progress.mark_done(home.profile_id, lesson_a)
    home.svc.progress.save_position(home.profile_id, lesson_b, 12)
    home.svc.comments.add(home.profile_id, lesson_b, "Tip: plan je posts")
    _sync_all(shop, home)
    assert shop.snapshot() == home.snapshot()
    snap = shop.snapshot()
    assert len([n for n in snap["notes"] if not n[3]]) == 2
    assert len(snap["comments"]) == 2
    progress = {row[0]: row for row in snap["progress"]}
    assert progress[lesson_a][3] == 1  # done on the home PC stays done
    # Then the same note edited on one PC and deleted comment/edits on the other.
    home.svc.notes.update(home.profile_id, n1.id, "reels op vrijdag en zondag")
    _sync_all(home, shop)
    assert shop.svc.notes.get(shop.profile_id, n1.id).body == "reels op vrijdag en zondag"
    shop.svc.notes.delete(shop.profile_id, n1.id)
    _sync_all(shop, home)
    assert shop.snapshot() == home.snapshot()
    assert [n.id for n in home.svc.notes.all(home.profile_id)] != [n1.id]
    assert shop.pending() == home.pending() == 0


def test_concurrent_edits_follow_the_hubs_order(hub: LiveHub, invite: str, make_pc) -> None:
    """Both PCs edit the same note and position offline: the one the hub receives last wins
    on both PCs, whichever device wrote first."""
    one, two = make_pc("one"), make_pc("two")
    one.login(hub.url, "anna", invite)
    two.login(hub.url, "anna")
    lesson = one.lessons[0]
    note = one.svc.notes.add(one.profile_id, lesson, "eerste")
    _sync_all(one, two)
    two.svc.notes.update(two.profile_id, note.id, "van pc twee")   # written first
    one.svc.notes.update(one.profile_id, note.id, "van pc een")    # written second
    one.svc.progress.save_position(one.profile_id, lesson, 30)
    two.svc.progress.save_position(two.profile_id, lesson, 70)
    two.sync()  # the hub receives two's edits first...
    one.sync()  # ...and one's last: one's win, in the same request that brings two's
    two.sync()
    assert one.snapshot() == two.snapshot()
    assert one.svc.notes.get(one.profile_id, note.id).body == "van pc een"
    assert one.svc.progress.get(one.profile_id, lesson).position_s == 30
    assert two.svc.progress.get(two.profile_id, lesson).watched_s == 70  # watched only grows


def test_comments_reach_the_group_with_author_names(hub: LiveHub, invite: str,
                                                    make_pc) -> None:
    """A second learner sees the first one's comments, replies, edits and deletions, with the
    author's name, and own comments stop "waiting to send" once the hub has them."""
    anna, bart = make_pc("anna"), make_pc("bart", profile="Bart")
    anna.login(hub.url, "anna", invite)
    bart.login(hub.url, "bart", invite)
    lesson = anna.lessons[0]
    first = anna.svc.comments.add(anna.profile_id, lesson, "Wie doet mee?")
    assert first.waiting_to_send
    _sync_all(anna, bart)
    assert not anna.svc.comments.get(anna.profile_id, first.id).waiting_to_send
    seen = bart.svc.comments.for_lesson(bart.profile_id, lesson)
    assert [(c.body, c.author_name, c.is_own) for c in seen] == [("Wie doet mee?", "Anna", False)]
    reply = bart.svc.comments.add(bart.profile_id, lesson, "Ik!", reply_to=first.id)
    anna.svc.comments.edit(anna.profile_id, first.id, "Wie doet er mee?")
    _sync_all(anna, bart)
    assert anna.comments() == bart.comments()
    bart.svc.comments.delete(bart.profile_id, reply.id)
    _sync_all(bart, anna)
    assert anna.svc.comments.get(anna.profile_id, reply.id).deleted
    assert anna.comments() == bart.comments()


def _skew_scenario(hub: LiveHub, invite: str, make_pc, monkeypatch: pytest.MonkeyPatch,
                   ahead: timedelta, behind: timedelta, tag: str) -> dict:
    fast, slow = make_pc(f"fast-{tag}"), make_pc(f"slow-{tag}")
    fast.login(hub.url, f"anna{tag}", invite)
    slow.login(hub.url, f"anna{tag}")
    lesson = fast.lessons[0]
    with clock_offset(monkeypatch, ahead):
        note = fast.svc.notes.add(fast.profile_id, lesson, "van de snelle pc")
        fast.svc.progress.save_position(fast.profile_id, lesson, 80)
        stamped = all_changes(fast.svc.db, fast.profile_id)[-1].created_at
        assert datetime.fromisoformat(stamped).date() == (datetime.now() + ahead).date()
        fast.sync()
    with clock_offset(monkeypatch, behind):
        slow.sync()
        slow.svc.notes.update(slow.profile_id, note.id, "later, op de trage pc")
        slow.svc.progress.save_position(slow.profile_id, lesson, 25)
        slow.sync()
    with clock_offset(monkeypatch, ahead):
        fast.sync()
    assert fast.snapshot() == slow.snapshot()
    return {"note": fast.svc.notes.get(fast.profile_id, note.id).body,
            "position": fast.svc.progress.get(fast.profile_id, lesson).position_s}


def test_clock_skew_gives_the_same_result(hub: LiveHub, invite: str, make_pc,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A PC three days ahead does not win and a PC an hour behind does not lose: the result
    equals the one with true clocks."""
    true = _skew_scenario(hub, invite, make_pc, monkeypatch, timedelta(0), timedelta(0), "t")
    skewed = _skew_scenario(hub, invite, make_pc, monkeypatch, timedelta(days=3),
                            timedelta(hours=-1), "s")
    assert skewed == true == {"note": "later, op de trage pc", "position": 25}
