"""Reading the length of an MP4 from its mvhd box."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from companion.core.packs.mp4 import Mp4Error, read_mp4_duration
from tests.conftest import REPO_ROOT
from tests.core.packs.pack_factory import box, mp4_bytes


def write(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "v.mp4"
    path.write_bytes(data)
    return path


def test_real_clip() -> None:
    """The 6-second test clip made by ffmpeg reads as 6 seconds."""
    assert read_mp4_duration(REPO_ROOT / "tests" / "data" / "clip.mp4") == pytest.approx(6, 0.05)


@pytest.mark.parametrize("version", [0, 1])
def test_fake_mp4_versions(tmp_path: Path, version: int) -> None:
    """Both mvhd versions (32- and 64-bit times) are read."""
    path = write(tmp_path, mp4_bytes(150.5, b"x" * 1000, timescale=90000, version=version))
    assert read_mp4_duration(path) == pytest.approx(150.5)


def test_large_size_box_and_mdat_first(tmp_path: Path) -> None:
    """A 64-bit box size and moov after mdat are handled (mdat is skipped, not read)."""
    mdat = struct.pack(">I4sQ", 1, b"mdat", 16 + 5000) + b"\0" * 5000
    data = mp4_bytes(42)
    ftyp_len = struct.unpack(">I", data[:4])[0]
    path = write(tmp_path, data[:ftyp_len] + mdat + data[ftyp_len:])
    assert read_mp4_duration(path) == pytest.approx(42)


def test_fragmented_mp4_uses_mehd(tmp_path: Path) -> None:
    """A fragmented MP4 with a zero mvhd duration takes its length from mvex/mehd."""
    mvhd = bytes(4) + struct.pack(">IIII", 0, 0, 1000, 0) + bytes(80)
    mehd = box(b"mehd", bytes(4) + struct.pack(">I", 33000))
    moov = box(b"moov", box(b"mvhd", mvhd) + box(b"mvex", mehd))
    path = write(tmp_path, box(b"ftyp", b"isom\0\0\0\0") + moov)
    assert read_mp4_duration(path) == pytest.approx(33)


def _mvhd(timescale: int, duration: int) -> bytes:
    body = bytes(4) + struct.pack(">IIII", 0, 0, timescale, duration) + bytes(80)
    return box(b"ftyp", b"isom\0\0\0\0") + box(b"moov", box(b"mvhd", body))


@pytest.mark.parametrize(("data", "message"), [
    (b"", "not an MP4"),
    (b"hello world, not a video at all", "not an MP4"),
    (box(b"ftyp", b"isom") + box(b"mdat", b"x"), "no 'moov'"),
    (box(b"ftyp", b"isom") + box(b"moov", box(b"trak", b"")), "no 'mvhd'"),
    (mp4_bytes(10)[:-40], "runs past the end"),
    (struct.pack(">I4s", 4, b"ftyp") + b"xxxxxxxx", "impossible size"),
    (box(b"ftyp", b"isom") + struct.pack(">I4sQ", 1, b"moov", 2**62), "runs past the end"),
    (_mvhd(0, 100), "time scale of 0"),
    (_mvhd(1000, 0), "does not say how long"),
    (box(b"ftyp", b"isom") + box(b"moov", box(b"mvhd", b"\x07" + bytes(40))), "unknown version"),
])
def test_junk_is_a_clear_error(tmp_path: Path, data: bytes, message: str) -> None:
    """Damaged or foreign files give Mp4Error, never a crash, a hang or a huge read."""
    with pytest.raises(Mp4Error, match=message):
        read_mp4_duration(write(tmp_path, data))


def test_too_many_boxes(tmp_path: Path) -> None:
    """A file of endless tiny boxes is refused after a bounded amount of work."""
    path = write(tmp_path, box(b"ftyp", b"isom") + box(b"free", b"") * 20000)
    with pytest.raises(Mp4Error, match="too many boxes"):
        read_mp4_duration(path)


def test_missing_file(tmp_path: Path) -> None:
    """A missing file is an Mp4Error too (the builder turns it into a source error)."""
    with pytest.raises(Mp4Error, match="cannot read"):
        read_mp4_duration(tmp_path / "nope.mp4")
