"""Downloading packs from a real hub on loopback: catalog, resume after cuts and restarts,
hash checks, shared files fetched once, trust questions first, bandwidth cap, hours window."""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from collections.abc import Iterator
from datetime import datetime
from datetime import time as clock_time
from pathlib import Path

import pytest

from companion.core.packs.reader import UnknownSignerError
from companion.services import Services, build_services
from companion.sync.client import HubOffline
from companion.sync.downloads import DownloadCancelled, Downloader, DownloadProgress
from companion.sync.offers import INSTALLED, NEW, pack_catalog
from companion.sync.publish import publish_pack
from companion.sync.transfer_policy import (
    BackgroundWriter,
    RetryPolicy,
    SpeedMeter,
    TokenBucket,
    in_hours_window,
    parse_hours_window,
    seconds_until_window,
)
from tests.core.packs.test_pack_manager import lesson_rows
from tests.sync.test_publish import (  # noqa: F401 - the two fixtures are used by name
    FAST_RETRY,
    MB,
    FaultProxy,
    Setup,
    big_pack,
    proxy_factory_fixture,
    setup_fixture,
)

CUT_RETRY = RetryPolicy(attempts=5, base_s=0.005, max_s=0.02)


@pytest.fixture
def pc(tmp_path: Path, setup: Setup) -> Iterator[Services]:
    """A learner's library PC that trusts tina's key."""
    services = build_services(tmp_path / "pc")
    services.trust.trust(setup.key.public_key)
    yield services
    services.close()


def published(setup: Setup, tmp_path: Path, video_bytes: int, **kw) -> Path:
    pack = big_pack(tmp_path / kw.pop("where", "p"), setup.key, video_bytes, **kw)
    publish_pack(setup.trainer(), pack, "Bakkers", retry=FAST_RETRY)
    return pack


def video_sha(pack_manifest_files: list, path: str = "01-groot/video.mp4") -> tuple[str, int]:
    f = next(f for f in pack_manifest_files if f.path == path)
    return f.sha256, f.size


def manifest_files(services: Services, setup: Setup, pack_id: str = "bakken-nl") -> list:
    data = setup.learner().get(f"/v1/groups/{setup.group_id}/packs/{pack_id}/manifest").json()
    reader, _ = services.packs.check_download(data["manifest"].encode(), None, True)
    return list(reader.manifest.files)


def part_path(services: Services, sha: str) -> Path:
    return services.packs.store.tmp_dir / f"{sha}.part"


def test_publish_then_download_installs_the_same_pack(setup: Setup, pc: Services,
                                                      tmp_path: Path) -> None:
    """Catalog, download, install: the same lessons as a .cpack import; then 'installed'."""
    pack = published(setup, tmp_path, 2 * MB)
    catalog = pack_catalog(setup.learner(), pc.packs)
    assert [(p.pack_id, p.status, p.group_names) for p in catalog] == [
        ("bakken-nl", NEW, ("Bakkers",))]
    assert catalog[0].bytes_needed == catalog[0].size > 2 * MB
    seen: list[DownloadProgress] = []
    d = Downloader(setup.learner(), pc.packs, retry=FAST_RETRY)
    result = d.download_pack(setup.group_id, "bakken-nl", progress=seen.append)
    assert result.result.status == "installed" and result.result.signer_name == "tina"
    assert result.bytes_fetched == catalog[0].size and result.files_reused == 0
    assert seen[-1].done_bytes == seen[-1].total_bytes == catalog[0].size
    assert [s.done_bytes for s in seen] == sorted(s.done_bytes for s in seen)
    other = build_services(tmp_path / "usb-pc")
    other.trust.trust(setup.key.public_key)
    other.packs.import_pack(pack)
    assert lesson_rows(pc, "bakken-nl") == lesson_rows(other, "bakken-nl")
    other.close()
    after = pack_catalog(setup.learner(), pc.packs)
    assert (after[0].status, after[0].bytes_needed) == (INSTALLED, 0)
    assert list(pc.packs.store.tmp_dir.iterdir()) == []  # no part or sidecar left behind


