"""The content-addressed media store."""

from __future__ import annotations

import errno
import hashlib
import io
from pathlib import Path

import pytest

from companion.core.errors import StorageError
from companion.core.media_store import CHUNK_SIZE, MediaIntegrityError, MediaStore

DATA = bytes(range(256)) * 9000  # a bit over two chunks
SHA = hashlib.sha256(DATA).hexdigest()


class CountingReader(io.RawIOBase):
    def __init__(self, data: bytes) -> None:
        self.inner = io.BytesIO(data)
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        n = self.inner.readinto(buffer)
        self.read_bytes += n
        return n


def tmp_files(store: MediaStore) -> list[str]:
    return sorted(p.name for p in store.tmp_dir.iterdir())


def test_ingest_stores_under_sha(tmp_path: Path) -> None:
    """A file lands at media/ab/<sha256> with the same bytes; no temporary file remains."""
    store = MediaStore(tmp_path / "media")
    assert store.ingest(io.BytesIO(DATA), SHA, len(DATA)) == (SHA, len(DATA))
    assert store.path_for(SHA) == tmp_path / "media" / SHA[:2] / SHA
    assert store.path_for(SHA).read_bytes() == DATA
    assert store.has(SHA) and store.has(SHA, len(DATA)) and not store.has(SHA, 1)
    assert tmp_files(store) == []


def test_ingest_reports_progress(tmp_path: Path) -> None:
    """Progress hears every byte once, in chunks of at most CHUNK_SIZE."""
    steps: list[int] = []
    MediaStore(tmp_path / "m").ingest(io.BytesIO(DATA), SHA, len(DATA), progress=steps.append)
    assert sum(steps) == len(DATA) and max(steps) <= CHUNK_SIZE


def test_ingest_without_expected_hash(tmp_path: Path) -> None:
    """With no expected hash or size (a profile photo), the store names the file itself."""
    store = MediaStore(tmp_path / "m")
    assert store.ingest(io.BytesIO(b"photo"), None, None) == (
        hashlib.sha256(b"photo").hexdigest(), 5)


def test_ingest_wrong_hash_keeps_nothing(tmp_path: Path) -> None:
    """Bytes that do not match the expected hash are refused and the temp file deleted."""
    store = MediaStore(tmp_path / "m")
    with pytest.raises(MediaIntegrityError, match="SHA-256"):
        store.ingest(io.BytesIO(DATA[:-1] + b"x"), SHA, len(DATA))
    assert list(store.iter_shas()) == [] and tmp_files(store) == []


def test_ingest_short_source(tmp_path: Path) -> None:
    """Fewer bytes than announced is an error naming both sizes."""
    store = MediaStore(tmp_path / "m")
    with pytest.raises(MediaIntegrityError, match=f"instead of the expected {len(DATA)}"):
        store.ingest(io.BytesIO(DATA[:1000]), SHA, len(DATA))
    assert tmp_files(store) == []


def test_ingest_never_reads_past_expected_size(tmp_path: Path) -> None:
    """An endless source is read for at most one byte more than announced."""
    store = MediaStore(tmp_path / "m")
    source = CountingReader(b"z" * (10 * CHUNK_SIZE))
    with pytest.raises(MediaIntegrityError, match="more than the expected 100 bytes"):
        store.ingest(source, None, 100)
    assert source.read_bytes == 101
    assert tmp_files(store) == []


def test_ingest_same_file_twice(tmp_path: Path) -> None:
    """Ingesting bytes the store has keeps the one copy."""
    store = MediaStore(tmp_path / "m")
    store.ingest(io.BytesIO(DATA), SHA, len(DATA))
    store.ingest(io.BytesIO(DATA), SHA, len(DATA))
    assert list(store.iter_shas()) == [SHA] and tmp_files(store) == []


def test_ingest_replaces_a_damaged_copy(tmp_path: Path) -> None:
    """A store file of the wrong size (damaged) is replaced by the checked bytes."""
    store = MediaStore(tmp_path / "m")
    store.path_for(SHA).parent.mkdir(parents=True)
    store.path_for(SHA).write_bytes(b"short")
    store.ingest(io.BytesIO(DATA), SHA, len(DATA))
    assert store.path_for(SHA).read_bytes() == DATA


