"""The trainer's group report on a group of the seeds' size, and splitting it (issue 10).

    python bench/bench_group_report.py [--runs N] [--learners N]

A group of 900 learners, 60 lessons (3 packs of 20, each with a 3-question quiz), 40,000
sessions (an opening and a closing record each), 5,000 comments (half of them replies), about
15 lessons started per learner with quiz attempts, spread over the last 60 days. The data is
written straight into the hub's tables (pushing it through the API would measure the push);
the report is then asked over loopback from ``companion hub serve`` running in a process of its
own, as an organisation runs it: p50 and p95 of ``--runs`` requests.
Then the group is split into 9 (one request, timed).

Runs on the embedded SQLite file, and on PostgreSQL too when COMPANION_TEST_POSTGRES_URL is set
(a schema of its own, dropped at the end).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert

from companion.hub import accounts, activity, auth
from companion.hub import tables as t
from companion.hub.settings import HubSettings
from companion.hub.storage import Storage

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"report_p95_ms": 300, "split_s": 2.0}
SHOP = timezone(timedelta(hours=1))
DAY = 86400.0


def populate(storage, learners: int, sessions: int, comments: int) -> int:
    """Write the group straight into the tables; returns the group id."""
    rng = random.Random(10)
    now = time.time()
    with storage.write() as conn:
        accounts.create_account(conn, "trainer", auth.Passwords(storage.settings).hash("bench pw"),
                                is_trainer=True)
        group = accounts.create_group(conn, "Seeds", "trainer")
        lessons = []
        for p in range(3):
            manifest = {"format": "companion-pack", "format_version": 1,
                        "pack": {"id": f"pack{p}", "title": f"Pack {p}", "version": "1",
                                 "language": "nl"},
                        "lessons": [{"id": f"l{i}", "title": f"Les {i}", "duration_s": 180.0,
                                     "quiz": [{"question": f"v{q}", "choices": ["a", "b"],
                                               "answer": q % 2} for q in range(3)]}
                                    for i in range(20)],
                        "files": []}
            text = json.dumps(manifest)
            row = conn.execute(insert(t.packs).values(
                pack_id=f"pack{p}", version="1", title=f"Pack {p}", language="nl",
                manifest=text, manifest_sha256=uuid.uuid4().hex + uuid.uuid4().hex[:32],
                signature=None, size=0, file_count=0, published_by=None, published_at=now))
            conn.execute(insert(t.group_packs).values(
                group_id=group.id, pack_row=row.inserted_primary_key[0], offered_at=now))
            lessons += [f"pack{p}/l{i}" for i in range(20)]
        ids = []
        for i in range(learners):
            result = conn.execute(insert(t.accounts).values(
                username=f"learner{i:04d}", password_hash="x", is_trainer=False,
                membership_version=1, created_at=now, disabled=False))
            ids.append(int(result.inserted_primary_key[0]))
        conn.execute(insert(t.profile_state), [
            {"account_id": a, "name": f"Winkel {a}", "motto": "" if a % 3 else "Welkom!",
             "photo_sha256": None, "last_seq": 0} for a in ids])
        conn.execute(insert(t.memberships), [
            {"group_id": group.id, "account_id": a, "role": "learner", "joined_at": now - 70 * DAY}
            for a in ids])
        seq = 0
        change_rows, session_rows, progress_rows, comment_rows = [], [], [], []

        def add_change(account: int, kind: str, entity: str, payload: dict, at: float,
                       group_id: int | None = None) -> int:
            nonlocal seq
            seq += 1
            change_rows.append({
                "server_seq": seq, "change_id": uuid.uuid4().hex, "account_id": account,
                "device_id": "bench", "device_seq": seq, "kind": kind, "entity_id": entity,
                "op": "append" if kind in ("session", "quiz_attempt") else "upsert",
                "payload": json.dumps(payload, sort_keys=True, separators=(",", ":")),
                "created_at": "", "group_id": group_id, "received_at": at})
            return seq

        for a in ids:
            for lesson in rng.sample(lessons, 15):
                done = rng.random() < 0.6
                at = now - rng.uniform(0, 60) * DAY
                payload = {"position_s": rng.uniform(0, 180), "watched_s": rng.uniform(0, 180),
                           "done": done}
                add_change(a, "progress", lesson, {**payload, "done": False}, at - DAY)
                last = add_change(a, "progress", lesson, payload, at)
                progress_rows.append({"account_id": a, "lesson_id": lesson, **payload,
                                      "quiz_best": None, "quiz_total": None, "last_seq": last})
            for k in range(5):
                lesson = rng.choice(lessons)
                answers = [rng.randint(0, 1) for _ in range(3)]
                add_change(a, "quiz_attempt", f"qa{a}-{k}",
                           {"lesson_id": lesson, "answers": answers,
                            "score": sum(x == q % 2 for q, x in enumerate(answers)),
                            "total": 3}, now - rng.uniform(0, 60) * DAY)
        for n in range(sessions):
            a = rng.choice(ids)
            start = datetime.now(SHOP) - timedelta(days=rng.uniform(0, 60))
            start = start.replace(hour=rng.choice([9, 10, 11, 12, 14, 15, 16, 20]))
            sid = f"s{n}"
            at = start.timestamp()
            for event, extra in (("app_opened", {}), ("app_closed", {"duration_s": 600.0})):
                payload = {"event": event, "started_at": start.isoformat(timespec="seconds"),
                           "hour": start.hour, "weekday": start.isoweekday(), **extra}
                s = add_change(a, "session", sid, payload, at)
                session_rows.append({"server_seq": s, "account_id": a, "session_id": sid,
                                     "event": event, "local_hour": start.hour,
                                     "duration_s": extra.get("duration_s", 0.0),
                                     "started_at": payload["started_at"]})
        for n in range(comments):
            a = rng.choice(ids)
            reply_to = f"c{rng.randrange(n)}" if n and n % 2 else None
            written = now - rng.uniform(0, 60) * DAY
            s = add_change(a, "comment", f"c{n}", {"group_id": group.id, "lesson_id": "x",
                                                   "body": "tekst"}, written, group.id)
            comment_rows.append({"comment_id": f"c{n}", "group_id": group.id, "author_id": a,
                                 "lesson_id": rng.choice(lessons), "reply_to": reply_to,
                                 "body": "tekst", "deleted": False, "deleted_by": None,
                                 "edited": False, "created_seq": s, "last_seq": s,
                                 "created_at": written})
        for table, rows in ((t.changes, change_rows), (t.sessions, session_rows),
                            (t.progress_state, progress_rows), (t.comment_state, comment_rows)):
            for i in range(0, len(rows), 5000):
                conn.execute(insert(table), rows[i:i + 5000])
        from companion.hub.storage import advance_sequence
        advance_sequence(conn, seq)
        activity.backfill(conn)  # the report's summaries, as a hub upgraded with this data
    if storage.dialect == "postgresql":
        # What autovacuum does soon after a bulk write on a running hub: statistics for the
        # planner, and the visibility map that lets index-only scans skip the table.
        with storage.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    return group.id


@contextmanager
def served_hub(settings: HubSettings) -> Iterator[str]:
    """The hub as an organisation runs it: ``companion hub serve`` in a process of its own (so
    this client does not share its interpreter), on the data written by :func:`populate`."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "companion", "hub", "serve", "--data",
               str(settings.data_dir), "--port", str(port)]
    if settings.database_url:
        command += ["--database-url", settings.database_url]
    log = open(settings.data_dir.parent / f"{settings.data_dir.name}.log", "w+b")  # noqa: SIM115
    process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{url}/v1/hub", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                raise RuntimeError("the hub did not start:\n" + log.read().decode(errors="replace"))
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


