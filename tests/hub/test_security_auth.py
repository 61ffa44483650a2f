"""Hub hardening: login limits that parallel requests cannot race, tokens that do not pile up,
roles from the group's own grant, deleted comments erased from history, media and replies kept
inside the caller's groups, private files and a proxy trusted only when told."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
import uvicorn
from sqlalchemy import func, inspect, select, text

from companion.hub import accounts, auth, server
from companion.hub import tables as t
from companion.hub.app import create_app
from tests.hub.helpers import PASSWORD, Device, LiveHub, change, start_hub


@pytest.fixture
def group(hub: LiveHub) -> Any:
    hub.add_trainer("tina")
    return hub.create_group("Bakers", "tina")


class CountingVerify:
    """Counts the password checks the hub makes (the thing a guesser wants many of)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        self._lock = threading.Lock()
        original = auth.Passwords.verify

        def verify(passwords: auth.Passwords, stored: str | None, password: str) -> bool:
            with self._lock:
                self.calls += 1
            return original(passwords, stored, password)

        monkeypatch.setattr(auth.Passwords, "verify", verify)


def login(hub: LiveHub, username: str, password: str, device_id: str = "d1") -> httpx.Response:
    with httpx.Client(base_url=hub.url, timeout=60) as c:
        return c.post("/v1/auth/login", json={"username": username, "password": password,
                                              "device_id": device_id})


def parallel_logins(hub: LiveHub, username: str, passwords: list[str]) -> list[int]:
    with ThreadPoolExecutor(max_workers=len(passwords)) as pool:
        return [r.status_code for r in pool.map(
            lambda i: login(hub, username, passwords[i], f"dev{i}"), range(len(passwords)))]


