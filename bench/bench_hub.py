"""Hub benchmark over loopback: push/pull volume, bytes of a no-change sync, syncs per second.

    python bench/bench_hub.py [--workers N] [--seconds S] [--clients N] [--many N]

Then 1 client against 200 (``--many``), no-change syncs and syncs that push one note: rate,
p50/p99 and the hub's CPU per sync, with the 200 as fast as they can (a closed loop) and paced at
80% of the 1-client rate (the latency target). The load comes from bench/hub_load.py.

Runs on the embedded SQLite file, and on PostgreSQL too when COMPANION_TEST_POSTGRES_URL is set
(a schema of its own, dropped at the end). Every request goes to 127.0.0.1; loops are bounded.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stdout
from pathlib import Path

import httpx

PASSWORD = "bench password"
TARGETS = {"push_pull_s": 3.0, "no_change_bytes": 2048, "syncs_per_s": 300, "p99_ms": 50,
           "ratio": 0.8, "loaded_p99_ms": 250}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def change(i: int) -> dict:
    return {"change_id": uuid.uuid4().hex, "device_id": "bench", "device_seq": i,
            "kind": "note", "entity_id": f"note-{i}", "op": "upsert",
            "payload": {"lesson_id": f"lesson-{i % 40}", "body": f"note number {i} [1:23]"},
            "created_at": "2024-05-06T12:05:00+02:00"}


def cli(args: list[str], stdin: str = "") -> str:
    from companion.cli import main

    out = io.StringIO()
    old = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        with redirect_stdout(out):
            assert main(args) == 0, args
    finally:
        sys.stdin = old
    return out.getvalue()


def account(url: str, username: str, invite: str | None = None) -> str:
    body = {"username": username, "password": PASSWORD, "device_id": uuid.uuid4().hex}
    if invite:
        r = httpx.post(f"{url}/v1/accounts", json={**body, "invite_code": invite})
    else:
        r = httpx.post(f"{url}/v1/auth/login", json=body)
    r.raise_for_status()
    return r.json()["token"]


def push(client: httpx.Client, changes: list[dict], batch: int = 1000) -> None:
    for i in range(0, len(changes), batch):
        raw = gzip.compress(json.dumps({"cursor": None, "changes": changes[i:i + batch]}).encode(),
                            compresslevel=5)
        r = client.post("/v1/sync", content=raw, headers={
            "Content-Encoding": "gzip", "Content-Type": "application/json"})
        r.raise_for_status()
        assert not r.json()["rejected"]


def pull_all(client: httpx.Client, limit: int = 5000) -> tuple[int, str]:
    cursor, count = None, 0
    while True:
        r = client.post("/v1/sync", json={"cursor": cursor, "changes": [], "limit": limit})
        r.raise_for_status()
        data = r.json()
        count += len(data["changes"])
        cursor = data["cursor"]
        if not data["more"]:
            return count, cursor


def no_change_bytes(url: str, token: str, cursor: str) -> int:
    host, port = url.removeprefix("http://").split(":")
    body = json.dumps({"cursor": cursor, "changes": []}, separators=(",", ":")).encode()
    request = (f"POST /v1/sync HTTP/1.1\r\nHost: {host}:{port}\r\nAuthorization: Bearer {token}"
               f"\r\nContent-Type: application/json\r\nAccept-Encoding: gzip\r\n"
               f"User-Agent: companion/0.1\r\nContent-Length: {len(body)}\r\n"
               f"Connection: close\r\n\r\n").encode() + body
    with socket.create_connection((host, int(port))) as s:
        s.sendall(request)
        response = b""
        while chunk := s.recv(65536):
            response += chunk
    assert response.startswith(b"HTTP/1.1 200"), response[:200]
    return len(request) + len(response)


def devices(data: Path, database_url: str | None, count: int) -> list[list[str]]:
    """``count`` learners of group "Bench", each with one device token: ``[[token, device]]``.

    Made straight in the database (as ``POST /v1/accounts`` makes them, with one password hash
    for all): two hundred Argon2 hashes would cost the set-up a minute of both cores."""
    from companion.hub import accounts, auth, push_pull
    from companion.hub.settings import build_settings
    from companion.hub.storage import Storage

    settings = build_settings(str(data), database_url)
    storage = Storage(settings)
    password_hash = auth.Passwords(settings).hash(PASSWORD)
    out = []
    try:
        with storage.write() as conn:
            group = accounts.list_groups(conn)[0]["id"]
            for i in range(count):
                account_id = accounts.create_account(conn, f"learner{i}", password_hash)
                accounts.add_member(conn, group, account_id, "learner")
                device = uuid.uuid4().hex
                issued = auth.issue_token(conn, settings, account_id, device, "bench")
                caller, _ = auth.caller_for_token(conn, issued.token)
                push_pull.hub_change(conn, caller, "profile", "account", "upsert",
                                   {"name": f"learner{i}"})
                out.append([issued.token, device])
    finally:
        storage.close()
    return out


def load(url: str, devices: list[list[str]], clients: int, seconds: float, push: bool = False,
         rate: float | None = None) -> dict:
    """Run the load generator (bench/hub_load.py) in a process of its own.

    Besides rate and latency, the hub's CPU time per sync: on a machine whose cores are shared
    the rates wander with the neighbours' load, the CPU cost much less."""
    job = {"url": url, "devices": devices, "clients": clients, "seconds": seconds, "push": push,
           "rate": rate, "hub_pid": HUB_PIDS.get(url, 0)}
    out = subprocess.run([sys.executable, str(Path(__file__).with_name("hub_load.py"))],
                         input=json.dumps(job), capture_output=True, text=True, check=True,
                         timeout=seconds + 120)
    result = json.loads(out.stdout)
    if result["errors"]:
        print(f"   !! {result['errors']} failed syncs, first: {result['first_error']}")
    return result


