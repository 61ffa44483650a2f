"""Import speed: a ~500 MB pack against ``sha256sum FILE && cp FILE DEST`` of the same file.

Target (issue 2): the import reaches at least 70% of the throughput of sha256sum plus cp,
measured side by side in one run. Both read the pack from the page cache (it was just written
and is read once before timing). The import fsyncs every file it stores; plain ``cp`` does not,
so the baseline is also timed with ``sync DEST`` added, and both ratios are printed. GNU
sha256sum may not use the CPU's SHA instructions while Python's hashlib (OpenSSL) does, so when
``openssl`` is installed a stricter baseline with ``openssl dgst -sha256`` is printed too. Prints
figures; asserts nothing. ``--size-mb`` changes the pack size, ``--runs`` the repetitions.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from companion.core.packs.build import build_pack
from companion.core.packs.keys import (
    generate_keypair,
    load_public_key,
    load_signing_key,
)
from companion.services import build_services

VIDEOS = 5
CHUNK = 4 * 1024 * 1024


def write_fake_video(path: Path, size: int, duration_s: float) -> None:
    """An MP4 header with a real mvhd box, then incompressible random bytes in mdat."""
    mvhd_body = bytes(4) + struct.pack(">IIII", 0, 0, 1000, int(duration_s * 1000)) + bytes(80)
    mvhd = struct.pack(">I4s", 8 + len(mvhd_body), b"mvhd") + mvhd_body
    head = (struct.pack(">I4s", 16, b"ftyp") + b"isom\0\0\0\0"
            + struct.pack(">I4s", 8 + len(mvhd), b"moov") + mvhd)
    payload = size - len(head) - 16
    with open(path, "wb") as f:
        f.write(head + struct.pack(">I4sQ", 1, b"mdat", 16 + payload))
        left = payload
        while left:
            n = min(CHUNK, left)
            f.write(os.urandom(n))
            left -= n


def make_pack(work: Path, total_mb: int) -> tuple[Path, Path]:
    src = work / "src"
    src.mkdir()
    (src / "pack.toml").write_text(
        'id = "bench-pack"\ntitle = "Bench"\nversion = "1"\nlanguage = "nl"\n')
    per_video = total_mb * 1_000_000 // VIDEOS
    for n in range(VIDEOS):
        folder = src / f"{n:02d}-les"
        folder.mkdir()
        write_fake_video(folder / "video.mp4", per_video, 170.0)
        (folder / "subtitles.nl.srt").write_text("1\n00:00:01,000 --> 00:00:02,000\nHallo\n")
        (folder / "lesson.toml").write_text(
            f'id = "les-{n}"\ntitle = "Les {n}"\nvideo = "video.mp4"\n'
            'subtitles = "subtitles.nl.srt"\n')
    key_path, pub_path = generate_keypair("bench", work / "keys")
    pack = build_pack(src, work / "out", load_signing_key(key_path)).path
    shutil.rmtree(src)  # keep the page cache for the pack itself
    return pack, pub_path


def warm(path: Path) -> None:
    with open(path, "rb", buffering=0) as f:
        while f.read(CHUNK):
            pass


def time_shell(command: str) -> float:
    start = time.perf_counter()
    subprocess.run(command, shell=True, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def time_import(work: Path, pack: Path, pub: Path, n: int) -> float:
    home = work / f"home-{n}"
    services = build_services(home)
    services.trust.trust(load_public_key(pub))
    start = time.perf_counter()
    result = services.packs.import_pack(pack)
    elapsed = time.perf_counter() - start
    assert result.status == "installed"
    services.close()
    shutil.rmtree(home)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    for tool in ("sha256sum", "cp", "sync"):
        if shutil.which(tool) is None:
            print(f"bench_import: {tool} is not installed; skipped")
            return
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        work = Path(tmp)
        pack, pub = make_pack(work, args.size_mb)
        size_mb = pack.stat().st_size / 1_000_000
        dest = work / "copy.cpack"
        warm(pack)
        has_openssl = shutil.which("openssl") is not None
        plain, synced, ossl, imported = [], [], [], []
        for n in range(args.runs):  # interleaved, so drift in the machine hits all of them
            plain.append(time_shell(f"sha256sum '{pack}' && cp '{pack}' '{dest}'"))
            dest.unlink()
            synced.append(time_shell(f"sha256sum '{pack}' && cp '{pack}' '{dest}'"
                                     f" && sync '{dest}'"))
            dest.unlink()
            if has_openssl:
                ossl.append(time_shell(f"openssl dgst -sha256 '{pack}' && cp '{pack}' '{dest}'"))
                dest.unlink()
            imported.append(time_import(work, pack, pub, n))
        print(f"pack: {size_mb:.0f} MB ({VIDEOS} videos of random bytes), median of"
              f" {args.runs} runs, file in the page cache, temp dir {tmp}")
        rows = [("sha256sum + cp (no fsync)", plain),
                ("sha256sum + cp + sync FILE (fsync)", synced),
                ("openssl dgst -sha256 + cp (no fsync)", ossl),
                ("PackManager.import_pack (fsync)", imported)]
        for label, times in rows:
            if times:
                t = statistics.median(times)
                print(f"  {label:<38} {t:6.2f} s  {size_mb / t:7.0f} MB/s")
        ours = statistics.median(imported)
        print(f"  import / (sha256sum + cp):          {statistics.median(plain) / ours:5.0%}"
              "   (target >= 70%)")
        print(f"  import / (sha256sum + cp + sync):   {statistics.median(synced) / ours:5.0%}")
        if ossl:
            print(f"  import / (openssl sha256 + cp):     {statistics.median(ossl) / ours:5.0%}")


if __name__ == "__main__":
    main()
