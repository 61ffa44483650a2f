"""How a transfer behaves on a poor link, shared by publishing and downloading: hub errors,
retries, speed, a bandwidth cap and the "only between these hours" window.

Poor links are the normal case in a shop, so every request of a transfer may be retried: the
requests are idempotent by design (media are addressed by SHA-256; registering the same manifest
twice changes nothing), and a retry after a cut costs little because downloads resume with
``Range`` and the hub discards half-uploaded files.
"""

from __future__ import annotations

import contextlib
import queue
import random
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from datetime import time as clock_time
from typing import Any, ClassVar, TypeVar

import httpx

from companion.sync.client import (
    HubAuthError,
    HubError,
    HubOffline,
    HubRefused,
    HubServerError,
)

T = TypeVar("T")
Cancel = Callable[[], bool]
Sleep = Callable[[float], None]
Clock = Callable[[], float]


class TransferCancelled(HubError):
    """The person paused or cancelled; what was transferred so far is kept for next time."""


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with full jitter ("sleep a random time up to base * 2**n").

    Jitter spreads the retries of many shop PCs that lost the same link at the same moment, so
    they do not all hit the hub together when it comes back. ``attempts`` counts failures in a
    row: an attempt that moved bytes resets the count, so a link cut every few megabytes still
    finishes a large file.
    """

    attempts: int = 8
    base_s: float = 0.5
    max_s: float = 30.0

    def delay_s(self, failures: int, rng: random.Random | None = None) -> float:
        cap = min(self.max_s, self.base_s * (2 ** max(0, failures - 1)))
        return (rng or random).uniform(cap / 2, cap)


def hub_error(response: httpx.Response) -> HubError:
    """The typed error for a hub answer of 400 or more (same rules as the sync client)."""
    status = response.status_code
    code, message = "", ""
    try:
        error = response.json().get("error") or {}
        code, message = str(error.get("code", "")), str(error.get("message", ""))
    except (ValueError, AttributeError, httpx.ResponseNotRead):
        pass
    if status == 401:
        return HubAuthError("the hub no longer accepts this login (it expired or was revoked):"
                            " log in again", code or "unauthorized")
    if status >= 500:
        return HubServerError(f"the hub has a problem (HTTP {status}); try again later", status)
    retry = response.headers.get("Retry-After")
    retry_s = float(retry) if retry and retry.isdigit() else None
    return HubRefused(message or f"the hub refused the request (HTTP {status})", status,
                      code or "refused", retry_s)


def offline_error(client: httpx.Client, exc: Exception) -> HubOffline:
    if isinstance(exc, httpx.ConnectError):
        return HubOffline(f"cannot reach the hub at {client.base_url}")
    if isinstance(exc, httpx.TimeoutException):
        return HubOffline(f"the hub at {client.base_url} did not answer in time")
    return HubOffline(f"the connection to the hub broke ({type(exc).__name__})")


def is_transient(exc: BaseException) -> bool:
    """Worth another try: no answer, a cut connection, a hub in trouble, or "too many"."""
    if isinstance(exc, (httpx.TransportError, HubOffline, HubServerError)):
        return True
    return isinstance(exc, HubRefused) and exc.status == 429


def with_retries(action: Callable[[], T], policy: RetryPolicy, cancel: Cancel | None = None,
                 sleep: Sleep = time.sleep, made_progress: Callable[[], bool] | None = None,
                 on_retry: Callable[[BaseException, float], None] | None = None) -> T:
    """Run ``action`` until it succeeds, retrying transient failures with backoff.

    ``made_progress`` (called after a failure) tells whether that attempt moved bytes; if so
    the failure count starts again. The last transient error is raised when attempts run out.
    """
    failures = 0
    while True:
        try:
            return action()
        except Exception as exc:
            if not is_transient(exc):
                raise
            failures = 1 if made_progress is not None and made_progress() else failures + 1
            if failures >= policy.attempts:
                raise
            delay = policy.delay_s(failures)
            if isinstance(exc, HubRefused) and exc.retry_after_s is not None:
                delay = max(delay, exc.retry_after_s)
            if on_retry is not None:
                on_retry(exc, delay)
            _sleep_unless_cancelled(delay, cancel, sleep)


def _sleep_unless_cancelled(delay_s: float, cancel: Cancel | None, sleep: Sleep) -> None:
    """Wait in short steps so a pause takes effect at once, not after a 30 s backoff. Counts
    the time asked of ``sleep`` rather than reading a clock, so a test's fake sleep works."""
    left = delay_s
    while True:
        if cancel is not None and cancel():
            raise TransferCancelled("cancelled; the transfer resumes where it stopped")
        if left <= 0:
            return
        step = min(left, 0.2)
        sleep(step)
        left -= step