HUB_PIDS: dict[str, int] = {}  # url -> process id of the hubs running_hub started


@contextmanager
def running_hub(data: Path, database_url: str | None = None,
                workers: int = 1) -> Iterator[tuple[str, int, str]]:
    """A hub process (as in production) with trainer "trainer" and group "Bench";
    ``(url, port, invite code)`` once it answers, stopped afterwards."""
    common = ["--data", str(data)] + (["--database-url", database_url] if database_url else [])
    cli(["hub", "add-trainer", "trainer", "--password-stdin", *common], PASSWORD + "\n")
    invite = cli(["hub", "create-group", "Bench", "--trainer", "trainer", *common]).split()[-1]
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    hub = subprocess.Popen([sys.executable, "-m", "companion", "hub", "serve", "--port",
                            str(port), "--workers", str(workers), *common],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    HUB_PIDS[url] = hub.pid
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{url}/v1/health").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        yield url, port, invite
    finally:
        HUB_PIDS.pop(url, None)
        hub.terminate()
        hub.wait(20)


def run(database_url: str | None, workers: int, seconds: float, clients: int,
        many: int) -> dict:
    data = Path(tempfile.mkdtemp(prefix="hub-bench-"))
    with running_hub(data, database_url, workers) as (url, _port, invite):
        token_a = account(url, "alice", invite)
        token_b = account(url, "alice")
        results: dict = {}
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token_a}"},
                          timeout=120) as a:
            push(a, [change(i) for i in range(15_000)])  # history for the pull (not timed)
            t0 = time.perf_counter()
            push(a, [change(15_000 + i) for i in range(5_000)])
            results["push_5000_s"] = time.perf_counter() - t0
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token_b}"},
                          timeout=120) as b:
            t0 = time.perf_counter()
            count, cursor = pull_all(b)
            results["pull_20000_s"] = time.perf_counter() - t0
            assert count >= 20_000, count  # and the profile sent at registration
        results["push_pull_s"] = results["push_5000_s"] + results["pull_20000_s"]
        results["no_change_bytes"] = no_change_bytes(url, token_b, cursor)
        devs = devices(data, database_url, max(clients, many))
        results["few"] = load(url, devs, clients, seconds)
        for mode, pushing in (("no_change", False), ("pushing", True)):
            # One client before and after the many: the neighbours' load on a shared machine
            # drifts, and the single-client rate is the yardstick of the other two.
            before = load(url, devs, 1, seconds / 2, pushing)
            closed = load(url, devs, many, seconds, pushing)
            after = load(url, devs, 1, seconds / 2, pushing)
            one = {k: (before[k] + after[k]) / 2 for k in ("per_s", "p50_ms", "p99_ms", "cpu_ms")}
            paced = load(url, devs, many, seconds, pushing, rate=0.8 * one["per_s"])
            results[mode] = {"one": one, "many": closed, "paced": paced}
        return results


