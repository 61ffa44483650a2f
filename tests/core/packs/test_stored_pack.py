"""Installing a pack whose files are already in the media store (what a download ends with)."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from companion.core.errors import PackFormatError
from companion.core.packs.format import MANIFEST_NAME, MAX_MANIFEST_BYTES, SIGNATURE_NAME
from companion.core.packs.keys import SigningKey
from companion.core.packs.reader import (
    BadSignatureError,
    UnknownSignerError,
    UnsignedPackError,
)
from companion.core.packs.stored import StoredPack
from companion.services import Services, build_services
from tests.core.packs.pack_factory import build, make_key, media_files, snapshot
from tests.core.packs.test_pack_manager import lesson_rows


def parts(pack: Path) -> tuple[bytes, bytes | None, dict[str, bytes]]:
    """Manifest bytes, signature bytes and the files of a built pack, as the hub holds them."""
    with zipfile.ZipFile(pack) as zf:
        names = zf.namelist()
        sig = zf.read(SIGNATURE_NAME) if SIGNATURE_NAME in names else None
        files = {n: zf.read(n) for n in names if n not in (MANIFEST_NAME, SIGNATURE_NAME)}
        return zf.read(MANIFEST_NAME), sig, files


def put_in_store(services: Services, files: dict[str, bytes]) -> None:
    """What the downloader does: every file into the store, checked against its hash."""
    for data in files.values():
        services.packs.store.ingest(io.BytesIO(data), None, len(data))


@pytest.fixture
def other(tmp_path: Path, key: SigningKey) -> Services:
    """A second library (another PC) that trusts Anna, for comparing with a .cpack import."""
    s = build_services(tmp_path / "other-home")
    s.trust.trust(key.public_key)
    yield s
    s.close()


def test_install_from_store_equals_cpack_import(library: Services, other: Services,
                                                tmp_path: Path, key: SigningKey) -> None:
    """The same lessons, files and manifest as importing the .cpack on another PC."""
    pack = build(tmp_path, key)
    manifest, sig, files = parts(pack)
    put_in_store(library, files)
    result = library.packs.import_from_store(manifest, sig, label="test-pack from the hub")
    assert (result.status, result.pack_id, result.signer_name) == ("installed", "test-pack",
                                                                   "anna")
    assert result.files_copied == 0 and result.files_reused == len(files)
    other.packs.import_pack(pack)
    assert lesson_rows(library, "test-pack") == lesson_rows(other, "test-pack")
    exported = library.packs.export("test-pack", tmp_path / "export")
    assert exported.read_bytes() == pack.read_bytes()  # the signature still holds, byte for byte
    again = library.packs.import_from_store(manifest, sig)
    assert again.status == "unchanged"


def test_missing_file_is_refused_and_changes_nothing(library: Services, tmp_path: Path,
                                                     key: SigningKey) -> None:
    """A file not downloaded yet: a clear error naming it, and the library as it was."""
    manifest, sig, files = parts(build(tmp_path, key))
    left_out = "01-intro/video.mp4"
    put_in_store(library, {p: b for p, b in files.items() if p != left_out})
    before = snapshot(library)
    with pytest.raises(PackFormatError, match=left_out):
        library.packs.import_from_store(manifest, sig)
    rows = snapshot(library)["rows"]
    assert rows == before["rows"]


def test_unknown_signer_gets_the_import_question(library: Services, tmp_path: Path) -> None:
    """An untrusted key raises the same UnknownSignerError as a .cpack import, before the
    files are even looked at; allowing it installs."""
    eve = make_key(tmp_path / "eve", "eve")
    pack = build(tmp_path, eve, name="eve-src", pack_id="eve-pack")
    manifest, sig, files = parts(pack)
    with pytest.raises(UnknownSignerError) as from_file:
        library.packs.import_pack(pack)
    with pytest.raises(UnknownSignerError) as from_store:
        library.packs.import_from_store(manifest, sig)  # nothing downloaded: trust comes first
    assert (from_store.value.signer_name, from_store.value.fingerprint) == (
        from_file.value.signer_name, from_file.value.fingerprint)
    assert from_store.value.message == from_file.value.message
    put_in_store(library, files)
    result = library.packs.import_from_store(manifest, sig, allow_unsigned=True)
    assert result.signer_name == "eve" and result.status == "installed"


def test_bad_signature_is_always_refused(library: Services, tmp_path: Path,
                                         key: SigningKey) -> None:
    """A manifest changed after signing is refused even when unsigned packs are allowed."""
    manifest, sig, files = parts(build(tmp_path, key))
    put_in_store(library, files)
    changed = manifest.replace(b"Testpakket", b"Testpakjes")
    with pytest.raises(BadSignatureError):
        library.packs.import_from_store(changed, sig, allow_unsigned=True)
    assert "test-pack" not in {p.id for p in library.packs.list_packs()}


def test_unsigned_needs_permission(library: Services, tmp_path: Path) -> None:
    """Unsigned: refused unless allowed, as with a .cpack."""
    manifest, sig, files = parts(build(tmp_path, None, name="plain", pack_id="plain-pack"))
    assert sig is None
    put_in_store(library, files)
    with pytest.raises(UnsignedPackError):
        library.packs.import_from_store(manifest, None)
    assert library.packs.import_from_store(manifest, None, allow_unsigned=True).status \
        == "installed"
    assert library.packs.installed_manifest("plain-pack")[0] == "1.0"


def test_bad_manifests_are_named(library: Services) -> None:
    """Not JSON, not a pack, or too large: a PackFormatError naming the label."""
    store = library.packs.store
    with pytest.raises(PackFormatError, match="from the hub"):
        StoredPack(store, b"{not json", None, "x from the hub")
    with pytest.raises(PackFormatError, match="format"):
        StoredPack(store, json.dumps({"format": "zip"}).encode(), None)
    with pytest.raises(PackFormatError, match="at most"):
        StoredPack(store, b" " * (MAX_MANIFEST_BYTES + 1), None)


def test_missing_files_lists_each_hash_once(library: Services, tmp_path: Path,
                                            key: SigningKey) -> None:
    """Files shared inside a pack are fetched once; files in the store are not listed."""
    same = [{"id": "one", "title": "Een", "payload": b"same"},
            {"id": "two", "title": "Twee", "payload": b"same"}]
    manifest, sig, files = parts(build(tmp_path, key, name="dup", pack_id="dup-pack",
                                       lessons=same))
    reader = StoredPack(library.packs.store, manifest, sig)
    assert len(reader.missing_files()) == 1
    put_in_store(library, files)
    assert reader.missing_files() == []
    assert media_files(library) >= {f.sha256 for f in reader.manifest.files}