class TokenBucket:
    """A bandwidth cap: at most ``rate_bps`` bytes per second on average, in bursts of at most
    ``burst_bytes``. ``rate_bps`` None or 0 means no cap. The clock and sleep are injectable
    so tests need no real time."""

    def __init__(self, rate_bps: float | None, burst_bytes: int | None = None,
                 clock: Clock = time.monotonic, sleep: Sleep = time.sleep) -> None:
        self._clock, self._sleep = clock, sleep
        self.rate_bps: float | None = None
        self.burst_bytes = 0
        self._tokens = 0.0
        self._last = clock()
        self.set_rate(rate_bps, burst_bytes)

    def set_rate(self, rate_bps: float | None, burst_bytes: int | None = None) -> None:
        """Change the cap while a transfer runs (the person moved the slider)."""
        self.rate_bps = rate_bps if rate_bps and rate_bps > 0 else None
        if self.rate_bps is not None:
            # A quarter second of data by default: smooth enough for a shared shop link, big
            # enough that the reading loop does not sleep for every chunk.
            self.burst_bytes = int(burst_bytes or max(64 * 1024, self.rate_bps / 4))
            self._tokens = min(self._tokens, float(self.burst_bytes))

    def consume(self, nbytes: int) -> float:
        """Account for ``nbytes`` just moved; sleeps as long as needed. Returns the wait."""
        if self.rate_bps is None:
            return 0.0
        now = self._clock()
        self._tokens = min(float(self.burst_bytes),
                           self._tokens + (now - self._last) * self.rate_bps)
        self._last = now
        self._tokens -= nbytes
        if self._tokens >= 0:
            return 0.0
        wait = -self._tokens / self.rate_bps
        self._sleep(wait)
        # The debt is paid by the time slept; refill from the moment we woke up.
        self._tokens = 0.0
        self._last = self._clock()
        return wait


class SpeedMeter:
    """Bytes per second over the last few seconds, and the time left at that speed.

    A sliding window rather than the average since the start: after a stall or a change of the
    cap the figure follows what the link does now.
    """

    def __init__(self, window_s: float = 5.0, clock: Clock = time.monotonic) -> None:
        self._window_s, self._clock = window_s, clock
        self._samples: deque[tuple[float, int]] = deque()
        self._total = 0

    def add(self, nbytes: int) -> None:
        now = self._clock()
        self._total += nbytes
        self._samples.append((now, self._total))
        while len(self._samples) > 2 and now - self._samples[0][0] > self._window_s:
            self._samples.popleft()

    @property
    def bytes_per_s(self) -> float:
        if len(self._samples) < 2:
            return 0.0
        (t0, b0), (t1, b1) = self._samples[0], self._samples[-1]
        return (b1 - b0) / (t1 - t0) if t1 > t0 else 0.0

    def eta_s(self, bytes_left: int) -> float | None:
        speed = self.bytes_per_s
        return bytes_left / speed if speed > 0 else None


