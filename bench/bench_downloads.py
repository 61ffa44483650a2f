"""Pack downloads over loopback: the Downloader against curl fetching the same file.

    python bench/bench_downloads.py [--size-mb 200] [--runs 3] [--line-mbit 100]

Target (issue 4): downloads reach at least 80% of the throughput of curl. A hub runs in its own
process (as in production; it must not share the client's interpreter); a trainer publishes a
pack with one large video through ``publish_pack`` (its time is printed too), then a learner's
Downloader installs it into a fresh library, and curl fetches the same media URL with the same
token. The Downloader also hashes every byte, fsyncs the file and installs the pack; curl only
writes the bytes. Then both again through a proxy that paces the hub's answers to a line of
``--line-mbit`` (a good shop or office line; 0 skips it), the case that matters in the field.
Prints figures, asserts nothing, exits 0.
"""

from __future__ import annotations

import argparse
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

from bench_hub import account as token
from bench_hub import running_hub
from bench_import import write_fake_video

from companion.core.packs.build import build_pack
from companion.core.packs.keys import (
    generate_keypair,
    load_public_key,
    load_signing_key,
)
from companion.services import build_services
from companion.sync.downloads import Downloader
from companion.sync.publish import publish_pack
from tests.sync.faulty_proxy import FaultyProxy

TARGET = 0.80


def make_pack(work: Path, size_mb: int, pack_id: str = "bench-download") -> tuple[Path, Path]:
    src = work / "src"
    (src / "01-les").mkdir(parents=True)
    (src / "pack.toml").write_text(
        f'id = "{pack_id}"\ntitle = "Bench"\nversion = "1"\nlanguage = "nl"\n')
    write_fake_video(src / "01-les" / "video.mp4", size_mb * 1_000_000, 170.0)
    (src / "01-les" / "lesson.toml").write_text(
        'id = "les-1"\ntitle = "Les"\nvideo = "video.mp4"\n')
    keys = work / "keys"
    key_path, pub_path = keys / "bench.key", keys / "bench.pub"  # generate_keypair's names
    if not key_path.exists():
        key_path, pub_path = generate_keypair("bench", keys)
    pack = build_pack(src, work / "out", load_signing_key(key_path)).path
    shutil.rmtree(src)
    return pack, pub_path


def publish(url: str, trainer: str, learner: str, work: Path, size_mb: int,
            pack_id: str) -> tuple[int, Path, str, float, float]:
    """Publish a one-video pack; (group id, public key, the video's hash, MB, seconds)."""
    pack, pub = make_pack(work, size_mb, pack_id)
    with client(url, trainer) as c:
        started = time.perf_counter()
        published = publish_pack(c, pack, "Bench")
        publish_s = time.perf_counter() - started
    with client(url, learner) as c:
        m = c.get(f"/v1/groups/{published.group_id}/packs/{pack_id}/manifest")
        files = json.loads(m.json()["manifest"])["files"]
        sha = max(files, key=lambda f: f["size"])["sha256"]
    return published.group_id, pub, sha, published.bytes_sent / 1e6, publish_s


def client(url: str, bearer: str) -> httpx.Client:
    return httpx.Client(base_url=url, headers={"Authorization": f"Bearer {bearer}"},
                        timeout=120)


def time_downloader(work: Path, url: str, bearer: str, group_id: int, pub: Path,
                    n: int, pack_id: str = "bench-download") -> float:
    home = work / f"home-{n}"
    services = build_services(home)
    services.trust.trust(load_public_key(pub))
    with client(url, bearer) as c:
        started = time.perf_counter()
        result = Downloader(c, services.packs).download_pack(group_id, pack_id)
        elapsed = time.perf_counter() - started
    assert result.result.status == "installed"
    services.close()
    shutil.rmtree(home)
    return elapsed


