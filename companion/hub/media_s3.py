"""Media on S3-compatible object storage (``--media-url s3://BUCKET/PREFIX``), for hubs on
several machines that share no file system.

The bucket holds the same content-addressed files as the local folder, under
``PREFIX/ab/abcdef...``. The endpoint, region and credentials come from the usual environment
variables of the AWS SDK (``AWS_ENDPOINT_URL``, ``AWS_ACCESS_KEY_ID``,
``AWS_SECRET_ACCESS_KEY``, ``AWS_REGION``, or a profile), read by boto3 itself.

**Uploads** stream to a multipart upload in 8 MiB parts while they are hashed; only when the
bytes match their SHA-256 is the upload completed, which makes the object appear under its name
at once and whole. A wrong hash or a hub killed midway never leaves an object: the multipart
upload is aborted (a killed hub's is removed by the bucket's lifecycle rule, see
docs/deploy.md). Each part is retried by botocore.

A **cut** upload is kept for resuming: the hub process remembers, per uploader and SHA-256, the
multipart upload, its finished parts and the SHA-256 state after them, and says how many bytes
it holds (``partial`` in ``POST /v1/media/missing``); the client sends only the rest with
``Content-Range: bytes N-LAST/SIZE``. The hash state cannot leave the process, so a resume that
reaches another hub process (or a restarted one) sends the file whole again, as before.

**Downloads** are served by the hub, which reads the object with the client's own ``Range``:
the answers (200/206/416, ``ETag`` = the SHA-256, ``If-Range``, ``If-None-Match``) and the access
check are the same as from the local folder, and a download resumes the same way. A thread
per download reads the object up to 4 MiB ahead of the socket, so the bucket and the client's
line work at once (measured: 20% less hub CPU per MB and 20% more MB/s on the read side than
a trip to the worker pool per MiB). A redirect to a presigned URL would bring the bucket's own
ETag (not the SHA-256 the client resumes with) and expose the bucket's address to every
learner's PC; see docs/deploy.md for the figures.

Every hub process keeps a **cache** of whole files on its own disk (``--media-cache-mb``, the
least recently used go first): a group's learners download the same pack, and the second
download of a file is read from the local disk instead of through the object store. A file
enters the cache while a whole download of it streams by, and only if its bytes match its
SHA-256; files never change, so a cached one is never stale.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import os
import re
import tempfile
import threading
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import anyio.to_thread
from starlette.responses import Response, StreamingResponse

from companion.hub.errors import ApiError, HubError
from companion.hub.media import MediaFileResponse, check_sha256

log = logging.getLogger(__name__)

PART_BYTES = 8 * 1024 * 1024  # S3's smallest part is 5 MiB (but the last)
CHUNK_BYTES = 1024 * 1024  # as the local folder sends them
READ_AHEAD = 4  # pieces a download reads from the bucket ahead of the socket
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
MAX_PARTIALS = 64  # cut uploads kept for resuming per hub process (the oldest go first)
PARTIAL_TTL_S = 24 * 3600


@dataclass
class _Partial:
    """A cut multipart upload: what the bucket holds of it and the hash of those bytes."""

    upload_id: str
    parts: list[dict[str, Any]] = field(default_factory=list)
    digest: Any = field(default_factory=hashlib.sha256)
    size: int = 0  # bytes in the finished parts
    touched: float = field(default_factory=time.monotonic)


def parse_media_url(url: str) -> tuple[str, str]:
    """``s3://BUCKET/PREFIX`` -> (bucket, prefix without slashes at its ends)."""
    parts = urlsplit(url.strip())
    if parts.scheme != "s3" or not parts.netloc:
        raise HubError(f"{url!r} is not a media URL: use s3://BUCKET/PREFIX (or leave it out "
                       "for the data folder's media/)")
    return parts.netloc, parts.path.strip("/")


