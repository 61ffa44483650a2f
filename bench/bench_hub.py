"""Hub benchmark over loopback: push/pull volume, bytes of a no-change sync, syncs per second.

    python bench/bench_hub.py [--workers N] [--seconds S]

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
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stdout
from pathlib import Path

import httpx

PASSWORD = "bench password"
TARGETS = {"push_pull_s": 3.0, "no_change_bytes": 2048, "syncs_per_s": 300, "p99_ms": 50}


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


def load(url: str, token: str, cursor: str, seconds: float, threads: int,
         max_requests: int) -> dict:
    """The load generator (runs in its own process): no-change syncs from several threads."""
    latencies: list[float] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    body = json.dumps({"cursor": cursor, "changes": []}).encode()

    def worker() -> None:
        mine = []
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}",
                                                 "Content-Type": "application/json"}) as c:
            while time.monotonic() < deadline and len(mine) < max_requests // threads:
                t0 = time.perf_counter()
                r = c.post("/v1/sync", content=body)
                mine.append(time.perf_counter() - t0)
                assert r.status_code == 200
        with lock:
            latencies.extend(mine)

    started = time.monotonic()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    elapsed = time.monotonic() - started
    latencies.sort()
    return {"requests": len(latencies), "per_s": len(latencies) / elapsed,
            "p50_ms": statistics.median(latencies) * 1000,
            "p99_ms": latencies[int(len(latencies) * 0.99) - 1] * 1000}


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
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{url}/v1/health").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        yield url, port, invite
    finally:
        hub.terminate()
        hub.wait(20)


def run(database_url: str | None, workers: int, seconds: float, clients: int) -> dict:
    data = Path(tempfile.mkdtemp(prefix="hub-bench-"))
    with running_hub(data, database_url, workers) as (url, _port, invite):
        token_a = account(url, "alice", invite)
        token_b = account(url, "alice")
        token_c = account(url, "alice")
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
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token_c}"}) as c:
            _, cursor_c = pull_all(c)
        out = subprocess.run(
            [sys.executable, __file__, "--load", url, token_c, cursor_c, str(seconds),
             str(clients)],
            capture_output=True, text=True, check=True, timeout=seconds + 60)
        loaded = json.loads(out.stdout)
        results.update(syncs_per_s=loaded["per_s"], p50_ms=loaded["p50_ms"],
                       p99_ms=loaded["p99_ms"], load_requests=loaded["requests"],
                       clients=clients)
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
    print(f"no-change syncs/s:    {r['syncs_per_s']:.0f} (target >= 300) "
          f"{mark(r['syncs_per_s'] >= TARGETS['syncs_per_s'])}  "
          f"[{r['load_requests']} requests, {r['clients']} clients in a second process]")
    print(f"latency:              p50 {r['p50_ms']:.1f} ms, p99 {r['p99_ms']:.1f} ms "
          f"(target p99 <= 50 ms) {mark(r['p99_ms'] <= TARGETS['p99_ms'])}")


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--load":
        url, token, cursor, seconds, clients = sys.argv[2:7]
        print(json.dumps(load(url, token, cursor, float(seconds), threads=int(clients),
                              max_requests=20_000)))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=1, help="hub worker processes")
    parser.add_argument("--seconds", type=float, default=5.0, help="length of the load test")
    parser.add_argument("--clients", type=int, default=4,
                        help="concurrent syncing clients in the load process")
    args = parser.parse_args()
    report("SQLite", run(None, args.workers, args.seconds, args.clients))
    base = os.environ.get("COMPANION_TEST_POSTGRES_URL")
    if base:
        import psycopg

        schema = f"bench_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {schema}")
        try:
            sep = "&" if "?" in base else "?"
            report("PostgreSQL", run(f"{base}{sep}options=-csearch_path%3D{schema}",
                                     args.workers, args.seconds, args.clients))
        finally:
            with psycopg.connect(base, autocommit=True) as conn:
                conn.execute(f"DROP SCHEMA {schema} CASCADE")
    return 0


if __name__ == "__main__":
    sys.exit(main())