def test_download_cut_every_2mb_costs_at_most_5_percent(setup: Setup, pc: Services,
                                                        tmp_path: Path, proxy_factory) -> None:
    """A 20 MB file through a link cut after every 2 MB finishes, resuming with Range, with
    at most 5% more bytes on the wire than the files hold."""
    published(setup, tmp_path, 20 * MB)
    proxy = proxy_factory(cut_every=2 * MB)
    d = Downloader(setup.learner(proxy.url), pc.packs, retry=CUT_RETRY)
    result = d.download_pack(setup.group_id, "bakken-nl")
    total = sum(f.size for f in manifest_files(pc, setup))
    assert result.result.status == "installed"
    assert proxy.cuts >= 9
    assert result.bytes_fetched == total
    assert proxy.down_bytes <= total * 1.05, (proxy.down_bytes, total)


def test_restart_resumes_from_the_part_file(setup: Setup, pc: Services,
                                            tmp_path: Path) -> None:
    """Paused halfway, a NEW downloader (as after a restart) continues from the part file."""
    published(setup, tmp_path, 6 * MB)
    sha, size = video_sha(manifest_files(pc, setup))
    first = Downloader(setup.learner(), pc.packs, retry=FAST_RETRY)
    with pytest.raises(DownloadCancelled):
        first.download_pack(setup.group_id, "bakken-nl",
                            cancel=lambda: first.bytes_received >= 3 * MB)
    kept = part_path(pc, sha).stat().st_size
    assert 3 * MB <= kept < size
    sidecar = json.loads(part_path(pc, sha).with_name(f"{sha}.part.json").read_text())
    assert sidecar == {"sha256": sha, "size": size, "etag": f'"{sha}"'}
    catalog = pack_catalog(setup.learner(), pc.packs)
    assert catalog[0].bytes_needed == catalog[0].size - first.bytes_received

    second = Downloader(setup.learner(), pc.packs, retry=FAST_RETRY)
    result = second.download_pack(setup.group_id, "bakken-nl")
    assert result.result.status == "installed"
    assert result.bytes_resumed >= kept
    assert second.bytes_received == catalog[0].size - first.bytes_received
    assert hashlib.sha256(pc.packs.store.path_for(sha).read_bytes()).hexdigest() == sha


def test_corrupted_part_is_fetched_again_never_installed(setup: Setup, pc: Services,
                                                         tmp_path: Path) -> None:
    """Wrong bytes in a part file fail the hash check; the file is fetched whole again."""
    published(setup, tmp_path, 3 * MB)
    sha, size = video_sha(manifest_files(pc, setup))
    part_path(pc, sha).write_bytes(os.urandom(MB))  # a part of the right length, wrong bytes
    d = Downloader(setup.learner(), pc.packs, retry=FAST_RETRY)
    result = d.download_pack(setup.group_id, "bakken-nl")
    assert result.damaged_parts == 1 and result.result.status == "installed"
    assert hashlib.sha256(pc.packs.store.path_for(sha).read_bytes()).hexdigest() == sha
    assert d.bytes_received >= size  # the whole video again, after the useless rest


def test_changed_etag_restarts_the_part_cleanly(setup: Setup, pc: Services,
                                                tmp_path: Path) -> None:
    """A part started against another ETag: If-Range makes the hub send the whole file, and
    the part starts over instead of splicing two versions."""
    published(setup, tmp_path, 3 * MB)
    sha, size = video_sha(manifest_files(pc, setup))
    part_path(pc, sha).write_bytes(os.urandom(MB))
    part_path(pc, sha).with_name(f"{sha}.part.json").write_text(
        json.dumps({"sha256": sha, "size": size, "etag": '"an-older-version"'}))
    d = Downloader(setup.learner(), pc.packs, retry=FAST_RETRY)
    result = d.download_pack(setup.group_id, "bakken-nl")
    assert result.damaged_parts == 0 and result.result.status == "installed"
    video_and_rest = sum(f.size for f in manifest_files(pc, setup))
    assert d.bytes_received == video_and_rest  # one full copy, nothing thrown away


def test_files_already_here_are_not_downloaded(setup: Setup, pc: Services,
                                               tmp_path: Path) -> None:
    """A second pack sharing the big video fetches only its own files."""
    video = os.urandom(4 * MB)
    published(setup, tmp_path, 0, shared=video)
    published(setup, tmp_path, 0, shared=video, where="q", pack_id="bakken-en")
    d = Downloader(setup.learner(), pc.packs, retry=FAST_RETRY)
    d.download_pack(setup.group_id, "bakken-nl")
    catalog = {p.pack_id: p for p in pack_catalog(setup.learner(), pc.packs)}
    assert catalog["bakken-en"].status == NEW
    assert catalog["bakken-en"].bytes_needed < MB  # the shared video is here already
    before = d.bytes_received
    result = d.download_pack(setup.group_id, "bakken-en")
    assert result.files_fetched == 1 and result.files_reused == 4  # video, texts shared
    assert result.result.status == "installed"
    assert d.bytes_received - before == catalog["bakken-en"].bytes_needed


