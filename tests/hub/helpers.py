"""A live hub on loopback and a tiny protocol client for the tests (not the real sync engine)."""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx
import uvicorn

from companion.hub import accounts, auth
from companion.hub.app import create_app
from companion.hub.settings import HubSettings
from companion.hub.storage import Storage

PASSWORD = "correct horse battery"


@dataclass
class LiveHub:
    settings: HubSettings
    server: uvicorn.Server
    thread: threading.Thread
    url: str
    storage: Storage
    _clients: dict[str | None, httpx.Client] = field(default_factory=dict)

    def stop(self) -> None:
        for c in self._clients.values():
            c.close()
        self.server.should_exit = True
        self.thread.join(timeout=10)

    def client(self, token: str | None = None) -> httpx.Client:
        """A kept-alive client (one per token); ``with`` blocks do not close it."""
        if token not in self._clients:
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            self._clients[token] = _KeptClient(base_url=self.url, headers=headers, timeout=30)
        return self._clients[token]

    def add_trainer(self, username: str, password: str = PASSWORD) -> None:
        password_hash = auth.Passwords(self.settings).hash(password)
        with self.storage.write() as conn:
            accounts.create_account(conn, username, password_hash, is_trainer=True)

    def create_group(self, name: str, trainer: str) -> accounts.Group:
        with self.storage.write() as conn:
            return accounts.create_group(conn, name, trainer)

    def device(self, username: str, password: str = PASSWORD, device_id: str | None = None,
               invite: str | None = None) -> Device:
        """Register (with an invite) or log in, as a new device."""
        device_id = device_id or uuid.uuid4().hex
        body = {"username": username, "password": password, "device_id": device_id}
        with self.client() as c:
            if invite is not None:
                r = c.post("/v1/accounts", json={**body, "invite_code": invite})
            else:
                r = c.post("/v1/auth/login", json=body)
        assert r.status_code in (200, 201), r.text
        data = r.json()
        return Device(self, data["token"], device_id, data["account"])


class _KeptClient(httpx.Client):
    """A client that stays open at the end of a ``with`` block (the hub closes it at stop)."""

    def __enter__(self) -> _KeptClient:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


def start_hub(settings: HubSettings) -> LiveHub:
    app = create_app(settings)
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning",
                            lifespan="on", timeout_graceful_shutdown=2)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test hub did not start")
        time.sleep(0.005)
    port = server.servers[0].sockets[0].getsockname()[1]
    return LiveHub(settings, server, thread, f"http://127.0.0.1:{port}", app.state.hub.storage)


_seq = 0


def change(kind: str, entity_id: str, payload: dict[str, Any], op: str = "upsert",
           change_id: str | None = None, device_id: str = "dev") -> dict[str, Any]:
    """A change in the client's wire form (``Change.to_dict()``)."""
    global _seq
    _seq += 1
    return {"change_id": change_id or uuid.uuid4().hex, "device_id": device_id,
            "device_seq": _seq, "kind": kind, "entity_id": entity_id, "op": op,
            "payload": payload, "created_at": "2024-05-06T12:05:00+02:00"}


@dataclass
class Device:
    """One logged-in device: pushes its changes and pulls by cursor, like a client would."""

    hub: LiveHub
    token: str
    device_id: str
    account: dict[str, Any]
    cursor: str | None = None
    received: list[dict[str, Any]] = field(default_factory=list)

    @property
    def account_id(self) -> int:
        return int(self.account["account_id"])

    def http(self) -> httpx.Client:
        return self.hub.client(self.token)

    def sync(self, changes: list[dict[str, Any]] | None = None, limit: int | None = None,
             ) -> dict[str, Any]:
        """One sync request; remembers the cursor and what was pulled."""
        body: dict[str, Any] = {"cursor": self.cursor, "changes": changes or []}
        if limit:
            body["limit"] = limit
        with self.http() as c:
            r = c.post("/v1/sync", json=body)
        assert r.status_code == 200, r.text
        data = r.json()
        self.cursor = data["cursor"]
        self.received.extend(data["changes"])
        return data

    def pull_all(self, limit: int | None = None) -> list[dict[str, Any]]:
        """Pull pages until nothing more; returns the changes of this call."""
        got: list[dict[str, Any]] = []
        while True:
            data = self.sync(limit=limit)
            got.extend(data["changes"])
            if not data["more"]:
                return got

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        with self.http() as c:
            return c.get(path, **kwargs)
