"""Hostile input against a real hub, on SQLite and PostgreSQL alike: no 5xx, no work before
the token, one bad change refused alone with a reason, the same bounds on both databases."""

from __future__ import annotations

import gzip
import json
import logging
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from companion.hub import settings
from companion.hub import tables as t
from companion.hub.errors import HubError
from companion.hub.settings import HubSettings
from tests.hub.helpers import Device, LiveHub, change, start_hub
from tests.hub.test_packs import FILES, publish_all, setup, sha  # noqa: F401 - fixture by name
from tests.hub.test_sync import alice, group  # noqa: F401  (shared fixtures)


def post_sync(hub: LiveHub, body: bytes, token: str | None = None,
              headers: dict[str, str] | None = None) -> httpx.Response:
    """A raw sync request: ``body`` exactly as given (JSON escapes are not re-encoded)."""
    with hub.client(token) as c:
        return c.post("/v1/sync", content=body,
                      headers={"Content-Type": "application/json", **(headers or {})})


def push_one(hub: LiveHub, device: Device, bad: dict[str, Any]) -> dict[str, Any]:
    """Push a good note and ``bad`` in one batch (ASCII-escaped JSON); the sync answer."""
    good = change("note", uuid.uuid4().hex, {"lesson_id": "l1", "body": "fine"})
    body = json.dumps({"cursor": None, "changes": [good, bad]}).encode()
    r = post_sync(hub, body, device.token)
    assert r.status_code == 200, r.text[:300]
    out = r.json()
    assert [a["change_id"] for a in out["accepted"]] == [good["change_id"]]
    assert [(x["index"], x["code"]) for x in out["rejected"]] == [(1, "invalid")]
    assert out["rejected"][0]["reason"]
    return out


def test_bad_token_is_refused_before_the_body_is_unpacked(hub: LiveHub, alice: Device) -> None:
    """A damaged gzip body without a valid token is answered 401, not 400: nothing unpacked."""
    for token in (None, "not-a-token"):
        r = post_sync(hub, b"\x1f\x8bnot gzip at all", token, {"Content-Encoding": "gzip"})
        assert r.status_code == 401, r.text
        assert r.json()["error"]["code"] == "unauthorized"


def test_bad_token_is_refused_before_a_big_body_is_parsed(hub: LiveHub, alice: Device) -> None:
    """A 200 KB body that is not JSON, with a wrong token, is answered 401, not 422."""
    r = post_sync(hub, b"{" * 200_000, "not-a-token")
    assert r.status_code == 401


def test_gzip_ratio_is_bounded(hub: LiveHub, alice: Device) -> None:
    """2 MB of JSON packed a thousand times (past the free 1 MB) is refused as too_large."""
    doc = b'{"cursor": null, "changes": []' + b" " * (2 * 1024 * 1024) + b"}"
    r = post_sync(hub, gzip.compress(doc), alice.token, {"Content-Encoding": "gzip"})
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "too_large"


def test_normal_gzip_body_still_works(hub: LiveHub, alice: Device) -> None:
    """A gzip batch of ordinary changes (ratio well under the bound) is applied."""
    batch = [change("note", f"n{i}", {"lesson_id": "l1", "body": uuid.uuid4().hex})
             for i in range(300)]
    raw = gzip.compress(json.dumps({"cursor": None, "changes": batch}).encode())
    r = post_sync(hub, raw, alice.token, {"Content-Encoding": "gzip"})
    assert r.status_code == 200 and len(r.json()["accepted"]) == 300


def test_deeply_nested_sync_body_is_422(hub: LiveHub, alice: Device) -> None:
    """JSON nested 100,000 deep is a 422, not a RecursionError and a 500."""
    deep = b'{"changes": [' + b"[" * 100_000 + b"]" * 100_000 + b"]}"
    r = post_sync(hub, deep, alice.token)
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "invalid"


def test_deeply_nested_small_body_without_login_is_401(hub: LiveHub) -> None:
    """A 2 KB body nested 1,000 deep without a login is a 401."""
    r = post_sync(hub, b"[" * 1000 + b"]" * 1000)
    assert r.status_code == 401


def test_deep_payload_is_rejected_alone(hub: LiveHub, alice: Device) -> None:
    """A change whose payload nests 50 deep is refused alone; its batch is applied."""
    deep: Any = 1
    for _ in range(50):
        deep = {"x": deep}
    push_one(hub, alice, change("session", "s1", {"event": "start", "hour": 9, "extra": deep},
                                op="append"))


