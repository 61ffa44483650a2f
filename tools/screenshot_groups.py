#!/usr/bin/env python3
"""Screenshots of the trainer's "My groups" page, every tab, in Dutch and English at 1024x768
and the largest text size (issue 10).

    xvfb-run -a -s "-screen 0 1280x800x24" python tools/screenshot_groups.py -o screenshots

A hub on loopback gets a group of 24 learners with sessions, progress and comments (the group
benchmark's generator, made small); a throw-away home logs in as its trainer.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def pump(app, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-o", "--out", default="screenshots")
    parser.add_argument("--scale", type=int, default=200, help="text size in percent")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    from bench_group_report import seeded_hub, trainer_home
    from PySide6.QtWidgets import QApplication

    from companion.hub.settings import HubSettings
    from companion.ui.main import build_main_window
    from companion.ui.redraw import Redraw

    app = QApplication.instance() or QApplication([sys.argv[0]])
    with tempfile.TemporaryDirectory() as tmp:
        settings = HubSettings(data_dir=Path(tmp) / "hub", argon2_time_cost=1,
                               argon2_memory_kib=1024, argon2_parallelism=1)
        with seeded_hub(settings, 24, 300, 40) as (url, _group_id):
            home = Path(tmp) / "home"
            services, person_id = trainer_home(url, home)
            services.preferences.set("text_scale", args.scale, person_id)
            shell = build_main_window(services, person_id, home=home)
            window = shell.window
            window.setGeometry(0, 0, 1024, 768)
            window.show()
            page = window.screens["groups"]
            page.check_groups()
            pump(app, 3.0)
            for language in ("nl", "en"):
                services.profiles.update(person_id, language=language)
                shell.ctx.announce(Redraw(settings=True))
                window.show_screen("groups")
                pump(app, 2.0)
                for index in range(page.tabs.count()):
                    page.tabs.setCurrentIndex(index)
                    pump(app, 0.5)
                    shot = out / f"{language}-1024x768-{args.scale}-groups-{index}.png"
                    window.grab().save(str(shot), "PNG")
                    print(shot)
            shell.close()
            services.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
