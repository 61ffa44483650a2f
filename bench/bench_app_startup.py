"""Desktop app start-up (issue 3): cold start to the home screen shown, and resident memory idle
on it, with a library of 2,000 lessons.

Each start is a new process (``python -m companion --home DIR``, offscreen), timed from just
before the launch to the end of the home screen's first paint, as the app's own
``COMPANION_STARTUP_PROBE`` hook reports it (companion/ui/startup_probe.py). "Cold" means a
fresh process with the files in the page cache and a bytecode cache, as an installed app has;
the very first start, which also compiles the bytecode, is shown apart. Two baselines on the
same machine give the ratio: a bare ``import PySide6.QtWidgets`` process, and a process that
shows an empty QMainWindow (timed to its first paint the same way).

Targets: start to home screen at most 1.0 s (median); idle memory at most 200 MB.
Prints figures; asserts nothing. ``--runs`` changes the repetitions.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from app_fixtures import (
    PROBE_PREFIX,
    child_env,
    make_library_home,
    rss_kb,
    spread,
    temp_dir,
    verdict,
)

START_TARGET_S = 1.0
IDLE_RSS_TARGET_MB = 200
IDLE_SETTLE_S = 3.0
TIMEOUT_S = 60.0

BARE_IMPORT = "import time, PySide6.QtWidgets; print(time.monotonic())"
EMPTY_WINDOW = """
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1280, 800)
class First(QObject):
    done = False
    def eventFilter(self, watched, event):
        if not self.done and event.type() == QEvent.Type.Paint:
            self.done = True
            QTimer.singleShot(0, lambda: (print("painted", time.monotonic(), flush=True),
                                          app.quit()))
        return False
probe = First()
window.installEventFilter(probe)
window.show()
app.exec()
"""


def start_app(home: Path, env: dict[str, str], keep: bool = False) -> tuple[subprocess.Popen[str],
                                                                            float, dict]:
    """Launch the app; return the process, the seconds to the home screen's first paint and
    the probe's figures."""
    env = dict(env, COMPANION_STARTUP_PROBE="keep" if keep else "1")
    started = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "companion", "--home", str(home)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith(PROBE_PREFIX):
            figures = json.loads(line[len(PROBE_PREFIX):])
            return proc, figures["first_paint_monotonic_s"] - started, figures
    proc.wait(TIMEOUT_S)
    raise RuntimeError(f"the app exited ({proc.returncode}) without showing the home screen")


def time_cold_start(home: Path, env: dict[str, str]) -> float:
    proc, seconds, _ = start_app(home, env)
    proc.wait(TIMEOUT_S)
    return seconds


def time_bare_import(env: dict[str, str]) -> float:
    """To the end of the import (not of the process, whose teardown is not part of a start)."""
    started = time.monotonic()
    out = subprocess.run([sys.executable, "-c", BARE_IMPORT], env=env, check=True,
                         capture_output=True, text=True, timeout=TIMEOUT_S).stdout
    return float(out.split()[-1]) - started


def time_empty_window(env: dict[str, str]) -> float:
    started = time.monotonic()
    out = subprocess.run([sys.executable, "-c", EMPTY_WINDOW], env=env, check=True,
                         capture_output=True, text=True, timeout=TIMEOUT_S).stdout
    painted = next(float(line.split()[1]) for line in out.splitlines()
                   if line.startswith("painted"))
    return painted - started


def idle_rss_mb(home: Path, env: dict[str, str]) -> tuple[float, float]:
    """(RSS at the first paint, highest RSS over the following seconds idle), in MB."""
    proc, _seconds, figures = start_app(home, env, keep=True)
    try:
        highest = 0
        until = time.monotonic() + IDLE_SETTLE_S
        while time.monotonic() < until:
            highest = max(highest, rss_kb(proc.pid) or 0)
            time.sleep(0.1)
    finally:
        proc.terminate()  # a temp home: no need for a clean close
        proc.wait(TIMEOUT_S)
    return (figures.get("rss_kb") or 0) / 1024, highest / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with temp_dir("bench-app-start-") as tmp:
        home = make_library_home(Path(tmp) / "home")
        env = child_env(Path(tmp) / "pycache")
        first = time_cold_start(home, env)  # also fills the bytecode cache
        time_empty_window(env)
        apps, bare, empty = [], [], []
        for _ in range(args.runs):  # interleaved, so drift in the machine hits all three
            apps.append(time_cold_start(home, env))
            bare.append(time_bare_import(env))
            empty.append(time_empty_window(env))
        memory = [idle_rss_mb(home, env) for _ in range(3)]
        as_is: list[float] = []
        if os.environ.get("PYTHONDONTWRITEBYTECODE"):  # this shell compiles at every start
            plain = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=env["PYTHONPATH"])
            as_is = [time_cold_start(home, plain) for _ in range(3)]

    app_s = statistics.median(apps)
    print(f"cold start to the home screen painted, 2,000 lessons, offscreen: "
          f"{spread(apps, 1000, ' ms')}  (target {START_TARGET_S * 1000:.0f} ms: "
          f"{verdict(app_s, START_TARGET_S)})")
    print(f"  very first start (compiling the bytecode too): {first * 1000:.0f} ms")
    if as_is:
        print(f"  with this shell's PYTHONDONTWRITEBYTECODE=1 (the app's modules compiled at "
              f"every start, as from a source tree): {spread(as_is, 1000, ' ms')}")
    print(f"  baseline python -c 'import PySide6.QtWidgets': {spread(bare, 1000, ' ms')};"
          f" app / baseline = {app_s / statistics.median(bare):.1f}x")
    print(f"  baseline QApplication + empty QMainWindow painted: {spread(empty, 1000, ' ms')};"
          f" app / baseline = {app_s / statistics.median(empty):.1f}x")
    at_paint = [m[0] for m in memory]
    idle = [m[1] for m in memory]
    print(f"memory (RSS) idle on the home screen, 2,000 lessons: {spread(idle, 1, ' MB')}, "
          f"highest over {IDLE_SETTLE_S:.0f} s after the first paint (target "
          f"{IDLE_RSS_TARGET_MB} MB: {verdict(statistics.median(idle), IDLE_RSS_TARGET_MB)})")
    print(f"  at the first paint: {spread(at_paint, 1, ' MB')}")


if __name__ == "__main__":
    main()
