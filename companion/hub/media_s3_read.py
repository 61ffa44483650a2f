"""Downloads of media kept in a bucket: the object streamed to the client through a reader
thread, and the hub's disk cache of whole files (``--media-cache-mb``).

The first download of a file on a machine (a cache miss) is the costly one: every byte comes
from the object store, goes to the client and, for a whole file, to the cache. What keeps it
cheap (measured with bench/bench_media_s3.py, see docs/deploy.md):

- One GET per download with the client's own range, read by a thread of its own ahead of the
  socket: at most ``READ_AHEAD`` pieces of ``CHUNK_BYTES`` wait for the socket and as many for
  the cache file, so a download holds a few MiB whatever the file's size. Several ranged GETs
  at once cost more: each request costs the client library a few milliseconds of CPU, and the
  object store serves one stream as fast.
- Each piece is read straight from the HTTP response into a new buffer (``readinto``, no copy
  in between) and handed as it is to the event loop and to a second thread, which writes it to
  the cache file: reading, sending and the disk's copy run side by side.
- The SHA-256 of a file for the cache is checked **after** its last byte was read, by one
  background thread that reads the finished file back, flushes it to disk and only then renames
  it into place. The client gets its bytes without waiting for the hash, and a file that does
  not match, or a download cut midway, never enters the cache: only whole, checked files are
  served from it.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import http.client
import logging
import os
import re
import tempfile
import threading
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from queue import SimpleQueue
from typing import Any

log = logging.getLogger(__name__)

CHUNK_BYTES = 1024 * 1024  # as the local folder sends them (4 MiB measured slower)
READ_AHEAD = 4  # pieces a download holds ahead of the socket (and of the cache file)
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def wanted_range(request_headers: Any, size: int, etag: str | None
                 ) -> tuple[int, int, int] | None:
    """(status, first byte, last byte) to answer; None for an unsatisfiable range (416).

    One range only (several are answered whole, as the local folder does); ``If-Range`` with
    another ETag asks for the whole file."""
    wanted = _RANGE.match(request_headers.get("range", "").replace(" ", ""))
    if_range = request_headers.get("if-range")
    if not wanted or (if_range is not None and if_range.strip() != etag):
        return 200, 0, size - 1
    first, last = wanted.groups()
    start, end = 0, size - 1
    if first:
        start = int(first)
        end = min(int(last), size - 1) if last else size - 1
    elif last:  # the last N bytes
        start = max(0, size - int(last))
    if start >= size or start > end:
        return None
    return 206, start, end


def _reader(body: Any) -> Callable[[memoryview], int]:
    """A ``readinto`` for a botocore streaming body.

    botocore's own goes through urllib3, which reads into a bytes object of its own and copies
    it over; the http.client response below it reads from the socket into the buffer given.
    That one is used when the body is a plain one (no content decoding, nothing buffered yet);
    else botocore's."""
    raw = getattr(body, "_raw_stream", None)
    fp = getattr(raw, "_fp", None)
    buffered = getattr(raw, "_decoded_buffer", None)
    headers = getattr(raw, "headers", None)
    if (isinstance(fp, http.client.HTTPResponse) and buffered is not None
            and len(buffered) == 0 and headers is not None
            and not headers.get("content-encoding")):
        return fp.readinto
    return body.readinto


