"""One pack operation at a time per library, and a marker that outlives a killed process.

The app and the CLI may run at the same time on one PC. An import copies media into the store
before the database knows about it, so a second process must neither import nor clean up at
the same moment: an OS file lock (released by the OS even when a process is killed) keeps them
apart. The marker file says "an import was running": if it is still there at the next start,
that import died, and :meth:`PackManager.recover` removes what it left behind.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from companion.core.media_store import storage_error

if os.name == "nt":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


@contextlib.contextmanager
def try_lock(path: Path) -> Iterator[bool]:
    """Hold an exclusive lock on ``path`` inside the block; yields False if someone else has it."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise storage_error(exc, path) from exc
    try:
        if not _try_lock(fd):
            yield False
            return
        try:
            yield True
        finally:
            _unlock(fd)
    finally:
        os.close(fd)


def write_marker(path: Path, info: dict[str, Any]) -> None:
    """Write the marker durably before the first byte is copied."""
    try:
        with open(path, "w", encoding="utf-8") as f:
            json.dump({"pid": os.getpid(), **info}, f)
            f.flush()
            os.fsync(f.fileno())
    except OSError as exc:
        raise storage_error(exc, path) from exc


def clear_marker(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