def test_nul_in_username_is_422(hub: LiveHub, group) -> None:
    """A NUL in the username of a login or a registration is a 422 (PostgreSQL: was a 500)."""
    body = {"username": "al\x00ice", "password": "correct horse battery", "device_id": "d1"}
    with hub.client() as c:
        r = c.post("/v1/auth/login", json=body)
        assert r.status_code == 422, r.text
        r = c.post("/v1/accounts", json={**body, "invite_code": group.invite_code})
        assert r.status_code == 422, r.text


def test_nul_in_invite_code_is_422(hub: LiveHub, alice: Device) -> None:
    """A NUL in the invite code of a join is a 422 (PostgreSQL: was a 500)."""
    with alice.http() as c:
        r = c.post("/v1/groups/join", json={"invite_code": "AB\x00CD"})
    assert r.status_code == 422, r.text


def test_kind_or_op_that_is_not_text_is_rejected_alone(hub: LiveHub, alice: Device) -> None:
    """A kind that is an object, or an op that is a list, is refused alone (was a 500)."""
    bad = change("note", "n8", {"lesson_id": "l1", "body": "x"})
    push_one(hub, alice, {**bad, "kind": {"a": 1}})
    push_one(hub, alice, {**bad, "change_id": uuid.uuid4().hex, "op": ["upsert"]})


def test_device_seq_past_64_bits_is_rejected_alone(hub: LiveHub, alice: Device) -> None:
    """device_seq 2^63 is refused alone with a reason (was a 500 for the whole batch)."""
    bad = change("note", "n9", {"lesson_id": "l1", "body": "x"})
    bad["device_seq"] = 2**63
    out = push_one(hub, alice, bad)
    assert "device_seq" in out["rejected"][0]["reason"]


def test_quiz_best_past_32_bits_is_rejected_alone(hub: LiveHub, alice: Device) -> None:
    """quiz_best 2^31 is refused alone on both databases (PostgreSQL: was a 500)."""
    push_one(hub, alice, change("progress", "l1", {"quiz_best": 2**31, "quiz_total": 3}))


def test_quiz_score_past_32_bits_is_rejected_alone(hub: LiveHub, alice: Device) -> None:
    """A quiz attempt scoring 2^40 is refused alone on both databases."""
    push_one(hub, alice, change("quiz_attempt", "a1",
                                {"lesson_id": "l1", "score": 2**40, "total": 2**41},
                                op="append"))


def test_integer_past_64_bits_anywhere_is_rejected_alone(hub: LiveHub, alice: Device) -> None:
    """A 30-digit number inside a session record is refused alone."""
    push_one(hub, alice, change("session", "s1", {"event": "start", "hour": 9,
                                                  "weekday": 10**30}, op="append"))


def test_lone_surrogate_in_note_is_rejected_alone(hub: LiveHub, alice: Device) -> None:
    """A note body with a lone surrogate is refused alone (was a 500: no UTF-8 for it)."""
    bad = change("note", "n2", {"lesson_id": "l1", "body": "\ud83d broken emoji"})
    push_one(hub, alice, bad)


def test_lone_surrogate_in_change_id_is_rejected_alone(hub: LiveHub, alice: Device) -> None:
    """A change id with a lone surrogate is refused alone, answered with change_id null."""
    bad = change("note", "n3", {"lesson_id": "l1", "body": "x"}, change_id="id-\udc00")
    out = push_one(hub, alice, bad)
    assert out["rejected"][0]["change_id"] is None


def test_nul_in_note_is_rejected_alone(hub: LiveHub, alice: Device) -> None:
    """A NUL in a note body is refused alone on both databases (PostgreSQL: was a 500)."""
    push_one(hub, alice, change("note", "n4", {"lesson_id": "l1", "body": "a\x00b"}))


def test_nul_in_entity_id_is_rejected_alone(hub: LiveHub, alice: Device) -> None:
    """A NUL in an entity id is refused alone before any query uses it."""
    push_one(hub, alice, change("note", "n\x00", {"lesson_id": "l1", "body": "x"}))


def test_nan_in_payload_is_rejected_alone(hub: LiveHub, alice: Device) -> None:
    """NaN in a quiz attempt is refused alone, so no pull ever has to send it back."""
    bad = change("quiz_attempt", "a2", {"lesson_id": "l1", "score": 1, "total": 2,
                                        "answers": [float("nan")]}, op="append")
    push_one(hub, alice, bad)
    other = hub.device("alice")
    assert other.pull_all()  # 200, and the good note arrives


