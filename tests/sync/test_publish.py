"""Publishing a .cpack to a group on a real hub on loopback: only missing files are sent, an
interrupted publish resumes, and every refusal is a typed error in plain words.

The fault-injecting proxy and the pack/hub set-up here are shared with test_downloads.py.
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from companion.core.packs.keys import SigningKey
from companion.hub.settings import HubSettings
from companion.sync.client import HubOffline
from companion.sync.publish import (
    GroupNotFound,
    InvalidPack,
    NotTrainerOfGroup,
    PublishCancelled,
    VersionExists,
    publish_pack,
)
from companion.sync.transfer_policy import RetryPolicy
from tests.core.packs.pack_factory import SRT, build, make_key, mp4_bytes, read_pack
from tests.hub.helpers import LiveHub, start_hub

FAST_RETRY = RetryPolicy(attempts=4, base_s=0.01, max_s=0.05)
MB = 1024 * 1024


class FaultProxy:
    """A TCP proxy on loopback that counts the bytes each way and, if asked, cuts every
    connection after ``cut_every`` bytes from the hub (the link of a shop on a bad day)."""

    def __init__(self, target_url: str, cut_every: int | None = None) -> None:
        host, port = target_url.removeprefix("http://").split(":")
        self.target = (host, int(port))
        self.cut_every = cut_every
        self.up_bytes = 0  # client -> hub
        self.down_bytes = 0  # hub -> client
        self.cuts = 0
        self._lock = threading.Lock()
        self._socks: list[socket.socket] = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._socks += [client, upstream]
            threading.Thread(target=self._pump, args=(client, upstream, False),
                             daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, True),
                             daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket, down: bool) -> None:
        budget = self.cut_every if down and self.cut_every else None
        try:
            while True:
                data = src.recv(256 * 1024)
                if not data:
                    break
                if budget is not None and len(data) >= budget:
                    dst.sendall(data[:budget])
                    self._count(down, budget)
                    with self._lock:
                        self.cuts += 1
                    break
                dst.sendall(data)
                self._count(down, len(data))
                if budget is not None:
                    budget -= len(data)
        except OSError:
            pass
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()

    def _count(self, down: bool, n: int) -> None:
        with self._lock:
            if down:
                self.down_bytes += n
            else:
                self.up_bytes += n

    def close(self) -> None:
        """Stop listening and drop every connection: the hub is gone for the client."""
        self._listener.close()
        with self._lock:
            socks, self._socks = self._socks, []
        for s in socks:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()


@pytest.fixture(name="proxy_factory")
def proxy_factory_fixture(hub: LiveHub) -> Iterator:
    """Make fault proxies in front of the hub; all closed at the end."""
    proxies: list[FaultProxy] = []

    def make(cut_every: int | None = None) -> FaultProxy:
        proxies.append(FaultProxy(hub.url, cut_every))
        return proxies[-1]

    yield make
    for p in proxies:
        p.close()


@dataclass
class Setup:
    hub: LiveHub
    group_id: int
    trainer_token: str
    learner_token: str
    key: SigningKey
    clients: list[httpx.Client]

    def client(self, token: str, url: str | None = None) -> httpx.Client:
        c = httpx.Client(base_url=url or self.hub.url, timeout=30,
                         headers={"Authorization": f"Bearer {token}"})
        self.clients.append(c)
        return c

    def trainer(self, url: str | None = None) -> httpx.Client:
        return self.client(self.trainer_token, url)

    def learner(self, url: str | None = None) -> httpx.Client:
        return self.client(self.learner_token, url)


@pytest.fixture(name="setup")
def setup_fixture(hub: LiveHub, tmp_path: Path) -> Iterator[Setup]:
    """Trainer tina with the group "Bakkers", learner lea in it, and tina's signing key."""
    hub.add_trainer("tina")
    group = hub.create_group("Bakkers", "tina")
    learner = hub.device("lea", invite=group.invite_code)
    s = Setup(hub, group.id, hub.device("tina").token, learner.token,
              make_key(tmp_path / "keys", "tina"), [])
    yield s
    for c in s.clients:
        c.close()


