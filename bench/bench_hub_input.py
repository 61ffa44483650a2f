"""Hostile sync bodies against a hub process: no-change syncs per second, alone and while four
connections send gzip bombs (~10 KB packed, ~4 MB of JSON) without a login, then with one.

    python bench/bench_hub_input.py [--seconds S]

Before the token was checked first, four such connections cut the no-change sync rate by 96%
(issue 9). The loads run in separate processes (the hub's own CPU is what is measured); every
request goes to 127.0.0.1 and every loop is bounded by time.
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
from bench_hub import account, devices, load, running_hub

ATTACKERS = 4
CLIENTS = 2  # the syncing clients measured
TARGET_SHARE = 0.5  # syncs per second under attack, as a share of the rate without one


def bomb() -> bytes:
    """About 4 MB of JSON (an empty list nested in a list, repeated) packed about 400 times."""
    doc = b'{"cursor": null, "changes": [' + b"[]," * 1_300_000 + b"[]]}"
    return gzip.compress(doc, compresslevel=9)


def attack(url: str, token: str, seconds: float) -> dict:
    """The attackers (their own process): each posts the bomb in a loop until the time is up."""
    body = bomb()
    sent = [0] * ATTACKERS
    statuses: set[int] = set()
    deadline = time.monotonic() + seconds
    headers = {"Content-Encoding": "gzip", "Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"

    def worker(i: int) -> None:
        with httpx.Client(base_url=url, headers=headers, timeout=60) as c:
            while time.monotonic() < deadline:
                statuses.add(c.post("/v1/sync", content=body).status_code)
                sent[i] += 1

    pool = [threading.Thread(target=worker, args=(i,)) for i in range(ATTACKERS)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return {"packed_bytes": len(body), "requests": sum(sent), "statuses": sorted(statuses)}


def measure(url: str, devs: list[list[str]], seconds: float, attacker_token: str | None,
            ) -> tuple[dict, dict | None]:
    """No-change syncs of two clients (the shared load generator, a process of its own) while
    the attackers (another process) send their bombs, or alone."""
    attacker = None
    if attacker_token is not None:
        attacker = subprocess.Popen(
            [sys.executable, __file__, "--attack", url, attacker_token, str(seconds + 1)],
            stdout=subprocess.PIPE, text=True)
        time.sleep(0.5)  # the bombs are on their way before the syncs start
    syncs = load(url, devs, CLIENTS, seconds)
    attacked = None
    if attacker is not None:
        stdout, _ = attacker.communicate(timeout=seconds + 60)
        attacked = json.loads(stdout)
    return syncs, attacked


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--attack":
        url, token, seconds = sys.argv[2:5]
        print(json.dumps(attack(url, token, float(seconds))))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="length of each load")
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="hub-input-bench-"))
    with running_hub(data) as (url, _port, invite):
        mallory = account(url, "mallory", invite)
        devs = devices(data, None, CLIENTS)
        alone, _ = measure(url, devs, args.seconds, None)
        rows = [("alone", alone, None)]
        for name, who in (("bombs without a login", ""), ("bombs with a login", mallory)):
            under, attacked = measure(url, devs, args.seconds, who)
            rows.append((name, under, attacked))
    print(f"\n== hub under hostile sync bodies (SQLite, 1 process, {CLIENTS} syncing clients)")
    for name, r, attacked in rows:
        share = r["per_s"] / alone["per_s"]
        line = f"{name:24} {r['per_s']:6.0f} syncs/s, p99 {r['p99_ms']:6.1f} ms"
        if attacked:
            ok = "ok" if share >= TARGET_SHARE else "MISSED"
            line += (f"  ({share:.0%} of alone, target >= {TARGET_SHARE:.0%}) {ok}; "
                     f"{attacked['requests']} bombs of {attacked['packed_bytes']} bytes "
                     f"answered {attacked['statuses']}")
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
