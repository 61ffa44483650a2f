"""Building a .cpack from a source folder."""

from __future__ import annotations

import base64
import hashlib
import json
import zipfile
from pathlib import Path

import pytest

from companion.core.errors import KeyFileError, PackSourceError
from companion.core.packs.build import build_pack
from companion.core.packs.format import FORMAT_NAME, FORMAT_VERSION, parse_manifest
from companion.core.packs.keys import PublicKey, SigningKey
from companion.core.packs.reader import open_pack
from tests.core.packs.pack_factory import write_source


def test_build_writes_a_signed_pack(tmp_path: Path, key: SigningKey) -> None:
    """<id>-<version>.cpack with manifest.json, signature.json and every file, hashed."""
    src = write_source(tmp_path / "src")
    result = build_pack(src, tmp_path / "out", key)
    assert result.path == tmp_path / "out" / "test-pack-1.0.cpack"
    assert (result.pack_id, result.version, result.signed, result.lessons) == (
        "test-pack", "1.0", True, 2)
    assert result.size == result.path.stat().st_size
    with zipfile.ZipFile(result.path) as zf:
        names = zf.namelist()
        manifest_bytes = zf.read("manifest.json")
        signature = json.loads(zf.read("signature.json"))
        infos = {i.filename: i for i in zf.infolist()}
        for entry in json.loads(manifest_bytes)["files"]:
            data = zf.read(entry["path"])
            assert (len(data), hashlib.sha256(data).hexdigest()) == (entry["size"], entry["sha256"])
    assert names[:2] == ["manifest.json", "signature.json"]
    manifest = json.loads(manifest_bytes)
    assert (manifest["format"], manifest["format_version"]) == (FORMAT_NAME, FORMAT_VERSION)
    assert manifest["lessons"][0]["video"] == "01-intro/video.mp4"
    assert manifest["lessons"][0]["duration_s"] == 95.0
    assert manifest["lessons"][0]["subtitles"] == [
        {"language": "nl", "path": "01-intro/subtitles.nl.srt"}]
    assert parse_manifest(manifest_bytes).pack.title == "Testpakket"
    public = PublicKey(signature["signer"], base64.b64decode(signature["public_key"]))
    assert public == key.public_key
    assert public.verify(base64.b64decode(signature["signature"]), manifest_bytes)
    # video stored as is (fast to read back), text deflated
    assert infos["01-intro/video.mp4"].compress_type == zipfile.ZIP_STORED
    assert infos["01-intro/notes.md"].compress_type == zipfile.ZIP_DEFLATED
    assert infos["manifest.json"].compress_type == zipfile.ZIP_DEFLATED
    assert list((tmp_path / "out").iterdir()) == [result.path]  # no temporary file left


def test_built_pack_passes_the_reader(tmp_path: Path, key: SigningKey) -> None:
    """What the builder writes, the reader accepts in full (bytes included)."""
    path = build_pack(write_source(tmp_path / "src"), tmp_path / "out", key).path
    with open_pack(path) as reader:
        assert reader.check_trust(lambda fpr: fpr == key.public_key.fingerprint).name == "anna"
        texts = reader.verify_contents()
    assert "Welkom" in texts["01-intro/subtitles.nl.srt"].decode()


def test_warnings_for_long_lessons_and_missing_subtitles(tmp_path: Path) -> None:
    """Longer than 3 minutes, or no subtitles: a warning each, and the pack is still built."""
    src = write_source(tmp_path / "src", lessons=[
        {"id": "long", "title": "Lang", "duration_s": 200.0, "subtitles": "1\n"
         "00:00:01,000 --> 00:00:02,000\nx\n"},
        {"id": "mute", "title": "Stil", "duration_s": 60.0},
        {"id": "fine", "title": "Goed", "duration_s": 180.0, "subtitles": "1\n"
         "00:00:01,000 --> 00:00:02,000\nx\n"},
    ])
    result = build_pack(src, tmp_path / "out")
    assert result.path.exists() and not result.signed
    assert len(result.warnings) == 2
    assert "01-long/lesson.toml: lesson 'long' lasts 3 min 20 s" in result.warnings[0]
    assert "02-mute/lesson.toml: lesson 'mute' has no subtitles" in result.warnings[1]


def test_unsigned_build_has_no_signature(tmp_path: Path) -> None:
    """Without a key there is no signature.json."""
    path = build_pack(write_source(tmp_path / "src"), tmp_path / "out").path
    with zipfile.ZipFile(path) as zf:
        assert "signature.json" not in zf.namelist()


def test_key_file_path_is_accepted(tmp_path: Path, key: SigningKey) -> None:
    """--key passes a path; the builder loads the key itself."""
    result = build_pack(write_source(tmp_path / "src"), tmp_path / "out",
                        str(tmp_path / "keys" / "anna.key"))
    assert result.signed and result.signer_name == "anna"


def test_bad_key_file_builds_nothing(tmp_path: Path) -> None:
    """A missing key file is an error before anything is written."""
    with pytest.raises(KeyFileError, match="no such key file"):
        build_pack(write_source(tmp_path / "src"), tmp_path / "out", tmp_path / "nope.key")
    assert not (tmp_path / "out").exists()


def test_bad_source_builds_nothing(tmp_path: Path, key: SigningKey) -> None:
    """A source error leaves no .cpack and no temporary file behind."""
    src = write_source(tmp_path / "src")
    (src / "02-second" / "video.mp4").unlink()
    (tmp_path / "out").mkdir()
    with pytest.raises(PackSourceError, match="no such file"):
        build_pack(src, tmp_path / "out", key)
    assert list((tmp_path / "out").iterdir()) == []


def test_rebuild_replaces_the_pack(tmp_path: Path, key: SigningKey) -> None:
    """Building the same version again replaces the file atomically (no leftovers)."""
    src = write_source(tmp_path / "src")
    first = build_pack(src, tmp_path / "out", key).path
    (src / "01-intro" / "notes.md").write_text("Nieuwe notities")
    second = build_pack(src, tmp_path / "out", key).path
    assert first == second and list((tmp_path / "out").iterdir()) == [second]
    with zipfile.ZipFile(second) as zf:
        assert zf.read("01-intro/notes.md") == b"Nieuwe notities"
