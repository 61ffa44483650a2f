"""The sync round against a real hub: exactly once, refusals, one-request no-op, failures."""

from __future__ import annotations

import socket

import httpx
import pytest
from sqlalchemy import func, select

from companion.core.changelog import record_change
from companion.core.db import write_transaction
from companion.hub import tables as t
from companion.sync import state
from companion.sync.client import HubAuthError, HubClient, HubOffline, HubServerError
from tests.hub.helpers import LiveHub
from tests.sync.recording import Recording


def _hub_count(hub: LiveHub, change_ids: list[str]) -> int:
    with hub.storage.read() as conn:
        return int(conn.execute(select(func.count()).select_from(t.changes)
                                .where(t.changes.c.change_id.in_(change_ids))).scalar_one())


def test_lost_answer_then_retry_applies_once(hub: LiveHub, invite: str, make_pc) -> None:
    """The hub commits a batch but the answer is lost: the changes stay queued, the retry
    sends the same ids, and the hub and the other PC have each change exactly once."""
    shop, home = make_pc("shop"), make_pc("home")
    shop.login(hub.url, "anna", invite)
    home.login(hub.url, "anna")
    lesson = shop.lessons[0]
    shop.svc.notes.add(shop.profile_id, lesson, "zuurdesem")
    shop.svc.comments.add(shop.profile_id, lesson, "Goed idee")
    lossy = Recording(lose_answers=1)
    with pytest.raises(HubOffline):
        shop.sync(shop.client(transport=lossy))
    assert shop.pending() == 3  # profile, note, comment: none lost, none marked sent
    first = lossy.pushed()[0]
    assert _hub_count(hub, first) == 3  # ... although the hub has them
    shop.sync(shop.client(transport=lossy))
    assert lossy.pushed()[1] == first  # the very same ids again
    assert _hub_count(hub, first) == 3 and shop.pending() == 0
    home.sync()
    assert [n.body for n in home.svc.notes.all(home.profile_id)] == ["zuurdesem"]
    assert len(home.comments()) == 1


def test_same_batch_twice_gets_the_same_answer(hub: LiveHub, invite: str, make_pc) -> None:
    """Sending one batch twice (a retry) is accepted twice with the same server numbers."""
    pc = make_pc("pc")
    pc.login(hub.url, "anna", invite)
    pc.svc.notes.add(pc.profile_id, pc.lessons[0], "x")
    from companion.core.changelog import pending_changes

    batch = [c.to_dict() for c in pending_changes(pc.svc.db, pc.profile_id)]
    client = pc.client()
    one, two = client.sync(None, batch), client.sync(None, batch)
    assert one["accepted"] == two["accepted"] and len(one["accepted"]) == len(batch)
    assert _hub_count(hub, [c["change_id"] for c in batch]) == len(batch)


def test_refused_change_is_kept_with_its_reason_and_not_resent(hub: LiveHub, invite: str,
                                                              make_pc) -> None:
    """A change the hub refuses is reported with the hub's reason, leaves the queue, is stored
    for the person to see, and is not sent again."""
    pc = make_pc("pc")
    pc.login(hub.url, "anna", invite)
    with write_transaction(pc.svc.db):
        bad = record_change(pc.svc.db, pc.profile_id, "progress", pc.lessons[0], "upsert",
                            {"position_s": -5})
    pc.svc.notes.add(pc.profile_id, pc.lessons[1], "goed")
    wire = Recording()
    result = pc.sync(pc.client(transport=wire))
    assert [(r.change_id, r.code) for r in result.refused] == [(bad.change_id, "invalid")]
    assert "must not be negative" in result.refused[0].reason
    assert result.pushed == 2 and pc.pending() == 0
    assert [r.change_id for r in state.refusals(pc.svc.db, pc.profile_id)] == [bad.change_id]
    pc.sync(pc.client(transport=wire))
    assert all(bad.change_id not in ids for ids in wire.pushed()[1:])


def test_sync_with_nothing_new_is_one_small_request(hub: LiveHub, invite: str,
                                                    make_pc) -> None:
    """Once caught up, a round is one request of well under 2 KB both ways together."""
    pc = make_pc("pc")
    pc.login(hub.url, "anna", invite)
    pc.svc.notes.add(pc.profile_id, pc.lessons[0], "x")
    wire = Recording()
    client = pc.client(transport=wire)
    pc.sync(client)
    before = client.requests_sent
    result = pc.sync(client)
    assert result.requests == 1 and client.requests_sent - before == 1
    assert result.pushed == result.pulled == 0
    assert wire.wire_bytes[-1] < 2048


def test_pull_in_pages_until_caught_up(hub: LiveHub, invite: str, make_pc) -> None:
    """Many changes come in several pages in one round, and push in several batches."""
    shop, home = make_pc("shop"), make_pc("home")
    shop.login(hub.url, "anna", invite)
    home.login(hub.url, "anna")
    for i in range(25):
        shop.svc.notes.add(shop.profile_id, shop.lessons[i % 3], f"note {i}")
    pushed = shop.sync(batch_size=10)
    assert pushed.requests == 3 and pushed.pushed == 26
    pulled = home.sync(page_limit=7)
    # 25 notes, the shop's profile, and the profile the hub wrote when the account was made
    assert pulled.pulled == 27 and pulled.requests >= 4
    assert len(home.svc.notes.all(home.profile_id)) == 25


def _dead_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_unreachable_hub_is_offline_and_keeps_changes(hub: LiveHub, invite: str,
                                                     make_pc) -> None:
    """With the hub unreachable the round fails as "offline" and every change stays queued."""
    pc = make_pc("pc")
    pc.login(hub.url, "anna", invite)
    pc.svc.notes.add(pc.profile_id, pc.lessons[0], "x")
    with pytest.raises(HubOffline, match="cannot reach the hub"):
        pc.sync(pc.client(f"http://127.0.0.1:{_dead_port()}"))
    assert pc.pending() == 2
    pc.sync()
    assert pc.pending() == 0


def test_revoked_token_is_a_clear_auth_error(hub: LiveHub, invite: str, make_pc) -> None:
    """After the token is revoked the round stops with "log in again", changes kept."""
    pc = make_pc("pc")
    pc.login(hub.url, "anna", invite)
    pc.client().logout()
    pc.svc.notes.add(pc.profile_id, pc.lessons[0], "x")
    with pytest.raises(HubAuthError, match="log in again"):
        pc.sync()
    assert pc.pending() == 2


def test_server_errors_and_garbage_are_typed() -> None:
    """A 5xx and a non-JSON answer are server errors; a 4xx carries the hub's reason."""
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v1/me":
            return httpx.Response(503, text="busy")
        if request.url.path == "/v1/hub":
            return httpx.Response(200, text="<html>captive portal</html>")
        return httpx.Response(403, json={"error": {"code": "forbidden", "message": "not yours"}})

    with HubClient("http://hub.test", "tok", transport=httpx.MockTransport(handler)) as client:
        with pytest.raises(HubServerError):
            client.me()
        with pytest.raises(HubServerError, match="not valid JSON"):
            client.info()
        with pytest.raises(Exception, match="not yours") as info:
            client.sync(None, [])
        assert getattr(info.value, "code", None) == "forbidden"
