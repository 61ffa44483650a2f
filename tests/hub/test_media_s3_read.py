"""Downloads of media in a bucket on a cache miss (companion.hub.media_s3_read): ranges across
the pieces the hub reads, cut downloads, two first downloads of one file at once, and a cache
that only ever holds whole files matching their SHA-256. Against a real SeaweedFS, and the
streaming itself against bodies that misbehave."""

from __future__ import annotations

import asyncio
import io
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from companion.hub import media_s3_read
from companion.hub.media_s3_read import CHUNK_BYTES, DiskCache, stream_body, wanted_range
from tests.hub.helpers import Device, LiveHub, start_hub
from tests.hub.seaweed import Seaweed
from tests.hub.test_media_s3 import bucket, s3_env, seaweed  # noqa: F401 (fixtures)
from tests.hub.test_packs import manifest, sha

SIZE = 3 * CHUNK_BYTES + 12_345  # four pieces, the last one short


def _tmp_empty(cache: Path) -> bool:
    return not any((cache / "tmp").iterdir())


def _cached(cache: Path) -> set[str]:
    return {p.name for p in cache.glob("*/*") if p.parent.name != "tmp"}


def _settle(live: LiveHub) -> None:
    live.server.config.app.state.hub.media.cache.settle()


@pytest.fixture
def s3_live(hub_settings, s3_env: str) -> Iterator[tuple[LiveHub, Device, Device, int]]:
    """An S3 hub with a cache: it, a trainer, a learner and their group."""
    live = start_hub(hub_settings.with_changes(media_url=s3_env))
    try:
        live.add_trainer("trainer")
        group = live.create_group("Bakers", "trainer")
        yield (live, live.device("trainer"), live.device("alice", invite=group.invite_code),
               group.id)
    finally:
        live.stop()


def _publish(trainer: Device, group_id: int, size: int) -> bytes:
    film = os.urandom(size)
    with trainer.http() as c:
        assert c.put(f"/v1/media/{sha(film)}", content=film).status_code == 201
        assert c.post(f"/v1/groups/{group_id}/packs", json={
            "manifest": manifest({"film.mp4": film}), "signature": "c2ln"}).status_code == 201
    return film


@pytest.fixture
def film_hub(s3_live) -> tuple[LiveHub, Device, bytes]:
    """The S3 hub and its learner, with one published file of four pieces."""
    live, trainer, learner, group_id = s3_live
    return live, learner, _publish(trainer, group_id, SIZE)


def test_ranges_at_and_across_piece_boundaries(film_hub) -> None:
    live, learner, film = film_hub
    cache = live.settings.data_dir / "media-cache"
    url = f"/v1/media/{sha(film)}"
    c = CHUNK_BYTES
    for first, last in [(0, c - 1), (c - 1, c), (c, 2 * c - 1), (c - 1, 3 * c + 1),
                        (3 * c, SIZE - 1), (SIZE - 1, SIZE - 1), (5, 5), (2 * c + 7, SIZE + 99)]:
        r = learner.get(url, headers={"Range": f"bytes={first}-{last}"})
        end = min(last, SIZE - 1)
        assert r.status_code == 206, (first, last)
        assert r.content == film[first:end + 1], (first, last)
        assert r.headers["content-range"] == f"bytes {first}-{end}/{SIZE}"
        assert int(r.headers["content-length"]) == end - first + 1
        assert r.headers["etag"] == f'"{sha(film)}"'
    tail = learner.get(url, headers={"Range": f"bytes=-{c + 1}"})
    assert tail.status_code == 206 and tail.content == film[-(c + 1):]
    assert learner.get(url, headers={"Range": f"bytes={SIZE}-"}).status_code == 416
    assert learner.get(url, headers={"Range": "bytes=9-3"}).status_code == 416
    other = learner.get(url, headers={"Range": "bytes=10-", "If-Range": '"not-this"'})
    assert other.status_code == 200 and other.content == film  # a changed file: whole
    _settle(live)
    assert _cached(cache) == {sha(film)}  # only the whole download filed it
    r = learner.get(url, headers={"Range": f"bytes={c - 1}-{c}"})  # now from the cache
    assert r.status_code == 206 and r.content == film[c - 1:c + 1]


