"""Accounts and tokens: joining, logging in and out, expiry, rate limits, API docs."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from companion.core.packs.format import MAX_MANIFEST_BYTES
from companion.hub import tables as t
from companion.hub.auth import hash_token
from companion.hub.routes.photos import PHOTO_MAX_BYTES
from tests.hub.helpers import PASSWORD, LiveHub, start_hub


@pytest.fixture
def invite(hub: LiveHub) -> str:
    """The invite code of a group with a trainer."""
    hub.add_trainer("trainer")
    return hub.create_group("Bakers", "trainer").invite_code


def register(hub: LiveHub, invite: str, username: str = "alice", password: str = PASSWORD):
    with hub.client() as c:
        return c.post("/v1/accounts", json={"invite_code": invite, "username": username,
                                            "password": password, "device_id": "d1"})


def login(hub: LiveHub, username: str = "alice", password: str = PASSWORD,
          device_id: str = "d1"):
    with hub.client() as c:
        return c.post("/v1/auth/login", json={"username": username, "password": password,
                                              "device_id": device_id})


def test_join_with_invite_code(hub: LiveHub, invite: str) -> None:
    """A learner joins with the invite code (any case, spaces) and is logged in at once."""
    r = register(hub, f" {invite.lower()[:5]} {invite.lower()[5:]} ")
    assert r.status_code == 201, r.text
    data = r.json()
    assert data["account"]["groups"][0]["name"] == "Bakers"
    assert data["account"]["is_trainer"] is False
    me = hub.client(data["token"]).get("/v1/me")
    assert me.json()["username"] == "alice"


def test_unknown_invite_taken_name_and_weak_password(hub: LiveHub, invite: str) -> None:
    """Wrong invite code, a taken username and a short password are refused clearly."""
    assert register(hub, "NOPE-NOPE").json()["error"]["code"] == "unknown_invite"
    assert register(hub, invite).status_code == 201
    r = register(hub, invite, username="ALICE")
    assert r.status_code == 409 and r.json()["error"]["code"] == "username_taken"
    r = register(hub, invite, username="bob", password="short")
    assert r.status_code == 400 and r.json()["error"]["code"] == "weak_password"
    r = register(hub, invite, username="no spaces please")
    assert r.json()["error"]["code"] == "invalid_username"


def test_passwords_are_stored_as_argon2(hub: LiveHub, invite: str) -> None:
    """No password or token is stored in clear: Argon2id hashes and SHA-256 of tokens."""
    token = register(hub, invite).json()["token"]
    with hub.storage.read() as conn:
        stored = conn.execute(select(t.accounts.c.password_hash)
                              .where(t.accounts.c.username == "alice")).scalar_one()
        hashes = conn.execute(select(t.tokens.c.token_hash)).scalars().all()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert hash_token(token) in hashes and token not in hashes


def test_login_and_wrong_password(hub: LiveHub, invite: str) -> None:
    """The right password gives a new device token; a wrong one a plain 401."""
    register(hub, invite)
    assert login(hub, "Alice").status_code == 200
    r = login(hub, password="wrong password")
    assert r.status_code == 401 and r.json()["error"]["code"] == "bad_credentials"
    assert login(hub, "nobody").status_code == 401


def test_logout_revokes_only_that_token(hub: LiveHub, invite: str) -> None:
    """After logout the token is refused; the person's other devices stay logged in."""
    first = register(hub, invite).json()["token"]
    second = login(hub, device_id="d2").json()["token"]
    assert hub.client(first).post("/v1/auth/logout").status_code == 204
    r = hub.client(first).post("/v1/sync", json={"cursor": None, "changes": []})
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    assert hub.client(second).get("/v1/me").status_code == 200


def test_expired_token_is_refused(hub: LiveHub, invite: str) -> None:
    """A token past its expiry no longer works."""
    token = register(hub, invite).json()["token"]
    with hub.storage.write() as conn:
        conn.execute(update(t.tokens).values(expires_at=1.0))
    assert hub.client(token).get("/v1/me").status_code == 401


def test_token_in_use_is_renewed(hub: LiveHub, invite: str) -> None:
    """A token used after a day gets its expiry pushed forward (sliding expiry)."""
    token = register(hub, invite).json()["token"]
    with hub.storage.write() as conn:
        conn.execute(update(t.tokens).values(last_used_at=1.0, expires_at=4e9))
    assert hub.client(token).get("/v1/me").status_code == 200
    with hub.storage.read() as conn:
        row = conn.execute(select(t.tokens)).one()
    assert row.last_used_at > 1.0 and row.expires_at < 4e9