def test_long_quiz_lesson_id_is_rejected_alone(hub: LiveHub, alice: Device) -> None:
    """A quiz attempt for a lesson id of 200 characters is refused alone (PostgreSQL: a 500)."""
    push_one(hub, alice, change("quiz_attempt", "a4", {"lesson_id": "l" * 200, "score": 1,
                                                       "total": 2}, op="append"))


def test_session_payload_size_is_bounded(hub: LiveHub, alice: Device) -> None:
    """A 100 KB session record is refused alone (was stored: 3.9 MB per change)."""
    push_one(hub, alice, change("session", "s2", {"event": "x" * 10, "hour": 9,
                                                  "junk": "y" * 100_000}, op="append"))


def test_quiz_attempt_payload_size_is_bounded(hub: LiveHub, alice: Device) -> None:
    """A quiz attempt with 1 MB of answers is refused alone."""
    push_one(hub, alice, change("quiz_attempt", "a3", {"lesson_id": "l1", "score": 1,
                                                       "total": 2, "answers": ["z" * 1_000_000]},
                                op="append"))


def test_group_id_past_32_bits_in_path_is_422(hub: LiveHub, alice: Device) -> None:
    """Group ids past 2^31 in any path are a 422 on both databases (were 500s)."""
    for gid in (2**31, 2**63, 10**30):
        for path in (f"/v1/groups/{gid}/members", f"/v1/groups/{gid}/progress",
                     f"/v1/groups/{gid}/comments", f"/v1/groups/{gid}/packs",
                     f"/v1/groups/{gid}/packs/p/manifest"):
            r = alice.get(path)
            assert r.status_code == 422, (path, r.status_code, r.text)


def test_nul_in_path_and_query_is_422(hub: LiveHub, alice: Device, group) -> None:
    """A NUL in a comment id, pack id or lesson id is a 422, not a database error."""
    with alice.http() as c:
        assert c.delete("/v1/comments/a%00b").status_code == 422
    assert alice.get(f"/v1/groups/{group.id}/packs/p%00/manifest").status_code == 422
    r = alice.get(f"/v1/groups/{group.id}/comments", params={"lesson_id": "l\x001"})
    assert r.status_code == 422


def test_manifest_size_past_64_bits_is_invalid(setup: tuple[Device, Device, int]) -> None:
    """A manifest listing a file of 2^63 bytes is an invalid manifest, not a 500."""
    trainer, _, group_id = setup
    publish_all(trainer, group_id)
    files = [{"path": p, "sha256": sha(b), "size": len(b)} for p, b in FILES.items()]
    files[0]["size"] = 2**63
    manifest = json.dumps({"pack": {"id": "p1", "version": "9", "title": "t"}, "files": files})
    with trainer.http() as c:
        r = c.post(f"/v1/groups/{group_id}/packs", json={"manifest": manifest})
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_manifest"


def test_deep_manifest_is_invalid(setup: tuple[Device, Device, int]) -> None:
    """A manifest nested 5,000 deep is an invalid manifest, not a RecursionError."""
    trainer, _, group_id = setup
    with trainer.http() as c:
        r = c.post(f"/v1/groups/{group_id}/packs", json={"manifest": "[" * 5000 + "]" * 5000})
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_manifest"


def test_database_errors_do_not_carry_bodies(hub: LiveHub, alice: Device,
                                             caplog: pytest.LogCaptureFixture) -> None:
    """A database error's text (what a log gets) names no SQL parameter, so no note body."""
    secret = "my private note about the bank"
    row = {"server_seq": 1, "change_id": "c1", "account_id": alice.account_id,
           "device_id": "d", "device_seq": 1, "kind": "note", "entity_id": "n",
           "op": "upsert", "payload": json.dumps({"body": secret}), "created_at": "",
           "group_id": None, "received_at": 0.0}
    with caplog.at_level(logging.DEBUG), pytest.raises(IntegrityError) as info, \
            hub.storage.write() as conn:
        conn.execute(insert(t.changes), [row, {**row, "change_id": "c2"}])
    assert secret not in str(info.value)
    assert secret not in caplog.text


@pytest.fixture
def quota_hub(hub_settings: HubSettings) -> Iterator[LiveHub]:
    """A hub whose accounts may store 3,000 bytes of payloads a day."""
    live = start_hub(hub_settings.with_changes(quota_bytes_per_day=3000))
    try:
        yield live
    finally:
        live.stop()


