"""Two hub processes on one PostgreSQL; two clients syncing through different ones converge."""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from companion.cli import main
from tests.hub.conftest import postgres_base_url
from tests.hub.helpers import change

pytestmark = pytest.mark.skipif(postgres_base_url() is None,
                                reason="needs COMPANION_TEST_POSTGRES_URL")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def two_hubs(tmp_path: Path, database_url: str | None,
             monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[list[str], str]]:
    """Two `companion hub serve` processes on the same PostgreSQL schema; yields their URLs."""
    if database_url is None:
        pytest.skip("PostgreSQL only")
    monkeypatch.setattr("sys.stdin", io.StringIO("a good password\n"))
    args = ["--data", str(tmp_path / "hub"), "--database-url", database_url]
    assert main(["hub", "add-trainer", "trainer", "--password-stdin", *args]) == 0
    assert main(["hub", "create-group", "Bakers", "--trainer", "trainer", *args]) == 0
    from companion.hub.settings import build_settings
    from companion.hub.storage import Storage

    storage = Storage(build_settings(str(tmp_path / "hub"), database_url))
    with storage.read() as conn:
        from companion.hub import accounts
        invite = accounts.list_groups(conn)[0]["invite_code"]
    storage.close()
    procs, urls = [], []
    for i in range(2):
        port = _free_port()
        procs.append(subprocess.Popen(
            [sys.executable, "-m", "companion", "hub", "serve", "--port", str(port),
             "--data", str(tmp_path / f"hub{i}"), "--database-url", database_url],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ}))
        urls.append(f"http://127.0.0.1:{port}")
    try:
        for url, proc in zip(urls, procs, strict=True):
            deadline = time.monotonic() + 30
            while True:
                try:
                    if httpx.get(f"{url}/v1/health").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
                assert time.monotonic() < deadline, "hub process did not start"
                time.sleep(0.1)
        yield urls, invite
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(10)


class Client:
    """A minimal client: a local list of pending changes, a cursor, and what it has seen."""

    def __init__(self, url: str, token: str) -> None:
        self.http = httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"})
        self.cursor: str | None = None
        self.pending: list[dict] = []
        self.seen: dict[str, dict] = {}

    def sync(self) -> None:
        while True:
            r = self.http.post("/v1/sync", json={"cursor": self.cursor,
                                                 "changes": self.pending[:100]})
            r.raise_for_status()
            data = r.json()
            done = {a["change_id"] for a in data["accepted"]}
            assert data["rejected"] == []
            self.pending = [c for c in self.pending if c["change_id"] not in done]
            self.cursor = data["cursor"]
            for c in data["changes"]:
                self.seen[c["change_id"]] = c
            if not data["more"] and not self.pending:
                return


def _account(url: str, invite: str | None, username: str) -> str:
    body = {"username": username, "password": "a good password", "device_id": uuid.uuid4().hex}
    if invite:
        r = httpx.post(f"{url}/v1/accounts", json={**body, "invite_code": invite})
    else:
        r = httpx.post(f"{url}/v1/auth/login", json=body)
    assert r.status_code in (200, 201), r.text
    return r.json()["token"]


def test_two_processes_two_clients_converge(two_hubs: tuple[list[str], str]) -> None:
    """Alice's two PCs and bob sync through different hub processes and end up agreeing."""
    (hub_a, hub_b), invite = two_hubs
    alice_pc = Client(hub_a, _account(hub_a, invite, "alice"))
    bob = Client(hub_b, _account(hub_b, invite, "bob"))
    alice_laptop = Client(hub_b, _account(hub_b, None, "alice"))
    for i in range(30):
        alice_pc.pending.append(change("note", f"pc{i}", {"lesson_id": "l", "body": str(i)}))
        alice_laptop.pending.append(change("note", f"lap{i}", {"lesson_id": "l", "body": "x"}))
        alice_pc.pending.append(change("comment", f"ca{i}", {"lesson_id": "l", "body": "a"}))
        bob.pending.append(change("comment", f"cb{i}", {"lesson_id": "l", "body": "b"}))
    for _ in range(2):
        for client in (alice_pc, bob, alice_laptop):
            client.sync()
    notes_pc = {c["entity_id"] for c in alice_pc.seen.values() if c["kind"] == "note"}
    notes_lap = {c["entity_id"] for c in alice_laptop.seen.values() if c["kind"] == "note"}
    assert notes_pc == {f"lap{i}" for i in range(30)}
    assert notes_lap == {f"pc{i}" for i in range(30)}
    comments = {c["entity_id"] for c in bob.seen.values() if c["kind"] == "comment"}
    assert comments == {f"ca{i}" for i in range(30)}
    laptop_comments = {c["entity_id"] for c in alice_laptop.seen.values()
                       if c["kind"] == "comment"}
    assert laptop_comments == {f"ca{i}" for i in range(30)} | {f"cb{i}" for i in range(30)}
    assert not any(c["kind"] == "note" for c in bob.seen.values())
