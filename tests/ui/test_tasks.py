"""The one background-task helper: results, errors and progress come back on the UI thread."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer

from companion.services import build_services
from companion.ui.tasks import Cancelled, TaskContext, TaskRunner, _Job


@pytest.fixture
def runner(home: Path, qapp):
    r = TaskRunner(services_factory=lambda: build_services(home=home))
    yield r
    r.shutdown()


def test_result_arrives_on_the_ui_thread(runner: TaskRunner, qtbot) -> None:
    """The worker runs off the UI thread; its result is delivered on the UI thread."""
    seen: dict[str, object] = {}

    def work(ctx: TaskContext) -> str:
        seen["worker"] = threading.current_thread()
        return "klaar"

    def done(value: str) -> None:
        seen["value"] = value
        seen["callback"] = threading.current_thread()

    runner.run(work, on_done=done)
    qtbot.waitUntil(lambda: "value" in seen, timeout=5000)
    assert seen["value"] == "klaar"
    assert seen["worker"] is not threading.main_thread()
    assert seen["callback"] is threading.main_thread()


def test_errors_and_progress_are_delivered(runner: TaskRunner, qtbot) -> None:
    """Progress values arrive in order and an exception reaches on_error, not the void."""
    progress: list[int] = []
    errors: list[BaseException] = []

    def work(ctx: TaskContext) -> None:
        for i in range(3):
            ctx.progress(i)
        raise ValueError("disk weg")

    runner.run(work, on_error=errors.append, on_progress=progress.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert progress == [0, 1, 2]
    assert str(errors[0]) == "disk weg"


def test_library_lane_is_serial_with_its_own_connection(runner: TaskRunner, qtbot,
                                                         home: Path) -> None:
    """Library tasks run one at a time, in order, on services of their own thread."""
    order: list[int] = []
    connections: set[int] = set()

    def make(i: int):
        def work(ctx: TaskContext) -> int:
            connections.add(id(ctx.services.db.conn))
            time.sleep(0.01)
            order.append(i)
            return i
        return work

    for i in range(5):
        runner.run_library(make(i))
    qtbot.waitUntil(lambda: len(order) == 5, timeout=5000)
    assert order == [0, 1, 2, 3, 4]
    assert len(connections) == 1


def test_a_long_download_never_holds_up_the_library_lane(runner: TaskRunner, qtbot,
                                                         home: Path) -> None:
    """A network task (a download) has its own library connection, and library work goes on
    while it runs."""
    build_services(home=home).close()  # the library exists before the app starts its lanes
    release = threading.Event()
    seen: dict[str, int] = {}

    def download(ctx: TaskContext) -> None:
        seen["network"] = id(ctx.services.db.conn)
        release.wait(5)

    def search(ctx: TaskContext) -> None:
        seen["library"] = id(ctx.services.db.conn)

    runner.run_network(download, on_done=lambda _r: seen.setdefault("downloaded", 1))
    runner.run_library(search, on_done=lambda _r: seen.setdefault("searched", 1))
    qtbot.waitUntil(lambda: "searched" in seen and "network" in seen, timeout=5000)
    assert "downloaded" not in seen and seen["network"] != seen["library"]
    release.set()
    qtbot.waitUntil(lambda: "downloaded" in seen, timeout=5000)


def test_cancel_stops_a_task(runner: TaskRunner, qtbot) -> None:
    """A cancelled task stops at its next check and reports Cancelled."""
    started = threading.Event()
    errors: list[BaseException] = []

    def work(ctx: TaskContext) -> None:
        started.set()
        for _ in range(500):
            ctx.check()
            time.sleep(0.01)

    handle = runner.run(work, on_error=errors.append)
    assert started.wait(5)
    handle.cancel()
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert isinstance(errors[0], Cancelled)


def test_closed_runner_refuses_work(home: Path, qapp, qtbot) -> None:
    """After shutdown no new task starts, on any lane: the caller gets a cancelled handle and
    no callback ever comes (a result delivered during shutdown may ask for a next step)."""
    r = TaskRunner()
    r.shutdown()
    ran: list[str] = []
    handles = [submit(lambda ctx: ran.append("ran"), on_done=ran.append, on_error=ran.append)
               for submit in (r.run, r.run_network, r.run_quick)]
    qtbot.wait(100)
    assert all(h.cancelled for h in handles) and ran == []


def test_results_on_their_way_arrive_at_shutdown_and_none_after(home: Path, qapp) -> None:
    """A window closing shuts its runner down: a result already sent is delivered then (while
    the library is open), a result sent after that is dropped instead of reaching a closed
    window at the next turn of some event loop."""
    runner = TaskRunner(services_factory=lambda: build_services(home=home))
    arrived: list[str] = []
    release = threading.Event()

    def slow(ctx: TaskContext) -> str:
        release.wait(5)
        return "laat"

    first = runner.run(lambda ctx: "op tijd", on_done=arrived.append)
    late = runner.run(slow, on_done=arrived.append)
    release.set()
    for handle in (first, late):  # both results now wait in the UI thread's queue
        handle.future.result(timeout=5)
    assert arrived == []
    runner.shutdown()
    assert arrived == ["op tijd", "laat"]
    straggler = _Job(lambda ctx: None, arrived.append, None, None)
    straggler.result = "na het sluiten"
    runner._relay.jobs[-1] = straggler
    runner._relay.finished.emit(-1)
    qapp.processEvents()
    assert arrived == ["op tijd", "laat"]


@pytest.mark.parametrize("fails", [False, True])
def test_what_a_task_holds_is_let_go_on_the_ui_thread(runner: TaskRunner, qtbot, monkeypatch,
                                                      fails: bool) -> None:
    """The window was closed while its work ran: the task's function and callbacks (bound
    methods) hold the last references to it. They are let go on the UI thread, even when the
    worker thread only gets to run again after the result was handled: the last reference to
    a parentless widget going on a worker thread deleted the widget there (a segfault)."""
    released: list[threading.Thread] = []
    handled = threading.Event()
    outcomes: list[str] = []

    class Window:  # stands in for a parentless widget
        def work(self, ctx: TaskContext) -> str:
            if fails:
                raise ValueError("disk weg")  # its traceback holds this frame, and self
            return "klaar"

        def done(self, value: object) -> None:
            outcomes.append(str(value))  # not the error: its traceback holds the window
            QTimer.singleShot(0, handled.set)  # once this event and its arguments are gone

        def __del__(self) -> None:
            released.append(threading.current_thread())

    submit = runner._io.submit

    def descheduled(fn):
        def run() -> None:
            fn()
            handled.wait(5)  # the worker has not let go of the task yet
        return submit(run)

    monkeypatch.setattr(runner._io, "submit", descheduled)
    window = Window()
    runner.run(window.work, on_done=window.done, on_error=window.done,
               on_progress=window.done)
    del window
    qtbot.waitUntil(lambda: bool(released), timeout=5000)
    assert released == [threading.main_thread()]
    assert outcomes == ["disk weg" if fails else "klaar"]