class BackgroundWriter:
    """Writes chunks on a second thread while the caller goes on reading the socket.

    Hashing and file writes release the GIL, so receiving, hashing and writing overlap instead
    of taking turns. Chunks are handed over in batches of about ``batch`` bytes: one queue
    hand-off, one hash update and one write per batch instead of per 64 KB socket read.
    ``sync`` pushes the data to the disk as it arrives, on a third thread (called again once
    ``sync_every`` more bytes are written), so the writer never waits for the disk and the
    fsync before the file enters the store has little left to do. The queue is bounded, so a
    slow disk slows the download instead of filling memory.
    """

    _DONE: ClassVar[list[bytes]] = []  # the end, by identity

    def __init__(self, write: Callable[[bytes], None], sync: Callable[[], None] | None = None,
                 sync_every: int = 16 * 1024 * 1024, batch: int = 1024 * 1024,
                 depth: int = 8) -> None:
        self._write, self._sync_every, self._batch = write, sync_every, batch
        self._queue: queue.Queue[list[bytes]] = queue.Queue(maxsize=depth)
        self._pending: list[bytes] = []
        self._pending_bytes = 0
        self._error: BaseException | None = None
        self._flusher = _Flusher(sync) if sync is not None else None
        self._thread = threading.Thread(target=self._run, name="download-writer", daemon=True)
        self._thread.start()

    def put(self, chunk: bytes) -> None:
        if self._error is not None:
            raise self._error
        if chunk:
            self._pending.append(chunk)
            self._pending_bytes += len(chunk)
            if self._pending_bytes >= self._batch:
                self._hand_over()

    def _hand_over(self) -> None:
        if self._pending:
            self._queue.put(self._pending)
            self._pending, self._pending_bytes = [], 0

    def _run(self) -> None:
        unsynced = 0
        while (chunks := self._queue.get()) is not self._DONE:
            if self._error is not None:
                continue  # keep draining so put() never blocks on a dead writer
            try:
                data = chunks[0] if len(chunks) == 1 else b"".join(chunks)
                self._write(data)
                unsynced += len(data)
                if self._flusher is not None and unsynced >= self._sync_every:
                    self._flusher.request()
                    unsynced = 0
            except BaseException as exc:  # handed to the reading thread in put()/close()
                self._error = exc

    def close(self) -> None:
        """Wait until every queued chunk is written (they are good bytes, even after a cut or
        a pause); raises the write error, if any."""
        self._hand_over()
        self._queue.put(self._DONE)
        self._thread.join()
        if self._flusher is not None:
            self._flusher.close()
        if self._error is not None:
            raise self._error


class _Flusher:
    """Runs ``sync`` on its own thread whenever asked; requests made while it runs fold into
    one more run. A failed early sync is not an error: the fsync before the commit decides."""

    def __init__(self, sync: Callable[[], None]) -> None:
        self._sync = sync
        self._wake = threading.Event()
        self._closing = False
        self._thread = threading.Thread(target=self._run, name="download-flush", daemon=True)
        self._thread.start()

    def request(self) -> None:
        self._wake.set()

    def _run(self) -> None:
        while True:
            self._wake.wait()
            self._wake.clear()
            if self._closing:
                return
            with contextlib.suppress(OSError):
                self._sync()

    def close(self) -> None:
        self._closing = True
        self._wake.set()
        self._thread.join()


def in_hours_window(now: datetime | clock_time, start: clock_time, end: clock_time) -> bool:
    """Whether ``now`` lies in the daily window from ``start`` (included) to ``end`` (not).

    A window may cross midnight: 18:00-08:00 holds 23:00 and 07:59, not 08:00 or 12:00. Start
    equal to end means no restriction (the whole day), which is what an unset setting means.
    """
    t = now.time() if isinstance(now, datetime) else now
    t = t.replace(tzinfo=None)
    start, end = start.replace(tzinfo=None), end.replace(tzinfo=None)
    if start == end:
        return True
    if start < end:
        return start <= t < end
    return t >= start or t < end


def seconds_until_window(now: datetime, start: clock_time, end: clock_time) -> float:
    """0 inside the window, else the seconds until it next opens (for the download queue)."""
    if in_hours_window(now, start, end):
        return 0.0
    opens = now.replace(hour=start.hour, minute=start.minute, second=start.second,
                        microsecond=0)
    wait = (opens - now).total_seconds()
    return wait if wait > 0 else wait + 24 * 3600


def parse_hours_window(text: str) -> tuple[clock_time, clock_time]:
    """``"18:00-08:00"`` as two times (for settings and the command line)."""
    try:
        a, b = (part.strip() for part in text.split("-"))
        return clock_time.fromisoformat(a), clock_time.fromisoformat(b)
    except ValueError as exc:
        raise ValueError(f"not a window of hours like 18:00-08:00: {text!r}") from exc


def json_or_error(response: httpx.Response) -> Any:
    """The JSON of a successful hub answer, or the typed error."""
    if response.status_code >= 400:
        raise hub_error(response)
    try:
        return response.json()
    except ValueError as exc:
        raise HubServerError("the hub's answer is not valid JSON", response.status_code) from exc


def request_json(client: httpx.Client, method: str, url: str, policy: RetryPolicy,
                 cancel: Cancel | None = None, **kwargs: Any) -> Any:
    """One JSON request to the hub, retried on transient failures; typed errors otherwise."""

    def once() -> Any:
        try:
            response = client.request(method, url, **kwargs)
        except httpx.TransportError as exc:
            raise offline_error(client, exc) from exc
        return json_or_error(response)

    return with_retries(once, policy, cancel)