def test_disk_full_is_a_plain_storage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            ) -> None:
    """ENOSPC while writing says 'the disk is full' and leaves no temporary file."""
    store = MediaStore(tmp_path / "m")
    calls = []

    def full(self: MediaStore, out, chunk) -> None:  # type: ignore[no-untyped-def]
        calls.append(len(chunk))
        if len(calls) > 1:
            raise OSError(errno.ENOSPC, "No space left on device")
        out.write(chunk)

    monkeypatch.setattr(MediaStore, "_write_chunk", full)
    with pytest.raises(StorageError, match="the disk is full"):
        store.ingest(io.BytesIO(DATA), SHA, len(DATA))
    assert tmp_files(store) == [] and list(store.iter_shas()) == []


def test_other_write_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another OSError is a StorageError naming the file, not a traceback."""
    store = MediaStore(tmp_path / "m")

    def broken(self: MediaStore, out, chunk) -> None:  # type: ignore[no-untyped-def]
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(MediaStore, "_write_chunk", broken)
    with pytest.raises(StorageError, match=r"cannot write .*Input/output error"):
        store.ingest(io.BytesIO(DATA), SHA, len(DATA))
    assert tmp_files(store) == []


def test_remove_and_gc(tmp_path: Path) -> None:
    """remove() deletes a file and its empty folder; gc() keeps referenced files and junk."""
    store = MediaStore(tmp_path / "m")
    a = store.ingest(io.BytesIO(b"a"), None, None)[0]
    b = store.ingest(io.BytesIO(b"b"), None, None)[0]
    (store.root / "README.txt").write_text("not a store file")
    assert store.gc({a}) == [b]
    assert set(store.iter_shas()) == {a} and (store.root / "README.txt").exists()
    assert not (store.root / b[:2]).exists()
    assert store.remove(a) and not store.remove(a)
    assert not store.has(a)


def test_clean_temp_keeps_partials(tmp_path: Path) -> None:
    """clean_temp() removes leftover temp files but keeps resumable downloads unless asked."""
    store = MediaStore(tmp_path / "m")
    (store.tmp_dir / "ingest-x.tmp").write_bytes(b"x")
    (store.tmp_dir / f"{SHA}.part").write_bytes(b"y")
    assert store.clean_temp() == 1 and tmp_files(store) == [f"{SHA}.part"]
    assert store.clean_temp(include_partials=True) == 1 and tmp_files(store) == []


def test_partial_download_resumes(tmp_path: Path) -> None:
    """A partial file survives close(), resumes at its offset and commits into the store."""
    store = MediaStore(tmp_path / "m")
    part = store.open_partial(SHA, len(DATA))
    part.write(DATA[:5000])
    part.close()
    part = store.open_partial(SHA, len(DATA))
    assert part.offset == 5000
    part.write(DATA[5000:])
    assert part.commit().read_bytes() == DATA
    assert tmp_files(store) == []


def test_partial_with_wrong_bytes_is_discarded(tmp_path: Path) -> None:
    """A completed download whose hash is wrong is deleted, never stored."""
    store = MediaStore(tmp_path / "m")
    part = store.open_partial(SHA, 4)
    part.write(b"abcd")
    with pytest.raises(MediaIntegrityError):
        part.commit()
    assert tmp_files(store) == [] and list(store.iter_shas()) == []
    with pytest.raises(MediaIntegrityError, match="more than"):
        store.open_partial(SHA, 2).write(b"abc")


def test_path_for_refuses_non_hashes(tmp_path: Path) -> None:
    """Only lower-case SHA-256 hex names a store file (no path tricks)."""
    store = MediaStore(tmp_path / "m")
    for bad in ("../../etc/passwd", SHA.upper(), SHA[:-1], ""):
        with pytest.raises(ValueError):
            store.path_for(bad)
