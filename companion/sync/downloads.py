"""Packs from the hub: a resumable downloader (what the hub offers: :mod:`companion.sync.offers`).

A shop's link drops, stalls and crawls, and the PC is switched off at closing time, so a
download must survive all of it without starting over:

- every file goes to ``media/tmp/<sha256>.part`` (the media store's partial files, on the same
  disk as the store so the final move is a rename), with a small sidecar
  ``<sha256>.part.json`` holding the expected size and the ETag the hub gave;
- after a dropped connection (or a restart, with a new :class:`Downloader`) the transfer goes
  on with ``Range: bytes=N-`` and ``If-Range: <etag>``: if the hub's file changed, it answers
  with the whole file (200) and the part file starts again cleanly instead of being spliced;
- every file's SHA-256 is checked before it enters the store; a damaged part is thrown away and
  fetched again, never installed;
- files already in the store (shared between packs, or from a USB import) are never fetched;
- until the pack is installed its files are held (:meth:`MediaStore.hold`): the library's
  clean-up after a failed import never deletes a file fetched but not installed yet;
- the pack is installed through :meth:`PackManager.import_from_store`, with the same signature
  and trust checks as a ``.cpack`` import; they run before the first byte is fetched, so the
  "trust this trainer?" question comes first, not after a long download.

Nothing here blocks on a UI: progress, pause (a cancel flag checked between chunks) and the
bandwidth cap are plain callables and numbers, so the downloads page runs this in a worker.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from companion.core.errors import LibraryError, Reason
from companion.core.media_store import (
    PART_SIDECAR_SUFFIX,
    PART_SUFFIX,
    MediaIntegrityError,
    PartialFile,
)
from companion.core.packs.format import FileEntry, sha256_hex
from companion.core.packs.lock import try_lock
from companion.core.packs.manager import PackManager
from companion.core.packs.models import ImportResult
from companion.sync.client import HubError, HubOffline, HubServerError
from companion.sync.transfer_policy import (
    BackgroundWriter,
    Cancel,
    Clock,
    RetryPolicy,
    Sleep,
    SpeedMeter,
    TokenBucket,
    TransferCancelled,
    hub_error,
    offline_error,
    request_json,
    with_retries,
)

SIDECAR_SUFFIX = PART_SIDECAR_SUFFIX  # the core's clean-up knows and keeps these
PIPELINE_ABOVE_BYTES = 4 * 1024 * 1024  # smaller files are written by the reading thread
PROGRESS_EVERY_S = 0.1  # at most ten progress calls a second: enough for a progress bar


class DownloadError(HubError):
    """A download cannot finish (the hub's copy is damaged, or the answer is not the file)."""


class DownloadCancelled(TransferCancelled):
    """Paused or cancelled; partial files stay and the next download resumes them."""


@dataclass(frozen=True)
class DownloadProgress:
    done_bytes: int  # of the whole pack: files in the store and partial files included
    total_bytes: int  # the pack's files (each once): the same on every attempt
    bytes_per_s: float  # over the last few seconds
    eta_s: float | None  # None while the speed is unknown
    files_done: int
    files_total: int
    current: str | None  # the path (in the pack) of the file being fetched


@dataclass(frozen=True)
class DownloadResult:
    pack_id: str
    version: str
    files_fetched: int
    bytes_fetched: int  # body bytes received in this run (retries included)
    bytes_resumed: int  # bytes that were already in partial files
    files_reused: int  # files the store already had
    damaged_parts: int  # partial files whose hash was wrong, fetched again
    result: ImportResult


ProgressCallback = Callable[[DownloadProgress], None]


def partial_size(packs: PackManager, sha256: str, size: int) -> int:
    """Bytes of this file already in its partial file (0 if none, or if it cannot be right)."""
    try:
        have = (packs.store.tmp_dir / f"{sha256}{PART_SUFFIX}").stat().st_size
    except OSError:
        return 0
    return have if have <= size else 0


class Downloader:
    """Fetches the missing files of packs into the media store and installs the packs.

    ``client`` has the hub's base URL and the bearer token. One download runs at a time per
    library (an OS lock on ``data/downloads.lock``), so two app windows never append to the
    same partial file. ``rate_limit_bps`` caps the bandwidth (``set_rate_limit`` changes it
    while a download runs). ``sleep`` and ``clock`` are injectable for tests.
    """

    def __init__(self, client: httpx.Client, packs: PackManager, *,
                 retry: RetryPolicy | None = None, rate_limit_bps: float | None = None,
                 sleep: Sleep = time.sleep, clock: Clock = time.monotonic) -> None:
        self.client = client
        self.packs = packs
        self.store = packs.store
        self.retry = retry or RetryPolicy()
        self._sleep, self._clock = sleep, clock
        self.bucket = TokenBucket(rate_limit_bps, clock=clock, sleep=sleep)
        self.bytes_received = 0  # body bytes over the life of this object (for figures)
        self._lock_path = self.store.root.parent / "downloads.lock"

    def set_rate_limit(self, rate_bps: float | None) -> None:
        self.bucket.set_rate(rate_bps)

    # -- a whole pack --------------------------------------------------------------------------
    def download_pack(self, group_id: int, pack_id: str, version: str | None = None, *,
                      allow_unsigned: bool = False, progress: ProgressCallback | None = None,
                      cancel: Cancel | None = None) -> DownloadResult:
        """Fetch what the store lacks of the pack, then install it.

        Raises the import's trust errors (``UnknownSignerError``, ``UnsignedPackError``,
        ``BadSignatureError``) before fetching anything; :class:`DownloadCancelled` on a
        pause; the client's ``HubOffline`` when the hub stays unreachable (partial files are
        kept); :class:`DownloadError` when the hub's copy of a file is damaged.
        """
        params = {"version": version} if version else None
        data = request_json(self.client, "GET",
                            f"/v1/groups/{group_id}/packs/{pack_id}/manifest", self.retry,
                            cancel, params=params)
        manifest_bytes = str(data["manifest"]).encode("utf-8")
        signature = data.get("signature")
        signature_bytes = str(signature).encode("utf-8") if signature else None
        expected = data.get("manifest_sha256")
        if expected and sha256_hex(manifest_bytes) != expected:
            raise HubServerError("the hub sent a manifest that does not match its own hash", 200)
        label = f"{pack_id} {data.get('version', version or '')} from the hub".strip()
        reader, _signer = self.packs.check_download(manifest_bytes, signature_bytes,
                                                    allow_unsigned, label)
        hold_key = sha256_hex(manifest_bytes)
        with try_lock(self._lock_path) as locked:
            if not locked:
                raise LibraryError("another download is running on this PC; it will get to"
                                   " this pack when it is done", Reason.DOWNLOAD_BUSY)
            # Declared before the store is looked at: from here until the install, a clean-up
            # after a failed import or removal spares every file of this pack, those fetched
            # now and those the store already had.
            self.store.hold(hold_key, (f.sha256 for f in reader.manifest.files))
            todo = reader.missing_files()
            reused = len({f.sha256 for f in reader.manifest.files}) - len(todo)
            run = _PackRun(self, todo, progress, cancel, reader.manifest.files)
            run.fetch_all()
        # Not installed (killed, or the install failed): the hold stays, so the files do too
        # and the next attempt installs from the store without fetching them again.
        result = self.packs.import_from_store(manifest_bytes, signature_bytes, allow_unsigned,
                                              label)
        self.store.release(hold_key)
        return DownloadResult(
            pack_id=reader.manifest.pack.id, version=reader.manifest.pack.version,
            files_fetched=len(todo), bytes_fetched=run.bytes_fetched,
            bytes_resumed=run.bytes_resumed, files_reused=reused,
            damaged_parts=run.damaged_parts, result=result,
        )

    # -- one file ------------------------------------------------------------------------------
    def fetch_file(self, sha256: str, size: int, on_bytes: Callable[[int], None] | None = None,
                   cancel: Cancel | None = None) -> tuple[int, int, int]:
        """Fetch one file into the store (resuming its partial file); returns
        ``(bytes received, bytes resumed from before, damaged parts thrown away)``."""
        if self.store.has(sha256, size):
            return 0, 0, 0
        damaged = 0
        received = [0]
        part = self.store.open_partial(sha256, size)
        resumed = part.offset
        while True:
            part = self._fill(part, received, on_bytes, cancel)
            try:
                part.commit()
            except MediaIntegrityError as exc:
                # commit() removed the part: fetch the whole file again, once.
                _remove_sidecar(self._sidecar(sha256))
                damaged += 1
                if damaged > 1:
                    raise DownloadError(f"the hub's copy of file {sha256[:12]} does not match"
                                        " its SHA-256 (the hub's storage may be damaged); tell"
                                        " the trainer") from exc
                part = self.store.open_partial(sha256, size)
                continue
            _remove_sidecar(self._sidecar(sha256))
            return received[0], resumed, damaged

    def _sidecar(self, sha256: str) -> Path:
        return self.store.tmp_dir / f"{sha256}{SIDECAR_SUFFIX}"

    def _fill(self, part: PartialFile, received: list[int],
              on_bytes: Callable[[int], None] | None, cancel: Cancel | None) -> PartialFile:
        """Append to ``part`` until it holds the whole file, across dropped connections.

        On any failure the current part file is closed, never deleted: the next attempt (or
        the next run of the app) goes on from its end.
        """
        sidecar_path = self._sidecar(part.sha256)
        sidecar = _read_sidecar(sidecar_path)
        if sidecar.get("sha256") != part.sha256 or sidecar.get("size") != part.expected_size:
            sidecar = {"sha256": part.sha256, "size": part.expected_size,
                       "etag": f'"{part.sha256}"'}
            _write_sidecar(sidecar_path, sidecar)
        run = _FileRun(part, sidecar, sidecar_path, received, on_bytes, cancel)
        try:
            while run.part.offset < run.part.expected_size:
                with_retries(lambda: self._one_request(run), self.retry, cancel, self._sleep,
                             made_progress=lambda: run.moved > 0)
        except BaseException:
            run.part.close()
            raise
        return run.part

    def _one_request(self, run: _FileRun) -> None:
        run.moved = 0
        sha, size = run.part.sha256, run.part.expected_size
        # identity: the offsets of a Range refer to the bytes as sent; never let a proxy or a
        # client default compress them.
        headers = {"Accept-Encoding": "identity"}
        if run.part.offset:
            headers["Range"] = f"bytes={run.part.offset}-"
            headers["If-Range"] = str(run.sidecar.get("etag") or f'"{sha}"')
        try:
            with self.client.stream("GET", f"/v1/media/{sha}", headers=headers) as response:
                if response.status_code >= 400:
                    response.read()
                    raise hub_error(response)
                self._check_start(run, response)
                self._receive(run, response)
        except httpx.TransportError as exc:
            raise offline_error(self.client, exc) from exc
        if run.part.offset < size:  # the body ended early without a transport error
            raise HubOffline(f"the download of file {sha[:12]} stopped at {run.part.offset} of"
                             f" {size} bytes")

    def _receive(self, run: _FileRun, response: httpx.Response) -> None:
        """Append the body to the part file; large files are written on a second thread."""
        part = run.part
        size = part.expected_size
        offset = part.offset
        writer = None
        if size - offset >= PIPELINE_ABOVE_BYTES:
            writer = BackgroundWriter(part.write, _early_sync(part.path))
        try:
            for chunk in response.iter_raw():
                if run.cancel is not None and run.cancel():
                    raise DownloadCancelled("download paused; it resumes where it stopped")
                n = len(chunk)
                if offset + n > size:
                    raise DownloadError(f"the hub sent more than the {size} bytes of file"
                                        f" {part.sha256[:12]}")
                if writer is not None:
                    writer.put(chunk)
                else:
                    part.write(chunk)
                offset += n
                run.received[0] += n
                self.bytes_received += n
                run.moved += n
                if run.on_bytes is not None:
                    run.on_bytes(n)
                self.bucket.consume(n)
        finally:
            if writer is not None:
                writer.close()

    def _check_start(self, run: _FileRun, response: httpx.Response) -> None:
        """Make the part file fit the answer: a 206 must start at our offset; a 200 (a changed
        file behind the ETag we kept, or a server without Range) starts the part again."""
        status = response.status_code
        if status not in (200, 206):
            raise DownloadError(f"unexpected answer HTTP {status} for file"
                                f" {run.part.sha256[:12]}")
        etag = response.headers.get("etag")
        if etag and etag != run.sidecar.get("etag"):
            run.sidecar["etag"] = etag
            _write_sidecar(run.sidecar_path, run.sidecar)
        if status == 206 and _range_start(response.headers.get("content-range", "")) \
                == run.part.offset:
            return
        if status == 200 and run.part.offset == 0:
            return
        # A whole file where we asked for the rest, or a range we did not ask for: start the
        # part again rather than splice bytes from two versions or two places.
        old = run.part
        old.discard()
        run.part = self.store.open_partial(old.sha256, old.expected_size)
        if status == 206:
            raise HubOffline("the hub answered another byte range than asked; asking again")


@dataclass
class _FileRun:
    """The state of one file's download across its attempts."""

    part: PartialFile
    sidecar: dict[str, Any]
    sidecar_path: Path
    received: list[int]
    on_bytes: Callable[[int], None] | None
    cancel: Cancel | None
    moved: int = 0


class _PackRun:
    """The bookkeeping of one pack download: totals, speed, progress calls."""

    def __init__(self, downloader: Downloader, todo: list[FileEntry],
                 progress: ProgressCallback | None, cancel: Cancel | None,
                 pack_files: list[FileEntry] | None = None) -> None:
        self.d, self.todo, self.progress, self.cancel = downloader, todo, progress, cancel
        packs = downloader.packs
        # Counted over the whole pack, not over what is missing now: after a stop the files
        # already in the store would otherwise drop out of the total, which shrank, and the
        # bar went back to the start of the file being fetched.
        sizes = {f.sha256: f.size for f in (*(pack_files or ()), *todo)}  # each file once
        missing = {f.sha256 for f in todo}
        self.total = sum(sizes.values())
        self.bytes_resumed = sum(partial_size(packs, f.sha256, f.size) for f in todo)
        self.done = self.total - sum(sizes[sha] for sha in missing) + self.bytes_resumed
        self.files_total = len(sizes)
        self.bytes_fetched = 0
        self._received_at_start = downloader.bytes_received
        self.damaged_parts = 0
        self.files_done = self.files_total - len(missing)
        self.current: str | None = None
        self.meter = SpeedMeter(clock=downloader._clock)
        self._last_report = float("-inf")

    def fetch_all(self) -> None:
        self._report(force=True)
        for f in self.todo:
            if self.cancel is not None and self.cancel():
                raise DownloadCancelled("download paused; it resumes where it stopped")
            self.current = f.path
            # done already counts this file's partial bytes; once it is in, it counts its size
            # (a part thrown away and fetched again must not push the bar past 100%).
            base = self.done - partial_size(self.d.packs, f.sha256, f.size)
            try:
                _got, _resumed, damaged = self.d.fetch_file(f.sha256, f.size,
                                                            self._on_bytes, self.cancel)
            finally:
                self.bytes_fetched = self.d.bytes_received - self._received_at_start
            self.damaged_parts += damaged
            self.files_done += 1
            self.done = base + f.size
            self._report(force=True)

    def _on_bytes(self, n: int) -> None:
        self.done += n
        self.meter.add(n)
        self._report()

    def _report(self, force: bool = False) -> None:
        if self.progress is None:
            return
        now = self.d._clock()
        if not force and now - self._last_report < PROGRESS_EVERY_S:
            return
        self._last_report = now
        left = max(0, self.total - self.done)
        self.progress(DownloadProgress(
            done_bytes=min(self.done, self.total), total_bytes=self.total,
            bytes_per_s=self.meter.bytes_per_s, eta_s=self.meter.eta_s(left),
            files_done=self.files_done, files_total=self.files_total, current=self.current,
        ))


def _early_sync(path: Path) -> Callable[[], None] | None:
    """A flush of the part file's data to disk through a second descriptor (POSIX syncs the
    file, not the descriptor); None where that does not work (Windows needs write access)."""
    if os.name != "posix":
        return None
    sync = getattr(os, "fdatasync", os.fsync)

    def run() -> None:
        fd = os.open(path, os.O_RDONLY)
        try:
            sync(fd)
        finally:
            os.close(fd)

    return run


def _range_start(content_range: str) -> int | None:
    """The first byte of ``Content-Range: bytes 100-199/200``."""
    try:
        unit, rest = content_range.split(" ", 1)
        return int(rest.split("-", 1)[0]) if unit == "bytes" else None
    except ValueError:
        return None


def _read_sidecar(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_sidecar(path: Path, data: dict[str, Any]) -> None:
    """Written whole (temporary file, then rename): a torn sidecar would be worse than none."""
    tmp = path.with_name(path.name + ".new")
    try:
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        # The sidecar only speeds up a resume check; the download goes on without it.
        with contextlib.suppress(OSError):
            tmp.unlink()


def _remove_sidecar(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()
