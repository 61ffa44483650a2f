"""Opening the library database: WAL, foreign keys, versioned migrations.

The schema version lives in ``PRAGMA user_version``. Each migration moves the schema up by one
version inside one transaction, so a crash mid-migration leaves the previous version intact.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import sqlite_utils

from companion.core.errors import LibraryError
from companion.core.migrations import MIGRATIONS

SCHEMA_VERSION = len(MIGRATIONS)


def now_local() -> str:
    """The device's wall clock with its UTC offset: informational only, never used to merge."""
    return datetime.now().astimezone().isoformat(timespec="seconds")


def open_database(path: Path | str, *, migrate: bool = True) -> sqlite_utils.Database:
    """Open (and create or upgrade) the library database at ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    private = str(path) != ":memory:"
    if private:
        _make_private(path)
    try:
        conn = sqlite3.connect(str(path), timeout=10.0, isolation_level=None,
                               check_same_thread=False)
    except sqlite3.Error as exc:
        raise LibraryError(f"{path}: cannot open the library database ({exc})") from exc
    db = sqlite_utils.Database(conn)
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA busy_timeout = 10000")
        mode = _journal_mode_wal(conn)
        if str(mode).lower() != "wal":  # pragma: no cover - only on filesystems without shm
            conn.execute("PRAGMA journal_mode = DELETE")
        # FULL: a commit is on disk before it returns, so a power cut loses no typed note.
        conn.execute("PRAGMA synchronous = FULL")
        version = schema_version(db)
        if version > SCHEMA_VERSION:
            raise LibraryError(
                f"{path}: this library was written by a newer version of the companion "
                f"(schema {version}, this version knows up to {SCHEMA_VERSION}); update the app"
            )
        if migrate:
            migrate_to(db, SCHEMA_VERSION)
        if private:  # SQLite made -wal and -shm like the database; older libraries were 0644
            _make_private(path)
    except sqlite3.DatabaseError as exc:
        conn.close()
        if _busy(exc):
            raise LibraryError(f"{path}: the library is busy: another program holds it "
                               f"({exc})") from exc
        raise LibraryError(f"{path}: the library database is damaged ({exc})") from exc
    except BaseException:
        conn.close()
        raise
    return db


def _busy(exc: sqlite3.Error) -> bool:
    return getattr(exc, "sqlite_errorcode", None) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


def _journal_mode_wal(conn: sqlite3.Connection, patience_s: float = 10.0) -> str:
    """Switch to WAL and return the journal mode now in force.

    While another connection is turning a brand-new library into WAL, SQLite answers this
    pragma "database is locked" at once, without waiting for the busy timeout (two programs
    opening a new library together hit it about one time in six). Wait for it here, as the busy
    timeout would."""
    deadline = time.monotonic() + patience_s
    pause = 0.005
    while True:
        try:
            return str(conn.execute("PRAGMA journal_mode = WAL").fetchone()[0])
        except sqlite3.OperationalError as exc:
            if not _busy(exc) or time.monotonic() + pause > deadline:
                raise
            time.sleep(pause)
            pause = min(pause * 2, 0.1)


#: The database holds private notes: on a shared shop PC only its owner may read it.
PRIVATE_MODE = 0o600


def _make_private(path: Path) -> None:
    """Create the database file readable by its owner only (SQLite gives its -wal and -shm
    the database's mode), and tighten the files of a library made before."""
    if os.name != "posix":
        return  # Windows: the user's profile folder is private already
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, PRIVATE_MODE)
        os.close(fd)
    except OSError:
        return  # opening reports the problem in its own words
    for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        with contextlib.suppress(OSError):
            if name.stat().st_mode & 0o077:
                name.chmod(PRIVATE_MODE)


def open_database_readonly(path: Path | str) -> sqlite_utils.Database | None:
    """The library at ``path`` for reading only, or None where there is none: for commands
    that look but must not create a library (``companion pack verify``)."""
    path = Path(path)
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=10.0,
                               isolation_level=None)
        conn.execute("PRAGMA busy_timeout = 10000")
        db = sqlite_utils.Database(conn)
        if schema_version(db) > SCHEMA_VERSION:
            conn.close()
            return None
    except sqlite3.Error as exc:
        raise LibraryError(f"{path}: cannot read the library database ({exc})") from exc
    return db


def schema_version(db: sqlite_utils.Database) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def migrate_to(db: sqlite_utils.Database, target: int) -> None:
    """Apply migrations one version at a time up to ``target``.

    The version is read again inside each write transaction: two processes (or two threads
    opening a new library at once) take turns, and the second finds the step already done.
    """
    current = schema_version(db)
    while current < target:
        with write_transaction(db):
            current = schema_version(db)
            if current >= target:
                break
            step = MIGRATIONS[current]
            step(db.conn)
            db.execute(f"PRAGMA user_version = {current + 1}")
            if current == 0:
                db.execute(
                    "INSERT OR IGNORE INTO settings(key, value) VALUES ('device_id', ?)",
                    [uuid.uuid4().hex],
                )
        current += 1


@contextlib.contextmanager
def write_transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """A write transaction taken up front (BEGIN IMMEDIATE); nests as a savepoint."""
    conn = db.conn
    if conn.in_transaction:
        name = f"sp_{uuid.uuid4().hex}"
        conn.execute(f"SAVEPOINT {name}")
        try:
            yield db
        except BaseException:
            if conn.in_transaction:
                conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
                conn.execute(f"RELEASE SAVEPOINT {name}")
            raise
        else:
            conn.execute(f"RELEASE SAVEPOINT {name}")
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")


def get_setting(db: sqlite_utils.Database, key: str, default: str | None = None) -> str | None:
    row = db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    return row[0] if row else default


def set_setting(db: sqlite_utils.Database, key: str, value: str) -> None:
    db.execute(
        "INSERT INTO settings(key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [key, value],
    )


def device_id(db: sqlite_utils.Database) -> str:
    value = get_setting(db, "device_id")
    if value is None:  # pragma: no cover - created by the first migration
        raise LibraryError("library database has no device id")
    return value
