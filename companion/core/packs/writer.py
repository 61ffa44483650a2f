"""Writing a ``.cpack`` zip: shared by the builder and by export.

Entries get a fixed date and mode, so the same manifest and files always give the same bytes: a
pack exported from a PC is identical to the one the trainer built, and a rebuild that changed
nothing changes no byte. The file is written beside its destination under a temporary name and
renamed when complete, so a half-written pack never carries the real name.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

from companion.core.errors import PackError
from companion.core.media_store import CHUNK_SIZE, storage_error
from companion.core.packs.format import (
    MANIFEST_NAME,
    SIGNATURE_NAME,
    FileEntry,
    compression_for,
)

ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest date zip can store: no clock in the output
_UNIX = 3


def _zipinfo(name: str, size: int, compression: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.compress_type = compression
    info.create_system = _UNIX  # so readers read external_attr as a Unix mode: a plain file
    info.external_attr = (stat.S_IFREG | 0o644) << 16
    info.file_size = size  # lets zipfile choose zip64 up front for big entries
    return info


def _add_file(zf: zipfile.ZipFile, entry: FileEntry, source: Path, damaged_hint: str,
              progress: Callable[[int], None] | None) -> None:
    digest = hashlib.sha256()
    size = 0
    info = _zipinfo(entry.path, entry.size, compression_for(entry.path))
    try:
        src = open(source, "rb", buffering=0)  # noqa: SIM115 - closed below
    except OSError as exc:
        raise PackError(f"cannot read ({exc.strerror})", str(source)) from exc
    with src, zf.open(info, "w") as out:
        buffer = bytearray(CHUNK_SIZE)
        view = memoryview(buffer)
        while n := src.readinto(view):
            digest.update(view[:n])
            out.write(view[:n])
            size += n
            if size > entry.size:
                break
            if progress is not None:
                progress(n)
    if size != entry.size or digest.hexdigest() != entry.sha256:
        raise PackError(damaged_hint, str(source))


PACK_MODE = 0o644


def write_pack(
    dest: Path,
    manifest_bytes: bytes,
    signature_bytes: bytes | None,
    files: Sequence[tuple[FileEntry, Path]],
    damaged_hint: str = "the file changed while the pack was being written",
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write the pack to ``dest`` (atomically); returns its size in bytes.

    Each source file is hashed again while it is written and must still match its entry.
    """
    dest = Path(dest)
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".tmp")
    except OSError as exc:
        raise storage_error(exc, dest.parent) from exc
    tmp = Path(tmp_name)
    try:
        with open(fd, "wb") as raw:
            if hasattr(os, "fchmod"):
                # mkstemp makes a private file; a pack is meant to be handed around and copied
                # to sticks, so it is readable like any file the trainer saves.
                os.fchmod(raw.fileno(), PACK_MODE)
            with zipfile.ZipFile(raw, "w", allowZip64=True) as zf:
                zf.writestr(_zipinfo(MANIFEST_NAME, len(manifest_bytes), zipfile.ZIP_DEFLATED),
                            manifest_bytes)
                if signature_bytes is not None:
                    zf.writestr(_zipinfo(SIGNATURE_NAME, len(signature_bytes),
                                         zipfile.ZIP_DEFLATED), signature_bytes)
                for entry, source in sorted(files, key=lambda pair: pair[0].path):
                    _add_file(zf, entry, source, damaged_hint, progress)
            raw.flush()
            os.fsync(raw.fileno())
        size = tmp.stat().st_size
        os.replace(tmp, dest)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise storage_error(exc, dest) from exc
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return size

