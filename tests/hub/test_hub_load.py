"""How one hub process shares its database and threads among many clients at once."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest
from sqlalchemy import update

from companion.hub import storage as storage_module
from companion.hub import tables as t
from companion.hub.settings import HubSettings
from companion.hub.storage import Storage


def _bump(storage: Storage) -> None:
    with storage.write() as conn:
        conn.execute(update(t.hub_state).values(last_seq=t.hub_state.c.last_seq + 1))


def test_sqlite_writers_of_one_process_queue_for_the_write_lock(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A second writer waits in line for the first instead of polling SQLite's busy handler
    (which sleeps up to 100 ms between tries, and gives up after the busy timeout)."""
    monkeypatch.setattr(storage_module, "SQLITE_BUSY_TIMEOUT_MS", 50)
    storage = Storage(HubSettings(data_dir=tmp_path))
    holding, release, second_started = threading.Event(), threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def first() -> None:
        with storage.write() as conn:
            conn.execute(update(t.hub_state).values(last_seq=t.hub_state.c.last_seq + 1))
            holding.set()
            release.wait(10)

    def second() -> None:
        second_started.set()
        try:
            _bump(storage)
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)

    try:
        one = threading.Thread(target=first)
        one.start()
        assert holding.wait(10)
        two = threading.Thread(target=second)
        two.start()
        assert second_started.wait(10)
        # Hold the lock well past the busy timeout: SQLite alone would refuse the second writer.
        two.join(0.5)
        release.set()
        one.join(10)
        two.join(10)
        assert errors == []
        with storage.read() as conn:
            assert storage_module.last_sequence(conn) == 2
    finally:
        release.set()
        storage.close()


def test_worker_threads_bound_the_thread_pool_and_the_connection_pool(tmp_path: Path) -> None:
    """Requests that touch the database run on ``worker_threads`` threads, and as many pooled
    connections stay open for them (fewer threads than connections: no connection made and
    closed per request; many more threads: no gain, they only fight over the GIL)."""
    import anyio.to_thread

    from companion.hub.app import create_app

    app = create_app(HubSettings(data_dir=tmp_path, worker_threads=5))

    async def tokens_while_serving() -> float:
        async with app.router.lifespan_context(app):
            return anyio.to_thread.current_default_thread_limiter().total_tokens

    assert asyncio.run(tokens_while_serving()) == 5
    assert app.state.hub.storage.engine.pool.size() == 5


def test_serve_takes_threads_and_access_log_from_the_command_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``--threads`` sets the worker threads; the access log is off unless ``--access-log``."""
    from companion.cli import main
    from companion.hub import server

    calls: list[tuple[HubSettings, dict]] = []
    monkeypatch.setattr(server, "serve", lambda settings, **kw: calls.append((settings, kw)))
    data = ["--data", str(tmp_path / "hub")]
    assert main(["hub", "serve", *data]) == 0
    assert main(["hub", "serve", "--threads", "3", "--access-log", *data]) == 0
    assert [(s.worker_threads, kw["access_log"]) for s, kw in calls] == [(4, False), (3, True)]
    assert main(["hub", "serve", "--threads", "0", *data]) != 0


@pytest.mark.parametrize("idle", [True, False])
def test_postgres_connection_dropped_while_idle_is_replaced(
        hub_settings: HubSettings, monkeypatch: pytest.MonkeyPatch, idle: bool) -> None:
    """A pooled connection the server dropped is replaced when it has sat idle long enough to be
    pinged; one in steady use is not pinged (no round trip per checkout), so its loss surfaces
    once and the pool starts afresh."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    if hub_settings.database_url is None:
        pytest.skip("PostgreSQL only")
    import psycopg

    monkeypatch.setattr(storage_module, "PING_AFTER_IDLE_S", 0.0 if idle else 3600.0)
    storage = Storage(hub_settings)
    try:
        with storage.read() as conn:
            pid = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
        base = hub_settings.database_url.partition("?")[0]
        with psycopg.connect(base, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", [pid])
        if not idle:
            with pytest.raises(DBAPIError), storage.read() as conn:
                conn.execute(text("SELECT 1"))
        with storage.read() as conn:
            assert conn.execute(text("SELECT pg_backend_pid()")).scalar_one() != pid
    finally:
        storage.close()


def test_many_requests_holding_a_connection_never_starve_the_threads(
        hub_settings: HubSettings) -> None:
    """Routes with a ``Db`` hold a pooled connection between their thread hops. With more such
    requests at once than the pool has connections, the threads used to block on the pool while
    the holders waited for a thread: every request hung until the pool's 30 s timeout."""
    import httpx

    from tests.hub.helpers import start_hub

    live = start_hub(hub_settings.with_changes(worker_threads=2))
    try:
        live.add_trainer("trainer")
        group = live.create_group("Bakers", "trainer")
        token = live.device("alice", invite=group.invite_code).token
        statuses: list[int] = []

        def me() -> None:
            with httpx.Client(base_url=live.url, timeout=60) as c:
                statuses.append(c.get("/v1/me", headers={
                    "Authorization": f"Bearer {token}"}).status_code)

        threads = [threading.Thread(target=me) for _ in range(40)]
        for th in threads:
            th.start()
        for th in threads:
            th.join(90)
        assert statuses == [200] * 40
    finally:
        live.stop()
