"""Every kind of bad .cpack: a clear error from verify and import, and the library exactly as
it was before (every table row and every file under media/)."""

from __future__ import annotations

import copy
import errno
import json
import stat
import zipfile
from pathlib import Path
from typing import Any

import pytest

from companion.core.errors import PackError, PackFormatError, StorageError
from companion.core.media_store import MediaStore
from companion.core.packs import format as pack_format
from companion.core.packs import reader as pack_reader
from companion.core.packs.keys import SigningKey
from companion.core.packs.manager import ImportCancelled
from companion.core.packs.reader import BadSignatureError, UnknownSignerError, UnsignedPackError
from companion.services import Services
from tests.core.packs.pack_factory import (
    build,
    file_entry,
    make_key,
    read_pack,
    repack,
    signature_bytes,
    snapshot,
    write_zip,
)

VIDEO = "01-intro/video.mp4"
NOTES = "01-intro/notes.md"

Parts = tuple[dict[str, Any], dict[str, bytes]]


@pytest.fixture
def good(tmp_path: Path, key: SigningKey) -> Parts:
    """The manifest and files of a valid signed pack 'test-pack' (not yet imported)."""
    return read_pack(build(tmp_path, key))


@pytest.fixture
def bad(tmp_path: Path) -> Path:
    return tmp_path / "bad.cpack"


def refused(library: Services, path: Path, error: type[PackError] = PackFormatError,
            match: str = "", **kwargs: Any) -> PackError:
    """verify and import both refuse ``path`` with ``error``; the library is untouched."""
    before = snapshot(library)
    with pytest.raises(error, match=match):
        library.packs.verify(path, **kwargs)
    with pytest.raises(error, match=match) as info:
        library.packs.import_pack(path, **kwargs)
    assert snapshot(library) == before
    assert str(info.value).startswith(f"{path}: "), "the error names the file first"
    assert not (library.locations.data_dir / "pack-operation.json").exists()
    assert [p.id for p in library.packs.list_packs()] == ["base-pack"]
    return info.value


def rename(parts: Parts, old: str, new: str) -> Parts:
    manifest, files = copy.deepcopy(parts[0]), dict(parts[1])
    for f in manifest["files"]:
        if f["path"] == old:
            f["path"] = new
    for lesson in manifest["lessons"]:
        if lesson["video"] == old:
            lesson["video"] = new
    files[new] = files.pop(old)
    return manifest, files


def test_not_a_zip(library: Services, bad: Path) -> None:
    """A text file with the .cpack name: 'not a zip file'."""
    bad.write_text("these are not the bytes you are looking for")
    refused(library, bad, match="is not a lesson pack \\(not a zip file\\)")


def test_empty_file(library: Services, bad: Path) -> None:
    """An empty file is not a zip either."""
    bad.write_bytes(b"")
    refused(library, bad, match="not a zip file")