def report(name: str, r: dict) -> None:
    def mark(ok: bool) -> str:
        return "ok" if ok else "MISSED"

    print(f"\n== hub on {name}")
    print(f"push 5,000 changes:   {r['push_5000_s']:.2f} s")
    print(f"pull 20,000 changes:  {r['pull_20000_s']:.2f} s")
    print(f"together:             {r['push_pull_s']:.2f} s (target <= 3 s) "
          f"{mark(r['push_pull_s'] <= TARGETS['push_pull_s'])}")
    print(f"no-change sync:       1 request, {r['no_change_bytes']} bytes both ways "
          f"(target <= 2048) {mark(r['no_change_bytes'] <= TARGETS['no_change_bytes'])}")
    few = r["few"]
    print(f"no-change syncs/s:    {few['per_s']:.0f} (target >= 300) "
          f"{mark(few['per_s'] >= TARGETS['syncs_per_s'])}  "
          f"[{few['requests']} requests, {few['clients']} clients in a second process]")
    print(f"latency:              p50 {few['p50_ms']:.1f} ms, p99 {few['p99_ms']:.1f} ms "
          f"(target p99 <= 50 ms) {mark(few['p99_ms'] <= TARGETS['p99_ms'])}")
    for mode in ("no_change", "pushing"):
        one, many, paced = r[mode]["one"], r[mode]["many"], r[mode]["paced"]
        ratio = many["per_s"] / one["per_s"]
        label = mode.replace("_", "-")
        print(f"{label} syncs, 1 client:      {one['per_s']:6.0f}/s  p50 {one['p50_ms']:6.1f} ms"
              f"  p99 {one['p99_ms']:7.1f} ms  hub CPU {one['cpu_ms']:.2f} ms/sync")
        print(f"{label} syncs, {many['clients']} clients:  {many['per_s']:6.0f}/s  "
              f"p50 {many['p50_ms']:6.1f} ms  p99 {many['p99_ms']:7.1f} ms  as fast as they can; "
              f"{ratio:.0%} of 1 client (target >= 80%) {mark(ratio >= TARGETS['ratio'])}  "
              f"hub CPU {many['cpu_ms']:.2f} ms/sync")
        print(f"{label} syncs, {paced['clients']} clients:  {paced['per_s']:6.0f}/s  "
              f"p50 {paced['p50_ms']:6.1f} ms  p99 {paced['p99_ms']:7.1f} ms  paced at "
              f"{paced['rate']:.0f}/s (80% of 1 client; target p99 <= 250 ms) "
              f"{mark(paced['p99_ms'] <= TARGETS['loaded_p99_ms'])}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=1, help="hub worker processes")
    parser.add_argument("--seconds", type=float, default=4.0, help="length of each load test")
    parser.add_argument("--clients", type=int, default=4,
                        help="concurrent syncing clients for the syncs/s figure")
    parser.add_argument("--many", type=int, default=200,
                        help="concurrent clients of the 1-client vs many-clients comparison")
    args = parser.parse_args()
    report("SQLite", run(None, args.workers, args.seconds, args.clients, args.many))
    base = os.environ.get("COMPANION_TEST_POSTGRES_URL")
    if base:
        import psycopg

        schema = f"bench_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {schema}")
        try:
            sep = "&" if "?" in base else "?"
            report("PostgreSQL", run(f"{base}{sep}options=-csearch_path%3D{schema}",
                                     args.workers, args.seconds, args.clients, args.many))
        finally:
            with psycopg.connect(base, autocommit=True) as conn:
                conn.execute(f"DROP SCHEMA {schema} CASCADE")
    return 0


if __name__ == "__main__":
    sys.exit(main())
