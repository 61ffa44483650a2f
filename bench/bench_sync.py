"""Client sync benchmark over loopback: the real engine pushing from and pulling into libraries.

    python bench/bench_sync.py [--push N] [--pull N]

A hub (embedded SQLite, in a thread) on 127.0.0.1; one learner with two PCs. PC one writes
``--push`` notes to its library (change log included) and runs one round: the push time. PC two
then runs one round that pulls and applies them, plus ``--pull - --push`` more pushed straight
to the hub beforehand: the pull time. Then a round with nothing new: its requests and bytes.
Targets (issue 4): push 5,000 and pull 20,000 within 3 s; a no-change round is one request of
at most 2 KB. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import httpx
import keyring

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from companion.core.changelog import record_change
from companion.core.db import device_id, write_transaction
from companion.services import build_services
from companion.sync.client import HubClient
from companion.sync.rounds import sync_round
from tests.sync.conftest import MemoryKeyring as _MemoryKeyring  # the tests' in-memory keyring

PASSWORD = "bench password"


def start_hub(data: Path) -> tuple[str, object]:
    import uvicorn

    from companion.hub import accounts, auth
    from companion.hub.app import create_app
    from companion.hub.settings import HubSettings

    settings = HubSettings(data_dir=data, argon2_time_cost=1, argon2_memory_kib=1024,
                           argon2_parallelism=1)
    app = create_app(settings)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.01)
    storage = app.state.hub.storage
    with storage.write() as conn:
        accounts.create_account(conn, "tina", auth.Passwords(settings).hash(PASSWORD),
                                is_trainer=True)
        invite = accounts.create_group(conn, "Bench", "tina").invite_code
    port = server.servers[0].sockets[0].getsockname()[1]
    server.invite = invite  # type: ignore[attr-defined]
    return f"http://127.0.0.1:{port}", server


def pc(home: Path, url: str, invite: str | None):  # -> (services, profile id, account id)
    svc = build_services(home=home)
    pid = svc.profiles.ensure("Anna").id
    with HubClient(url) as client:
        dev = device_id(svc.db)
        info = (client.join(invite, "anna", PASSWORD, dev) if invite
                else client.login("anna", PASSWORD, dev))
    svc.credentials.save(
        pid, hub_url=url, username="anna", account_id=info.account_id, token=info.token)
    return svc, pid, info.account_id, info.token


def write_notes(svc, pid: int, n: int) -> None:
    with write_transaction(svc.db):
        for i in range(n):
            note_id = uuid.uuid4().hex
            record_change(svc.db, pid, "note", note_id, "upsert",
                          {"lesson_id": f"pack/les-{i % 40:04d}", "body": f"note {i} [1:23]"})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--push", type=int, default=5000)
    parser.add_argument("--pull", type=int, default=20000)
    args = parser.parse_args()
    keyring.set_keyring(_MemoryKeyring())
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        url, server = start_hub(root / "hub")
        one, pid1, acc, _ = pc(root / "one", url, server.invite)  # type: ignore[attr-defined]
        two, pid2, _, _ = pc(root / "two", url, None)
        write_notes(one, pid1, args.push)
        with HubClient(url, one.credentials.token(pid1)) as c:
            t0 = time.perf_counter()
            pushed = sync_round(one.db, pid1, c, acc, batch_size=1000)
            push_s = time.perf_counter() - t0
        extra = max(0, args.pull - args.push)
        # Extra changes from a third device, straight to the hub, so PC two has more to pull.
        _, _, _, token3 = pc(root / "three", url, None)
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token3}"},
                          timeout=60) as http:
            for start in range(0, extra, 1000):
                batch = [{"change_id": uuid.uuid4().hex, "device_id": "x", "device_seq": i,
                          "kind": "note", "entity_id": uuid.uuid4().hex, "op": "upsert",
                          "payload": {"lesson_id": "pack/les-0001", "body": f"extra {i}"},
                          "created_at": ""} for i in range(start, min(extra, start + 1000))]
                assert http.post("/v1/sync", json={"cursor": None, "changes": batch,
                                                   "limit": 1}).status_code == 200
        with HubClient(url, two.credentials.token(pid2)) as c:
            t0 = time.perf_counter()
            pulled = sync_round(two.db, pid2, c, acc, page_limit=5000)
            pull_s = time.perf_counter() - t0
            sizes: list[int] = []
            c._http.event_hooks["response"].append(
                lambda r: sizes.append(len(r.request.content) + len(r.read())
                                       + sum(len(k) + len(v) + 4 for k, v in
                                             [*r.headers.items(), *r.request.headers.items()])))
            idle = sync_round(two.db, pid2, c, acc)
        server.should_exit = True  # type: ignore[attr-defined]
        one.close()
        two.close()
    total = push_s + pull_s
    print(f"push {pushed.pushed} changes: {push_s:.2f} s ({pushed.requests} requests)")
    print(f"pull {pulled.pulled} changes (applied): {pull_s:.2f} s ({pulled.requests} requests)")
    print(f"push + pull: {total:.2f} s (target <= 3 s) {'OK' if total <= 3 else 'SLOW'}")
    print(f"no-change round: {idle.requests} request(s), ~{sum(sizes)} bytes on the wire "
          f"(target 1 request, <= 2048 bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