def test_parallel_guesses_check_only_the_allowed_number(
        hub: LiveHub, group: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """40 wrong passwords at once check at most the per-account budget; the right one, sent
    next, is refused while the account is slowed down."""
    hub.device("alice", invite=group.invite_code)
    checks = CountingVerify(monkeypatch)
    codes = parallel_logins(hub, "alice", [f"wrong guess {i}" for i in range(40)])
    budget = hub.settings.login_max_attempts_per_user
    assert checks.calls <= budget
    assert codes.count(401) == checks.calls and codes.count(429) == 40 - checks.calls
    r = login(hub, "alice", PASSWORD)
    assert r.status_code == 429 and int(r.headers["retry-after"]) > 0
    assert checks.calls <= budget


def test_parallel_right_logins_are_limited_and_tokens_capped(
        hub_settings: Any, hub: LiveHub, group: Any) -> None:
    """40 right logins at once: only the per-account budget gets through, and an account keeps
    at most its cap of tokens (the least recently used go first)."""
    hub.stop()
    capped = start_hub(hub_settings.with_changes(max_tokens_per_account=3))
    try:
        capped.device("alice", invite=group.invite_code, device_id="first")
        codes = parallel_logins(capped, "alice", [PASSWORD] * 40)
        assert codes.count(200) == capped.settings.login_max_attempts_per_user
        assert codes.count(429) == 40 - codes.count(200)
        with capped.storage.read() as conn:
            assert conn.execute(select(func.count()).select_from(t.tokens)).scalar() == 3
    finally:
        capped.stop()


def test_a_new_login_replaces_the_devices_token(hub: LiveHub, group: Any) -> None:
    """Logging the same device in again revokes its earlier token instead of adding one."""
    first = hub.device("alice", invite=group.invite_code, device_id="pc")
    second = hub.device("alice", device_id="pc")
    assert hub.client(first.token).get("/v1/me").status_code == 401
    assert hub.client(second.token).get("/v1/me").status_code == 200
    with hub.storage.read() as conn:
        assert conn.execute(select(func.count()).select_from(t.tokens)).scalar() == 1


def test_wrong_guesses_slow_an_account_down_but_do_not_lock_it_out(
        hub: LiveHub, group: Any) -> None:
    """The per-account budget is a minute long: after it the owner logs in again (an attacker
    cannot buy a 15-minute lockout with 5 guesses)."""
    hub.device("alice", invite=group.invite_code)
    for _ in range(hub.settings.login_max_attempts_per_user):
        assert login(hub, "alice", "wrong password").status_code == 401
    r = login(hub, "alice", PASSWORD)
    assert r.status_code == 429 and int(r.headers["retry-after"]) <= 60
    with hub.storage.write() as conn:  # a minute later
        conn.execute(t.auth_failures.update().values(at=t.auth_failures.c.at - 61))
    assert login(hub, "alice", PASSWORD).status_code == 200


def test_parallel_invite_guesses_are_counted(hub_settings: Any, hub: LiveHub, group: Any,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Invite codes guessed in parallel all count: a limit of 4 lets no more than 4 through,
    even when every guess has passed the first look at the count before any is recorded."""
    hub.stop()
    # 20 worker threads, so that all 20 requests can wait at the barrier at once.
    limited = start_hub(hub_settings.with_changes(login_max_failures_per_address=4,
                                                  worker_threads=20))
    together = threading.Barrier(20, timeout=30)
    original = auth.Passwords.hash

    def hash_together(passwords: auth.Passwords, password: str) -> str:
        together.wait()  # all 20 requests are between the first look and the write
        return original(passwords, password)

    monkeypatch.setattr(auth.Passwords, "hash", hash_together)
    try:
        def guess(i: int) -> int:
            with httpx.Client(base_url=limited.url, timeout=60) as c:
                return c.post("/v1/accounts", json={
                    "invite_code": f"WRONG{i}", "username": f"u{i}", "password": PASSWORD,
                    "device_id": "d"}).status_code
        with ThreadPoolExecutor(max_workers=20) as pool:
            codes = list(pool.map(guess, range(20)))
        assert codes.count(404) == 4 and codes.count(429) == 16
    finally:
        limited.stop()


# -- roles come from the group -----------------------------------------------------------------


def test_a_trainer_joining_with_a_learner_code_is_a_learner(hub: LiveHub, group: Any) -> None:
    """Another group's trainer who has G1's invite code joins G1 as a learner: no progress view
    and no deleting other people's comments there."""
    hub.add_trainer("trudy")
    hub.create_group("Florists", "trudy")
    alice = hub.device("alice", invite=group.invite_code)
    alice.sync([change("comment", "c1", {"lesson_id": "l/1", "body": "mine",
                                         "group_id": group.id})])
    trudy = hub.device("trudy")
    with trudy.http() as c:
        r = c.post("/v1/groups/join", json={"invite_code": group.invite_code})
        assert r.status_code == 200 and r.json()["role"] == "learner"
        assert r.json()["invite_code"] is None
        assert c.get(f"/v1/groups/{group.id}/progress").status_code == 403
        assert c.delete("/v1/comments/c1").status_code == 403
        roles = {g["name"]: g.get("role") for g in c.get("/v1/groups").json()}
    assert roles == {"Bakers": "learner", "Florists": "trainer"}
    assert [x["comment_id"] for x in alice.get(f"/v1/groups/{group.id}/comments").json()] == [
        "c1"]


def test_the_groups_own_trainer_keeps_the_role_when_joining_again(
        hub: LiveHub, group: Any) -> None:
    tina = hub.device("tina")
    with tina.http() as c:
        r = c.post("/v1/groups/join", json={"invite_code": group.invite_code})
        assert r.status_code == 200 and r.json()["role"] == "trainer"
        assert c.get(f"/v1/groups/{group.id}/progress").status_code == 200


def learner(hub: LiveHub, name: str, invite: str) -> Device:
    return hub.device(name, invite=invite)


# -- deleted comments are erased ---------------------------------------------------------------


def texts(changes: list[dict[str, Any]]) -> str:
    return " ".join(str(c["payload"]) for c in changes)


@pytest.mark.parametrize("how", ["route", "sync"])
def test_a_deleted_comment_is_gone_from_every_pull(hub: LiveHub, group: Any, how: str) -> None:
    """After a deletion nobody pulling from the start reads the text: not a member who was
    there, not one who joins later, not the comment list with deleted ones."""
    alice = learner(hub, "alice", group.invite_code)
    bob = learner(hub, "bob", group.invite_code)
    alice.sync([change("comment", "c1", {"lesson_id": "l/1", "body": "my phone 0470 11 22 33",
                                         "group_id": group.id})])
    alice.sync([change("comment", "c1", {"body": "my phone 0470 99 88 77"})])
    assert "0470" in texts(bob.pull_all())
    if how == "route":
        assert hub.device("tina").http().delete("/v1/comments/c1").status_code == 200
    else:
        out = alice.sync([change("comment", "c1", {}, op="delete")])
        assert not out["rejected"]
    for reader in (hub.device("bob"), learner(hub, "carl", group.invite_code)):
        got = [c for c in reader.pull_all() if c["entity_id"] == "c1"]
        assert got and "0470" not in texts(got)
        assert all("deleted_by" in c["payload"] for c in got)  # replayed, it stays deleted
    listed = bob.get(f"/v1/groups/{group.id}/comments", params={"include_deleted": True}).json()
    assert [(c["comment_id"], c["body"], c["deleted"]) for c in listed] == [("c1", "", True)]
    with hub.storage.read() as conn:
        stored = " ".join(conn.execute(select(t.changes.c.payload)).scalars())
    assert "0470" not in stored


def test_other_comments_keep_their_text(hub: LiveHub, group: Any) -> None:
    alice = learner(hub, "alice", group.invite_code)
    alice.sync([change("comment", "c1", {"lesson_id": "l/1", "body": "weg",
                                         "group_id": group.id}),
                change("comment", "c2", {"lesson_id": "l/1", "body": "blijft",
                                         "group_id": group.id})])
    alice.sync([change("comment", "c1", {}, op="delete")])
    got = {c["entity_id"]: c["payload"] for c in hub.device("tina").pull_all()
           if c["kind"] == "comment"}
    assert got["c2"]["body"] == "blijft" and "body" not in got["c1"]


def test_a_reply_cannot_point_into_another_group(hub: LiveHub, group: Any) -> None:
    hub.add_trainer("trudy")
    florists = hub.create_group("Florists", "trudy")
    alice = learner(hub, "alice", group.invite_code)
    carol = learner(hub, "carol", florists.invite_code)
    alice.sync([change("comment", "c1", {"lesson_id": "l/1", "body": "vraag",
                                         "group_id": group.id})])
    out = carol.sync([change("comment", "c2", {"lesson_id": "l/1", "body": "antwoord",
                                               "reply_to": "c1", "group_id": florists.id})])
    assert out["rejected"] and out["rejected"][0]["code"] == "forbidden"
    ok = alice.sync([change("comment", "c3", {"lesson_id": "l/1", "body": "zelf",
                                              "reply_to": "c1", "group_id": group.id})])
    assert not ok["rejected"]


# -- media stay with who may know them ---------------------------------------------------------


def test_a_hash_does_not_reveal_or_publish_another_groups_file(hub: LiveHub, group: Any) -> None:
    """Trudy (another group's trainer) knows the hash of a file of tina's pack: the hub answers
    as if it lacked the file, refuses to publish it, and takes it only with its bytes."""
    data, absent = b"tina's lesson video" * 100, "0" * 64
    sha = hashlib.sha256(data).hexdigest()
    tina = hub.device("tina")
    with tina.http() as c:
        assert c.post("/v1/media/missing", json={"sha256": [sha]}).json()["missing"] == [sha]
        assert c.put(f"/v1/media/{sha}", content=data).status_code == 201
        assert c.post("/v1/media/missing", json={"sha256": [sha]}).json()["missing"] == []
        again = c.put(f"/v1/media/{sha}", content=b"")
        assert again.status_code == 200 and again.json()["stored"] is False
    hub.add_trainer("trudy")
    florists = hub.create_group("Florists", "trudy")
    trudy = hub.device("trudy")
    doc = json.dumps({"pack": {"id": "p", "version": "1", "title": "P", "language": "nl"},
                      "files": [{"path": "v.mp4", "sha256": sha, "size": len(data)}]})
    with trudy.http() as c:
        missing = c.post("/v1/media/missing", json={"sha256": [sha, absent]}).json()["missing"]
        assert missing == [sha, absent]
        assert c.put(f"/v1/media/{sha}", content=b"").status_code == 422  # no probing
        r = c.post(f"/v1/groups/{florists.id}/packs", json={"manifest": doc, "signature": None})
        assert r.status_code == 409 and r.json()["error"]["code"] == "missing_files"
        up = c.put(f"/v1/media/{sha}", content=data)  # having the bytes is proof enough
        assert up.status_code == 201 and up.json()["stored"] is True
        r = c.post(f"/v1/groups/{florists.id}/packs", json={"manifest": doc, "signature": None})
        assert r.status_code == 201, r.text


def test_files_of_my_groups_packs_are_known_to_me(hub: LiveHub, group: Any) -> None:
    """A second trainer of the group sees the pack's files as present (no re-upload)."""
    data = b"shared file" * 10
    sha = hashlib.sha256(data).hexdigest()
    doc = json.dumps({"pack": {"id": "p", "version": "1"},
                      "files": [{"path": "a", "sha256": sha, "size": len(data)}]})
    with hub.device("tina").http() as c:
        assert c.put(f"/v1/media/{sha}", content=data).status_code == 201
        assert c.post(f"/v1/groups/{group.id}/packs",
                      json={"manifest": doc, "signature": None}).status_code == 201
    hub.add_trainer("tom")
    with hub.storage.write() as conn:
        accounts.add_member(conn, group.id, accounts.account_by_username(conn, "tom").id,
                            "trainer")
    with hub.device("tom").http() as c:
        assert c.post("/v1/media/missing", json={"sha256": [sha]}).json()["missing"] == []


# -- files and the proxy -----------------------------------------------------------------------


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_the_data_folder_and_database_are_private(hub: LiveHub) -> None:
    data = hub.settings.data_dir
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    if hub.settings.database_url is None:
        assert stat.S_IMODE(hub.settings.sqlite_path.stat().st_mode) == 0o600


def served(settings: Any, **options: Any) -> tuple[uvicorn.Server, threading.Thread, str]:
    config = uvicorn.Config(create_app(settings), **{**server.uvicorn_options(**options),
                                                     "port": 0, "log_level": "warning"})
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    while not srv.started:
        assert thread.is_alive()
        time.sleep(0.01)
    return srv, thread, f"http://127.0.0.1:{srv.servers[0].sockets[0].getsockname()[1]}"


@pytest.mark.parametrize("trusted", [None, "127.0.0.1"])
def test_forwarded_for_is_believed_only_from_a_named_proxy(
        hub_settings: Any, hub: LiveHub, trusted: str | None) -> None:
    """Without --forwarded-allow-ips a client cannot rotate X-Forwarded-For to dodge the
    per-address limit; with a proxy named, the forwarded address is what counts."""
    hub.stop()
    srv, thread, url = served(hub_settings.with_changes(login_max_failures_per_address=3),
                              forwarded_allow_ips=trusted)
    try:
        with httpx.Client(base_url=url, timeout=30) as c:
            codes = [c.post("/v1/auth/login", headers={"X-Forwarded-For": f"10.0.0.{i}"},
                            json={"username": f"nobody{i}", "password": "wrong password",
                                  "device_id": "d"}).status_code for i in range(5)]
    finally:
        srv.should_exit = True
        thread.join(timeout=10)
    assert codes == ([401] * 3 + [429] * 2 if trusted is None else [401] * 5)


def test_upgrade_erases_text_of_comments_deleted_by_an_older_hub(
        hub_settings: Any, hub: LiveHub, group: Any) -> None:
    """A hub database from before the erase (schema 1) still held deleted comments' text in
    its change log: opening it with this hub erases that text once."""
    alice = learner(hub, "alice", group.invite_code)
    alice.sync([change("comment", "c1", {"lesson_id": "l/1", "body": "my phone 0470 11 22 33",
                                         "group_id": group.id})])
    alice.sync([change("comment", "c1", {}, op="delete")])
    with hub.storage.write() as conn:  # what an older hub left behind
        conn.execute(t.changes.update().where(t.changes.c.entity_id == "c1").values(
            payload=json.dumps({"lesson_id": "l/1", "body": "my phone 0470 11 22 33",
                                "group_id": group.id})))
        conn.execute(t.hub_state.update().values(schema_version=1))
    hub.stop()
    upgraded = start_hub(hub_settings)
    try:
        with upgraded.storage.read() as conn:
            stored = " ".join(conn.execute(select(t.changes.c.payload)).scalars())
            version = conn.execute(select(t.hub_state.c.schema_version)).scalar_one()
        assert "0470" not in stored and '"deleted_by"' in stored
        assert version == t.SCHEMA_VERSION
        got = [c for c in learner(upgraded, "carl", group.invite_code).pull_all()
               if c["entity_id"] == "c1"]
        assert got and "0470" not in texts(got)
    finally:
        upgraded.stop()


def test_upgrade_keeps_files_uploaded_before_known_to_their_uploader(
        hub_settings: Any, hub: LiveHub, group: Any) -> None:
    """An older hub kept who uploaded a file in media.added_by only: after the upgrade the
    uploader may still probe for it (it is not asked for again)."""
    data = b"an older hub's lesson video" * 100
    sha = hashlib.sha256(data).hexdigest()
    with hub.device("tina").http() as c:
        assert c.put(f"/v1/media/{sha}", content=data).status_code == 201
    with hub.storage.write() as conn:  # what an older hub left behind
        conn.execute(t.media_owners.delete())
        conn.execute(t.hub_state.update().values(schema_version=1))
    hub.stop()
    upgraded = start_hub(hub_settings)
    try:
        with upgraded.device("tina").http() as c:
            assert c.post("/v1/media/missing", json={"sha256": [sha]}).json()["missing"] == []
    finally:
        upgraded.stop()


def test_upgrade_to_schema_3_adds_the_report_and_quota_indexes(
        hub_settings: Any, hub: LiveHub, group: Any) -> None:
    """Schema 3 adds indexes, which ``create_all`` does not add to existing tables, and the
    time each comment arrived: a database written by a schema-2 hub gets them (and loses the
    index they replace) when this hub opens it, its comments dated from the change log."""
    new = ("changes_account_received", "session_summary_report", "lesson_activity_report")
    alice = learner(hub, "alice", group.invite_code)
    alice.sync([change("comment", "c1", {"lesson_id": "l/1", "body": "hallo",
                                         "group_id": group.id})])
    with hub.storage.write() as conn:  # what a schema-2 hub left behind
        conn.execute(t.changes.update().where(t.changes.c.entity_id == "c1")
                     .values(received_at=1_700_000_000.0))
        conn.execute(text("ALTER TABLE comment_state DROP COLUMN created_at"))
        for name in new:
            conn.execute(text(f"DROP INDEX {name}"))
        conn.execute(text("CREATE INDEX session_summary_account_start"
                          " ON session_summary (account_id, start_at)"))
        conn.execute(t.hub_state.update().values(schema_version=2))
    hub.stop()
    upgraded = start_hub(hub_settings)
    try:
        with upgraded.storage.read() as conn:
            names = {index["name"] for table in ("changes", "session_summary", "lesson_activity")
                     for index in inspect(conn).get_indexes(table)}
            version = conn.execute(select(t.hub_state.c.schema_version)).scalar_one()
            users = conn.execute(select(t.accounts.c.username)).scalars().all()
            dated = conn.execute(select(t.comment_state.c.created_at)).scalars().all()
        assert set(new) <= names and "session_summary_account_start" not in names
        assert dated == [1_700_000_000.0]
        assert version == t.SCHEMA_VERSION == 3 and "alice" in users
    finally:
        upgraded.stop()
