"""The hub benchmark's load generator: N syncing clients in one asyncio process.

    python bench/hub_load.py < job.json    (prints one JSON line of figures)

The machine that runs the hub also runs this, so the generator must cost little: each client is
one keep-alive connection speaking plain HTTP/1.1 over asyncio streams (no HTTP library: httpx
spends more CPU per request than the hub's own sync). Each client is its own device with its own
token, and follows the cursor the hub hands back, as a real PC does.

``rate`` unset: a closed loop, every client sends its next sync as soon as the last one is answered
(the hub's saturation rate). ``rate`` set: an open loop, the clients together send ``rate`` syncs
per second on a fixed schedule, and a latency counts from the scheduled moment, so a hub that
falls behind is charged for the queue it builds (no coordinated omission).

Given the hub's process id, it also reports the hub's CPU time per sync: on a machine whose cores
are shared the rates wander with the neighbours' load, the CPU cost much less.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
import uuid
from typing import Any


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux), 0 elsewhere."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Client:
    """One device: a keep-alive connection, its token, its cursor, its device sequence."""

    def __init__(self, host: str, port: int, token: str, device_id: str, index: int) -> None:
        self.host, self.port, self.token = host, port, token
        self.device_id, self.index = device_id, index
        self.cursor: str | None = None
        self.device_seq = 0
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def connect(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    def body(self, push: bool) -> bytes:
        changes: list[dict[str, Any]] = []
        if push:
            self.device_seq += 1
            n = self.device_seq
            changes.append({
                "change_id": uuid.uuid4().hex, "device_id": self.device_id, "device_seq": n,
                "kind": "note", "entity_id": f"note-{self.index}-{n % 20}", "op": "upsert",
                "payload": {"lesson_id": f"lesson-{n % 40}", "body": f"note {n} [1:23]"},
                "created_at": "2024-05-06T12:05:00+02:00"})
        return json.dumps({"cursor": self.cursor, "changes": changes}).encode()

    async def sync(self, push: bool) -> None:
        assert self.reader is not None and self.writer is not None
        body = self.body(push)
        self.writer.write(
            f"POST /v1/sync HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            f"Authorization: Bearer {self.token}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = head[9:12]
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        data = await self.reader.readexactly(length)
        if status != b"200":
            raise RuntimeError(f"sync answered {status.decode()}: {data[:300]!r}")
        answer = json.loads(data)
        if push and len(answer["accepted"]) != 1:
            raise RuntimeError(f"push not accepted: {data[:300]!r}")
        self.cursor = answer["cursor"]

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            await self.writer.wait_closed()


async def run(job: dict[str, Any]) -> dict[str, Any]:
    host, _, port = job["url"].removeprefix("http://").partition(":")
    clients = [Client(host, int(port), token, device, i)
               for i, (token, device) in enumerate(job["devices"][:job["clients"]])]
    for c in clients:
        await c.connect()
        await c.sync(False)  # catch up once: the timed syncs are no-change (or one push) syncs
    push, seconds, rate = job["push"], job["seconds"], job.get("rate")
    latencies: list[float] = []
    errors: list[str] = []
    hub_pid = job.get("hub_pid", 0)
    cpu0 = cpu_seconds(hub_pid)
    started = time.perf_counter()
    deadline = started + seconds

    async def closed(c: Client) -> None:
        while time.perf_counter() < deadline:
            t0 = time.perf_counter()
            await c.sync(push)
            latencies.append(time.perf_counter() - t0)

    async def paced(c: Client, period: float) -> None:
        due = started + period * c.index / len(clients)
        while due < deadline:
            wait = due - time.perf_counter()
            if wait > 0:
                await asyncio.sleep(wait)
            await c.sync(push)
            latencies.append(time.perf_counter() - due)
            due += period

    async def guarded(c: Client) -> None:
        try:
            if rate:
                await paced(c, len(clients) / rate)
            else:
                await closed(c)
        except (OSError, RuntimeError, asyncio.IncompleteReadError) as exc:
            errors.append(f"{type(exc).__name__}: {exc}")

    await asyncio.gather(*(guarded(c) for c in clients))
    elapsed = time.perf_counter() - started
    cpu = cpu_seconds(hub_pid) - cpu0
    for c in clients:
        await c.close()
    latencies.sort()
    n = len(latencies)
    return {"clients": len(clients), "push": push, "rate": rate, "requests": n,
            "per_s": n / elapsed, "cpu_ms": cpu * 1000 / max(1, n), "errors": len(errors),
            "first_error": errors[:1],
            "p50_ms": latencies[n // 2] * 1000 if n else float("nan"),
            "p99_ms": latencies[max(0, int(n * 0.99) - 1)] * 1000 if n else float("nan")}


def main() -> int:
    job = json.load(sys.stdin)
    print(json.dumps(asyncio.run(run(job))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
