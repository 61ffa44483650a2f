"""The sync protocol against a real hub on a loopback port: push, pull, retries, merges."""

from __future__ import annotations

import gzip
import json
import socket
import uuid

import pytest

from tests.hub.helpers import Device, LiveHub, change


@pytest.fixture
def group(hub: LiveHub):
    """A group with its trainer."""
    hub.add_trainer("trainer")
    return hub.create_group("Bakers Ghent", "trainer")


@pytest.fixture
def alice(hub: LiveHub, group) -> Device:
    """A learner's first device, registered with the group's invite code."""
    return hub.device("alice", invite=group.invite_code)


def test_push_then_pull_on_another_device(hub: LiveHub, alice: Device) -> None:
    """A note pushed by one device arrives on the same person's other device."""
    note = change("note", "n1", {"lesson_id": "l1", "body": "buy flour"})
    out = alice.sync([note])
    assert [a["change_id"] for a in out["accepted"]] == [note["change_id"]]
    assert out["rejected"] == []
    second = hub.device("alice")
    got = [c for c in second.pull_all() if c["kind"] == "note"]
    assert [c["change_id"] for c in got] == [note["change_id"]]
    assert got[0]["payload"] == {"lesson_id": "l1", "body": "buy flour"}
    assert got[0]["author_id"] == alice.account_id


def test_device_does_not_get_its_own_changes_back(alice: Device) -> None:
    """A device's own changes are not echoed back in its pulls."""
    alice.sync()
    out = alice.sync([change("note", "n1", {"lesson_id": "l1", "body": "x"})])
    assert out["changes"] == []


def test_retried_batch_is_applied_once(hub: LiveHub, alice: Device) -> None:
    """The same batch pushed three times gets the same answer and is stored once."""
    batch = [change("note", f"n{i}", {"lesson_id": "l1", "body": f"v{i}"}) for i in range(5)]
    first = alice.sync(batch)
    for _ in range(2):
        again = alice.sync(batch)
        assert again["accepted"] == first["accepted"]
    other = hub.device("alice")
    notes = [c for c in other.pull_all() if c["kind"] == "note"]
    assert len(notes) == 5
    assert len({c["seq"] for c in notes}) == 5


def test_duplicate_inside_one_batch_counts_once(hub: LiveHub, alice: Device) -> None:
    """A change listed twice in one batch is applied once and acknowledged twice."""
    c = change("note", "n1", {"lesson_id": "l1", "body": "once"})
    out = alice.sync([c, c])
    assert len(out["accepted"]) == 2
    assert out["accepted"][0] == out["accepted"][1]
    assert len([x for x in hub.device("alice").pull_all() if x["kind"] == "note"]) == 1


def test_rejections_carry_reasons_and_are_final(hub: LiveHub, alice: Device) -> None:
    """Invalid changes come back rejected with a reason; a retry gets the same verdict."""
    good = change("note", "n1", {"lesson_id": "l1", "body": "ok"})
    bad_kind = change("gossip", "x", {})
    bad_body = change("note", "n2", {"lesson_id": "l1", "body": 42})
    out = alice.sync([good, bad_kind, bad_body, "not a change"])
    assert [a["change_id"] for a in out["accepted"]] == [good["change_id"]]
    codes = {(r["index"], r["code"]) for r in out["rejected"]}
    assert codes == {(1, "invalid"), (2, "invalid"), (3, "invalid")}
    assert all(r["reason"] for r in out["rejected"])
    again = alice.sync([bad_body])
    assert again["rejected"][0]["reason"] == out["rejected"][1]["reason"]
    assert again["accepted"] == []


def test_rejected_change_stays_rejected_even_if_resent_fixed(alice: Device) -> None:
    """A change_id once refused keeps its refusal: the client must not loop on it."""
    c = change("note", "n2", {"lesson_id": "l1", "body": 42})
    alice.sync([c])
    c["payload"]["body"] = "fixed"
    out = alice.sync([c])
    assert out["accepted"] == [] and out["rejected"][0]["code"] == "invalid"


