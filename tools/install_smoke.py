"""Smoke test of an installed companion (from the wheel, or the frozen PyInstaller build) and an
installed hub: run by tools/ci_install_smoke.sh on fresh virtualenvs, never on the work tree.

    python3 tools/install_smoke.py --app VENV/bin/companion --hub HUBVENV/bin/companion-hub
    python3 tools/install_smoke.py --app dist/companion/companion --hub ... --play

The hub serves /v1/health; the app builds, trusts and imports a pack, joins the hub's group,
writes a note and syncs it, then starts offscreen and reaches its home screen (the start-up
probe). ``--play`` also plays a lesson video with libvlc's dummy outputs
(``companion media-check``). Standard library only: it runs with any Python 3.11.
Prints one line per step with its time; exits non-zero at the first failure.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACK_SOURCE = ROOT / "lessons" / "social-media-en"
PROBE_PREFIX = "startup-probe "
PASSWORD = "smoke-test-password-1"


class SmokeFailure(Exception):
    pass


class Step:
    """``with Step("what"):`` prints what was done and how many seconds it took."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __enter__(self) -> None:
        self.start = time.monotonic()

    def __exit__(self, kind, value, tb) -> None:
        took = time.monotonic() - self.start
        print(f"{'FAIL' if kind else 'ok  '} {took:6.1f} s  {self.name}", flush=True)


def run(cmd: list[str], *, stdin: str | None = None, env: dict[str, str] | None = None,
        timeout: float = 120) -> str:
    done = subprocess.run(cmd, input=stdin, capture_output=True, text=True, env=env,
                          timeout=timeout)
    if done.returncode != 0:
        raise SmokeFailure(f"{' '.join(cmd)} exited {done.returncode}\n{done.stdout}\n"
                           f"{done.stderr}")
    return done.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_health(url: str, proc: subprocess.Popen, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SmokeFailure(f"the hub exited ({proc.returncode}) before serving")
        try:
            with urllib.request.urlopen(url + "/v1/health", timeout=2) as reply:
                return json.load(reply)
        except OSError:
            time.sleep(0.2)
    raise SmokeFailure("the hub did not answer /v1/health in time")


def smoke(app: str, hub: str, work: Path, play: bool) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    data, home = work / "hub-data", work / "home"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with Step("hub: companion-hub serve answers /v1/health"):
        server = subprocess.Popen([hub, "serve", "--data", str(data), "--port", str(port)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        health = wait_for_health(url, server)
        if health.get("status") != "ok":
            raise SmokeFailure(f"health: {health}")
    try:
        with Step("hub: add a trainer and a group"):
            run([hub, "add-trainer", "--data", str(data), "trainer", "--password-stdin"],
                stdin=PASSWORD + "\n")
            invite = run([hub, "create-group", "--data", str(data), "smoke", "--trainer",
                          "trainer"]).strip().splitlines()[-1]
        app_cmd = [app, "--home", str(home)]
        with Step("app: profile, keys, pack build, trust and import"):
            run([*app_cmd, "profile", "add", "Smoke", "--language", "nl"], env=env)
            run([app, "keys", "generate", "smoke", "-o", str(work / "keys")], env=env)
            run([app, "pack", "build", str(PACK_SOURCE), "-o", str(work / "packs"),
                 "--key", str(work / "keys" / "smoke.key")], env=env)
            run([*app_cmd, "keys", "trust", str(work / "keys" / "smoke.pub")], env=env)
            run([*app_cmd, "pack", "import", str(work / "packs")], env=env)
            packs = json.loads(run([*app_cmd, "pack", "list", "--json"], env=env))
            if not packs:
                raise SmokeFailure("no pack installed after the import")
        with Step("app: join the hub's group, write a note, sync it"):
            run([*app_cmd, "login", "--hub", url, "--username", "learner", "--invite", invite,
                 "--password-stdin", "--store-token-in-home"], stdin=PASSWORD + "\n", env=env)
            lessons = json.loads(run([*app_cmd, "lessons", "--json"], env=env))
            run([*app_cmd, "note", "add", lessons[0]["id"], "smoke note"], env=env)
            result = json.loads(run([*app_cmd, "sync", "--once", "--json"], env=env))
            if not result.get("pushed"):
                raise SmokeFailure(f"the note was not pushed: {result}")
        with Step("app: start offscreen and reach the home screen"):
            out = run(app_cmd, env=dict(env, COMPANION_STARTUP_PROBE="1"), timeout=90)
            if not any(line.startswith(PROBE_PREFIX) for line in out.splitlines()):
                raise SmokeFailure(f"no start-up probe line; the app printed:\n{out}")
        if play:
            with Step("app: libvlc plays a lesson video (dummy output)"):
                played = json.loads(run([*app_cmd, "media-check", lessons[0]["id"], "--json"],
                                        env=env))
                print(f"     libvlc {played['libvlc']} from {played['library']}: "
                      f"{played['position_ms']} ms played")
                bundle = str(Path(app).resolve().parent)
                if not str(played["library"] or "").startswith(bundle):
                    raise SmokeFailure(f"libvlc was not the bundled one: {played}")
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--app", required=True, help="the installed `companion` executable")
    parser.add_argument("--hub", required=True, help="the installed `companion-hub` executable")
    parser.add_argument("--play", action="store_true", help="also play a video with libvlc")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="companion-smoke-") as tmp:
        try:
            smoke(args.app, args.hub, Path(tmp), args.play)
        except (SmokeFailure, subprocess.TimeoutExpired) as exc:
            print(f"install smoke test failed: {exc}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
