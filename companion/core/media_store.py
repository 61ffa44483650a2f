"""The content-addressed media store: each file kept once, under its SHA-256, for every pack and
every profile on the PC.

Layout: ``media/ab/<sha256>`` (two-character folders keep any one folder small, which old
Windows file systems and USB sticks need), and ``media/tmp/`` for files being written.

A file only ever appears under its name complete and checked: the bytes are hashed while they
are copied (one pass, large buffers), written to a temporary file, fsynced, compared with the
expected size and hash and then renamed into place, which is atomic. A crash leaves at worst a
temporary file, which :meth:`MediaStore.clean_temp` removes.

Partial downloads (the sync downloader) use :meth:`MediaStore.open_partial`: the part file
survives an interrupted transfer and the download resumes where it stopped.

A download puts each finished file into the store before the pack is installed, so for a while
the store holds files no database row names. The downloader declares them first with
:meth:`MediaStore.hold` (``media/pending/<key>.json``, the hashes of the pack being fetched)
and :meth:`MediaStore.release` once the pack is installed; :meth:`MediaStore.gc` (the clean-up
after a failed or killed import or removal) never deletes a held file, nor one that still has a
partial download. A hold not renewed for :data:`HOLD_MAX_AGE_S` no longer counts.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any, Protocol

from companion.core.errors import CompanionError, StorageError

CHUNK_SIZE = 1024 * 1024
_SHA_RE = re.compile(r"^[0-9a-f]{64}$")
_DISK_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
INGEST_PREFIX = "ingest-"
TEMP_SUFFIX = ".tmp"
PART_SUFFIX = ".part"
PART_SIDECAR_SUFFIX = ".part.json"  # the downloader's note on a partial file (size, ETag)
PENDING_DIR = "pending"  # media/pending/<key>.json: store files a download has not installed
HOLD_MAX_AGE_S = 30 * 24 * 3600.0
_HOLD_KEY_RE = re.compile(r"^[0-9A-Za-z_.-]{1,100}$")

Progress = Callable[[int], None]  # called with the number of bytes just stored


class Readable(Protocol):
    def read(self, size: int = ..., /) -> bytes: ...


class MediaIntegrityError(CompanionError):
    """The bytes offered to the store are not the ones announced (size or SHA-256)."""

    def __init__(self, message: str, expected_sha256: str | None, actual_sha256: str | None,
                 expected_size: int | None, actual_size: int) -> None:
        super().__init__(message)
        self.expected_sha256 = expected_sha256
        self.actual_sha256 = actual_sha256
        self.expected_size = expected_size
        self.actual_size = actual_size


def check_sha256(sha256: str) -> str:
    if not isinstance(sha256, str) or not _SHA_RE.match(sha256):
        raise ValueError(f"not a SHA-256 in lower-case hex: {sha256!r}")
    return sha256


def storage_error(exc: OSError, path: Path | str) -> StorageError:
    """A plain-language StorageError for an OSError met while writing ``path``."""
    if exc.errno in _DISK_FULL:
        return StorageError(
            f"the disk is full: there is no room left to write {path}; free some space"
            " (or choose another disk) and try again"
        )
    if exc.errno == errno.EROFS:
        return StorageError(f"{path}: the disk is read-only")
    return StorageError(f"{path}: cannot write ({exc.strerror or exc})")


def _read_into(source: Any, view: memoryview) -> int:
    readinto = getattr(source, "readinto", None)
    if readinto is not None:
        return int(readinto(view) or 0)
    data = source.read(len(view))
    view[: len(data)] = data
    return len(data)


def _fsync_dir(path: Path) -> None:
    """Make a rename durable (POSIX); Windows cannot open a folder and does not need it."""
    if os.name != "posix":
        return
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class MediaStore:
    """Files under ``media_dir`` named by their SHA-256."""

    def __init__(self, media_dir: Path | str) -> None:
        self.root = Path(media_dir)
        self.tmp_dir = self.root / "tmp"
        self.pending_dir = self.root / PENDING_DIR
        try:
            self.tmp_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise storage_error(exc, self.tmp_dir) from exc

    # -- looking up --------------------------------------------------------------------------
    def path_for(self, sha256: str) -> Path:
        sha = check_sha256(sha256)
        return self.root / sha[:2] / sha

    def has(self, sha256: str, size: int | None = None) -> bool:
        """True if the file is there (and has ``size`` bytes, when given)."""
        try:
            st = self.path_for(sha256).stat()
        except OSError:
            return False
        return size is None or st.st_size == size

    def iter_shas(self) -> Iterator[str]:
        """Every file the store holds (ignores anything that is not a store file)."""
        for shard in sorted(self.root.iterdir()) if self.root.is_dir() else []:
            if len(shard.name) != 2 or not shard.is_dir():
                continue
            for f in sorted(shard.iterdir()):
                if _SHA_RE.match(f.name) and f.name[:2] == shard.name:
                    yield f.name

    # -- writing -----------------------------------------------------------------------------
    def _write_chunk(self, out: IO[bytes], chunk: memoryview) -> None:
        """Write all of ``chunk``; the one place bytes reach the disk (tests break it here)."""
        while chunk:
            written = out.write(chunk)
            if written is None:  # pragma: no cover - only non-blocking files return None
                continue
            chunk = chunk[written:]

    def ingest(self, readable: Readable, expected_sha256: str | None,
               expected_size: int | None, progress: Progress | None = None) -> tuple[str, int]:
        """Copy ``readable`` into the store, hashing as it goes; returns ``(sha256, size)``.

        Never reads more than ``expected_size + 1`` bytes, so an endless or lying source is
        caught after one extra byte. On any error the temporary file is deleted.
        """
        if expected_sha256 is not None:
            check_sha256(expected_sha256)
        fd, tmp_name = self._mkstemp()
        tmp = Path(tmp_name)
        try:
            with open(fd, "wb", buffering=0) as out:
                digest, size = self._copy(readable, out, tmp, hashlib.sha256(), 0, expected_size,
                                          progress)
                self._sync(out, tmp)
            sha = self._check(digest, size, expected_sha256, expected_size)
            self._place(tmp, sha, size)
        except BaseException:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise
        return sha, size

    def _mkstemp(self) -> tuple[int, str]:
        try:
            self.tmp_dir.mkdir(parents=True, exist_ok=True)
            return tempfile.mkstemp(dir=self.tmp_dir, prefix=INGEST_PREFIX, suffix=TEMP_SUFFIX)
        except OSError as exc:
            raise storage_error(exc, self.tmp_dir) from exc

    def _copy(self, readable: Any, out: IO[bytes], tmp: Path, digest: Any, size: int,
              expected_size: int | None, progress: Progress | None) -> tuple[Any, int]:
        buffer = bytearray(CHUNK_SIZE)
        view = memoryview(buffer)
        while True:
            want = CHUNK_SIZE
            if expected_size is not None:
                want = max(1, min(CHUNK_SIZE, expected_size - size + 1))
            n = _read_into(readable, view[:want])
            if n <= 0:
                break
            chunk = view[:n]
            digest.update(chunk)
            try:
                self._write_chunk(out, chunk)
            except OSError as exc:
                raise storage_error(exc, tmp) from exc
            size += n
            if expected_size is not None and size > expected_size:
                raise MediaIntegrityError(
                    f"more than the expected {expected_size} bytes", None, None, expected_size,
                    size,
                )
            if progress is not None:
                progress(n)
        return digest, size

    @staticmethod
    def _sync(out: IO[bytes], tmp: Path) -> None:
        try:
            out.flush()
            os.fsync(out.fileno())
        except OSError as exc:
            raise storage_error(exc, tmp) from exc

    @staticmethod
    def _check(digest: Any, size: int, expected_sha256: str | None,
               expected_size: int | None) -> str:
        sha = str(digest.hexdigest())
        if expected_size is not None and size != expected_size:
            raise MediaIntegrityError(
                f"{size} bytes instead of the expected {expected_size}", expected_sha256, sha,
                expected_size, size,
            )
        if expected_sha256 is not None and sha != expected_sha256:
            raise MediaIntegrityError(
                "the bytes do not match the expected SHA-256", expected_sha256, sha,
                expected_size, size,
            )
        return sha

    def _place(self, tmp: Path, sha: str, size: int) -> None:
        dest = self.path_for(sha)
        try:
            dest.parent.mkdir(exist_ok=True)
            if self.has(sha, size):
                # Same name and size, so the same bytes: keep the copy that is there, which a
                # player may have open on Windows, where replacing it would fail.
                tmp.unlink()
                return
            os.replace(tmp, dest)
        except OSError as exc:
            raise storage_error(exc, dest) from exc
        _fsync_dir(dest.parent)

    def open_partial(self, expected_sha256: str, expected_size: int) -> PartialFile:
        """A resumable download of one file; see :class:`PartialFile`."""
        return PartialFile(self, check_sha256(expected_sha256), expected_size)

    # -- removing ----------------------------------------------------------------------------
    def remove(self, sha256: str) -> bool:
        """Delete a file; False if it was not there or the system refused (open on Windows)."""
        path = self.path_for(sha256)
        try:
            path.unlink()
        except OSError:
            return False
        with contextlib.suppress(OSError):
            path.parent.rmdir()  # only succeeds when the shard folder is now empty
        return True

    def clean_temp(self, include_partials: bool = False) -> int:
        """Delete leftover temporary files; partial downloads (and their sidecars) stay unless
        asked."""
        removed = 0
        if not self.tmp_dir.is_dir():
            return 0
        for f in self.tmp_dir.iterdir():
            if f.name.endswith((PART_SUFFIX, PART_SIDECAR_SUFFIX)) and not include_partials:
                continue
            with contextlib.suppress(OSError):
                f.unlink()
                removed += 1
        return removed

    def gc(self, referenced: set[str]) -> list[str]:
        """Delete every store file whose SHA-256 is not in ``referenced`` and not held by a
        download (:meth:`held`); returns them."""
        removed = [sha for sha in list(self.iter_shas()) if sha not in referenced]
        if removed:
            held = self.held()
            removed = [sha for sha in removed if sha not in held]
        return [sha for sha in removed if self.remove(sha)]

    # -- files a download has not installed yet ----------------------------------------------
    def _hold_path(self, key: str) -> Path:
        if not _HOLD_KEY_RE.match(key):
            raise ValueError(f"not a hold key: {key!r}")
        return self.pending_dir / f"{key}.json"

    def hold(self, key: str, shas: Iterable[str]) -> Path:
        """Declare ``shas`` wanted by a download not installed yet (``key``: e.g. the
        manifest's SHA-256); written whole, and renewed (a fresh date) by writing it again."""
        path = self._hold_path(key)
        data = json.dumps({"sha256": sorted({check_sha256(s) for s in shas}),
                           "held_at": time.time()})
        tmp = path.with_name(path.name + TEMP_SUFFIX)
        for attempt in range(2):
            try:
                self.pending_dir.mkdir(parents=True, exist_ok=True)
                tmp.write_text(data, encoding="utf-8")
                os.replace(tmp, path)
                return path
            except OSError as exc:
                if isinstance(exc, FileNotFoundError) and not attempt:
                    continue  # a release() removed the emptied folder just now: once more
                with contextlib.suppress(OSError):
                    tmp.unlink()
                raise storage_error(exc, path) from exc
        return path

    def release(self, key: str) -> None:
        """The download is installed (or given up): its files are the database's now."""
        with contextlib.suppress(OSError):
            self._hold_path(key).unlink()
        with contextlib.suppress(OSError):
            self.pending_dir.rmdir()  # only when no other download holds anything

    def held(self, now: float | None = None) -> set[str]:
        """Files gc must spare: those of holds younger than :data:`HOLD_MAX_AGE_S` (older ones
        are deleted), and those with a partial download or its sidecar in ``tmp/`` (a commit
        may be under way)."""
        now = time.time() if now is None else now
        shas: set[str] = set()
        if self.pending_dir.is_dir():
            for f in self.pending_dir.glob("*.json"):
                try:
                    doc = json.loads(f.read_text(encoding="utf-8"))
                    fresh = now - float(doc.get("held_at", 0)) <= HOLD_MAX_AGE_S
                    listed = doc.get("sha256", [])
                except (OSError, ValueError, TypeError, AttributeError):
                    continue  # unreadable (being replaced?): it protects nothing this time
                if not fresh:  # a download given up long ago: its files may go
                    with contextlib.suppress(OSError):
                        f.unlink()
                    continue
                shas.update(s for s in listed if isinstance(s, str) and _SHA_RE.match(s))
        if self.tmp_dir.is_dir():
            for f in self.tmp_dir.iterdir():
                for suffix in (PART_SUFFIX, PART_SIDECAR_SUFFIX):
                    name = f.name.removesuffix(suffix)
                    if name != f.name and _SHA_RE.match(name):
                        shas.add(name)
        return shas


class PartialFile:
    """``media/tmp/<sha256>.part``: a download that survives a dropped connection.

    Opening it again hashes the bytes already there (once), then :meth:`write` appends and
    :meth:`commit` checks and renames it into the store. :meth:`close` keeps it for later.
    """

    def __init__(self, store: MediaStore, sha256: str, size: int) -> None:
        self.store = store
        self.sha256 = sha256
        self.expected_size = size
        self.path = store.tmp_dir / f"{sha256}{PART_SUFFIX}"
        self._digest = hashlib.sha256()
        try:
            self._out: IO[bytes] = open(self.path, "ab+", buffering=0)  # noqa: SIM115
            self._out.seek(0)
            have = 0
            while chunk := self._out.read(CHUNK_SIZE):
                self._digest.update(chunk)
                have += len(chunk)
        except OSError as exc:
            raise storage_error(exc, self.path) from exc
        self.offset = have
        if have > size:  # not what we were told: start over
            self._out.truncate(0)
            self._digest, self.offset = hashlib.sha256(), 0

    def write(self, data: bytes) -> None:
        if self.offset + len(data) > self.expected_size:
            raise MediaIntegrityError(
                f"more than the expected {self.expected_size} bytes", self.sha256, None,
                self.expected_size, self.offset + len(data),
            )
        self._digest.update(data)
        try:
            self.store._write_chunk(self._out, memoryview(data))
        except OSError as exc:
            raise storage_error(exc, self.path) from exc
        self.offset += len(data)

    def commit(self) -> Path:
        """Check size and hash and move the file into the store; a bad file is deleted."""
        try:
            MediaStore._sync(self._out, self.path)
            self._out.close()
            MediaStore._check(self._digest, self.offset, self.sha256, self.expected_size)
            self.store._place(self.path, self.sha256, self.offset)
        except BaseException:
            self.discard()
            raise
        return self.store.path_for(self.sha256)

    def close(self) -> None:
        """Stop for now; the bytes so far stay for the next attempt."""
        with contextlib.suppress(OSError):
            self._out.close()

    def discard(self) -> None:
        self.close()
        with contextlib.suppress(OSError):
            self.path.unlink()