def test_pull_pages_by_cursor(hub: LiveHub, alice: Device) -> None:
    """Pulls come in pages of at most `limit`, in server order, with `more` until the end."""
    alice.sync([change("note", f"n{i}", {"lesson_id": "l", "body": str(i)}) for i in range(25)])
    other = hub.device("alice")
    pages = []
    while True:
        data = other.sync(limit=10)
        pages.append(len(data["changes"]))
        if not data["more"]:
            break
    seqs = [c["seq"] for c in other.received]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    assert len([c for c in other.received if c["kind"] == "note"]) == 25
    assert max(pages) == 10


def test_server_order_not_device_clock_decides(hub: LiveHub, alice: Device) -> None:
    """A note edit from a PC with a clock days ahead loses to a later edit (by hub order)."""
    ahead = change("note", "n1", {"lesson_id": "l", "body": "from the future"})
    ahead["created_at"] = "2031-01-01T00:00:00+00:00"
    alice.sync([ahead])
    behind = hub.device("alice")
    late = change("note", "n1", {"lesson_id": "l", "body": "latest"})
    late["created_at"] = "2001-01-01T00:00:00+00:00"
    behind.sync([late])
    third = hub.device("alice")
    notes = [c for c in third.pull_all() if c["kind"] == "note"]
    assert [n["payload"]["body"] for n in notes] == ["from the future", "latest"]
    from companion.hub import tables as t

    with hub.storage.read() as conn:
        body = conn.execute(t.note_state.select()).one().body
    assert body == "latest"


