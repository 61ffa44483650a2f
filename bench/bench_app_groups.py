"""From the click on a group to the "My groups" page drawn with its report (issue 10).

    python bench/bench_app_groups.py [--runs N]

A hub on loopback (SQLite; ``companion hub serve`` in its own process) holds the seeds' group:
900 learners, 60 lessons, 40,000 sessions, 5,000 comments (bench_group_report's generator).
The app, logged in as the trainer, picks the group; the time runs until the report is on the
page and the window has painted (the fetch on the network lane, the models, the heatmap and
the chart). The target is 500 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TARGET_MS = 500


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from bench_group_report import seeded_hub, trainer_home
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication

    from companion.hub.settings import HubSettings
    from companion.ui.main import build_main_window

    app = QApplication.instance() or QApplication([sys.argv[0]])
    with tempfile.TemporaryDirectory() as tmp:
        settings = HubSettings(data_dir=Path(tmp) / "hub", argon2_time_cost=1,
                               argon2_memory_kib=1024, argon2_parallelism=1)
        with seeded_hub(settings, 900, 40_000, 5_000) as (url, group_id):
            home = Path(tmp) / "home"
            services, person_id = trainer_home(url, home)
            shell = build_main_window(services, person_id, home=home)
            window = shell.window
            window.resize(1024, 768)
            window.show()
            page = window.screens["groups"]
            page.check_groups()
            deadline = time.monotonic() + 30
            while not page.groups and time.monotonic() < deadline:
                app.processEvents()
                time.sleep(0.01)
            window.show_screen("groups")
            times = []
            for _ in range(args.runs + 1):
                page.fetched = None
                began = time.perf_counter()
                page.load_report()  # what choosing the group in the list does
                while (page.fetched is None or page.fetched.offline) \
                        and time.perf_counter() - began < 30:
                    # Sleeps until something arrives, as the app's own event loop does: a
                    # loop that spun here took the interpreter from the thread fetching.
                    app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
                window.repaint()  # drawn, not only laid out
                times.append((time.perf_counter() - began) * 1000)
                # The discussion and the ladder's weeks follow the report: let them finish, as
                # they do before a person picks the next group, not compete with its report.
                while page.busy and time.perf_counter() - began < 30:
                    app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
            times = times[1:]  # the first one opens the lane's library connection
            drawing = []
            for _ in range(3):
                began = time.perf_counter()
                page.show_report(page.fetched)
                window.repaint()
                drawing.append((time.perf_counter() - began) * 1000)
            print(f"of which putting the report on the page and painting: median "
                  f"{statistics.median(drawing):.0f} ms", flush=True)
            rows = len(page.report["learners"]) if page.report else 0
            print(f"click to page drawn with {rows} learners (group {group_id}): median "
                  f"{statistics.median(times):.0f} ms, max {max(times):.0f} ms "
                  f"(target <= {TARGET_MS} ms)", flush=True)
            shell.close()
            services.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
