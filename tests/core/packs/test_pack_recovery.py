"""A process killed (SIGKILL) in the middle of an import: the next start finds a consistent
library, no half-imported pack and no temporary files."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from companion.core.packs.keys import SigningKey
from companion.services import build_services
from tests.core.packs.pack_factory import build, default_lessons, media_files, snapshot

pytestmark = pytest.mark.skipif(os.name != "posix", reason="needs SIGKILL")

# The child imports a pack and kills itself without any chance to clean up: after the first
# MiB reaches a temporary file ("copy"), or inside the database transaction ("commit").
CHILD = r"""
import os, signal, sys
from companion.services import build_services
from companion.core.media_store import MediaStore
from companion.core.packs.manager import PackManager

home, pack, where = sys.argv[1:4]

def die():
    os.kill(os.getpid(), signal.SIGKILL)

if where == "copy":
    write = MediaStore._write_chunk
    written = [0]
    def write_then_die(self, out, chunk):
        write(self, out, chunk)
        written[0] += len(chunk)
        if written[0] >= 1024 * 1024:
            die()
    MediaStore._write_chunk = write_then_die
else:
    save = PackManager._save
    def save_then_die(self, *args):
        save(self, *args)
        die()
    PackManager._save = save_then_die

services = build_services(home)
services.packs.import_pack(pack)
print("the import finished: the test did not kill it")
"""


def big_lessons(tag: bytes) -> list[dict]:
    """Lessons whose videos span several copy buffers, so the kill lands mid-copy."""
    lessons = default_lessons()
    for n, lesson in enumerate(lessons):
        lesson["payload"] = tag + bytes([n]) * (3 * 1024 * 1024)
    return lessons


def run_child(home: Path, pack: Path, where: str) -> None:
    proc = subprocess.run([sys.executable, "-c", CHILD, str(home), str(pack), where],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == -signal.SIGKILL, proc.stdout + proc.stderr


@pytest.fixture
def prepared(home: Path, key: SigningKey, tmp_path: Path) -> dict:
    """A library that trusts Anna and holds version 1.0 of a pack with big videos."""
    services = build_services(home)
    services.trust.trust(key.public_key)
    services.packs.import_pack(build(tmp_path, key, name="v1", lessons=big_lessons(b"v1")))
    state = snapshot(services)
    services.close()
    return state


def reopen_and_check(home: Path, before: dict) -> None:
    marker = home / "data" / "pack-operation.json"
    assert marker.exists(), "the killed import left its marker"
    services = build_services(home)  # the composition root runs recover()
    try:
        assert not marker.exists()
        assert snapshot(services) == before, "no half pack, no orphan files, no temp files"
        assert services.db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        referenced = {r[0] for r in services.db.execute("SELECT sha256 FROM pack_files")}
        assert media_files(services) == referenced
    finally:
        services.close()


def test_killed_while_copying_a_new_pack(home: Path, key: SigningKey, tmp_path: Path,
                                         prepared: dict) -> None:
    """Killed mid-copy on a first install: the pack is absent and its files are gone."""
    pack = build(tmp_path, key, name="new", pack_id="new-pack", lessons=big_lessons(b"new"))
    run_child(home, pack, "copy")
    assert list((home / "data" / "media" / "tmp").iterdir()), "killed with a temp file open"
    reopen_and_check(home, prepared)


def test_killed_inside_the_transaction(home: Path, key: SigningKey, tmp_path: Path,
                                       prepared: dict) -> None:
    """Killed after all files were copied but before the commit: no trace of the pack."""
    pack = build(tmp_path, key, name="new", pack_id="new-pack", lessons=big_lessons(b"new"))
    run_child(home, pack, "commit")
    stored = {p.name for p in (home / "data" / "media").glob("??/*")}
    assert len(stored) > len([k for k in prepared["media"] if "/" in k and len(k) > 64]), (
        "the new files were in the store when the process died")
    reopen_and_check(home, prepared)


def test_killed_while_updating(home: Path, key: SigningKey, tmp_path: Path,
                               prepared: dict) -> None:
    """Killed while copying version 1.1: version 1.0 is intact, with all of its media."""
    pack = build(tmp_path, key, name="v2", version="1.1", lessons=big_lessons(b"v2"))
    run_child(home, pack, "copy")
    reopen_and_check(home, prepared)
    services = build_services(home)
    try:
        assert services.packs.get_pack("test-pack").version == "1.0"
        assert services.packs.import_pack(pack).status == "updated", "a retry works"
    finally:
        services.close()
