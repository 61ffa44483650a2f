"""The hub's database: one engine, short transactions, the same code on SQLite and PostgreSQL.

SQLite (the embedded default) runs in WAL mode; a write transaction starts with ``BEGIN
IMMEDIATE`` so two writers never deadlock on a lock upgrade, and readers never wait for writers.
The writers of one process queue on a lock of their own before that (see :meth:`Storage.write`).
PostgreSQL runs at READ COMMITTED; writers that hand out server sequence numbers serialize on the
``hub_state`` row (see :func:`lock_sequence`).
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    bindparam,
    create_engine,
    event,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.exc import DisconnectionError, OperationalError, SQLAlchemyError

from companion.hub import activity, epochs, moderation
from companion.hub import tables as t
from companion.hub.errors import HubError
from companion.hub.settings import HubSettings, secure_data_dir

# An arbitrary constant: the PostgreSQL advisory lock that guards schema creation, so several hub
# processes starting at once do not race to create the tables.
_SCHEMA_LOCK_KEY = 727_301

# How long a SQLite writer waits for another process's write transaction before giving up.
SQLITE_BUSY_TIMEOUT_MS = 30_000
# A pooled PostgreSQL connection unused for this long is pinged before it is handed out.
PING_AFTER_IDLE_S = 5.0
# How long a SQLite writer waits for the writers before it in this process (see Storage.write).
WRITE_QUEUE_TIMEOUT_S = 60.0


def now() -> float:
    return time.time()


class Storage:
    """The database of one hub: open it, run read or write transactions on it, close it."""

    def __init__(self, settings: HubSettings) -> None:
        self.settings = settings
        url = settings.sqlalchemy_url()
        self.is_sqlite = url.startswith("sqlite")
        self._write_lock = threading.Lock() if self.is_sqlite else None
        secure_data_dir(settings)
        if self.is_sqlite:
            self.engine = _sqlite_engine(url, settings.worker_threads)
        else:
            self.engine = _postgres_engine(url, settings.worker_threads)
        try:
            self._ensure_schema()
        except OperationalError as exc:
            self.engine.dispose()
            raise HubError(f"cannot open the hub database: {_short(exc)}") from exc

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextlib.contextmanager
    def read(self) -> Iterator[Connection]:
        """A read transaction (never blocks writers, never blocked by them)."""
        with self.engine.connect() as conn, conn.begin():
            yield conn

    @contextlib.contextmanager
    def write(self) -> Iterator[Connection]:
        """A write transaction; committed when the block ends, rolled back on an exception.

        On SQLite the writers of this process take turns on a lock first. SQLite's own busy
        handler polls a held write lock with sleeps of up to 100 ms, so with many writers one
        that arrives late often wins while earlier ones sleep: pushes from 200 clients had a
        p99 of seconds. The lock queues them without sleeping; writers in other processes still
        meet the busy timeout. A writer that waits in the queue for too long (a thread nesting two
        writes) goes on to SQLite, which refuses it as before.
        """
        locked = self._write_lock is not None and self._write_lock.acquire(
            timeout=WRITE_QUEUE_TIMEOUT_S)
        try:
            with self.engine.connect() as conn:
                conn.execution_options(companion_write=True)
                with conn.begin():
                    yield conn
        finally:
            if locked:
                self._write_lock.release()  # type: ignore[union-attr]

    def close(self) -> None:
        self.engine.dispose()

    def _ensure_schema(self) -> None:
        with self.write() as conn:
            if not self.is_sqlite:
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _SCHEMA_LOCK_KEY})
            t.metadata.create_all(conn)
            row = conn.execute(select(t.hub_state.c.schema_version)).first()
            if row is None:
                conn.execute(t.hub_state.insert().values(
                    id=1, schema_version=t.SCHEMA_VERSION, last_seq=0))
            elif row[0] > t.SCHEMA_VERSION:
                raise HubError(
                    f"this hub database was written by a newer hub (schema {row[0]}, this hub "
                    f"knows up to {t.SCHEMA_VERSION}); update the hub")
            elif row[0] < t.SCHEMA_VERSION:
                _upgrade(conn, row[0])
            activity.backfill(conn)  # issue 10's summaries, on a hub that had data before
            epochs.ensure_epoch(conn)


def _upgrade(conn: Connection, version: int) -> None:
    """Bring a hub database written by an older hub up to :data:`tables.SCHEMA_VERSION`
    (new tables come from ``create_all``; this does what a new table cannot)."""
    if version < 2:
        # Hubs before version 2 kept a deleted comment's text in the change log, where a pull
        # from the start still served it: erase it once, as a deletion does now.
        moderation.erase_deleted_comments(conn)
        # Who uploaded a file was kept in media.added_by only; media_owners has it now.
        m = t.media.c
        conn.execute(t.media_owners.insert().from_select(
            ["sha256", "account_id"],
            select(m.sha256, m.added_by).where(m.added_by.isnot(None))))
    if version < 3:
        # Indexes (create_all adds none to existing tables) and when each comment arrived.
        _add_indexes(conn, ("changes_account_received", "session_summary_report",
                            "lesson_activity_report"))
        conn.execute(text("DROP INDEX IF EXISTS session_summary_account_start"))
        if "created_at" not in {c["name"] for c in inspect(conn).get_columns("comment_state")}:
            conn.execute(text("ALTER TABLE comment_state ADD COLUMN created_at FLOAT"))
        cs, c = t.comment_state, t.changes
        conn.execute(update(cs).where(cs.c.created_at.is_(None)).values(
            created_at=select(c.c.received_at).where(c.c.server_seq == cs.c.created_seq)
            .scalar_subquery()))
    conn.execute(update(t.hub_state).values(schema_version=t.SCHEMA_VERSION))


def _add_indexes(conn: Connection, names: tuple[str, ...]) -> None:
    for table in t.metadata.sorted_tables:
        for index in table.indexes:
            if index.name in names:
                index.create(conn, checkfirst=True)


def lock_sequence(conn: Connection) -> int:
    """Lock the server sequence for this transaction and return the last number handed out.

    On PostgreSQL the row lock is held until commit, so a second writer waits here until the first
    has committed: sequence numbers become visible to readers in the order they were handed out,
    and a pull by cursor can never step over a change that commits later. On SQLite the write
    transaction (BEGIN IMMEDIATE) already serializes writers.
    """
    return int(conn.execute(_LOCK_SEQ).scalar_one())


def advance_sequence(conn: Connection, last_seq: int) -> None:
    """Record the last number handed out (inside the transaction that holds the lock)."""
    conn.execute(_ADVANCE_SEQ, {"new_last_seq": last_seq})


# Built once: every push and pull runs them.
_LAST_SEQ = select(t.hub_state.c.last_seq).where(t.hub_state.c.id == 1)
_LOCK_SEQ = _LAST_SEQ.with_for_update()
_ADVANCE_SEQ = update(t.hub_state).where(t.hub_state.c.id == 1).values(
    last_seq=bindparam("new_last_seq"))


def last_sequence(conn: Connection) -> int:
    """The last server sequence number committed (as this transaction sees it)."""
    return int(conn.execute(_LAST_SEQ).scalar_one())


def _postgres_engine(url: str, threads: int) -> Engine:
    # One connection per worker thread stays open; the overflow serves the few requests that
    # hold a connection across two threads (a route's Db plus its Me dependency).
    engine = create_engine(url, pool_size=threads, max_overflow=threads,
                           hide_parameters=True)

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_conn: Any, record: Any) -> None:
        record.info["companion_idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        # A connection that sat idle may have been dropped (the database restarted, a firewall
        # forgot it): ping it, and let the pool replace it if dead. A connection in steady use
        # is not pinged: pool_pre_ping's round trip on every checkout (two per sync) was an
        # eighth of a sync's time on the hub's worker threads.
        idle_since = record.info.get("companion_idle_since")
        if idle_since is None or time.monotonic() - idle_since < PING_AFTER_IDLE_S:
            return
        try:
            engine.dialect.do_ping(dbapi_conn)
        except Exception as exc:
            raise DisconnectionError("the idle database connection was dropped") from exc

    return engine


def _sqlite_engine(url: str, threads: int) -> Engine:
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000,
                                              "check_same_thread": False},
                           pool_size=threads, max_overflow=threads,
                           hide_parameters=True)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy's events, not the driver, decide where transactions begin.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute(f"PRAGMA busy_timeout = {int(SQLITE_BUSY_TIMEOUT_MS)}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get("companion_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def _short(exc: SQLAlchemyError) -> str:
    return str(getattr(exc, "orig", exc)).strip().splitlines()[0]
