"""What GET /metrics costs the hub: the no-change sync rate with and without it.

    python bench/bench_metrics.py [--seconds S] [--clients N] [--rounds R]

Two hub processes on one SQLite data folder, one started with ``--no-metrics``; the same load
(bench/hub_load.py, N clients in a closed loop, no-change syncs) runs against each in turn, R
times, alternating so that the neighbours' load on a shared machine falls on both. Reported: the
best rate of each and the hub's CPU time per sync (steadier than the rate on shared cores).
Target: metrics cost at most 5% of the rate. Every request goes to 127.0.0.1.

On shared cores the two rates wander by more than 5% between runs, so it also times the
middleware alone (in-process, a sync request against an app that answers at once) and prints
its cost per request as a share of the hub's CPU time per no-change sync.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_hub import HUB_PIDS, PASSWORD, cli, devices, free_port, load

TARGET = 0.95


def middleware_us(n: int = 50_000) -> float:
    """Microseconds the metrics middleware adds to one request (sync route, 200)."""
    import asyncio
    from types import SimpleNamespace

    from companion.hub.observe import HubMetrics, ObserveMiddleware

    async def app(scope: dict, receive: object, send) -> None:  # answers at once
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})

    async def send(_message: dict) -> None:
        return None

    route = SimpleNamespace(path="/v1/sync")
    scope = {"type": "http", "method": "POST", "path": "/v1/sync", "route": route,
             "headers": [(b"content-type", b"application/json"), (b"host", b"hub")]}
    wrapped = ObserveMiddleware(app, HubMetrics())

    async def run(target) -> float:
        t0 = time.perf_counter()
        for _ in range(n):
            await target(dict(scope), None, send)
        return time.perf_counter() - t0

    async def best(target) -> float:
        return min([await run(target) for _ in range(3)])

    bare, observed = asyncio.run(best(app)), asyncio.run(best(wrapped))
    return (observed - bare) / n * 1e6


def start(data: Path, extra: list[str]) -> tuple[subprocess.Popen, str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([sys.executable, "-m", "companion", "hub", "serve", "--port",
                             str(port), "--data", str(data), "--threads", "2", *extra],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(300):
        try:
            if httpx.get(f"{url}/v1/health").status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.1)
    HUB_PIDS[url] = proc.pid
    return proc, url


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="hub-bench-metrics-"))
    common = ["--data", str(data)]
    cli(["hub", "add-trainer", "trainer", "--password-stdin", *common], PASSWORD + "\n")
    cli(["hub", "create-group", "Bench", "--trainer", "trainer", *common])
    devs = devices(data, None, args.clients)
    hubs = {"with /metrics": start(data, []), "without": start(data, ["--no-metrics"])}
    try:
        assert httpx.get(f"{hubs['with /metrics'][1]}/metrics").status_code == 200
        best: dict[str, dict] = {}
        for i in range(args.rounds):
            order = list(hubs.items())
            for name, (_proc, url) in (order if i % 2 == 0 else order[::-1]):
                r = load(url, devs, args.clients, args.seconds)
                if name not in best or r["per_s"] > best[name]["per_s"]:
                    best[name] = r
    finally:
        for proc, url in hubs.values():
            HUB_PIDS.pop(url, None)
            proc.terminate()
            proc.wait(20)
    print(f"no-change syncs, {args.clients} clients as fast as they can, SQLite, best of "
          f"{args.rounds} x {args.seconds:.0f} s:")
    for name, r in best.items():
        print(f"  {name:<14} {r['per_s']:7.0f}/s  p99 {r['p99_ms']:6.1f} ms  "
              f"hub CPU {r['cpu_ms']:.2f} ms/sync")
    ratio = best["with /metrics"]["per_s"] / best["without"]["per_s"]
    cpu = best["with /metrics"]["cpu_ms"] / max(1e-9, best["without"]["cpu_ms"])
    ok = ratio >= TARGET
    print(f"  rate with metrics: {ratio:.1%} of without (target >= {TARGET:.0%}) "
          f"{'OK' if ok else 'MISSED'}; CPU per sync {cpu:.1%} (both wander with the "
          f"machine's other load)")
    cost = middleware_us()
    per_sync = best["without"]["cpu_ms"] * 1000
    print(f"  the metrics middleware alone: {cost:.1f} us per request, {cost / per_sync:.1%} "
          f"of the hub's {per_sync:.0f} us of CPU per no-change sync")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