@pytest.mark.parametrize("cut_at", [1, CHUNK_BYTES + 4321, 3 * CHUNK_BYTES + 1])
def test_a_download_cut_mid_piece_leaves_no_file_in_the_cache(s3_live, cut_at: int) -> None:
    """Cut long before the hub could have read the whole file (what it holds ahead of the
    socket, plus the sockets' buffers, is far less than 40 MiB)."""
    live, trainer, learner, group_id = s3_live
    film = _publish(trainer, group_id, 40 * CHUNK_BYTES + 4321)
    cache = live.settings.data_dir / "media-cache"
    with learner.http() as c, c.stream("GET", f"/v1/media/{sha(film)}") as r:
        assert r.status_code == 200
        got = b""
        for piece in r.iter_raw(64 * 1024):
            got += piece
            if len(got) >= cut_at:
                break
    assert got[:cut_at] == film[:cut_at]
    _settle(live)  # waits for the download's reader and writer to stop
    assert _tmp_empty(cache)
    assert _cached(cache) == set()
    assert learner.get(f"/v1/media/{sha(film)}").content == film  # the next one is whole
    _settle(live)
    assert _cached(cache) == {sha(film)}
    assert (cache / sha(film)[:2] / sha(film)).read_bytes() == film
    assert _tmp_empty(cache)