class S3MediaStore:
    """The hub's media in a bucket; the same methods as the local
    :class:`~companion.hub.media.HubMediaStore`."""

    def __init__(self, url: str, max_connections: int = 10, cache_dir: Path | None = None,
                 cache_bytes: int = 0) -> None:
        import boto3
        from botocore.config import Config
        from botocore.exceptions import BotoCoreError, ClientError

        self.bucket, self.prefix = parse_media_url(url)
        self._errors = (BotoCoreError, ClientError)
        # MinIO, SeaweedFS and most S3-compatible servers want path-style addresses.
        style = "path" if os.environ.get("AWS_ENDPOINT_URL") else "auto"
        # No CRC32 of every byte on its way in and out: the hub hashes uploads with SHA-256
        # and the client checks every download against it. The checksums halved downloads.
        self.client = boto3.session.Session().client("s3", config=Config(
            s3={"addressing_style": style}, max_pool_connections=max_connections,
            retries={"max_attempts": 5, "mode": "standard"},
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required"))
        try:
            self.client.head_bucket(Bucket=self.bucket)
        except self._errors as exc:
            raise HubError(f"cannot reach the media bucket {self.bucket!r}: {exc}") from exc
        self._partials: dict[tuple[int | None, str], _Partial] = {}
        self.cache_dir = cache_dir if cache_dir is not None and cache_bytes > 0 else None
        self.cache_bytes = cache_bytes
        if self.cache_dir is not None:
            (self.cache_dir / "tmp").mkdir(mode=0o700, parents=True, exist_ok=True)
            for part in (self.cache_dir / "tmp").iterdir():  # left by a killed process
                part.unlink(missing_ok=True)

    def key(self, sha256: str) -> str:
        check_sha256(sha256)
        name = f"{sha256[:2]}/{sha256}"
        return f"{self.prefix}/{name}" if self.prefix else name

    def _head(self, sha256: str) -> dict[str, Any] | None:
        from botocore.exceptions import ClientError

        try:
            return self.client.head_object(Bucket=self.bucket, Key=self.key(sha256))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise

    def has(self, sha256: str) -> bool:
        if self.cache_dir is not None and (self.cache_dir / sha256[:2] / sha256).is_file():
            return True  # no request to the bucket for a file this disk has
        return self._head(sha256) is not None

    def size(self, sha256: str) -> int:
        head = self._head(sha256)
        if head is None:
            raise FileNotFoundError(sha256)
        return int(head["ContentLength"])

    def partial_offset(self, sha256: str, owner: int | None = None) -> int:
        """How many bytes of a cut upload by ``owner`` this process holds (0: none)."""
        held = self._partials.get((owner, sha256))
        return held.size if held is not None else 0

    def _keep(self, key: tuple[int | None, str], held: _Partial) -> None:
        now = time.monotonic()
        held.touched = now
        self._partials[key] = held
        stale = [k for k, p in self._partials.items() if now - p.touched > PARTIAL_TTL_S]
        while len(self._partials) - len(stale) > MAX_PARTIALS:
            stale.append(min((k for k in self._partials if k not in stale),
                             key=lambda k: self._partials[k].touched))
        for k in stale:
            self._abort_later(k[1], self._partials.pop(k).upload_id)

    def _abort_later(self, sha256: str, upload_id: str) -> None:
        """Best effort, off the event loop: the bucket's lifecycle rule removes what is left."""
        def abort() -> None:
            with contextlib.suppress(Exception):
                self.client.abort_multipart_upload(Bucket=self.bucket, Key=self.key(sha256),
                                                   UploadId=upload_id)
        threading.Thread(target=abort, daemon=True).start()

    async def receive(self, sha256: str, chunks: AsyncIterator[bytes], max_bytes: int,
                      owner: int | None = None, offset: int = 0) -> int:
        """Store a file from a stream of chunks (the rest of a cut upload from ``offset``);
        returns its size. Refuses a wrong hash; keeps a cut upload's finished parts."""
        key = self.key(sha256)
        held: _Partial | None = self._partials.pop((owner, sha256), None)
        if offset and (held is None or held.size != offset):
            if held is not None:
                self._partials[(owner, sha256)] = held
            have = held.size if held is not None else 0
            raise ApiError(409, "upload_offset", f"the hub holds {have} bytes of this upload,"
                           f" not {offset}; send it from byte {have}")
        if held is not None and not offset:  # the file whole again: the old parts are no use
            self._abort_later(sha256, held.upload_id)
            held = None
        size = offset
        buf = bytearray()
        run = anyio.to_thread.run_sync

        async def send_part(data: bytes) -> None:
            nonlocal held
            if held is None:
                held = _Partial((await run(lambda: self.client.create_multipart_upload(
                    Bucket=self.bucket, Key=key)))["UploadId"])
            upload = held
            number = len(upload.parts) + 1
            answer = await run(lambda: self.client.upload_part(
                Bucket=self.bucket, Key=key, UploadId=upload.upload_id, PartNumber=number,
                Body=data))
            # The hash and size move only with a finished part: they describe what the
            # bucket holds, from where a cut upload goes on.
            upload.digest.update(data)
            upload.size += len(data)
            upload.parts.append({"PartNumber": number, "ETag": answer["ETag"]})

        try:
            async for chunk in chunks:
                size += len(chunk)
                if size > max_bytes:
                    raise ApiError(413, "too_large", f"a file may have at most {max_bytes} bytes")
                buf += chunk
                if len(buf) >= PART_BYTES:
                    await send_part(bytes(buf[:PART_BYTES]))
                    del buf[:PART_BYTES]
            digest = held.digest.copy() if held is not None else hashlib.sha256()
            digest.update(buf)
            if digest.hexdigest() != sha256:
                raise ApiError(422, "hash_mismatch",
                               "the bytes received do not match the SHA-256 in the address")
            if held is None:
                body = bytes(buf)
                await run(lambda: self.client.put_object(Bucket=self.bucket, Key=key, Body=body))
            else:
                if buf:
                    await send_part(bytes(buf))
                done = held
                await run(lambda: self.client.complete_multipart_upload(
                    Bucket=self.bucket, Key=key, UploadId=done.upload_id,
                    MultipartUpload={"Parts": done.parts}))
                held = None
        except self._errors as exc:
            log.warning("storing %s in the media bucket failed: %s", sha256, exc)
            raise ApiError(503, "storage_unavailable",
                           "the hub could not store the file; try again later") from exc
        except ApiError:
            if held is not None:  # a wrong or too large file: nothing of it stays
                gone = held
                held = None
                with contextlib.suppress(*self._errors):
                    await run(lambda: self.client.abort_multipart_upload(
                        Bucket=self.bucket, Key=key, UploadId=gone.upload_id))
            raise
        except BaseException:
            # A cut connection (or a cancelled request): keep the finished parts for a resume.
            if held is not None and held.parts:
                self._keep((owner, sha256), held)
                held = None
            raise
        finally:
            if held is not None:
                self._abort_later(sha256, held.upload_id)
        return size

    def _cached(self, sha256: str) -> Path | None:
        if self.cache_dir is None:
            return None
        path = self.cache_dir / sha256[:2] / sha256
        try:
            os.utime(path)  # used now: the last to be evicted
        except OSError:
            return None
        return path

    def _evict(self) -> None:
        """Remove the least recently used files until the cache fits its size."""
        assert self.cache_dir is not None
        files = []
        for sub in self.cache_dir.iterdir():
            if sub.name != "tmp" and sub.is_dir():
                for f in sub.iterdir():
                    with contextlib.suppress(OSError):
                        st = f.stat()
                        files.append((st.st_mtime, st.st_size, f))
        total = sum(size for _, size, _ in files)
        for _, size, f in sorted(files):
            if total <= self.cache_bytes:
                break
            f.unlink(missing_ok=True)
            total -= size

    def response(self, sha256: str, request_headers: Any, headers: dict[str, str],
                 head_only: bool = False) -> Response:
        """The file, or the range asked for (one range; several are answered whole)."""
        cached = self._cached(sha256)
        if cached is not None:
            return MediaFileResponse(cached, media_type="application/octet-stream",
                                     headers=headers)
        size = self.size(sha256)
        headers = {**headers, "accept-ranges": "bytes"}
        start, end = 0, size - 1
        status = 200
        wanted = _RANGE.match(request_headers.get("range", "").replace(" ", ""))
        if_range = request_headers.get("if-range")
        if wanted and (if_range is None or if_range.strip() == headers.get("etag")):
            first, last = wanted.groups()
            if first:
                start = int(first)
                end = min(int(last), size - 1) if last else size - 1
            elif last:  # the last N bytes
                start = max(0, size - int(last))
            if start >= size or start > end:
                return Response(status_code=416,
                                headers={**headers, "content-range": f"bytes */{size}"})
            status = 206
            headers["content-range"] = f"bytes {start}-{end}/{size}"
        headers["content-length"] = str(end - start + 1)
        if head_only or size == 0:
            return Response(status_code=status, headers=headers,
                            media_type="application/octet-stream")
        keep = self.cache_dir is not None and status == 200 and size <= self.cache_bytes
        return StreamingResponse(self._stream(sha256, start, end, keep), status_code=status,
                                 headers=headers, media_type="application/octet-stream")

    async def _stream(self, sha256: str, start: int, end: int,
                      keep: bool) -> AsyncIterator[bytes]:
        answer = await anyio.to_thread.run_sync(lambda: self.client.get_object(
            Bucket=self.bucket, Key=self.key(sha256), Range=f"bytes={start}-{end}"))
        body = answer["Body"]
        out, tmp, digest = None, None, hashlib.sha256()
        if keep:
            assert self.cache_dir is not None
            fd, name = tempfile.mkstemp(dir=self.cache_dir / "tmp", suffix=".part")
            out, tmp = os.fdopen(fd, "wb"), Path(name)
        loop = asyncio.get_running_loop()
        ready: asyncio.Queue[bytes | BaseException] = asyncio.Queue()
        room = threading.Semaphore(READ_AHEAD)
        stop = threading.Event()

        def hand_over(item: bytes | BaseException) -> None:
            with contextlib.suppress(RuntimeError):  # the event loop is gone: nobody waits
                loop.call_soon_threadsafe(ready.put_nowait, item)

        def read_ahead() -> None:
            # A thread of its own reads the object while the event loop sends what it read
            # before, so the bucket and the client's socket work at the same time rather than
            # in turns (and no trip to the worker pool per piece). It alone touches the body
            # and the cache file.
            try:
                while True:
                    room.acquire()
                    if stop.is_set():
                        return
                    chunk = body.read(CHUNK_BYTES)
                    if out is not None and chunk:
                        digest.update(chunk)
                        out.write(chunk)
                    if not chunk:
                        if out is not None:
                            out.close()
                        hand_over(b"")
                        return
                    hand_over(chunk)
            except BaseException as exc:  # handed to the response, which fails with it
                hand_over(exc)
            finally:
                body.close()
                if out is not None:
                    out.close()

        threading.Thread(target=read_ahead, name=f"s3-read-{sha256[:8]}", daemon=True).start()
        try:
            while True:
                item = await ready.get()
                if isinstance(item, BaseException):
                    raise item
                room.release()
                if not item:
                    break
                yield item
            if tmp is not None and digest.hexdigest() == sha256:
                await anyio.to_thread.run_sync(self._enter_cache, tmp, sha256)
        finally:
            stop.set()
            room.release()  # wakes the reader if it waits for room, to see the stop
            if tmp is not None:
                tmp.unlink(missing_ok=True)

    def _enter_cache(self, tmp: Path, sha256: str) -> None:
        assert self.cache_dir is not None
        target = self.cache_dir / sha256[:2] / sha256
        target.parent.mkdir(exist_ok=True)
        os.replace(tmp, target)
        self._evict()
