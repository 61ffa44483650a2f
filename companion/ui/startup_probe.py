"""A measuring hook for start-up speed and memory (``bench/bench_app_startup.py``).

With ``COMPANION_STARTUP_PROBE`` set, the app prints one JSON line to stdout once the first
screen has been painted::

    startup-probe {"first_paint_monotonic_s": ..., "since_process_start_ms": ..., "rss_kb": ...}

``first_paint_monotonic_s`` is ``time.monotonic()`` (system-wide on Linux, so a parent process
can subtract its own launch time); ``since_process_start_ms`` is the same moment counted from the
kernel's start time of this process (Linux only, 10 ms steps; null elsewhere); ``rss_kb`` is the
resident memory then (Linux only). With the value ``1`` the app then quits at once; with ``keep``
it stays open (for idle-memory readings). Unset, nothing here runs.
"""

from __future__ import annotations

import json
import os
import sys
import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

ENV_VAR = "COMPANION_STARTUP_PROBE"
PREFIX = "startup-probe "


def wanted() -> str | None:
    """The probe mode asked for (``"1"`` or ``"keep"``), or None when the probe is off."""
    value = os.environ.get(ENV_VAR, "").strip().lower()
    return value if value in ("1", "keep") else None


def rss_kb() -> int | None:
    """This process's resident memory in kB (Linux ``/proc``), None where there is none."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def since_process_start_ms() -> float | None:
    """Milliseconds since the kernel started this process (Linux only, clock-tick steps)."""
    try:
        with open("/proc/self/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        start_ticks = int(fields[19])  # field 22 of proc(5), counted after "pid (comm)"
        ticks = os.sysconf("SC_CLK_TCK")
        return (time.clock_gettime(time.CLOCK_BOOTTIME) - start_ticks / ticks) * 1000
    except (OSError, ValueError, IndexError, AttributeError):
        return None


class StartupProbe(QObject):
    """Watches ``widget`` for its first paint, then reports (and quits in mode ``"1"``).

    The first paint of the widget or of any widget in it counts: a screen filled by an opaque
    child (a scroll area) gets no paint event of its own, only its children do."""

    def __init__(self, widget: QWidget, mode: str) -> None:
        super().__init__(widget)
        self._widget = widget
        self._watched = [widget, *widget.findChildren(QWidget)]
        self._mode = mode
        self._done = False
        for watched in self._watched:
            watched.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self._done and event.type() == QEvent.Type.Paint:
            self._done = True
            at = time.monotonic()  # taken before the paint itself, which is still to come
            # Reported from the event loop, after this paint and its flush have finished.
            QTimer.singleShot(0, lambda: self._report(at))
        return False

    def _report(self, painting_at: float) -> None:
        done_at = time.monotonic()
        since = since_process_start_ms()
        figures = {"first_paint_monotonic_s": done_at, "paint_started_monotonic_s": painting_at,
                   "since_process_start_ms": since, "rss_kb": rss_kb()}
        sys.stdout.write(PREFIX + json.dumps(figures) + "\n")
        sys.stdout.flush()
        for watched in self._watched:
            watched.removeEventFilter(self)
        if self._mode == "1":
            app = QApplication.instance()
            if app is not None:
                app.quit()


def install(widget: QWidget) -> StartupProbe | None:
    """Watch ``widget``'s first paint when ``COMPANION_STARTUP_PROBE`` asks for it."""
    mode = wanted()
    return StartupProbe(widget, mode) if mode else None
