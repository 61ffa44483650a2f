"""Resident memory of the desktop app while a lesson plays with the libvlc player (issue 3).

A child process builds the main window as the app does, on a library of 2,000 lessons plus the
Dutch sample pack from lessons/ (854x480 H.264 videos of about two minutes), waits on the home
screen, then opens the first sample lesson with the player set to VLC and reads its RSS every
250 ms for ``PLAY_S`` seconds of playing. Under ``xvfb-run`` when it is installed, so libvlc
draws into a real embedded window as on a desktop; offscreen (libvlc's dummy video output)
otherwise, which the output says.

Target: at most 300 MB while playing (the highest reading, median over the runs). Prints
figures; asserts nothing. ``--runs``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from app_fixtures import child_env, make_library_home, rss_kb, spread, temp_dir, verdict

PLAY_TARGET_MB = 300
IDLE_S = 2.0
PLAY_S = 10.0
TIMEOUT_S = 120.0
RESULT_PREFIX = "playing-bench "


def child(home: Path, player: str) -> None:
    """In the child process: home screen, then a sample lesson playing; prints the figures."""
    from app_fixtures import open_shell
    from PySide6.QtWidgets import QApplication

    import companion.ui.player  # noqa: F401  (the PySide6 signal refcount guard, as the app)

    app = QApplication(sys.argv[:1])

    def spin(seconds: float) -> None:
        until = time.monotonic() + seconds
        while time.monotonic() < until:
            app.processEvents()
            time.sleep(0.005)

    shell = open_shell(home)
    shell.ctx.services.preferences.set("player", player)
    spin(IDLE_S)
    idle_kb = rss_kb() or 0
    lesson_id = shell.ctx.services.db.execute(
        "SELECT id FROM lessons WHERE video_sha256 IS NOT NULL ORDER BY pack_id, position"
        " LIMIT 1").fetchone()[0]
    screen = shell.window.screens["lesson"]
    started: list[float] = []
    screen.playing_started.connect(lambda: started.append(time.monotonic()))
    shell.nav.lesson(lesson_id, [], 0.0)
    opened = time.monotonic()
    while not started and time.monotonic() < opened + TIMEOUT_S / 4:
        app.processEvents()
        time.sleep(0.005)
    readings = []
    until = time.monotonic() + PLAY_S
    while started and time.monotonic() < until:
        app.processEvents()
        readings.append(rss_kb() or 0)
        spin(0.25)
    player_widget = getattr(screen, "player", None)
    backend = player_widget.controller.backend.name if player_widget is not None else "none"
    played_s = player_widget.controller.position_ms() / 1000 if player_widget else 0.0
    figures = {"idle_mb": idle_kb / 1024, "backend": backend, "playing": bool(started),
               "played_s": played_s, "platform": app.platformName(),
               "max_mb": max(readings, default=0) / 1024,
               "median_mb": statistics.median(readings) / 1024 if readings else 0.0}
    print(RESULT_PREFIX + json.dumps(figures), flush=True)
    os._exit(0)  # libvlc and the windows hold native resources: no teardown needed


def run_child(home: Path, pycache: Path, player: str) -> dict:
    use_xvfb = shutil.which("xvfb-run") is not None
    env = child_env(pycache, "xcb" if use_xvfb else "offscreen")
    command = [sys.executable, __file__, "--child", str(home), "--player", player]
    if use_xvfb:
        command = ["xvfb-run", "-a", "-s", "-screen 0 1280x800x24", *command]
    out = subprocess.run(command, env=env, capture_output=True, text=True,
                         timeout=TIMEOUT_S).stdout
    for line in out.splitlines():
        if line.startswith(RESULT_PREFIX):
            return json.loads(line[len(RESULT_PREFIX):])
    raise RuntimeError(f"the playing benchmark's child printed no figures:\n{out[-2000:]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--player", default="vlc", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.player)
        return
    with temp_dir("bench-app-play-") as tmp:
        home = make_library_home(Path(tmp) / "home", sample_pack=True)
        runs = [run_child(home, Path(tmp) / "pycache", "vlc") for _ in range(args.runs)]
    playing = [r for r in runs if r["playing"]]
    platform = runs[0]["platform"]
    where = f"{platform} ({'embedded window' if platform == 'xcb' else 'no window'})"
    if not playing:
        print(f"memory while playing: the lesson never started playing ({runs})")
        return
    peak = [r["max_mb"] for r in playing]
    print(f"memory (RSS) while a sample lesson (854x480) plays, player "
          f"{playing[0]['backend']}, {where}, 2,000-lesson library: highest in {PLAY_S:.0f} s "
          f"{spread(peak, 1, ' MB')} (target {PLAY_TARGET_MB} MB: "
          f"{verdict(statistics.median(peak), PLAY_TARGET_MB)})")
    print(f"  median reading while playing: {spread([r['median_mb'] for r in playing], 1, ' MB')}"
          f"; on the home screen before: {spread([r['idle_mb'] for r in runs], 1, ' MB')}; "
          f"video time played: {statistics.median(r['played_s'] for r in playing):.1f} s")


if __name__ == "__main__":
    main()