def test_daily_quota_rejects_with_reason_quota(quota_hub: LiveHub) -> None:
    """Past the daily quota a change is rejected alone with code "quota"; others may still."""
    quota_hub.add_trainer("trainer")
    group = quota_hub.create_group("Bakers", "trainer")
    alice = quota_hub.device("alice", invite=group.invite_code)
    bob = quota_hub.device("bob", invite=group.invite_code)
    notes = [change("note", f"n{i}", {"lesson_id": "l1", "body": "x" * 900}) for i in range(4)]
    out = alice.sync(notes)
    assert len(out["accepted"]) == 3
    assert [(r["index"], r["code"]) for r in out["rejected"]] == [(3, "quota")]
    assert "one day" in out["rejected"][0]["reason"]
    later = alice.sync([change("note", "n9", {"lesson_id": "l1", "body": "y" * 900})])
    assert [r["code"] for r in later["rejected"]] == ["quota"]
    other = bob.sync([change("note", "b1", {"lesson_id": "l1", "body": "z" * 900})])
    assert len(other["accepted"]) == 1


def test_hub_info_announces_the_quota_it_enforces(quota_hub: LiveHub) -> None:
    """GET /v1/hub gives the daily quota in force; payloads past that many bytes a day are
    refused, so a client can plan its pushes by the announced figure."""
    with quota_hub.client() as c:
        limits = c.get("/v1/hub").json()["limits"]
    assert limits["quota_bytes_per_day"] == 3000 and limits["quota_window_s"] == 24 * 3600
    quota_hub.add_trainer("trainer")
    alice = quota_hub.device("alice", invite=quota_hub.create_group("B", "trainer").invite_code)
    body = "x" * (limits["quota_bytes_per_day"] // 2)
    out = alice.sync([change("note", f"n{i}", {"lesson_id": "l1", "body": body})
                      for i in range(2)])
    assert len(out["accepted"]) == 1 and [r["code"] for r in out["rejected"]] == ["quota"]


def test_quota_is_a_setting_from_the_environment(monkeypatch: pytest.MonkeyPatch,
                                                 tmp_path: Path) -> None:
    """COMPANION_HUB_QUOTA_MB_PER_DAY sets the daily quota; a bad value is a clear error."""
    assert settings.build_settings(str(tmp_path)).quota_bytes_per_day == 16 * settings.MB
    monkeypatch.setenv(settings.QUOTA_ENV, "32")
    assert settings.build_settings(str(tmp_path)).quota_bytes_per_day == 32 * settings.MB
    monkeypatch.setenv(settings.QUOTA_ENV, "lots")
    with pytest.raises(HubError, match="megabytes"):
        settings.build_settings(str(tmp_path))


def test_publish_without_a_valid_token_is_refused_before_the_body_is_parsed(
        hub: LiveHub, alice: Device, group: Any) -> None:
    """A big publish body that is not JSON, with a wrong or no token, is answered 401, not 422."""
    for token in (None, "not-a-token"):
        with hub.client(token) as c:
            r = c.post(f"/v1/groups/{group.id}/packs", content=b"[" * 2_000_000,
                       headers={"Content-Type": "application/json"})
        assert r.status_code == 401, r.text[:200]
        assert r.json()["error"]["code"] == "unauthorized"


def test_publish_by_a_learner_is_refused_before_the_body_is_parsed(
        hub: LiveHub, alice: Device, group: Any) -> None:
    """Only the group's trainers make the hub read a manifest: a learner gets 403 whatever the
    body holds."""
    with hub.client(alice.token) as c:
        r = c.post(f"/v1/groups/{group.id}/packs", content=b"[" * 2_000_000,
                   headers={"Content-Type": "application/json"})
    assert r.status_code == 403, r.text[:200]



@pytest.mark.parametrize("body", [b"[" * 100_000, b"not json", b'{"manifest": 5}',
                                  b'{"manifest": "x\\u0000y"}'])
def test_a_trainers_bad_publish_body_is_422_with_a_reason(hub: LiveHub, group: Any,
                                                           body: bytes) -> None:
    trainer = hub.device("trainer")
    with hub.client(trainer.token) as c:
        r = c.post(f"/v1/groups/{group.id}/packs", content=body,
                   headers={"Content-Type": "application/json"})
    assert r.status_code == 422, r.text[:200]
    assert r.json()["error"]["code"] == "invalid"
    assert r.json()["error"]["message"]
