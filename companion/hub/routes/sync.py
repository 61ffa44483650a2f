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

from companion.hub import push_pull
from companion.hub.auth import Caller
from companion.hub.deps import Credentials, Hub, HubServices, current_caller
from companion.hub.errors import ApiError, first_problem, unauthorized
from companion.hub.limits import INFLATE_FREE_BYTES, MAX_INFLATE_RATIO
from companion.hub.models import SyncIn, SyncOut, error_responses

router = APIRouter(prefix="/v1", tags=["sync"])
# A plain body up to this size is read before its token is checked (see :func:`sync`).
_SMALL_BODY = 4096


def _decode(raw: bytes, encoding: str, limit: int) -> SyncIn:
    """Unpack and parse a sync body (on a worker thread: both cost CPU in proportion to it)."""
    if encoding == "gzip":
        # Past the free allowance, a body may unpack to a bounded multiple of its packed size.
        cap = min(limit, max(INFLATE_FREE_BYTES, MAX_INFLATE_RATIO * len(raw)))
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            raw = inflater.decompress(raw, cap + 1)
        except zlib.error as exc:
            raise ApiError(400, "invalid", "the gzip body is damaged") from exc
        if len(raw) > cap or inflater.unconsumed_tail:
            raise ApiError(413, "too_large", f"the unpacked body may have at most {cap} bytes "
                           f"(at most {MAX_INFLATE_RATIO} times its packed size past "
                           f"{INFLATE_FREE_BYTES})")
    elif encoding not in ("", "identity"):
        raise ApiError(415, "unsupported_encoding", "send the body plain or gzip-compressed")
    try:
        data = json.loads(raw)
    except RecursionError as exc:
        raise ApiError(422, "invalid", "the sync request is nested too deeply") from exc
    except ValueError as exc:
        raise ApiError(422, "invalid", f"the sync request is not JSON: {exc}"[:300]) from exc
    try:
        return SyncIn.model_validate(data)
    except ValidationError as exc:
        raise ApiError(422, "invalid", f"the sync request is not valid: "
                       f"{first_problem(exc.errors())}"[:300]) from exc


def _sync(hub: HubServices, me: Caller, body: SyncIn) -> dict[str, Any]:
    settings = hub.settings
    if len(body.changes) > settings.max_push_changes:
        raise ApiError(413, "too_many_changes",
                       f"push at most {settings.max_push_changes} changes per request")
    limit = min(body.limit or settings.pull_page_default, settings.pull_page_max)
    cursor = push_pull.Cursor.decode(body.cursor)
    if body.changes:
        with hub.storage.read() as conn:
            room = push_pull.quota_room(conn, me.account_id, settings.quota_bytes_per_day)
        with hub.storage.write() as conn:
            pushed = push_pull.push(conn, me, body.changes, room)
    else:
        pushed = push_pull.PushResult()
    with hub.storage.read() as conn:
        pulled = push_pull.pull(conn, me, cursor, limit)
    return {"accepted": pushed.accepted, "rejected": pushed.rejected,
            "changes": pulled.changes, "cursor": pulled.cursor.encode(), "more": pulled.more,
            "reset": pulled.reset}


@router.post(
    "/sync", response_model=SyncOut,
    summary="Push changes and pull what is new, in one request",
    openapi_extra={"requestBody": {"required": True, "content": {"application/json": {
        "schema": SyncIn.model_json_schema()}}}},
    responses=error_responses(400, 401, 413, 415, 422),
)
async def sync(request: Request, credentials: Credentials, hub: Hub) -> JSONResponse:
    """Push ``changes`` (each applied exactly once by ``change_id``; the answer lists every one
    as accepted or rejected with a final reason), then pull the changes after ``cursor`` that
    this device may see, oldest first. The body may be gzip-compressed (Content-Encoding)."""
    # The token first: nobody without a login makes the hub read, unpack or parse a body.
    if credentials is None or not credentials.credentials:
        raise unauthorized("this needs a login: send Authorization: Bearer TOKEN")
    encoding = request.headers.get("content-encoding", "").strip().lower()
    declared = request.headers.get("content-length", "")
    if encoding in ("", "identity") and declared.isdigit() and int(declared) <= _SMALL_BODY:
        # A caught-up sync (~60 bytes, the request every PC sends every few minutes): reading
        # it costs nothing, so the token, the parsing, the push and the pull share one trip
        # to a worker thread, in that order.
        raw = await request.body()
        out = await run_in_threadpool(_authorized_sync, hub, credentials, raw, encoding)
    else:
        me = await run_in_threadpool(current_caller, hub, credentials)
        raw = await request.body()
        out = await run_in_threadpool(_decode_and_sync, hub, me, raw, encoding)
    return JSONResponse(out)


def _authorized_sync(hub: HubServices, credentials: HTTPAuthorizationCredentials, raw: bytes,
                     encoding: str) -> dict[str, Any]:
    return _decode_and_sync(hub, current_caller(hub, credentials), raw, encoding)


def _decode_and_sync(hub: HubServices, me: Caller, raw: bytes, encoding: str) -> dict[str, Any]:
    return _sync(hub, me, _decode(raw, encoding, hub.settings.max_sync_body_bytes))