def test_two_first_downloads_of_one_file_at_once(film_hub) -> None:
    live, learner, film = film_hub
    cache = live.settings.data_dir / "media-cache"
    token = learner.token
    results: list[bytes] = []
    started = threading.Barrier(2)

    def fetch() -> None:
        with httpx.Client(base_url=live.url, timeout=30,
                          headers={"Authorization": f"Bearer {token}"}) as c, \
                c.stream("GET", f"/v1/media/{sha(film)}") as r:
            assert r.status_code == 200
            pieces = r.iter_raw(256 * 1024)
            first = next(pieces)
            started.wait(timeout=10)  # both are streaming before either ends
            results.append(first + b"".join(pieces))

    threads = [threading.Thread(target=fetch) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert results == [film, film]
    _settle(live)
    assert _cached(cache) == {sha(film)}
    assert (cache / sha(film)[:2] / sha(film)).read_bytes() == film
    assert _tmp_empty(cache)


def test_bytes_that_do_not_match_their_sha256_are_never_cached(
        film_hub, seaweed: Seaweed, s3_env: str) -> None:
    """The hub serves what the bucket holds (the client checks it), but does not keep it."""
    live, learner, film = film_hub
    cache = live.settings.data_dir / "media-cache"
    bucket_name, prefix = s3_env.removeprefix("s3://").split("/", 1)
    wrong = os.urandom(len(film))
    seaweed.client().put_object(Bucket=bucket_name, Body=wrong,
                                Key=f"{prefix}/{sha(film)[:2]}/{sha(film)}")
    assert learner.get(f"/v1/media/{sha(film)}").content == wrong
    _settle(live)
    assert _cached(cache) == set()
    assert _tmp_empty(cache)


def test_the_library_readinto_serves_the_same_bytes(film_hub,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the HTTP response below botocore is not the expected one, botocore's readinto."""
    _, learner, film = film_hub
    monkeypatch.setattr(media_s3_read, "_reader", lambda body: body.readinto)
    assert learner.get(f"/v1/media/{sha(film)}").content == film
    r = learner.get(f"/v1/media/{sha(film)}", headers={"Range": f"bytes={CHUNK_BYTES - 3}-"})
    assert r.content == film[CHUNK_BYTES - 3:]


# The streaming alone, with bodies that misbehave.

class _Body(io.BytesIO):
    """A body that ends early after ``stop_at`` bytes, or fails there."""

    def __init__(self, data: bytes, stop_at: int | None = None, fail: bool = False) -> None:
        super().__init__(data)
        self.stop_at, self.fail, self.closed_by_reader = stop_at, fail, False

    def readinto(self, b) -> int:  # type: ignore[override]
        if self.stop_at is not None and self.tell() >= self.stop_at:
            if self.fail:
                raise OSError("connection reset by the bucket")
            return 0
        if self.stop_at is not None:
            b = memoryview(b)[:self.stop_at - self.tell()]
        return super().readinto(b)

    def close(self) -> None:
        self.closed_by_reader = True


def _collect(body: _Body, length: int, cache: DiskCache | None, sha256: str,
             take: int | None = None) -> bytes:
    async def run() -> bytes:
        got = b""
        stream = stream_body(body, length, sha256, (cache, sha256) if cache else None)
        try:
            async for piece in stream:
                got += piece
                if take is not None and len(got) >= take:
                    break
        finally:
            await stream.aclose()
        return got
    return asyncio.run(run())


def test_a_whole_body_is_streamed_and_filed(tmp_path: Path) -> None:
    data = os.urandom(SIZE)
    cache = DiskCache(tmp_path / "cache", 10 * SIZE)
    body = _Body(data)
    assert _collect(body, len(data), cache, sha(data)) == data
    cache.settle()
    assert cache.lookup(sha(data)) is not None and cache.path(sha(data)).read_bytes() == data
    assert body.closed_by_reader and _tmp_empty(cache.folder)


@pytest.mark.parametrize("fail", [False, True])
def test_a_short_or_failing_body_fails_the_response_and_caches_nothing(
        tmp_path: Path, fail: bool) -> None:
    data = os.urandom(SIZE)
    cache = DiskCache(tmp_path / "cache", 10 * SIZE)
    filed: list[str] = []
    cache.finish = lambda tmp, sha256: filed.append(sha256)  # type: ignore[method-assign]
    body = _Body(data, stop_at=CHUNK_BYTES + 10, fail=fail)
    with pytest.raises((ConnectionError, OSError)):
        _collect(body, len(data), cache, sha(data))
    cache.settle()
    assert _tmp_empty(cache.folder)
    assert filed == []  # not even offered to the cache (whose hash check would refuse it)
    assert cache.lookup(sha(data)) is None
    assert body.closed_by_reader


def test_a_listener_who_stops_early_stops_the_reading(tmp_path: Path) -> None:
    data = os.urandom(20 * CHUNK_BYTES)
    cache = DiskCache(tmp_path / "cache", 100 * CHUNK_BYTES)
    filed: list[str] = []
    cache.finish = lambda tmp, sha256: filed.append(sha256)  # type: ignore[method-assign]
    body = _Body(data)
    assert _collect(body, len(data), cache, sha(data), take=1) == data[:CHUNK_BYTES]
    cache.settle()
    assert body.closed_by_reader and _tmp_empty(cache.folder)
    assert filed == []
    assert cache.lookup(sha(data)) is None
    # It read at most the pieces it may hold ahead of the socket and of the cache file.
    assert body.tell() <= (2 * media_s3_read.READ_AHEAD + 2) * CHUNK_BYTES


def test_a_cache_left_by_a_killed_process_is_swept(tmp_path: Path) -> None:
    (tmp_path / "cache" / "tmp").mkdir(parents=True)
    (tmp_path / "cache" / "tmp" / "x.part").write_bytes(b"half")
    DiskCache(tmp_path / "cache", 1000)
    assert _tmp_empty(tmp_path / "cache")


@pytest.mark.parametrize(("header", "answer"), [
    ("", (200, 0, 99)), ("bytes=0-", (206, 0, 99)), ("bytes=10-19", (206, 10, 19)),
    ("bytes=90-500", (206, 90, 99)), ("bytes=-5", (206, 95, 99)), ("bytes=-500", (206, 0, 99)),
    ("bytes = 1 - 2", (206, 1, 2)), ("bytes=100-", None), ("bytes=5-4", None),
    ("bytes=-0", None), ("bytes=0-1,5-6", (200, 0, 99)), ("items=0-1", (200, 0, 99)),
    ("bytes=x-1", (200, 0, 99)),
])
def test_range_headers(header: str, answer: tuple[int, int, int] | None) -> None:
    headers = {"range": header} if header else {}
    assert wanted_range(headers, 100, '"e"') == answer
    assert wanted_range({**headers, "if-range": '"other"'}, 100, '"e"') == (200, 0, 99)


def test_a_cache_that_cannot_write_leaves_the_download_whole(tmp_path: Path) -> None:
    data = os.urandom(2 * CHUNK_BYTES + 1)
    cache = DiskCache(tmp_path / "cache", 10 * len(data))
    cache.tmp.rmdir()  # no room for a temporary file: mkstemp fails
    assert _collect(_Body(data), len(data), cache, sha(data)) == data
    cache.settle()
    assert cache.lookup(sha(data)) is None
