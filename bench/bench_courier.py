"""Courier benchmark over loopback: delivering a stick full of bundles, and a shop's exchange.

    python bench/bench_courier.py [--bundles N] [--changes N] [--incoming N]

A hub (embedded SQLite, in a thread) on 127.0.0.1. Delivery: ``--bundles`` devices (one account
each, keys registered) have a sealed bundle of ``--changes`` notes on a stick; the time is one
``deliver_by_address()`` of the whole stick, as a PC without a login does it (each bundle
names its hub; the hub's key checked; the hub counts each bundle against the address's limit,
checks, pushes; answers written onto the stick). Exchange:
a shop PC whose answer carries ``--incoming`` notes from the person's other device; the time is
one ``exchange()`` (check and open the answer, apply it, write the next bundle).
Targets (issue 14): 30 bundles of 1,000 changes delivered within 5 s; an exchange with 5,000
incoming changes within 3 s. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
import keyring

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_sync import PASSWORD, pc, start_hub  # the same hub and PC set-up

from companion.core import courier_format as cf
from companion.sync import courier_keys
from companion.sync.client import HubClient
from companion.sync.courier import bundle_path, courier_dir, exchange
from companion.sync.courier_delivery import deliver, deliver_by_address
from tests.sync.conftest import MemoryKeyring


def notes(n: int, tag: str) -> list[dict]:
    return [{"change_id": uuid.uuid4().hex, "device_id": "x", "device_seq": i, "kind": "note",
             "entity_id": uuid.uuid4().hex, "op": "upsert",
             "payload": {"lesson_id": f"pack/les-{i % 40:04d}", "body": f"{tag} note {i}"},
             "created_at": ""} for i in range(n)]


def stick_of_bundles(url: str, invite: str, stick: Path, bundles: int, changes: int) -> None:
    folder = courier_dir(stick)
    with httpx.Client(base_url=url, timeout=60) as http:
        hub_box = http.get("/v1/hub").json()["courier"]["box_key"]
        for b in range(bundles):
            device = uuid.uuid4().hex
            r = http.post("/v1/accounts", json={
                "invite_code": invite, "username": f"shop{b}-{device[:8]}",
                "password": PASSWORD, "device_id": device})
            token = r.json()["token"]
            keys = cf.KeyPair.generate()
            http.post("/v1/devices/keys", json={"sign_key": keys.sign_public,
                                                "box_key": keys.box_public},
                      headers={"Authorization": f"Bearer {token}"}).raise_for_status()
            sealed = cf.seal({"changes": notes(changes, f"shop {b}"), "cursor": None,
                              "wish": {}}, kind=cf.KIND_BUNDLE, signer=keys.sign,
                             recipient_box=hub_box,
                             header={"seq": 1, "device_id": device, "profile": "p",
                                     "hub": url})
            path = bundle_path(folder, device, "p")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(sealed)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bundles", type=int, default=30)
    parser.add_argument("--changes", type=int, default=1000)
    parser.add_argument("--incoming", type=int, default=5000)
    args = parser.parse_args()
    keyring.set_keyring(MemoryKeyring())
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        url, server = start_hub(root / "hub")
        invite = server.invite  # type: ignore[attr-defined]
        stick = root / "stick"
        stick_of_bundles(url, invite, stick, args.bundles, args.changes)
        size = sum(p.stat().st_size for p in stick.rglob("*.bundle"))
        t0 = time.perf_counter()
        results = deliver_by_address(stick)
        deliver_s = time.perf_counter() - t0
        ok = sum(r.outcome == "ok" for r in results)
        # The exchange: a shop PC, and the person's other device pushing --incoming notes.
        shop, pid, _account, token = pc(root / "shop", url, invite)
        with HubClient(url, token) as c:
            courier_keys.ensure_registered(shop.credentials, pid, c)
        _, _, _, token2 = pc(root / "other", url, None)
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token2}"},
                          timeout=60) as http:
            batch = notes(args.incoming, "other")
            for start in range(0, len(batch), 1000):
                assert http.post("/v1/sync", json={"cursor": None, "limit": 1,
                                                   "changes": batch[start:start + 1000]}
                                 ).status_code == 200
        shop_stick = root / "shop-stick"
        exchange(shop.credentials, shop.packs, pid, shop_stick)
        with HubClient(url) as client:
            deliver(shop_stick, client)
        t0 = time.perf_counter()
        swapped = exchange(shop.credentials, shop.packs, pid, shop_stick)
        exchange_s = time.perf_counter() - t0
        server.should_exit = True  # type: ignore[attr-defined]
        shop.close()
    print(f"deliver {ok}/{len(results)} bundles of {args.changes} changes "
          f"({size / 1e6:.1f} MB on the stick): {deliver_s:.2f} s (target <= 5 s) "
          f"{'OK' if deliver_s <= 5 else 'SLOW'}")
    print(f"exchange with {swapped.received} incoming changes: {exchange_s:.2f} s "
          f"(target <= 3 s) {'OK' if exchange_s <= 3 else 'SLOW'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
