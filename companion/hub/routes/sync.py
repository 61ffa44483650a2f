"""The sync: one request pushes a batch of changes and pulls the next page for this device."""

from __future__ import annotations

import json
import zlib
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials
from pydantic import ValidationError

from companion.hub import changes
from companion.hub.auth import Caller
from companion.hub.deps import Credentials, Hub, HubServices, current_caller
from companion.hub.errors import ApiError
from companion.hub.models import ErrorOut, SyncIn, SyncOut

router = APIRouter(prefix="/v1", tags=["sync"])


def _decode(raw: bytes, encoding: str, limit: int) -> SyncIn:
    if encoding == "gzip":
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            raw = inflater.decompress(raw, limit + 1)
        except zlib.error as exc:
            raise ApiError(400, "invalid", "the gzip body is damaged") from exc
        if len(raw) > limit or inflater.unconsumed_tail:
            raise ApiError(413, "too_large", f"the unpacked body may have at most {limit} bytes")
    elif encoding not in ("", "identity"):
        raise ApiError(415, "unsupported_encoding", "send the body plain or gzip-compressed")
    try:
        return SyncIn.model_validate(json.loads(raw))
    except (ValueError, ValidationError) as exc:
        raise ApiError(422, "invalid", f"the sync request is not valid: {exc}"[:500]) from exc


def _sync(hub: HubServices, me: Caller, body: SyncIn) -> dict[str, Any]:
    settings = hub.settings
    if len(body.changes) > settings.max_push_changes:
        raise ApiError(413, "too_many_changes",
                       f"push at most {settings.max_push_changes} changes per request")
    limit = min(body.limit or settings.pull_page_default, settings.pull_page_max)
    cursor = changes.Cursor.decode(body.cursor)
    if body.changes:
        with hub.storage.write() as conn:
            pushed = changes.push(conn, me, body.changes)
    else:
        pushed = changes.PushResult()
    with hub.storage.read() as conn:
        pulled = changes.pull(conn, me, cursor, limit)
    return {"accepted": pushed.accepted, "rejected": pushed.rejected,
            "changes": pulled.changes, "cursor": pulled.cursor.encode(), "more": pulled.more,
            "reset": pulled.reset}


@router.post(
    "/sync", response_model=SyncOut,
    summary="Push changes and pull what is new, in one request",
    openapi_extra={"requestBody": {"required": True, "content": {"application/json": {
        "schema": SyncIn.model_json_schema()}}}},
    responses={401: {"model": ErrorOut}, 413: {"model": ErrorOut}},
)
async def sync(request: Request, credentials: Credentials, hub: Hub) -> JSONResponse:
    """Push ``changes`` (each applied exactly once by ``change_id``; the answer lists every one
    as accepted or rejected with a final reason), then pull the changes after ``cursor`` that
    this device may see, oldest first. The body may be gzip-compressed (Content-Encoding)."""
    raw = await request.body()
    body = _decode(raw, request.headers.get("content-encoding", "").strip().lower(),
                   hub.settings.max_sync_body_bytes)
    # The token lookup, the push and the pull in one trip to a worker thread: the sync is
    # the request every PC sends every few minutes, and each extra thread hop costs latency.
    out = await run_in_threadpool(_authorized_sync, hub, credentials, body)
    return JSONResponse(out)


def _authorized_sync(hub: HubServices, credentials: HTTPAuthorizationCredentials | None,
                     body: SyncIn) -> dict[str, Any]:
    return _sync(hub, current_caller(hub, credentials), body)
