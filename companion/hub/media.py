"""Content-addressed media on disk: ``media/ab/abcdef...`` named by the SHA-256 of the bytes.

An upload is written to a temporary file beside the store while it is hashed, checked against the
SHA-256 it claims, flushed to disk, and only then renamed into place. An interrupted upload leaves
no file under a real name, so a publish that starts again resends only the files not there yet.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from fastapi.responses import FileResponse, Response

from companion.hub.errors import ApiError

SHA256_RE = re.compile(r"^[0-9a-f]{64}$")


def check_sha256(value: str) -> str:
    if not isinstance(value, str) or not SHA256_RE.match(value):
        raise ApiError(400, "invalid", "a file is named by its SHA-256: 64 lower-case hex digits")
    return value


class MediaFileResponse(FileResponse):
    """A media file (whole, or the range a resuming client asks for) read in 1 MiB pieces.

    Each piece is one trip to a worker thread and one write to the socket; Starlette's 64 KiB
    default spends more of the hub's CPU on trips than on bytes, which on a small machine
    halves what it serves (measured in bench/bench_downloads.py: curl fetched about 380 MB/s
    with 64 KiB pieces and about 950 MB/s with 1 MiB).
    """

    chunk_size = 1024 * 1024


class HubMediaStore:
    """The hub's uploaded media files (the client's library has its own store,
    :class:`companion.core.media_store.MediaStore`, with holds and resumable parts)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.tmp = root / "tmp"
        self.tmp.mkdir(parents=True, exist_ok=True)
        self._sweep_stale_parts()

    def _sweep_stale_parts(self, older_than_s: float = 24 * 3600) -> None:
        """Remove uploads a crashed or killed hub left half-written (not ones in progress)."""
        limit = time.time() - older_than_s
        for part in self.tmp.glob("*.part"):
            with contextlib.suppress(OSError):
                if part.stat().st_mtime < limit:
                    part.unlink()

    def path(self, sha256: str) -> Path:
        check_sha256(sha256)
        return self.root / sha256[:2] / sha256

    def has(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def size(self, sha256: str) -> int:
        return self.path(sha256).stat().st_size

    def response(self, sha256: str, request_headers: Any, headers: dict[str, str],
                 head_only: bool = False) -> Response:
        """The file for a download (Starlette answers Range, If-Range and HEAD itself)."""
        return MediaFileResponse(self.path(sha256), media_type="application/octet-stream",
                                 headers=headers)

    def partial_offset(self, sha256: str, owner: int | None = None) -> int:
        """Bytes held of a cut upload: none here (a cut upload is sent whole again)."""
        return 0

    async def receive(self, sha256: str, chunks: AsyncIterator[bytes], max_bytes: int,
                      owner: int | None = None, offset: int = 0) -> int:
        """Store a file from a stream of chunks; returns its size. Refuses a wrong hash."""
        if offset:
            raise ApiError(409, "upload_offset", "the hub holds 0 bytes of this upload,"
                           f" not {offset}; send it from byte 0")
        target = self.path(sha256)
        digest = hashlib.sha256()
        size = 0
        fd, tmp_name = tempfile.mkstemp(dir=self.tmp, prefix=sha256[:16], suffix=".part")
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                async for chunk in chunks:
                    size += len(chunk)
                    if size > max_bytes:
                        raise ApiError(413, "too_large",
                                       f"a file may have at most {max_bytes} bytes")
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            if digest.hexdigest() != sha256:
                raise ApiError(422, "hash_mismatch",
                               "the bytes received do not match the SHA-256 in the address")
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
        return size
