"""The background sync runner: triggers, backoff, and the status the app shows."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable

from companion.core.db import open_database
from companion.sync.client import HubClient
from companion.sync.credentials import HubLogin
from companion.sync.engine import (
    LOGIN_NEEDED,
    OFFLINE,
    SIGNED_OUT,
    UP_TO_DATE,
    SyncEngine,
    SyncStatus,
)
from tests.hub.helpers import LiveHub
from tests.sync.helpers import Pc


class Statuses:
    """Collects the statuses an engine reports and waits for one."""

    def __init__(self) -> None:
        self.seen: list[SyncStatus] = []
        self._cond = threading.Condition()

    def __call__(self, status: SyncStatus) -> None:
        with self._cond:
            self.seen.append(status)
            self._cond.notify_all()

    def wait_for(self, test: Callable[[SyncStatus], bool], timeout_s: float = 10.0,
                 after: int = 0) -> SyncStatus:
        deadline = time.monotonic() + timeout_s
        with self._cond:
            while True:
                for status in self.seen[after:]:
                    if test(status):
                        return status
                left = deadline - time.monotonic()
                assert left > 0, f"no such status; seen {[s.text() for s in self.seen]}"
                self._cond.wait(left)


def _engine(pc: Pc, statuses: Statuses, url: dict[str, str], **kwargs) -> SyncEngine:
    def client(login: HubLogin, token: str) -> HubClient:
        return HubClient(url.get("url", login.hub_url), token, timeout=5.0)

    return SyncEngine(lambda: open_database(pc.svc.locations.database_path), pc.profile_id,
                      pc.svc.credentials, statuses, client_factory=client,
                      **kwargs)


def _dead_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"


def test_offline_then_connection_returns(hub: LiveHub, invite: str, make_pc) -> None:
    """Unreachable: "Offline · N changes waiting", retried with backoff; when the connection
    returns the queue goes out and the status is "Up to date"."""
    pc = make_pc("pc")
    pc.login(hub.url, "anna", invite)
    pc.svc.notes.add(pc.profile_id, pc.lessons[0], "x")
    statuses, url = Statuses(), {"url": _dead_url()}
    engine = _engine(pc, statuses, url, backoff_initial_s=30.0)
    engine.start()
    try:
        offline = statuses.wait_for(lambda s: s.phase == OFFLINE)
        assert offline.pending == 2 and offline.text() == "Offline · 2 changes waiting"
        pc.svc.notes.add(pc.profile_id, pc.lessons[1], "y")
        engine.local_change()  # while offline: recounted, not retried at once
        statuses.wait_for(lambda s: s.phase == OFFLINE and s.pending == 3)
        url.pop("url")
        engine.connection_returned()
        done = statuses.wait_for(lambda s: s.phase == UP_TO_DATE)
        assert done.pending == 0 and done.text() == "Up to date · just now"
        assert engine.rounds == 2  # the backoff of 15-30 s was not waited out
    finally:
        engine.stop()
    assert pc.pending() == 0


def test_local_change_syncs_shortly_after(hub: LiveHub, invite: str, make_pc) -> None:
    """After a local change the engine syncs within the debounce time, not the period."""
    pc = make_pc("pc")
    pc.login(hub.url, "anna", invite)
    statuses = Statuses()
    engine = _engine(pc, statuses, {}, debounce_s=0.2, period_s=3600)
    engine.start()
    try:
        statuses.wait_for(lambda s: s.phase == UP_TO_DATE)
        mark = len(statuses.seen)
        pc.svc.notes.add(pc.profile_id, pc.lessons[0], "x")
        engine.local_change()
        statuses.wait_for(lambda s: s.phase == UP_TO_DATE, after=mark, timeout_s=5)
    finally:
        engine.stop()
    assert pc.pending() == 0


def test_revoked_login_asks_to_log_in_and_stops_retrying(hub: LiveHub, invite: str,
                                                         make_pc) -> None:
    """A revoked token gives a "log in again" status and no retry loop."""
    pc = make_pc("pc")
    pc.login(hub.url, "anna", invite)
    pc.client().logout()
    statuses = Statuses()
    engine = _engine(pc, statuses, {}, backoff_initial_s=0.01, period_s=0.01)
    engine.start()
    try:
        status = statuses.wait_for(lambda s: s.phase == LOGIN_NEEDED)
        assert "log in again" in status.text()
        time.sleep(0.3)
        assert engine.rounds == 0
    finally:
        engine.stop()


def test_signed_out_profile(make_pc) -> None:
    """A profile without a login reports "Not connected to a group" and makes no request."""
    pc = make_pc("pc")
    statuses = Statuses()
    engine = _engine(pc, statuses, {})
    engine.start()
    try:
        status = statuses.wait_for(lambda s: s.phase == SIGNED_OUT)
        assert status.text() == "Not connected to a group" and status.pending == 1
    finally:
        engine.stop()


def test_backoff_grows_with_jitter_and_is_capped(make_pc) -> None:
    """Each failure doubles the wait, jitter keeps it in [half, full], and it is capped."""
    pc = make_pc("pc")
    low = _engine(pc, Statuses(), {}, backoff_initial_s=2, backoff_max_s=60, jitter=lambda: 0.0)
    high = _engine(pc, Statuses(), {}, backoff_initial_s=2, backoff_max_s=60, jitter=lambda: 1.0)
    assert [high.backoff_s(n) for n in (1, 2, 3, 4, 10)] == [2, 4, 8, 16, 60]
    assert [low.backoff_s(n) for n in (1, 2, 3, 4, 10)] == [1, 2, 4, 8, 30]


def test_status_texts() -> None:
    """The status line in plain words."""
    assert SyncStatus(OFFLINE, 1).text() == "Offline · 1 change waiting"
    assert SyncStatus(UP_TO_DATE, 0, 1000.0).text(now=1000.0 + 130) == "Up to date · 2 min ago"
    assert SyncStatus("syncing").text() == "Syncing..."
