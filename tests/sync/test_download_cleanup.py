"""Files a download has fetched but not installed yet survive the library's clean-up.

A download moves each verified file into the media store, then installs the pack. In between,
the store holds files no database row names; the clean-up after a killed or failed import or
removal (``PackManager.recover``, the failure path of an import, the media collection of a
removal) must not take them, or the install fails and the bytes are fetched a second time.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from companion.core.errors import CompanionError, LibraryError
from companion.core.media_store import HOLD_MAX_AGE_S, MediaStore
from companion.core.packs.lock import try_lock
from companion.services import Services
from companion.sync.downloads import Downloader
from companion.sync.publish import publish_pack
from tests.core.packs.pack_factory import read_pack, repack
from tests.sync.test_downloads import pc  # noqa: F401 - a fixture, used by name
from tests.sync.test_publish import (  # noqa: F401 - the fixtures are used by name
    FAST_RETRY,
    MB,
    FaultProxy,
    Setup,
    big_pack,
    setup_fixture,
)


def publish(setup: Setup, tmp_path: Path, where: str, **kw) -> Path:
    pack = big_pack(tmp_path / where, setup.key, kw.pop("video_bytes", 0), **kw)
    publish_pack(setup.trainer(), pack, "Bakkers", retry=FAST_RETRY)
    return pack


def pack_shas(pack: Path) -> set[str]:
    import hashlib

    return {hashlib.sha256(b).hexdigest() for b in read_pack(pack)[1].values()}


def fetched_but_not_installed(setup: Setup, pc: Services, pack_id: str = "bakken-nl") -> None:
    """Run a download whose install is refused (another import holds the library's pack
    lock): every file is in the store, the pack is not installed."""
    d = Downloader(setup.learner(), pc.packs, retry=FAST_RETRY)
    with try_lock(pc.locations.data_dir / "packs.lock") as locked:
        assert locked
        with pytest.raises(LibraryError, match="another pack import or removal is running"):
            d.download_pack(setup.group_id, pack_id)
    assert d.bytes_received > 0
    assert pc.packs.installed_manifest(pack_id) is None


def install_again_without_fetching(setup: Setup, pc: Services, pack_id: str = "bakken-nl"
                                   ) -> None:
    """The download run again installs from the store: not one media byte on the wire."""
    proxy = FaultProxy(setup.hub.url)
    try:
        d = Downloader(setup.learner(proxy.url), pc.packs, retry=FAST_RETRY)
        result = d.download_pack(setup.group_id, pack_id)
    finally:
        proxy.close()
    assert result.result.status == "installed"
    assert (result.files_fetched, result.bytes_fetched, d.bytes_received) == (0, 0, 0)
    assert proxy.down_bytes < 64 * 1024  # the manifest, no file
    assert not pc.packs.store.pending_dir.exists()  # the hold is released once installed


def kill_marker(pc: Services) -> None:
    """What a killed import leaves behind: recover() then cleans up at the next start."""
    (pc.locations.data_dir / "pack-operation.json").write_text("{}")


def test_recover_spares_a_finished_download(setup: Setup, pc: Services,
                                            tmp_path: Path) -> None:
    """recover() after a killed import deletes real orphans but not the downloaded files; the
    install then needs nothing from the hub."""
    pack = publish(setup, tmp_path, "p", video_bytes=2 * MB)
    fetched_but_not_installed(setup, pc)
    store = pc.packs.store
    assert pack_shas(pack) <= set(store.iter_shas())
    orphan = store.ingest(io.BytesIO(b"nobody's file"), None, None)[0]
    kill_marker(pc)
    assert pc.packs.recover() is True
    assert not store.has(orphan)  # the clean-up still works
    assert pack_shas(pack) <= set(store.iter_shas())
    install_again_without_fetching(setup, pc)


def test_a_failed_import_spares_a_finished_download(setup: Setup, pc: Services,
                                                    tmp_path: Path) -> None:
    """An import of a damaged .cpack fails inside the pack lock and cleans up at once: the
    downloaded files stay."""
    pack = publish(setup, tmp_path, "p", video_bytes=MB)
    fetched_but_not_installed(setup, pc)
    other = big_pack(tmp_path / "usb", setup.key, 100_000, pack_id="usb-pack")
    manifest, files = read_pack(other)
    video = "01-groot/video.mp4"
    files[video] = files[video][:-4] + b"XXXX"  # same size, other bytes: found while copying
    damaged = repack(tmp_path / "damaged.cpack", manifest, files, setup.key)
    with pytest.raises(CompanionError, match="do not match"):
        pc.packs.import_pack(damaged)
    assert pack_shas(pack) <= set(pc.packs.store.iter_shas())
    install_again_without_fetching(setup, pc)


def test_removing_a_pack_keeps_a_shared_file_a_download_needs(setup: Setup, pc: Services,
                                                              tmp_path: Path) -> None:
    """Pack B shares its video with installed pack A. B's download skips the video (the store
    has it) and its install is held up; removing A then must not delete the video."""
    video = os.urandom(MB)
    publish(setup, tmp_path, "a", shared=video, pack_id="bakken-a")
    pack_b = publish(setup, tmp_path, "b", shared=video, pack_id="bakken-b")
    Downloader(setup.learner(), pc.packs, retry=FAST_RETRY).download_pack(setup.group_id,
                                                                          "bakken-a")
    fetched_but_not_installed(setup, pc, "bakken-b")
    pc.packs.remove("bakken-a")
    assert pack_shas(pack_b) <= set(pc.packs.store.iter_shas())
    install_again_without_fetching(setup, pc, "bakken-b")


def test_without_the_hold_the_files_would_go(setup: Setup, pc: Services,
                                             tmp_path: Path) -> None:
    """The control: a hold given up (released, or not renewed for HOLD_MAX_AGE_S) protects
    nothing, and recover() takes the unreferenced files as before."""
    pack = publish(setup, tmp_path, "p")
    fetched_but_not_installed(setup, pc)
    store = pc.packs.store
    holds = list(store.pending_dir.glob("*.json"))
    assert len(holds) == 1
    assert set(json.loads(holds[0].read_text())["sha256"]) == pack_shas(pack)
    assert store.held(now=time.time() + HOLD_MAX_AGE_S + 60) == set()
    assert not holds[0].exists()  # an expired hold is deleted
    kill_marker(pc)
    assert pc.packs.recover() is True
    assert not pack_shas(pack) & set(store.iter_shas())


def test_store_holds_and_temp_clean_up(tmp_path: Path) -> None:
    """The store's side: gc spares held files and files with a partial download; clean_temp
    keeps partial files and their sidecars, and takes other temporary files."""
    store = MediaStore(tmp_path / "media")
    a, b, c = (store.ingest(io.BytesIO(x), None, None)[0] for x in (b"a", b"b", b"c"))
    part = store.open_partial("d" * 64, 10)
    part.write(b"12345")
    part.close()
    (store.tmp_dir / f"{'d' * 64}.part.json").write_text("{}")
    (store.tmp_dir / "ingest-x.tmp").write_bytes(b"half")
    store.hold("k1", [a])
    assert store.held() == {a, "d" * 64}
    assert sorted(store.gc(set())) == sorted([b, c])
    assert set(store.iter_shas()) == {a}
    assert store.clean_temp() == 1
    assert sorted(p.name for p in store.tmp_dir.iterdir()) == [
        f"{'d' * 64}.part", f"{'d' * 64}.part.json"]
    with pytest.raises(ValueError):
        store.hold("../evil", [a])
    store.release("k1")
    assert not store.pending_dir.exists()
    assert store.gc(set()) == [a]


def test_core_does_not_import_sync() -> None:
    """The hold lives in the core: the pack manager and the store load without the sync
    package."""
    code = ("import sys, companion.core.packs.manager, companion.core.media_store;"
            "sys.exit(any(m.startswith('companion.sync') for m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