def test_truncated_zip(library: Services, bad: Path, tmp_path: Path, key: SigningKey) -> None:
    """A copy cut short (half the bytes) is reported as damaged or incomplete."""
    data = build(tmp_path, key).read_bytes()
    bad.write_bytes(data[: len(data) // 2])
    refused(library, bad, match="damaged or incomplete")


def test_truncated_end_of_directory(library: Services, bad: Path, tmp_path: Path,
                                    key: SigningKey) -> None:
    """Only the last bytes missing (end of the zip directory) is damaged too."""
    data = build(tmp_path, key).read_bytes()
    bad.write_bytes(data[:-10])
    refused(library, bad, match="damaged or incomplete")


def test_missing_file(library: Services, tmp_path: Path) -> None:
    """A path that does not exist: 'no such file'."""
    refused(library, tmp_path / "nope.cpack", match="no such file")


def test_no_manifest(library: Services, bad: Path, good: Parts) -> None:
    """A zip without manifest.json is not a pack."""
    write_zip(bad, list(good[1].items()))
    refused(library, bad, match="has no manifest.json")


def test_manifest_not_json(library: Services, bad: Path, good: Parts, key: SigningKey) -> None:
    """A manifest that is not JSON says so."""
    repack(bad, b"{this is not json", good[1], key)
    refused(library, bad, match="manifest.json is not valid JSON")


def test_manifest_not_utf8(library: Services, bad: Path, good: Parts, key: SigningKey) -> None:
    """A manifest in another encoding is refused as not UTF-8."""
    repack(bad, json.dumps(good[0]).encode("utf-16"), good[1], key)
    refused(library, bad, match="manifest.json is not UTF-8")


@pytest.mark.parametrize(("change", "message"), [
    (lambda m: m["lessons"][1].update(title=5), "manifest.json: lessons[1].title must be a string"),
    (lambda m: m["files"][0].update(size="12"), "manifest.json: files[0].size must be a whole"),
    (lambda m: m["files"][0].update(size=True), "manifest.json: files[0].size must be a whole"),
    (lambda m: m["files"][0].update(sha256="abc"), "manifest.json: files[0].sha256 'abc' is not"),
    (lambda m: m["pack"].pop("id"), "manifest.json: pack.id is missing"),
    (lambda m: m.update(lessons={}), "manifest.json: lessons must be a list"),
    (lambda m: m["lessons"][0].update(quiz=[{"question": "q", "choices": ["a", "b"],
                                             "answer": 2}]),
     "manifest.json: lessons[0].quiz[0].answer must be between 0 and 1"),
    (lambda m: m["lessons"][0].update(duration_s="long"),
     "manifest.json: lessons[0].duration_s must be a number"),
    (lambda m: m["lessons"][1].update(id="intro"), "lessons[1].id 'intro' is used by two"),
])
def test_manifest_wrong_types(library: Services, bad: Path, good: Parts, key: SigningKey,
                              change: Any, message: str) -> None:
    """A manifest field of the wrong type or value: the error names the field."""
    manifest = copy.deepcopy(good[0])
    change(manifest)
    repack(bad, manifest, good[1], key)
    refused(library, bad, match=message.replace("[", "\\[").replace("]", "\\]"))


def test_manifest_top_level_not_object(library: Services, bad: Path, good: Parts,
                                       key: SigningKey) -> None:
    """A manifest that is a JSON list is refused."""
    repack(bad, b"[]", good[1], key)
    refused(library, bad, match="the top level must be an object")


def test_manifest_duplicate_keys(library: Services, bad: Path, good: Parts,
                                 key: SigningKey) -> None:
    """Two values for one key (two readers could see two manifests) is refused."""
    text = json.dumps(good[0])
    repack(bad, ('{"format": "other", ' + text[1:]).encode(), good[1], key)
    refused(library, bad, match="the key 'format' appears twice")


def test_manifest_nan(library: Services, bad: Path, good: Parts, key: SigningKey) -> None:
    """NaN is not JSON and is refused."""
    text = json.dumps(good[0]).replace('"duration_s": 95.0', '"duration_s": NaN')
    repack(bad, text.encode(), good[1], key)
    refused(library, bad, match="NaN is not allowed")


def test_unknown_format_version(library: Services, bad: Path, good: Parts,
                                key: SigningKey) -> None:
    """A pack from a newer companion asks for an update instead of guessing."""
    repack(bad, {**good[0], "format_version": 2}, good[1], key)
    refused(library, bad, match="format_version is 2: the pack was made by a newer companion")


def test_wrong_format_name(library: Services, bad: Path, good: Parts, key: SigningKey) -> None:
    """Some other zip with a manifest.json is not taken for a pack."""
    repack(bad, {**good[0], "format": "epub"}, good[1], key)
    refused(library, bad, match="not a companion lesson pack")


@pytest.mark.parametrize(("name", "problem"), [
    ("../evil.mp4", "has an empty, '.' or '..' part"),
    ("01-intro/../../evil.mp4", "has an empty, '.' or '..' part"),
    ("/etc/evil.mp4", "is an absolute path"),
    ("C:/Windows/evil.mp4", "starts with a drive letter"),
    ("01-intro\\video.mp4", "contains a backslash"),
    ("01-intro/video.mp4:stream", "contains ':'"),
])
def test_unsafe_entry_paths(library: Services, bad: Path, good: Parts, key: SigningKey,
                            name: str, problem: str) -> None:
    """'..', absolute, drive-letter, backslash and ':' paths are refused by name."""
    manifest, files = rename(good, VIDEO, name)
    repack(bad, manifest, files, key)
    error = refused(library, bad, match="is not a safe path")
    assert problem in str(error)


def test_unsafe_path_only_in_manifest(library: Services, bad: Path, good: Parts,
                                      key: SigningKey) -> None:
    """A '..' path in the manifest alone is refused by its field."""
    manifest = copy.deepcopy(good[0])
    manifest["lessons"][0]["notes"] = "../notes.md"
    repack(bad, manifest, good[1], key)
    refused(library, bad, match=r"manifest.json: lessons\[0\].notes '../notes.md' has an empty")


def test_symlink_entry(library: Services, bad: Path, good: Parts, key: SigningKey) -> None:
    """An entry marked as a symbolic link (zip external_attr) is refused."""
    link = zipfile.ZipInfo("01-intro/link.md", date_time=(1980, 1, 1, 0, 0, 0))
    link.create_system = 3
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    manifest = copy.deepcopy(good[0])
    manifest["files"].append(file_entry("01-intro/link.md", b"/etc/passwd"))
    repack(bad, manifest, good[1], key, extra=[(link, b"/etc/passwd")])
    refused(library, bad, match="'01-intro/link.md' is a symbolic link")


def test_folder_entry(library: Services, bad: Path, good: Parts, key: SigningKey) -> None:
    """A folder entry is refused (a pack holds only files)."""
    repack(bad, good[0], good[1], key, extra=[("01-intro/", b"")])
    refused(library, bad, match="is a folder")


def test_duplicate_entry_names(library: Services, bad: Path, good: Parts,
                               key: SigningKey) -> None:
    """Two entries with one name (which one would be read?) are refused."""
    repack(bad, good[0], good[1], key, extra=[(VIDEO, b"other bytes")])
    refused(library, bad, match="holds two entries named '01-intro/video.mp4'")


def test_encrypted_entry(library: Services, bad: Path, tmp_path: Path, key: SigningKey) -> None:
    """An entry flagged as encrypted is refused."""
    data = bytearray(build(tmp_path, key).read_bytes())
    name = NOTES.encode()
    local = data.index(name) - 30  # the first copy of the name follows its local header
    central = data.index(name, local + 31) - 46  # the second follows its directory entry
    assert data[local:local + 4] == b"PK\x03\x04" and data[central:central + 4] == b"PK\x01\x02"
    data[local + 6] |= 0x1  # general purpose flags: bit 0 = encrypted
    data[central + 8] |= 0x1
    bad.write_bytes(bytes(data))
    refused(library, bad, match="is encrypted")


def test_local_header_differs(library: Services, bad: Path, tmp_path: Path,
                              key: SigningKey) -> None:
    """A local header whose name differs from the directory's (a crafted zip) is refused."""
    data = build(tmp_path, key).read_bytes()
    at = data.index(b"PK\x03\x04")
    at = data.index(NOTES.encode(), at)  # the first copy is in the local header
    bad.write_bytes(data[:at] + b"01-intro/notes.mX" + data[at + len(NOTES):])
    refused(library, bad, match="has two different headers")


def test_bytes_do_not_match_hash(library: Services, bad: Path, good: Parts,
                                 key: SigningKey) -> None:
    """A video whose bytes changed (same size) fails its SHA-256 check."""
    files = dict(good[1])
    files[VIDEO] = files[VIDEO][:-1] + bytes([files[VIDEO][-1] ^ 0xFF])
    repack(bad, good[0], files, key)
    refused(library, bad, match="01-intro/video.mp4: the bytes do not match manifest.json")


def test_size_does_not_match(library: Services, bad: Path, good: Parts, key: SigningKey) -> None:
    """A manifest size that differs from the zip entry is refused before reading."""
    manifest = copy.deepcopy(good[0])
    entry = next(f for f in manifest["files"] if f["path"] == VIDEO)
    entry["size"] += 1
    repack(bad, manifest, good[1], key)
    refused(library, bad, match=r"'01-intro/video.mp4' is \d+ bytes in the zip but \d+ in")


def test_entry_not_listed(library: Services, bad: Path, good: Parts, key: SigningKey) -> None:
    """A file in the zip that the manifest does not list is refused."""
    repack(bad, good[0], good[1], key, extra=[("extra.txt", b"surprise")])
    refused(library, bad, match="'extra.txt' is in the pack but not listed in manifest.json")


def test_listed_file_missing(library: Services, bad: Path, good: Parts, key: SigningKey) -> None:
    """A file the manifest lists but the zip lacks is refused."""
    files = dict(good[1])
    del files["02-second/subtitles.nl.srt"]
    repack(bad, good[0], files, key)
    refused(library, bad,
            match="manifest.json lists '02-second/subtitles.nl.srt', which is not in the pack")


def test_lesson_video_not_in_pack(library: Services, bad: Path, good: Parts,
                                  key: SigningKey) -> None:
    """A lesson naming a video the pack does not hold is refused by its field."""
    manifest = copy.deepcopy(good[0])
    manifest["lessons"][0]["video"] = "01-intro/missing.mp4"
    repack(bad, manifest, good[1], key)
    refused(library, bad,
            match=r"lessons\[0\].video names '01-intro/missing.mp4', which is not in the pack")


def test_manifest_too_large(library: Services, bad: Path, good: Parts, key: SigningKey) -> None:
    """A manifest over the size limit is refused before it is read."""
    info = zipfile.ZipInfo("manifest.json", date_time=(1980, 1, 1, 0, 0, 0))
    huge = b" " * (pack_format.MAX_MANIFEST_BYTES + 1)
    write_zip(bad, [(info, huge), *good[1].items()])
    refused(library, bad, match=f"manifest.json is {len(huge)} bytes; at most")


def test_too_many_files(library: Services, bad: Path, good: Parts, key: SigningKey,
                        monkeypatch: pytest.MonkeyPatch) -> None:
    """More entries than the file-count limit are refused (limit lowered for the test)."""
    repack(bad, good[0], good[1], key)
    monkeypatch.setattr(pack_reader, "MAX_FILES", 3)
    refused(library, bad, match="holds 7 entries; a pack holds at most 3 files")


def test_file_too_large(library: Services, bad: Path, good: Parts, key: SigningKey,
                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A file over the per-file limit is refused (limit lowered for the test)."""
    repack(bad, good[0], good[1], key)
    monkeypatch.setattr(pack_reader, "MAX_FILE_BYTES", 100)
    refused(library, bad, match=r"entry '[^']+' is \d+ bytes; at most 100$")


def test_total_too_large(library: Services, bad: Path, good: Parts, key: SigningKey,
                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Files adding up to more than the total limit are refused (limit lowered for the test)."""
    repack(bad, good[0], good[1], key)
    monkeypatch.setattr(pack_format, "MAX_TOTAL_BYTES", 100)
    refused(library, bad, match=r"manifest.json: files add up to \d+ bytes, more than the 100 ")


def test_compression_bomb(library: Services, bad: Path, good: Parts, key: SigningKey) -> None:
    """A deflated entry that would unpack far beyond its compressed size is refused."""
    blob = bytes(20 * 1024 * 1024)
    manifest = copy.deepcopy(good[0])
    manifest["files"].append(file_entry("01-intro/blob.txt", blob))
    repack(bad, manifest, good[1], key, extra=[("01-intro/blob.txt", blob)])
    refused(library, bad, match="refused as a compression bomb")


def test_unsigned(library: Services, bad: Path, good: Parts) -> None:
    """An unsigned pack is refused unless unsigned packs are allowed."""
    repack(bad, good[0], good[1], key=None)
    error = refused(library, bad, UnsignedPackError, match="the pack is not signed")
    assert error.signer_name is None and error.fingerprint is None


def test_bad_signature(library: Services, bad: Path, good: Parts, key: SigningKey) -> None:
    """A manifest changed after signing fails, even when unsigned packs are allowed."""
    original = json.dumps(good[0]).encode()
    changed = json.dumps({**good[0], "pack": {**good[0]["pack"], "title": "Evil"}}).encode()
    repack(bad, changed, good[1], key, signature=signature_bytes(key, original))
    error = refused(library, bad, BadSignatureError, match="does not match the pack",
                    allow_unsigned=True)
    assert error.signer_name == "anna" and error.fingerprint == key.public_key.fingerprint


def test_unknown_signer(library: Services, bad: Path, good: Parts, tmp_path: Path) -> None:
    """A pack signed by a key the PC does not trust names the signer and fingerprint."""
    eve = make_key(tmp_path / "eve-keys", "eve")
    repack(bad, good[0], good[1], eve)
    error = refused(library, bad, UnknownSignerError, match="signed by 'eve' \\(key ")
    assert error.signer_name == "eve" and error.fingerprint == eve.public_key.fingerprint
    assert eve.public_key.short_fingerprint in str(error)


@pytest.mark.parametrize(("signature", "message"), [
    (b"not json", "signature.json is not valid JSON"),
    (b'{"algorithm": "rsa", "signer": "a", "public_key": "", "signature": ""}',
     "signature.json: algorithm is 'rsa'"),
    (b'{"algorithm": "ed25519", "signer": "a", "public_key": "!!", "signature": ""}',
     "signature.json: public_key is not valid base64"),
    (b'{"algorithm": "ed25519", "signer": "a", "public_key": "AAAA", "signature": ""}',
     "signature.json: public_key must be 32 bytes"),
])
def test_malformed_signature(library: Services, bad: Path, good: Parts, signature: bytes,
                             message: str) -> None:
    """A signature.json of the wrong shape is a format error naming the field."""
    repack(bad, good[0], good[1], key=None, signature=signature)
    refused(library, bad, match=message)


def test_subtitles_not_utf8(library: Services, bad: Path, good: Parts, key: SigningKey) -> None:
    """Subtitles that are not UTF-8 are refused, after the media copy, which is undone."""
    manifest, files = copy.deepcopy(good[0]), dict(good[1])
    files["01-intro/subtitles.nl.srt"] = b"1\n00:00:01,000 --> 00:00:02,000\ncaf\xe9\n"
    entry = next(f for f in manifest["files"] if f["path"] == "01-intro/subtitles.nl.srt")
    entry.update(file_entry(entry["path"], files[entry["path"]]))
    repack(bad, manifest, files, key)
    refused(library, bad, match="01-intro/subtitles.nl.srt is not UTF-8 text")


def test_disk_full_during_import(library: Services, tmp_path: Path, key: SigningKey,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The disk filling up mid-copy: 'the disk is full', and the library is as it was."""
    path = build(tmp_path, key)
    before = snapshot(library)
    writes = []

    def fill_up(self: MediaStore, out: Any, chunk: Any) -> None:
        writes.append(len(chunk))
        if len(writes) > 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        out.write(chunk)

    monkeypatch.setattr(MediaStore, "_write_chunk", fill_up)
    with pytest.raises(StorageError, match="the disk is full"):
        library.packs.import_pack(path)
    assert len(writes) == 3, "two files were stored before the disk filled up"
    assert snapshot(library) == before


def test_cancelled_import(library: Services, tmp_path: Path, key: SigningKey) -> None:
    """Cancelling mid-import leaves the library as it was."""
    path = build(tmp_path, key)
    before = snapshot(library)
    calls = []

    def cancel() -> bool:
        calls.append(1)
        return len(calls) > 3

    with pytest.raises(ImportCancelled):
        library.packs.import_pack(path, cancel=cancel)
    assert snapshot(library) == before
