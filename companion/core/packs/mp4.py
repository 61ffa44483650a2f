"""The duration of an MP4 file, read from its ``mvhd`` box, in pure Python.

Only box headers are read and ``mdat`` is skipped with a seek, so a 100 MB video costs a few
small reads. Every length is checked against its parent box and the file size: a damaged or
hostile file gives :class:`Mp4Error`, never a hang or a huge read.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

MAX_BOXES_PER_LEVEL = 10_000  # real files have a handful; this bounds work on junk
_FIRST_BOXES = (b"ftyp", b"styp", b"moov", b"free", b"skip", b"wide")


class Mp4Error(ValueError):
    """The file is not an MP4 whose duration can be read."""


@dataclass(frozen=True)
class _Box:
    kind: bytes
    start: int  # of the box header
    body: int   # first byte after the header
    end: int


def _boxes(f: BinaryIO, start: int, end: int) -> list[_Box]:
    """The boxes directly inside ``[start, end)``."""
    found = []
    pos = start
    while pos + 8 <= end:
        if len(found) >= MAX_BOXES_PER_LEVEL:
            raise Mp4Error("too many boxes: the file is damaged")
        f.seek(pos)
        header = f.read(8)
        if len(header) < 8:
            raise Mp4Error("the file ends inside a box header (incomplete file?)")
        size, kind = struct.unpack(">I4s", header)
        body = pos + 8
        if size == 1:  # 64-bit size follows
            large = f.read(8)
            if len(large) < 8:
                raise Mp4Error("the file ends inside a box header (incomplete file?)")
            size = struct.unpack(">Q", large)[0]
            body = pos + 16
        elif size == 0:  # the box runs to the end of its parent
            size = end - pos
        if size < body - pos:
            raise Mp4Error(f"box {kind!r} at byte {pos} has an impossible size")
        box_end = pos + size
        if box_end > end:
            raise Mp4Error(f"box {kind!r} at byte {pos} runs past the end (incomplete file?)")
        found.append(_Box(kind, pos, body, box_end))
        pos = box_end
    return found


def _find(f: BinaryIO, start: int, end: int, kind: bytes) -> _Box | None:
    return next((b for b in _boxes(f, start, end) if b.kind == kind), None)


def _read_body(f: BinaryIO, box: _Box, limit: int) -> bytes:
    f.seek(box.body)
    return f.read(min(box.end - box.body, limit))


def _fragment_duration(f: BinaryIO, moov: _Box) -> int | None:
    """A fragmented MP4 keeps its length in moov/mvex/mehd (in the mvhd time scale)."""
    mvex = _find(f, moov.body, moov.end, b"mvex")
    mehd = _find(f, mvex.body, mvex.end, b"mehd") if mvex else None
    if mehd is None:
        return None
    data = _read_body(f, mehd, 12)
    if len(data) >= 12 and data[0] == 1:
        return int(struct.unpack(">Q", data[4:12])[0])
    if len(data) >= 8 and data[0] == 0:
        return int(struct.unpack(">I", data[4:8])[0])
    return None


def read_mp4_duration(path: Path | str) -> float:
    """Seconds of video in the MP4 at ``path``; raises :class:`Mp4Error` when unreadable."""
    try:
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            return _duration(f, size)
    except (OSError, struct.error) as exc:
        raise Mp4Error(f"cannot read the file ({exc})") from exc


def _duration(f: BinaryIO, size: int) -> float:
    f.seek(0)
    head = f.read(8)
    if len(head) < 8 or head[4:8] not in _FIRST_BOXES:
        raise Mp4Error("not an MP4 file (no 'ftyp' box at the start)")
    top = _boxes(f, 0, size)
    moov = next((b for b in top if b.kind == b"moov"), None)
    if moov is None:
        raise Mp4Error("no 'moov' box: not a complete MP4 file")
    mvhd = _find(f, moov.body, moov.end, b"mvhd")
    if mvhd is None:
        raise Mp4Error("no 'mvhd' box in 'moov': the MP4 file is damaged")
    data = _read_body(f, mvhd, 32)
    version = data[0] if data else -1
    if version == 0 and len(data) >= 20:
        timescale, duration = struct.unpack(">II", data[12:20])
        unknown = duration == 0xFFFFFFFF
    elif version == 1 and len(data) >= 32:
        timescale, duration = struct.unpack(">IQ", data[20:32])
        unknown = duration == 0xFFFFFFFFFFFFFFFF
    else:
        raise Mp4Error("the 'mvhd' box is damaged or of an unknown version")
    if timescale == 0:
        raise Mp4Error("the 'mvhd' box has a time scale of 0: the MP4 file is damaged")
    if unknown or duration == 0:
        duration = _fragment_duration(f, moov) or 0
    if duration == 0:
        raise Mp4Error("the MP4 header does not say how long the video is")
    return duration / timescale
