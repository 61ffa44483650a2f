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
check are the same as from the local folder, and a download resumes the same way. A redirect to
a presigned URL would bring the bucket's own ETag (not the SHA-256 the client resumes with) and
expose the bucket's address to every learner's PC; see docs/deploy.md for the figures.

Every hub process keeps a **cache** of whole files on its own disk (``--media-cache-mb``, the
least recently used go first): a group's learners download the same pack, and the second
download of a file is read from the local disk instead of through the object store. How a
download streams and how a file enters the cache (whole and checked against its SHA-256 only):
:mod:`companion.hub.media_s3_read`.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
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
from companion.hub.media_s3_read import DiskCache, stream_body, wanted_range

log = logging.getLogger(__name__)

PART_BYTES = 8 * 1024 * 1024  # S3's smallest part is 5 MiB (but the last)
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
        self.cache = (DiskCache(cache_dir, cache_bytes)
                      if cache_dir is not None and cache_bytes > 0 else None)

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
        if self.cache is not None and self.cache.has(sha256):
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

    def response(self, sha256: str, request_headers: Any, headers: dict[str, str],
                 head_only: bool = False) -> Response:
        """The file, or the range asked for (one range; several are answered whole)."""
        cached = self.cache.lookup(sha256) if self.cache is not None else None
        if cached is not None:
            return MediaFileResponse(cached, media_type="application/octet-stream",
                                     headers=headers)
        size = self.size(sha256)
        headers = {**headers, "accept-ranges": "bytes"}
        answer = wanted_range(request_headers, size, headers.get("etag"))
        if answer is None:
            return Response(status_code=416,
                            headers={**headers, "content-range": f"bytes */{size}"})
        status, start, end = answer
        if status == 206:
            headers["content-range"] = f"bytes {start}-{end}/{size}"
        headers["content-length"] = str(end - start + 1)
        if head_only or size == 0:
            return Response(status_code=status, headers=headers,
                            media_type="application/octet-stream")
        keep = self.cache is not None and status == 200 and size <= self.cache.max_bytes
        return StreamingResponse(self._stream(sha256, start, end, keep), status_code=status,
                                 headers=headers, media_type="application/octet-stream")

    async def _stream(self, sha256: str, start: int, end: int,
                      keep: bool) -> AsyncIterator[memoryview]:
        answer = await anyio.to_thread.run_sync(lambda: self.client.get_object(
            Bucket=self.bucket, Key=self.key(sha256), Range=f"bytes={start}-{end}"))
        cache = (self.cache, sha256) if keep and self.cache is not None else None
        async for piece in stream_body(answer["Body"], end - start + 1, sha256, cache):
            yield piece