def test_unknown_signer_is_asked_before_any_byte(setup: Setup, tmp_path: Path) -> None:
    """A PC that does not trust the trainer gets the import's question, and nothing is
    fetched until the person says yes."""
    published(setup, tmp_path, MB)
    services = build_services(tmp_path / "new-pc")
    try:
        d = Downloader(setup.learner(), services.packs, retry=FAST_RETRY)
        with pytest.raises(UnknownSignerError) as asked:
            d.download_pack(setup.group_id, "bakken-nl")
        assert asked.value.signer_name == "tina" and d.bytes_received == 0
        result = d.download_pack(setup.group_id, "bakken-nl", allow_unsigned=True)
        assert result.result.signer_name == "tina"
    finally:
        services.close()


def test_hub_gone_midway_is_offline_and_keeps_the_part(setup: Setup, pc: Services,
                                                       tmp_path: Path) -> None:
    """The hub disappears in the middle: HubOffline after the retries, the part stays, and a
    later download finishes from it."""
    published(setup, tmp_path, 6 * MB)
    sha, _ = video_sha(manifest_files(pc, setup))
    # The link also drops at 3 MB, so the client cannot have the whole file in its socket
    # buffers by the time the plug is pulled (loopback is fast and the hub sends 1 MiB pieces).
    proxy = FaultProxy(setup.hub.url, cut_every=3 * MB)
    d = Downloader(setup.learner(proxy.url), pc.packs, retry=FAST_RETRY)

    def pull_the_plug() -> bool:
        if d.bytes_received >= 2 * MB:
            proxy.close()
        return False

    with pytest.raises(HubOffline):
        d.download_pack(setup.group_id, "bakken-nl", cancel=pull_the_plug)
    assert part_path(pc, sha).stat().st_size >= 2 * MB
    result = Downloader(setup.learner(), pc.packs).download_pack(setup.group_id, "bakken-nl")
    assert result.result.status == "installed" and result.bytes_resumed >= 2 * MB


def test_bandwidth_cap_slows_the_download(setup: Setup, pc: Services,
                                          tmp_path: Path) -> None:
    """At 2 MB/s, about 2 MB cannot arrive in much under a second (generous bound)."""
    published(setup, tmp_path, 2 * MB)
    d = Downloader(setup.learner(), pc.packs, retry=FAST_RETRY, rate_limit_bps=2 * MB)
    started = time.monotonic()
    d.download_pack(setup.group_id, "bakken-nl")
    assert time.monotonic() - started >= 0.5


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_token_bucket_holds_the_rate_on_a_fake_clock() -> None:
    """10 MB through a 1 MB/s bucket takes about 10 s of (fake) sleeping; no cap, no sleep."""
    clock = FakeClock()
    bucket = TokenBucket(MB, clock=clock, sleep=clock.sleep)
    for _ in range(160):
        bucket.consume(64 * 1024)
    assert 9.5 <= sum(clock.slept) <= 10.0
    free = TokenBucket(None, clock=clock, sleep=clock.sleep)
    clock.slept.clear()
    free.consume(100 * MB)
    assert clock.slept == []


def test_token_bucket_allows_a_burst_after_idle_and_follows_a_new_rate() -> None:
    """Idle time fills the bucket up to its burst, no more; set_rate takes effect at once."""
    clock = FakeClock()
    bucket = TokenBucket(MB, burst_bytes=256 * 1024, clock=clock, sleep=clock.sleep)
    clock.now += 60  # a minute idle does not bank a minute of bandwidth
    assert bucket.consume(256 * 1024) == 0
    assert bucket.consume(MB) == pytest.approx(1.0)
    bucket.set_rate(4 * MB)
    assert bucket.consume(4 * MB) == pytest.approx(1.0, rel=0.1)


def test_speed_meter_and_time_left() -> None:
    """Speed over a sliding window; time left from it; unknown before any data."""
    clock = FakeClock()
    meter = SpeedMeter(window_s=5, clock=clock)
    assert meter.eta_s(100) is None
    for _ in range(10):
        meter.add(MB)
        clock.now += 1
    meter.add(0)
    assert meter.bytes_per_s == pytest.approx(MB, rel=0.25)
    assert meter.eta_s(10 * MB) == pytest.approx(10, rel=0.25)