def time_curl(work: Path, url: str, bearer: str, sha: str, fsync: bool = False) -> float:
    """curl writing the file; with ``fsync``, plus flushing it to disk as the store does."""
    out = work / "curl.out"
    started = time.perf_counter()
    subprocess.run(["curl", "-sS", "--fail", "-o", str(out), "-H",
                    f"Authorization: Bearer {bearer}", f"{url}/v1/media/{sha}"], check=True)
    if fsync:
        fd = os.open(out, os.O_RDONLY)
        os.fsync(fd)
        os.close(fd)
    elapsed = time.perf_counter() - started
    out.unlink()
    return elapsed


def over_a_line(work: Path, port: int, learner: str, group_id: int, pub: Path, sha: str,
                line_mbit: float, mb: float, runs: int) -> None:
    """A download through a paced proxy: both should fill the line."""
    line = FaultyProxy(port, seed=0, weights={"crawl": 1.0},
                       crawl_bytes_per_s=round(line_mbit * 1e6 / 8))
    try:
        ours = [time_downloader(work, line.url, learner, group_id, pub, 100 + n, "bench-line")
                for n in range(runs)]
        theirs = [time_curl(work, line.url, learner, sha) for _ in range(runs)]
    finally:
        line.close()
    ours_mbs, curl_mbs = mb / statistics.median(ours), mb / statistics.median(theirs)
    print(f"over a {line_mbit:g} Mbit/s line ({line_mbit / 8:.1f} MB/s): Downloader"
          f" {ours_mbs:.1f} MB/s, curl {curl_mbs:.1f} MB/s, ratio {ours_mbs / curl_mbs:.0%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--line-mbit", type=float, default=100.0,
                        help="also measure through a line of this speed (0: skip)")
    parser.add_argument("--line-size-mb", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-downloads-") as tmp:
        work = Path(tmp)
        with running_hub(work / "hub") as (url, port, invite):
            trainer, learner = token(url, "trainer"), token(url, "alice", invite)
            group_id, pub, sha, mb, publish_s = publish(url, trainer, learner, work,
                                                        args.size_mb, "bench-download")
            print(f"pack: {mb:.0f} MB in one file; publish (verify + upload): {publish_s:.2f} s,"
                  f" {mb / publish_s:.0f} MB/s")
            ours = [time_downloader(work, url, learner, group_id, pub, n)
                    for n in range(args.runs)]
            if shutil.which("curl") is None:
                print(f"Downloader: {mb / statistics.median(ours):.0f} MB/s (median of"
                      f" {args.runs}); curl is not installed, so no comparison")
                return
            theirs = [time_curl(work, url, learner, sha) for _ in range(args.runs)]
            synced = [time_curl(work, url, learner, sha, fsync=True) for _ in range(args.runs)]
            ours_mbs = mb / statistics.median(ours)
            curl_mbs = mb / statistics.median(theirs)
            ratio = ours_mbs / curl_mbs
            print(f"Downloader (fetch, hash, fsync, install): {ours_mbs:.0f} MB/s"
                  f"  (runs: {', '.join(f'{t:.2f}' for t in ours)} s)")
            print(f"curl -o FILE:                             {curl_mbs:.0f} MB/s"
                  f"  (runs: {', '.join(f'{t:.2f}' for t in theirs)} s)")
            print(f"curl -o FILE, then fsync (like for like): {mb / statistics.median(synced):.0f}"
                  f" MB/s  (runs: {', '.join(f'{t:.2f}' for t in synced)} s)")
            print(f"ratio to curl {ratio:.0%} (target >= {TARGET:.0%}) "
                  f"{'ok' if ratio >= TARGET else 'MISSED'}; to curl + fsync"
                  f" {ours_mbs / (mb / statistics.median(synced)):.0%}; {os.cpu_count()} CPUs"
                  " shared by hub, client and curl")
            if args.line_mbit > 0:
                line_group, _, line_sha, line_mb, _ = publish(
                    url, trainer, learner, work, args.line_size_mb, "bench-line")
                over_a_line(work, port, learner, line_group, pub, line_sha, args.line_mbit,
                            line_mb, args.runs)


if __name__ == "__main__":
    main()