def test_nothing_new_is_one_small_request(hub: LiveHub, alice: Device) -> None:
    """A sync with nothing new is one request of at most 2 KB both ways together."""
    alice.pull_all()
    body = json.dumps({"cursor": alice.cursor, "changes": []}).encode()
    host, port = hub.url.removeprefix("http://").split(":")
    request = (f"POST /v1/sync HTTP/1.1\r\nHost: {host}:{port}\r\n"
               f"Authorization: Bearer {alice.token}\r\nContent-Type: application/json\r\n"
               f"Accept-Encoding: gzip\r\nUser-Agent: companion/0.1\r\n"
               f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode() + body
    with socket.create_connection((host, int(port))) as s:
        s.sendall(request)
        response = b""
        while chunk := s.recv(65536):
            response += chunk
    assert response.startswith(b"HTTP/1.1 200")
    assert len(request) + len(response) <= 2048, (len(request), len(response))
    assert b'"changes":[]' in response


def test_large_pull_is_gzip_compressed(hub: LiveHub, alice: Device) -> None:
    """A pull of many changes comes gzip-compressed when the client accepts it."""
    alice.sync([change("note", f"n{i}", {"lesson_id": "l", "body": "the same words " * 5})
                for i in range(50)])
    other = hub.device("alice")
    with other.http() as c:
        r = c.post("/v1/sync", json={"cursor": None, "changes": []},
                   headers={"Accept-Encoding": "gzip"})
    assert r.headers["content-encoding"] == "gzip"
    assert int(r.headers["content-length"]) < len(r.content) / 3


def test_gzip_request_body_is_accepted(hub: LiveHub, alice: Device) -> None:
    """A client may gzip the pushed batch (Content-Encoding: gzip)."""
    batch = [change("note", f"n{i}", {"lesson_id": "l", "body": "b"}) for i in range(20)]
    raw = gzip.compress(json.dumps({"cursor": None, "changes": batch}).encode())
    with alice.http() as c:
        r = c.post("/v1/sync", content=raw, headers={"Content-Encoding": "gzip",
                                                     "Content-Type": "application/json"})
    assert r.status_code == 200, r.text
    assert len(r.json()["accepted"]) == 20


def test_gzip_bomb_is_refused(alice: Device) -> None:
    """A compressed body that unpacks beyond the sync limit is refused with 413."""
    raw = gzip.compress(b"[" + b" " * (5 * 1024 * 1024) + b"]")
    with alice.http() as c:
        r = c.post("/v1/sync", content=raw, headers={"Content-Encoding": "gzip"})
    assert r.status_code == 413


def test_sync_body_size_is_limited(alice: Device) -> None:
    """A sync request body over 4 MB is refused with 413 before it is parsed."""
    big = change("note", "n1", {"lesson_id": "l", "body": "x" * (5 * 1024 * 1024)})
    with alice.http() as c:
        r = c.post("/v1/sync", json={"cursor": None, "changes": [big]})
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "too_large"


def test_other_requests_are_limited_to_one_megabyte(hub: LiveHub) -> None:
    """Ordinary requests (login...) are limited to 1 MB."""
    with hub.client() as c:
        r = c.post("/v1/auth/login", content=b"{" + b" " * (2 * 1024 * 1024) + b"}",
                   headers={"Content-Type": "application/json"})
    assert r.status_code == 413


def test_too_many_changes_in_one_batch(alice: Device) -> None:
    """A batch over the per-request change limit is refused as a whole, nothing applied."""
    batch = [change("note", f"n{i}", {"lesson_id": "l", "body": ""}) for i in range(1001)]
    with alice.http() as c:
        r = c.post("/v1/sync", json={"cursor": None, "changes": batch})
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "too_many_changes"


def test_progress_merge_rules(hub: LiveHub, alice: Device) -> None:
    """Done stays done, the position follows the latest watch, the best quiz score is kept."""
    phone = hub.device("alice")
    alice.sync([change("progress", "l1", {"position_s": 50.0, "watched_s": 170.0, "done": True,
                                          "quiz_best": 3, "quiz_total": 3})])
    phone.sync([change("progress", "l1", {"position_s": 12.0, "watched_s": 12.0,
                                          "done": False, "quiz_best": 1, "quiz_total": 3})])
    alice.sync([change("quiz_attempt", "a1", {"lesson_id": "l1", "score": 2, "total": 3,
                                              "answers": [0, 1, 2]}, op="append")])
    from companion.hub import tables as t

    with hub.storage.read() as conn:
        row = conn.execute(t.progress_state.select()).one()
    assert (row.done, row.position_s, row.watched_s, row.quiz_best) == (True, 12.0, 170.0, 3)


def test_note_tombstone_and_later_edit(hub: LiveHub, alice: Device) -> None:
    """A deleted note leaves a tombstone; an edit after it (hub order) brings it back."""
    from companion.hub import tables as t

    alice.sync([change("note", "n1", {"lesson_id": "l", "body": "a"})])
    alice.sync([change("note", "n1", {"lesson_id": "l"}, op="delete")])
    with hub.storage.read() as conn:
        row = conn.execute(t.note_state.select()).one()
    assert row.deleted and row.body == ""
    hub.device("alice").sync([change("note", "n1", {"lesson_id": "l", "body": "kept"})])
    with hub.storage.read() as conn:
        row = conn.execute(t.note_state.select()).one()
    assert not row.deleted and row.body == "kept"


def test_sessions_are_not_sent_to_other_devices(hub: LiveHub, alice: Device) -> None:
    """Session records feed the trainer's statistics only; other devices do not pull them."""
    alice.sync([change("session", uuid.uuid4().hex,
                       {"started_at": "2024-05-06T11:30:00+02:00", "duration_s": 300},
                       op="append")])
    assert [c for c in hub.device("alice").pull_all() if c["kind"] == "session"] == []


def test_cursor_restarts_after_joining_a_group(hub: LiveHub, group, alice: Device) -> None:
    """After joining another group, the next pull starts over and brings its discussion."""
    hub.add_trainer("trainer2")
    other = hub.create_group("Florists Bruges", "trainer2")
    bob = hub.device("bob", invite=other.invite_code)
    bob.sync([change("comment", "c1", {"lesson_id": "l", "body": "hello florists"})])
    alice.pull_all()
    with alice.http() as c:
        assert c.post("/v1/groups/join", json={"invite_code": other.invite_code}).status_code == 200
    data = alice.sync()
    assert data["reset"] is True
    got = alice.pull_all() + data["changes"]
    assert "c1" in {c["entity_id"] for c in got if c["kind"] == "comment"}


def test_cursor_ahead_of_the_hub_starts_over(hub: LiveHub, alice: Device) -> None:
    """A cursor beyond the hub's sequence (hub restored from a backup) restarts the pull."""
    alice.sync([change("note", "n1", {"lesson_id": "l", "body": "x"})])
    other = hub.device("alice")
    other.cursor = "999999.1"
    data = other.sync()
    assert data["reset"] is True
    assert "n1" in {c["entity_id"] for c in data["changes"]}