@pytest.mark.parametrize(("now", "inside"), [
    ("18:00", True), ("23:59", True), ("00:00", True), ("07:59", True),
    ("08:00", False), ("12:00", False), ("17:59", False),
])
def test_hours_window_across_midnight(now: str, inside: bool) -> None:
    """18:00-08:00 holds the evening and the night, not the shop's opening hours."""
    start, end = parse_hours_window("18:00-08:00")
    assert in_hours_window(clock_time.fromisoformat(now), start, end) is inside


def test_hours_window_same_day_and_unset() -> None:
    """09:00-17:00 is a daytime window; start equal to end means no restriction."""
    assert in_hours_window(clock_time(9), clock_time(9), clock_time(17))
    assert not in_hours_window(clock_time(17), clock_time(9), clock_time(17))
    assert in_hours_window(clock_time(3), clock_time(0), clock_time(0))
    with pytest.raises(ValueError, match="18:00-08:00"):
        parse_hours_window("after closing")


def test_seconds_until_the_window_opens() -> None:
    """Noon waits six hours for 18:00; inside the window there is no wait."""
    start, end = clock_time(18), clock_time(8)
    assert seconds_until_window(datetime(2025, 1, 6, 12, 0), start, end) == 6 * 3600
    assert seconds_until_window(datetime(2025, 1, 6, 2, 0), start, end) == 0
    assert seconds_until_window(datetime(2025, 1, 6, 8, 30), start, end) == 9.5 * 3600
    assert seconds_until_window(datetime(2025, 1, 6, 20, 0), clock_time(6),
                                clock_time(7)) == 10 * 3600


def test_retry_delays_grow_and_stay_bounded() -> None:
    """Exponential backoff with jitter, never past the cap."""
    policy = RetryPolicy(attempts=10, base_s=0.5, max_s=8)
    for failures, cap in [(1, 0.5), (2, 1), (3, 2), (5, 8), (9, 8)]:
        delays = {policy.delay_s(failures) for _ in range(20)}
        assert all(cap / 2 <= x <= cap for x in delays) and len(delays) > 1


def test_background_writer_keeps_order_batches_and_flushes() -> None:
    """Chunks arrive in order, in batches of about the batch size; the early flush runs on its
    own thread once enough is written; close() waits for the rest."""
    written: list[bytes] = []
    flushed = threading.Event()
    writer = BackgroundWriter(written.append, flushed.set, sync_every=1000, batch=100)
    chunks = [bytes([i]) * 30 for i in range(100)]
    for chunk in chunks:
        writer.put(chunk)
    writer.close()
    assert b"".join(written) == b"".join(chunks)
    assert all(len(w) >= 100 for w in written[:-1]) and len(written) < len(chunks)
    assert flushed.wait(5)


def test_background_writer_hands_back_a_write_error() -> None:
    """A full disk on the writing thread reaches the reading thread (in put or close), and a
    failing early flush is not an error (the fsync before the commit decides)."""
    def write(data: bytes) -> None:
        raise OSError(28, "No space left on device")

    def flush() -> None:
        raise OSError(5, "I/O error")

    writer = BackgroundWriter(write, flush, sync_every=1, batch=10)
    with pytest.raises(OSError, match="No space"):
        for _ in range(1000):
            writer.put(b"x" * 10)
            time.sleep(0.001)
        writer.close()
    ok = BackgroundWriter(lambda data: None, flush, sync_every=1, batch=10)
    for _ in range(10):
        ok.put(b"y" * 10)
    ok.close()  # the flush failed ten times; nothing is raised


def test_a_second_download_at_once_is_refused_as_busy(setup: Setup, pc: Services,
                                                      tmp_path: Path) -> None:
    """While another download holds this library's download lock, a download is refused with
    the DOWNLOAD_BUSY reason (the page waits and tries again) and installs nothing."""
    from companion.core.errors import LibraryError, Reason
    from companion.core.packs.lock import try_lock

    published(setup, tmp_path, MB)
    with try_lock(pc.packs.store.root.parent / "downloads.lock") as locked:
        assert locked
        with pytest.raises(LibraryError) as caught:
            Downloader(setup.learner(), pc.packs, retry=FAST_RETRY).download_pack(
                setup.group_id, "bakken-nl", "1.0")
    assert caught.value.reason is Reason.DOWNLOAD_BUSY
    assert pc.packs.installed_manifest("bakken-nl") is None