@contextmanager
def seeded_hub(settings: HubSettings, learners: int, sessions: int,
               comments: int) -> Iterator[tuple[str, int]]:
    """A group written by :func:`populate`, then the hub serving it: (its URL, the group id)."""
    storage = Storage(settings)
    try:
        group_id = populate(storage, learners, sessions, comments)
    finally:
        storage.close()
    with served_hub(settings) as url:
        yield url, group_id


def trainer_home(url: str, home: Path, language: str = "nl") -> tuple[Any, int]:
    """A new home whose one person is logged in to the hub at ``url`` as the seeded group's
    trainer: (its Services, the person's id)."""
    from companion.services import build_services
    from companion.sync.client import HubClient

    services = build_services(home)
    person = services.profiles.create("Tina", language=language)
    with HubClient(url) as client:
        info = client.login("trainer", "bench pw", uuid.uuid4().hex)
    services.credentials.save(person.id, hub_url=url, username="trainer",
                              account_id=info.account_id, token=info.token, allow_file=True)
    return services, person.id


def run(label: str, settings: HubSettings, args: argparse.Namespace) -> None:
    began = time.perf_counter()
    storage = Storage(settings)
    try:
        group_id = populate(storage, args.learners, args.sessions, args.comments)
    finally:
        storage.close()
    print(f"[{label}] data written in {time.perf_counter() - began:.1f} s", flush=True)
    with served_hub(settings) as url:
        r = httpx.post(f"{url}/v1/auth/login", json={"username": "trainer",
                                                     "password": "bench pw",
                                                     "device_id": "bench"})
        r.raise_for_status()
        headers = {"Authorization": f"Bearer {r.json()['token']}"}
        times = []
        with httpx.Client(base_url=url, headers=headers, timeout=60) as c:
            for _ in range(args.runs + 1):
                began = time.perf_counter()
                r = c.get(f"/v1/groups/{group_id}/report", params={"days": 30})
                r.raise_for_status()
                times.append((time.perf_counter() - began) * 1000)
            data = r.json()
            times = sorted(times[1:])  # the first one warms the manifest cache
            p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
            print(f"[{label}] report of {len(data['learners'])} learners, "
                  f"{len(data['lessons'])} lessons, {len(r.content) / 1e3:.0f} KB: "
                  f"p50 {statistics.median(times):.0f} ms, p95 {p95:.0f} ms "
                  f"(target <= {TARGETS['report_p95_ms']} ms)", flush=True)
            bench_ladder_history(c, storage, group_id, args.runs, label)  # before the split
            began = time.perf_counter()
            r = c.post(f"/v1/groups/{group_id}/split", json={"into": 9})
            r.raise_for_status()
            took = time.perf_counter() - began
            sizes = [g["learners"] for g in r.json()["groups"]]
            print(f"[{label}] split {sum(sizes)} into {len(sizes)} groups of {min(sizes)} to "
                  f"{max(sizes)}: {took:.2f} s (target <= {TARGETS['split_s']} s)", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--learners", type=int, default=900)
    parser.add_argument("--sessions", type=int, default=40_000)
    parser.add_argument("--comments", type=int, default=5_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = HubSettings(data_dir=Path(tmp) / "sqlite", argon2_time_cost=1,
                               argon2_memory_kib=1024, argon2_parallelism=1)
        run("sqlite", settings, args)
        base = os.environ.get("COMPANION_TEST_POSTGRES_URL")
        if base:
            import psycopg

            schema = f"bench_{uuid.uuid4().hex[:12]}"
            with psycopg.connect(base, autocommit=True) as conn:
                conn.execute(f"CREATE SCHEMA {schema}")
            try:
                sep = "&" if "?" in base else "?"
                settings = HubSettings(
                    data_dir=Path(tmp) / "pg", argon2_time_cost=1, argon2_memory_kib=1024,
                    argon2_parallelism=1,
                    database_url=f"{base}{sep}options=-csearch_path%3D{schema}")
                run("postgresql", settings, args)
            finally:
                with psycopg.connect(base, autocommit=True) as conn:
                    conn.execute(f"DROP SCHEMA {schema} CASCADE")
        else:
            print("[postgresql] skipped: set COMPANION_TEST_POSTGRES_URL", flush=True)
    return 0


def bench_ladder_history(c: httpx.Client, storage, group_id: int, runs: int, label: str) -> None:
    """The ladder over 12 weeks (``GET /v1/groups/{id}/ladder``): p50/p95 of ``runs``
    requests, on the data as written (no session has a lesson played), then with every
    session marked as played (the most rows that query can bring)."""
    from sqlalchemy import update

    for case in ("as written", "every session played"):
        if case == "every session played":
            with storage.write() as conn:
                conn.execute(update(t.session_summary).values(played=True))
                if storage.dialect == "postgresql":  # as autovacuum would, after 40,000 rows
                    conn.exec_driver_sql("ANALYZE session_summary")
        times = []
        for _ in range(runs + 1):
            began = time.perf_counter()
            r = c.get(f"/v1/groups/{group_id}/ladder", params={"weeks": 12})
            r.raise_for_status()
            times.append((time.perf_counter() - began) * 1000)
        times = sorted(times[1:])
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        last = r.json()["weeks"][-1]["highest"]
        print(f"[{label}] ladder over 12 weeks ({case}; last week {last}): "
              f"p50 {statistics.median(times):.0f} ms, p95 {p95:.0f} ms "
              f"(target <= {TARGETS['report_p95_ms']} ms)", flush=True)

if __name__ == "__main__":
    raise SystemExit(main())