def big_pack(tmp_path: Path, key: SigningKey | None, video_bytes: int, name: str = "src",
             pack_id: str = "bakken-nl", version: str = "1.0", shared: bytes | None = None,
             ) -> Path:
    """A real pack: one lesson with a large random video (or ``shared`` bytes), one small."""
    big = mp4_bytes(60.0, shared if shared is not None else os.urandom(video_bytes))
    lessons = [
        {"id": "groot", "title": "Grote les", "video": big, "subtitles": SRT,
         "notes": "# Notities"},
        {"id": "klein", "title": "Kleine les", "payload": os.urandom(50_000),
         "subtitles": SRT.replace("winkel", "bakkerij")},
    ]
    return build(tmp_path, key, name=name, pack_id=pack_id, version=version, lessons=lessons)


def hub_missing(client: httpx.Client, pack: Path) -> list[str]:
    import hashlib

    hashes = [hashlib.sha256(b).hexdigest() for b in read_pack(pack)[1].values()]
    return client.post("/v1/media/missing", json={"sha256": hashes}).json()["missing"]


def test_publish_sends_the_files_and_registers_the_pack(setup: Setup, tmp_path: Path) -> None:
    """A first publish uploads every file; the group's catalog then lists the pack."""
    pack = big_pack(tmp_path, setup.key, 300_000)
    files = read_pack(pack)[1]
    seen: list[tuple[int, int]] = []
    result = publish_pack(setup.trainer(), pack, "bakkers", progress=lambda d, t:
                          seen.append((d, t)), retry=FAST_RETRY)
    assert (result.pack_id, result.version, result.group_name) == ("bakken-nl", "1.0",
                                                                   "Bakkers")
    assert result.files == result.files_sent == len(files) and result.files_on_hub == 0
    assert result.bytes_sent == sum(len(b) for b in files.values()) and result.signed
    assert seen[-1] == (result.bytes_sent, result.bytes_sent)
    catalog = setup.learner().get(f"/v1/groups/{setup.group_id}/packs").json()
    assert [(p["pack_id"], p["version"], p["signed"]) for p in catalog] == [
        ("bakken-nl", "1.0", True)]
    again = publish_pack(setup.trainer(), pack, str(setup.group_id), retry=FAST_RETRY)
    assert again.files_sent == 0 and again.bytes_sent == 0  # all there: nothing sent twice


def test_interrupted_publish_resumes_without_resending(setup: Setup, tmp_path: Path,
                                                       proxy_factory) -> None:
    """Cancelled after the first three files (the large video among them), the publish is
    resumed by running it again: only the other files travel, counted by a proxy."""
    pack = big_pack(tmp_path, setup.key, 3 * MB)
    files = read_pack(pack)[1]  # in zip order, the order they are sent
    sent_first = list(files)[:3]
    assert sent_first[-1] == "01-groot/video.mp4"
    first_bytes = sum(len(files[p]) for p in sent_first)
    done = [0]

    def cancel() -> bool:
        return done[0] >= first_bytes

    with pytest.raises(PublishCancelled):
        publish_pack(setup.trainer(), pack, "Bakkers", progress=lambda d, t:
                     done.__setitem__(0, d), cancel=cancel, retry=FAST_RETRY)
    assert len(hub_missing(setup.trainer(), pack)) == len(files) - 3
    assert setup.learner().get(f"/v1/groups/{setup.group_id}/packs").json() == []
    proxy = proxy_factory()
    result = publish_pack(setup.trainer(proxy.url), pack, "Bakkers", retry=FAST_RETRY)
    rest = sum(len(b) for p, b in files.items() if p not in sent_first)
    assert result.files_sent == len(files) - 3 and result.files_on_hub == 3
    assert result.bytes_sent == rest
    assert rest <= proxy.up_bytes < rest + 64 * 1024  # the big video did not travel again
    assert proxy.up_bytes < 3 * MB
    assert [p["pack_id"] for p in setup.learner().get(
        f"/v1/groups/{setup.group_id}/packs").json()] == ["bakken-nl"]