class DiskCache:
    """Whole files on the hub's own disk, under their SHA-256, the least recently used going
    first when they pass ``max_bytes``. Files enter through :meth:`fill` and :meth:`finish`."""

    def __init__(self, folder: Path, max_bytes: int) -> None:
        self.folder = folder
        self.max_bytes = max_bytes
        self.tmp = folder / "tmp"
        self.tmp.mkdir(mode=0o700, parents=True, exist_ok=True)
        for part in self.tmp.iterdir():  # left by a killed process
            part.unlink(missing_ok=True)
        # One thread checks and files finished downloads, one after the other: a burst of
        # first downloads does not hash several files at once on the cores that serve them.
        self._filer = ThreadPoolExecutor(1, thread_name_prefix="media-cache")
        self._writing = 0  # downloads writing a temporary file now
        self._idle = threading.Condition()

    def path(self, sha256: str) -> Path:
        return self.folder / sha256[:2] / sha256

    def has(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def lookup(self, sha256: str) -> Path | None:
        """The cached file, marked as used now (the last to be evicted); None if not cached."""
        path = self.path(sha256)
        try:
            os.utime(path)
        except OSError:
            return None
        return path

    def fill(self) -> tuple[int, Path]:
        """A new temporary file for a download to write (its descriptor and path); call
        :meth:`finish` or :meth:`drop` when done."""
        fd, name = tempfile.mkstemp(dir=self.tmp, suffix=".part")
        with self._idle:
            self._writing += 1
        return fd, Path(name)

    def drop(self, tmp: Path) -> None:
        """Remove a temporary file that is not to be cached."""
        tmp.unlink(missing_ok=True)
        self._done_writing()

    def _done_writing(self) -> None:
        with self._idle:
            self._writing -= 1
            self._idle.notify_all()

    def finish(self, tmp: Path, sha256: str) -> None:
        """Check a fully written temporary file against its SHA-256 in the background and file
        it in the cache if it matches (else remove it)."""
        try:
            self._filer.submit(self._file, tmp, sha256)
        except RuntimeError:  # shutting down: nothing more enters the cache
            tmp.unlink(missing_ok=True)
        finally:
            self._done_writing()

    def settle(self, timeout: float = 30) -> None:
        """Wait until no download writes a temporary file and the finished ones are filed or
        refused (for tests and the bench)."""
        with self._idle:
            self._idle.wait_for(lambda: self._writing == 0, timeout=timeout)
        self._filer.submit(lambda: None).result(timeout=timeout)

    def _file(self, tmp: Path, sha256: str) -> None:
        try:
            digest = hashlib.sha256()
            with tmp.open("rb", buffering=0) as f:
                buf = bytearray(CHUNK_BYTES)
                view = memoryview(buf)
                while n := f.readinto(buf):
                    digest.update(view[:n])
                # On disk before its name says "whole": a crash after the rename must not
                # leave a file that is served as whole but is not.
                os.fsync(f.fileno())
            if digest.hexdigest() != sha256:
                log.warning("the bucket's bytes for %s do not match its SHA-256; not cached",
                            sha256)
                return
            # Room first: a file that shows in the cache is one the cache has room for.
            self._evict(reserve=tmp.stat().st_size)
            target = self.path(sha256)
            target.parent.mkdir(exist_ok=True)
            os.replace(tmp, target)
        except OSError as exc:
            log.warning("could not cache %s: %s", sha256, exc)
        finally:
            tmp.unlink(missing_ok=True)

    def _evict(self, reserve: int = 0) -> None:
        """Remove the least recently used files until they and ``reserve`` more bytes fit
        the cache's size."""
        files = []
        for sub in self.folder.iterdir():
            if sub.name != "tmp" and sub.is_dir():
                for f in sub.iterdir():
                    with contextlib.suppress(OSError):
                        st = f.stat()
                        files.append((st.st_mtime, st.st_size, f))
        total = sum(size for _, size, _ in files)
        for _, size, f in sorted(files):
            if total + reserve <= self.max_bytes:
                break
            f.unlink(missing_ok=True)
            total -= size


async def stream_body(body: Any, length: int, name: str,
                      cache: tuple[DiskCache, str] | None = None) -> AsyncIterator[memoryview]:
    """The ``length`` bytes of an object's streaming body, read ahead of the socket by a thread
    of its own; with ``cache`` (the cache and the SHA-256), written to a temporary file as
    well by a second thread, which files it in the cache once all of it was read.

    Only the reader touches the body, only the writer the temporary file. A client that goes
    away stops the reader (it waits for room at most ``READ_AHEAD`` pieces ahead of the
    socket and of the writer), and the writer then removes the file."""
    loop = asyncio.get_running_loop()
    ready: asyncio.Queue[memoryview | BaseException | None] = asyncio.Queue()
    room = threading.Semaphore(READ_AHEAD)
    stop = threading.Event()
    readinto = _reader(body)
    writer = None
    if cache is not None:
        try:
            writer = _CacheWriter(*cache)
        except OSError as exc:  # a full or read-only disk: the download goes on uncached
            log.warning("could not cache %s: %s", cache[1], exc)

    def hand_over(item: memoryview | BaseException | None) -> None:
        with contextlib.suppress(RuntimeError):  # the event loop is gone: nobody waits
            loop.call_soon_threadsafe(ready.put_nowait, item)

    def read_ahead() -> None:
        # The bucket and the client's socket work at the same time rather than in turns, and
        # there is no trip to the worker pool per piece.
        whole = False
        try:
            left = length
            while left:
                room.acquire()
                if stop.is_set():
                    return
                buf = memoryview(bytearray(min(CHUNK_BYTES, left)))
                got = 0
                while got < len(buf):
                    n = readinto(buf[got:])
                    if not n:
                        raise ConnectionError(f"the bucket sent {length - left + got} of "
                                              f"{length} bytes")
                    got += n
                left -= got
                # Neither changes the buffer: the event loop may still hold it when the
                # writer writes it, and the other way round.
                if writer is not None:
                    writer.put(buf)
                hand_over(buf)
            whole = True
            hand_over(None)
        except BaseException as exc:  # handed to the response, which fails with it
            hand_over(exc)
        finally:
            body.close()
            if writer is not None:
                writer.end(whole)

    threading.Thread(target=read_ahead, name=f"s3-read-{name[:8]}", daemon=True).start()
    try:
        while True:
            item = await ready.get()
            if isinstance(item, BaseException):
                raise item
            room.release()
            if item is None:
                break
            yield item
    finally:
        stop.set()
        room.release()  # wakes the reader if it waits for room, to see the stop


class _CacheWriter:
    """Writes a download's pieces to a temporary file in a thread of its own (so that the
    disk's copy runs beside the reading and sending) and hands the file to the cache when the
    reader read all of it; removes it if the reader stopped early."""

    def __init__(self, cache: DiskCache, sha256: str) -> None:
        self.cache, self.sha256 = cache, sha256
        self.fd, self.tmp = cache.fill()
        self.room = threading.Semaphore(READ_AHEAD)
        self._queue: SimpleQueue[memoryview | bool] = SimpleQueue()
        threading.Thread(target=self._run, name=f"s3-cache-{sha256[:8]}", daemon=True).start()

    def put(self, piece: memoryview) -> None:
        self.room.acquire()  # bounds the pieces waiting for the disk
        self._queue.put(piece)

    def end(self, whole: bool) -> None:
        self._queue.put(whole)

    def _run(self) -> None:
        failed = False
        try:
            while True:
                item = self._queue.get()
                if isinstance(item, bool):
                    os.close(self.fd)
                    self.fd = -1
                    if item and not failed:
                        tmp, self.tmp = self.tmp, None
                        self.cache.finish(tmp, self.sha256)
                    return
                if not failed:
                    try:
                        done = 0
                        while done < len(item):
                            done += os.write(self.fd, item[done:])
                    except OSError as exc:  # a full disk: the download goes on uncached
                        log.warning("could not cache %s: %s", self.sha256, exc)
                        failed = True
                self.room.release()
        finally:
            if self.fd >= 0:
                os.close(self.fd)
            if self.tmp is not None:
                self.cache.drop(self.tmp)
