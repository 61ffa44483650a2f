"""Hubs as real processes (``python -m companion hub serve``) for the fault tests, and a proxy
that kills one with SIGKILL at a chosen moment of a push.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

from companion.hub import accounts, auth
from companion.hub.settings import HubSettings
from companion.hub.storage import Storage
from tests.hub.helpers import PASSWORD


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def hub_settings(data_dir: Path, database_url: str | None) -> HubSettings:
    return HubSettings(data_dir=data_dir, database_url=database_url, argon2_time_cost=1,
                       argon2_memory_kib=1024, argon2_parallelism=1)


def prepare_hub(data_dir: Path, database_url: str | None, trainer: str = "tina",
                group: str = "Bakkers") -> str:
    """Create the hub's database with a trainer and a group, like the admin CLI does; the
    group's invite code."""
    settings = hub_settings(data_dir, database_url)
    storage = Storage(settings)
    try:
        password_hash = auth.Passwords(settings).hash(PASSWORD)
        with storage.write() as conn:
            accounts.create_account(conn, trainer, password_hash, is_trainer=True)
            return accounts.create_group(conn, group, trainer).invite_code
    finally:
        storage.close()


class HubProcess:
    """``companion hub serve`` in a child process; ``kill()`` is SIGKILL, ``start()`` again
    serves the same data (a new port each time unless given)."""

    def __init__(self, data_dir: Path, database_url: str | None, log: Path) -> None:
        self.data_dir, self.database_url, self.log = data_dir, database_url, log
        self.port = 0
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, port: int | None = None) -> HubProcess:
        self.port = port or free_port()
        args = [sys.executable, "-m", "companion", "hub", "serve", "--port", str(self.port),
                "--data", str(self.data_dir)]
        if self.database_url:
            args += ["--database-url", self.database_url]
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(args, stdout=log, stderr=log, env={**os.environ})
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{self.url}/v1/health", timeout=2).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"the hub process did not start:\n{self.log.read_text()}")
            time.sleep(0.05)

    def kill(self) -> None:
        """SIGKILL: no clean-up, no shutdown handler, the transaction just stops."""
        if self.proc is not None and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()


class PushKiller:
    """A TCP proxy in front of a hub process that kills the hub in the middle of a push.

    Armed with :meth:`arm`, on the next ``POST /v1/sync`` it kills the hub:

    - ``"request"``: when the request's bytes are flowing: its headers and part of its body
      reached the hub, the rest never will (nothing of that batch can be committed);
    - ``"delay"``: ``delay_s`` after the request's last byte reached the hub, wherever the
      hub then is (parsing, inside its transaction, committing, answering);
    - ``"response"``: when the answer's first bytes come back, which the client never gets
      (the hub committed the batch; the client cannot know).

    :meth:`retarget` points it at the restarted hub. ``kills`` counts what it did.
    """

    def __init__(self, hub: HubProcess) -> None:
        self.hub = hub
        self.target_port = hub.port
        self._mode: str | None = None
        self._delay_s = 0.0
        self._lock = threading.Lock()
        self.kills: list[str] = []
        self.fired = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        threading.Thread(target=self._accept, daemon=True).start()

    def arm(self, mode: str, delay_s: float = 0.0) -> None:
        assert mode in ("request", "delay", "response")
        with self._lock:
            self._mode, self._delay_s = mode, delay_s
            self.fired.clear()

    def retarget(self, port: int) -> None:
        self.target_port = port

    def close(self) -> None:
        self._listener.close()

    def _take(self, mode: str) -> float | None:
        """Disarm if armed for ``mode``; the delay, or None if not armed for it."""
        with self._lock:
            if self._mode != mode:
                return None
            self._mode = None
            return self._delay_s

    def _kill(self, how: str) -> None:
        self.hub.kill()
        self.kills.append(how)
        self.fired.set()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target_port))
            except OSError:
                client.close()
                continue
            conn = _Connection(client, upstream)
            threading.Thread(target=self._up, args=(conn,), daemon=True).start()
            threading.Thread(target=self._down, args=(conn,), daemon=True).start()

    def _up(self, conn: _Connection) -> None:
        """Client to hub."""
        body_left = 0  # bytes of the current sync request's body still to come
        try:
            while data := conn.client.recv(65536):
                timer = None
                if b"POST /v1/sync " in data:
                    conn.sync_pending = True
                    head, sep, body = data.partition(b"\r\n\r\n")
                    if self._take("request") is not None:
                        conn.upstream.sendall(head + sep + body[:len(body) // 2])
                        time.sleep(0.05)  # let the hub start reading it
                        self._kill("request")
                        break
                    body_left = _content_length(head) - len(body)
                    delay = self._take("delay")
                    if delay is not None:
                        timer = threading.Timer(delay, self._kill, args=("delay",))
                else:
                    body_left -= len(data)
                conn.upstream.sendall(data)
                if timer is not None:
                    conn.timer = timer
                if conn.timer is not None and body_left <= 0:
                    conn.timer.start()  # the whole batch is at the hub now
                    conn.timer = None
        except OSError:
            pass
        conn.close()

    def _down(self, conn: _Connection) -> None:
        """Hub to client."""
        try:
            while data := conn.upstream.recv(65536):
                if conn.sync_pending:
                    conn.sync_pending = False
                    if self._take("response") is not None:
                        self._kill("response")
                        break
                conn.client.sendall(data)
        except OSError:
            pass
        conn.close()


def _content_length(head: bytes) -> int:
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value.strip())
    return 0


class _Connection:
    def __init__(self, client: socket.socket, upstream: socket.socket) -> None:
        self.client, self.upstream = client, upstream
        self.sync_pending = False
        self.timer: threading.Timer | None = None

    def close(self) -> None:
        for s in (self.client, self.upstream):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()