def test_refusals_are_typed(setup: Setup, tmp_path: Path) -> None:
    """Unknown group, a learner publishing, a rebuilt version: each its own error."""
    pack = big_pack(tmp_path, setup.key, 10_000)
    with pytest.raises(GroupNotFound, match="Bakkers"):
        publish_pack(setup.trainer(), pack, "Slagers", retry=FAST_RETRY)
    with pytest.raises(NotTrainerOfGroup):
        publish_pack(setup.learner(), pack, "Bakkers", retry=FAST_RETRY)
    publish_pack(setup.trainer(), pack, "Bakkers", retry=FAST_RETRY)
    rebuilt = big_pack(tmp_path / "b", setup.key, 10_000)  # same id and version, new bytes
    with pytest.raises(VersionExists):
        publish_pack(setup.trainer(), rebuilt, "Bakkers", retry=FAST_RETRY)


def test_trainer_of_another_group_cannot_publish_there(setup: Setup, tmp_path: Path) -> None:
    """Another trainer does not even see the group: GroupNotFound, nothing uploaded."""
    setup.hub.add_trainer("tom")
    setup.hub.create_group("Slagers", "tom")
    tom = setup.client(setup.hub.device("tom").token)
    pack = big_pack(tmp_path, setup.key, 10_000)
    with pytest.raises(GroupNotFound):
        publish_pack(tom, pack, "Bakkers", retry=FAST_RETRY)
    assert len(hub_missing(setup.trainer(), pack)) == len(read_pack(pack)[1])


def test_damaged_or_unsigned_pack_is_refused_before_upload(setup: Setup,
                                                           tmp_path: Path) -> None:
    """A pack whose bytes do not match its manifest never reaches the hub; unsigned needs a
    deliberate choice."""
    pack = big_pack(tmp_path, setup.key, 200_000)
    data = bytearray(pack.read_bytes())
    middle = len(data) // 2
    data[middle:middle + 10] = bytes(10)
    damaged = tmp_path / "damaged.cpack"
    damaged.write_bytes(bytes(data))
    with pytest.raises(InvalidPack, match="do not match"):
        publish_pack(setup.trainer(), damaged, "Bakkers", retry=FAST_RETRY)
    with pytest.raises(InvalidPack, match="not a zip"):
        publish_pack(setup.trainer(), tmp_path / "keys" / "tina.pub", "Bakkers")
    unsigned = big_pack(tmp_path / "u", None, 10_000, pack_id="plain-pack")
    with pytest.raises(InvalidPack, match="not signed"):
        publish_pack(setup.trainer(), unsigned, "Bakkers", retry=FAST_RETRY)
    assert len(hub_missing(setup.trainer(), pack)) == len(read_pack(pack)[1])
    result = publish_pack(setup.trainer(), unsigned, "Bakkers", allow_unsigned=True,
                          retry=FAST_RETRY)
    assert not result.signed


def test_hub_unreachable_is_offline(setup: Setup, tmp_path: Path) -> None:
    """No hub at the address: HubOffline after the retries, in plain words."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    pack = big_pack(tmp_path, setup.key, 10_000)
    with pytest.raises(HubOffline, match="cannot reach the hub"):
        publish_pack(setup.trainer(f"http://127.0.0.1:{port}"), pack, "Bakkers",
                     retry=FAST_RETRY)


def test_a_file_over_the_hubs_limit_is_refused_before_any_upload(tmp_path: Path) -> None:
    """A hub that takes smaller files than the pack has: the trainer hears it at once, with
    the file and both sizes, instead of after uploading everything else first."""
    small = start_hub(HubSettings(data_dir=tmp_path / "small", argon2_time_cost=1,
                                  argon2_memory_kib=1024, argon2_parallelism=1,
                                  max_media_bytes=200_000))
    try:
        small.add_trainer("tina")
        small.create_group("Bakkers", "tina")
        pack = big_pack(tmp_path, make_key(tmp_path / "keys", "tina"), 300_000)
        with small.client(small.device("tina").token) as c:
            with pytest.raises(InvalidPack, match=r"video\.mp4 is .* at most 200,000 bytes"):
                publish_pack(c, pack, "Bakkers", retry=FAST_RETRY)
            assert len(hub_missing(c, pack)) == len(read_pack(pack)[1])  # nothing was sent
    finally:
        small.stop()