def test_missing_or_garbage_token(hub: LiveHub) -> None:
    """No token or an unknown one: 401 with a JSON error."""
    with hub.client() as c:
        assert c.get("/v1/me").json()["error"]["code"] == "unauthorized"
    assert hub.client("garbage").get("/v1/me").status_code == 401


def test_login_rate_limited_per_username(hub: LiveHub, invite: str) -> None:
    """After 5 attempts on a username in a minute, even the right password waits (429)."""
    register(hub, invite)
    for _ in range(5):
        assert login(hub, password="wrong password").status_code == 401
    r = login(hub)
    assert r.status_code == 429 and int(r.headers["retry-after"]) > 0
    with hub.storage.write() as conn:
        conn.execute(update(t.auth_failures).values(at=1.0))  # the window has passed
    assert login(hub).status_code == 200


def test_login_rate_limited_per_address(hub_settings, invite: str, hub: LiveHub) -> None:
    """Many failures from one address block it for every username."""
    hub.stop()
    limited = start_hub(hub_settings.with_changes(login_max_failures_per_address=4))
    try:
        for i in range(4):
            assert login(limited, f"user{i}", "wrong password").status_code == 401
        assert login(limited, "someone-else", "wrong password").status_code == 429
    finally:
        limited.stop()


def test_rate_limit_is_shared_between_hub_processes(hub_settings, invite: str,
                                                    hub: LiveHub) -> None:
    """Failures counted by one hub count on another hub sharing the database."""
    register(hub, invite)
    second = start_hub(hub_settings)
    try:
        for i in range(5):
            assert login(hub if i % 2 else second, password="wrong password").status_code == 401
        assert login(second).status_code == 429
        assert login(hub).status_code == 429
    finally:
        second.stop()


def test_invite_guessing_is_rate_limited(hub: LiveHub, invite: str) -> None:
    """Guessing invite codes from one address is limited too."""
    codes = [register(hub, f"WRONG{i}", username=f"u{i}").status_code for i in range(31)]
    assert codes[:30] == [404] * 30 and codes[30] == 429


def test_join_second_group(hub: LiveHub, invite: str) -> None:
    """A learner with an account joins another group with its invite code."""
    token = register(hub, invite).json()["token"]
    hub.add_trainer("trainer2")
    other = hub.create_group("Florists", "trainer2")
    r = hub.client(token).post("/v1/groups/join", json={"invite_code": other.invite_code})
    assert r.status_code == 200 and r.json()["role"] == "learner"
    assert r.json()["invite_code"] is None
    assert {g["name"] for g in hub.client(token).get("/v1/groups").json()} == {
        "Bakers", "Florists"}


def test_openapi_docs_are_served(hub: LiveHub) -> None:
    """The hub serves its OpenAPI description and the interactive docs."""
    with hub.client() as c:
        spec = c.get("/openapi.json").json()
        assert c.get("/docs").status_code == 200
    assert {"/v1/sync", "/v1/auth/login", "/v1/media/{sha256}",
            "/v1/groups/{group_id}/progress"} <= set(spec["paths"])


def test_health_and_info(hub: LiveHub) -> None:
    """Health names the database; info gives the protocol version and limits."""
    with hub.client() as c:
        health = c.get("/v1/health").json()
        info = c.get("/v1/hub").json()
    assert health["status"] == "ok" and health["database"] in {"sqlite", "postgresql"}
    assert info["protocol"] == 1 and info["limits"]["max_sync_body_bytes"] == 4 * 1024 * 1024
    assert info["limits"]["max_manifest_bytes"] == MAX_MANIFEST_BYTES  # the pack format's
    assert info["limits"]["max_publish_body_bytes"] > 2 * MAX_MANIFEST_BYTES
    s = hub.settings  # the limits a client needs, as this hub applies them
    assert {key: info["limits"][key] for key in (
        "quota_bytes_per_day", "max_body_bytes", "pull_page_default", "max_courier_body_bytes",
        "max_courier_changes", "max_push_changes", "pull_page_max", "max_media_bytes")} == {
        "quota_bytes_per_day": s.quota_bytes_per_day, "max_body_bytes": s.max_body_bytes,
        "pull_page_default": s.pull_page_default,
        "max_courier_body_bytes": s.max_courier_body_bytes,
        "max_courier_changes": s.max_courier_changes, "max_push_changes": s.max_push_changes,
        "pull_page_max": s.pull_page_max, "max_media_bytes": s.max_media_bytes}
    assert info["limits"]["max_photo_bytes"] == PHOTO_MAX_BYTES
