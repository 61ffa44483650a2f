"""The one way to run background work (docs/architecture.md): a serial lane for library work, a
small pool for the network with library access (pack downloads, the hub's catalog), and a small
pool for everything else. Results, errors and progress come back on the UI thread; workers never
touch widgets.

Library work runs on its own connection, opened on the lane's thread, so a long import never
blocks the UI thread's quick reads (SQLite in WAL mode lets both go on at once). Downloads have
their own threads and connections: a pack that takes an hour over a shop's 4G dongle must not
make a search or the notes page wait for it.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot

from companion.services import Services

log = logging.getLogger(__name__)


class Cancelled(Exception):
    """Raised inside a task that noticed its cancel token."""


class TaskHandle:
    """What a caller keeps of a running task: a way to cancel it and to ask if it is done."""

    def __init__(self) -> None:
        self._cancel = threading.Event()
        self.future: Future[Any] | None = None

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        """Call from the task: stops it with :class:`Cancelled` once cancel() was asked."""
        if self._cancel.is_set():
            raise Cancelled()

    def done(self) -> bool:
        return self.future is not None and self.future.done()


class TaskContext:
    """Handed to a task function: its services (on the library lane), progress and cancel.

    ``services`` are the lane's own (built on its thread, with their own connection); None on
    the plain pool (:meth:`TaskRunner.run`), whose tasks do not touch the library.
    """

    def __init__(self, handle: TaskHandle, report: Callable[[Any], None],
                 services: Services | None = None) -> None:
        self.handle = handle
        self.services: Services | None = services
        self._report = report

    def progress(self, value: Any) -> None:
        """Send a progress value to the UI thread (the caller's ``on_progress``)."""
        self._report(value)

    @property
    def cancelled(self) -> bool:
        return self.handle.cancelled

    def check(self) -> None:
        self.handle.check()


class _Job:
    """What one task holds that may keep a window alive: its function, its callbacks and, once
    it ran, its outcome (an exception's traceback holds the function's frames)."""

    __slots__ = ("error", "fn", "on_done", "on_error", "on_progress", "result")

    def __init__(self, fn: Callable[[TaskContext], Any], on_done: Callable[[Any], None] | None,
                 on_error: Callable[[BaseException], None] | None,
                 on_progress: Callable[[Any], None] | None) -> None:
        self.fn, self.on_done, self.on_error, self.on_progress = fn, on_done, on_error, on_progress
        self.result: Any = None
        self.error: BaseException | None = None


class _Relay(QObject):
    """Lives on the UI thread; queued signals bring worker results home.

    The jobs are kept here, on the UI thread, and a worker names its job by number only. A
    callback is often a bound method of a widget: were the worker's reference the last one (the
    window was closed, or a test dropped it, while the task ran), the widget would be deleted
    on the worker thread when the worker let go, after the UI thread had handled the result.
    Qt does not survive that: a busy progress bar's animation was freed off the UI thread while
    the UI thread's animation timer still ran it, a segfault at the next turn of the event
    loop. So a worker lets go of everything before it says it is finished, and only the UI
    thread drops a job."""

    progressed = Signal(int, object)  # job number, progress value
    finished = Signal(int)  # job number: its outcome is in the job

    def __init__(self) -> None:
        super().__init__()
        self.closed = False
        self.jobs: dict[int, _Job] = {}
        self.progressed.connect(self._progress)
        self.finished.connect(self._finish)

    @Slot(int, object)
    def _progress(self, number: int, value: Any) -> None:
        job = self.jobs.get(number)
        if job is not None and job.on_progress is not None:
            self._call(job.on_progress, value)

    @Slot(int)
    def _finish(self, number: int) -> None:
        job = self.jobs.pop(number, None)
        if job is None:
            return
        if job.error is None:
            if job.on_done is not None:
                self._call(job.on_done, job.result)
        elif job.on_error is not None:
            self._call(job.on_error, job.error)

    def _call(self, callback: Callable[[Any], None], value: Any) -> None:
        if self.closed:  # its window and library are gone: a late result has nowhere to go
            return
        try:
            callback(value)
        except Exception:  # a broken callback must not kill the event loop
            log.exception("task callback failed")


class TaskRunner:
    """``run_library`` for library/database work (one at a time, in order), ``run`` for the rest.

    ``services_factory`` opens the services for the library lane's own thread.
    """

    def __init__(self, services_factory: Callable[[], Services] | None = None,
                 io_workers: int = 3) -> None:
        self._relay = _Relay()
        self._services_factory = services_factory
        self._lane_services: Services | None = None
        self._library = ThreadPoolExecutor(max_workers=1, thread_name_prefix="library")
        self._network = ThreadPoolExecutor(max_workers=2, thread_name_prefix="network")
        self._network_local = threading.local()
        self._network_services: list[Services] = []
        self._network_lock = threading.Lock()
        self._io = ThreadPoolExecutor(max_workers=io_workers, thread_name_prefix="io")
        # Short reads that must never wait behind an hour-long import or download (the bell's
        # count after a sync): one thread of their own with their own connection.
        self._quick = ThreadPoolExecutor(max_workers=1, thread_name_prefix="quick")
        self._quick_services: Services | None = None
        self._closed = False
        self._numbers = itertools.count()

    def _lane_services_get(self) -> Services | None:
        if self._lane_services is None and self._services_factory is not None:
            self._lane_services = self._services_factory()
        return self._lane_services

    def _quick_services_get(self) -> Services | None:
        if self._quick_services is None and self._services_factory is not None:
            self._quick_services = self._services_factory()
        return self._quick_services

    def _network_services_get(self) -> Services | None:
        """The calling network thread's own services (opened on first use, closed at the
        end)."""
        services = getattr(self._network_local, "services", None)
        if services is None and self._services_factory is not None:
            services = self._services_factory()
            self._network_local.services = services
            with self._network_lock:
                self._network_services.append(services)
        return services

    def _submit(
        self, executor: ThreadPoolExecutor, fn: Callable[[TaskContext], Any],
        on_done: Callable[[Any], None] | None, on_error: Callable[[BaseException], None] | None,
        on_progress: Callable[[Any], None] | None, library: bool | Callable[[], Any],
    ) -> TaskHandle:
        handle = TaskHandle()
        if self._closed:
            # The app is ending: a result delivered during shutdown may ask for the next step
            # (a page loads its comments once its report is in). That step never starts, and
            # the caller sees a cancelled handle rather than an error at every exit.
            log.debug("not started, the app is closing: %s", getattr(fn, "__qualname__", fn))
            handle.cancel()
            return handle
        relay = self._relay
        number = next(self._numbers)
        relay.jobs[number] = _Job(fn, on_done, on_error, on_progress)
        wants_progress = on_progress is not None  # the callback itself stays on the UI thread

        def report(value: Any) -> None:
            if wants_progress:
                relay.progressed.emit(number, value)

        def work() -> None:
            job = relay.jobs[number]
            try:
                if callable(library):
                    services = library()
                else:
                    services = self._lane_services_get() if library else None
                job.result = job.fn(TaskContext(handle, report, services))
            except BaseException as exc:  # delivered to the UI thread, never lost
                if not isinstance(exc, Cancelled):
                    log.debug("task failed", exc_info=True)
                if job.on_error is None and not isinstance(exc, Cancelled):
                    log.error("background task failed: %s", exc, exc_info=exc)
                job.error = exc
            del job  # before telling the UI thread, which may drop the job at once (_Relay)
            relay.finished.emit(number)

        handle.future = executor.submit(work)
        return handle

    def run_library(
        self, fn: Callable[[TaskContext], Any], on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        on_progress: Callable[[Any], None] | None = None,
    ) -> TaskHandle:
        """Library work: imports, exports, search. ``fn(ctx)`` gets ``ctx.services``."""
        return self._submit(self._library, fn, on_done, on_error, on_progress, library=True)

    def run(
        self, fn: Callable[[TaskContext], Any], on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        on_progress: Callable[[Any], None] | None = None,
    ) -> TaskHandle:
        """Other background work (thumbnails, files, network); no library connection."""
        return self._submit(self._io, fn, on_done, on_error, on_progress, library=False)

    def run_network(
        self, fn: Callable[[TaskContext], Any], on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        on_progress: Callable[[Any], None] | None = None,
    ) -> TaskHandle:
        """Network work that needs the library (downloading packs, reading the hub's catalog):
        ``fn(ctx)`` gets ``ctx.services`` of its own thread. Long transfers go here, never on
        the library lane."""
        return self._submit(self._network, fn, on_done, on_error, on_progress,
                            library=self._network_services_get)

    def run_quick(
        self, fn: Callable[[TaskContext], Any], on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> TaskHandle:
        """A short library read or write (milliseconds) that must not wait behind the library
        lane's imports or the network's downloads: the bell's count, the tray's balloons.
        ``fn(ctx)`` gets ``ctx.services`` on the quick lane's own connection."""
        return self._submit(self._quick, fn, on_done, on_error, None,
                            library=self._quick_services_get)

    def shutdown(self, wait: bool = True) -> None:
        """Stop taking tasks; wait for running ones; close the lane's library connection."""
        if self._closed:
            return
        self._closed = True
        self._io.shutdown(wait=wait, cancel_futures=True)
        self._network.shutdown(wait=wait, cancel_futures=True)

        def close_quick() -> None:
            if self._quick_services is not None:
                self._quick_services.close()
                self._quick_services = None

        self._quick.submit(close_quick)
        self._quick.shutdown(wait=wait, cancel_futures=False)
        with self._network_lock:
            opened, self._network_services = self._network_services, []
        for services in opened if wait else ():  # still in use otherwise: the exit closes them
            services.close()

        def close_lane() -> None:
            if self._lane_services is not None:
                self._lane_services.close()
                self._lane_services = None

        self._library.submit(close_lane)
        self._library.shutdown(wait=wait, cancel_futures=False)
        # Results already on their way arrive now, while the library is still open; none after:
        # otherwise the next turn of any event loop ran them against a closed library.
        if wait:
            QCoreApplication.sendPostedEvents(self._relay)
            self._relay.jobs.clear()  # the ones cancelled before they started; no worker is left
        self._relay.closed = True
