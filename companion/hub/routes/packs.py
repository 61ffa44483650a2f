"""Lesson packs over the network: upload missing files, publish to a group, catalog, download.

Files are addressed by SHA-256. Downloads answer Range requests (206) so a dropped download
resumes where it stopped, and carry the hash as ETag.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse

from companion.hub import accounts, packs, push_pull, social
from companion.hub.auth import Caller
from companion.hub.deps import Body, Db, Hub, Me
from companion.hub.errors import ApiError, forbidden, not_found, parse_body
from companion.hub.media import check_sha256
from companion.hub.models import (
    GroupId,
    ManifestOut,
    MediaOut,
    MissingIn,
    MissingOut,
    OptionalTextQuery,
    PackOut,
    PublishIn,
    PublishOut,
    TextParam,
    binary_body,
    error_responses,
)

router = APIRouter(prefix="/v1", tags=["packs"])


def _require_trainer(me: Any) -> None:
    if not me.is_trainer:
        raise forbidden("only trainers upload pack files")


@router.post("/media/missing", response_model=MissingOut,
             summary="Trainers: which of these files the hub does not have yet",
             responses=error_responses(400, 401, 403, 413))
def missing(body: Body(MissingIn), me: Me, conn: Db, hub: Hub) -> dict[str, Any]:
    _require_trainer(me)
    for sha in body.sha256:
        check_sha256(sha)
    lacking = packs.missing_for(conn, me.account_id, body.sha256)
    held = {sha: hub.media.partial_offset(sha, me.account_id) for sha in lacking}
    return {"missing": lacking, "partial": {sha: n for sha, n in held.items() if n}}


_CONTENT_RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+)$")


def _upload_offset(request: Request) -> int:
    """Where a resumed upload starts (``Content-Range: bytes N-LAST/SIZE``); 0 without one."""
    value = request.headers.get("content-range")
    if value is None:
        return 0
    m = _CONTENT_RANGE.match(value.strip())
    if m is None or int(m[2]) != int(m[3]) - 1 or int(m[1]) > int(m[2]):
        raise ApiError(400, "invalid", "Content-Range of an upload is bytes N-LAST/SIZE, to the"
                       " file's last byte")
    return int(m[1])


@router.put("/media/{sha256}", response_model=MediaOut, status_code=201,
            summary="Trainers: upload one file by its SHA-256", openapi_extra=binary_body(),
            responses=error_responses(400, 401, 403, 409, 413, 422))
async def upload(sha256: str, request: Request, response: Response, me: Me,
                 hub: Hub) -> dict[str, Any]:
    """The bytes are hashed as they arrive and kept only if they match ``sha256``; the body is
    streamed to disk (up to the hub's media limit). A file the hub has is skipped only when the
    caller may know it is there (:func:`packs.visible_media`); anyone else sends the bytes, and
    so proves they have them, and gets the answer of a new file."""
    _require_trainer(me)
    check_sha256(sha256)
    # In a thread: with media in a bucket, each of these is a request to it.
    if await run_in_threadpool(hub.media.has, sha256) \
            and await run_in_threadpool(_visible, hub, sha256, me.account_id):
        size = await run_in_threadpool(hub.media.size, sha256)
        await run_in_threadpool(_record, hub, sha256, size, me.account_id)
        response.status_code = 200
        return {"sha256": sha256, "size": size, "stored": False}
    size = await hub.media.receive(sha256, request.stream(), hub.settings.max_media_bytes,
                                   owner=me.account_id, offset=_upload_offset(request))
    await run_in_threadpool(_record, hub, sha256, size, me.account_id)
    return {"sha256": sha256, "size": size, "stored": True}


def _visible(hub: Any, sha256: str, account_id: int) -> bool:
    with hub.storage.read() as conn:
        return sha256 in packs.visible_media(conn, account_id, [sha256])


def _record(hub: Any, sha256: str, size: int, account_id: int) -> None:
    with hub.storage.write() as conn:
        packs.record_media(conn, sha256, size, account_id)


@router.head("/media/{sha256}", include_in_schema=False)
@router.get("/media/{sha256}", summary="Download a file", response_class=FileResponse,
            responses={206: {"description": "the requested byte range"},
                       304: {"description": "not modified (If-None-Match)"},
                       **error_responses(400, 401, 404, 416)})
def download(sha256: str, request: Request, me: Me, conn: Db, hub: Hub) -> Response:
    """Only for members of a group offered a pack with this file. ``Range: bytes=N-`` resumes;
    the ETag is the SHA-256."""
    check_sha256(sha256)
    if not packs.may_download(conn, me.account_id, sha256) or not hub.media.has(sha256):
        raise not_found("no such file in your groups' packs")
    etag = f'"{sha256}"'
    headers = {"etag": etag, "cache-control": "private, max-age=31536000, immutable"}
    if etag in [v.strip() for v in request.headers.get("if-none-match", "").split(",")]:
        return Response(status_code=304, headers=headers)
    return hub.media.response(sha256, request.headers, headers,
                              head_only=request.method == "HEAD")


@router.post("/groups/{group_id}/packs", response_model=PublishOut, status_code=201,
             summary="Trainers: offer a pack (manifest and signature) to a group",
             openapi_extra={"requestBody": {"required": True, "content": {"application/json": {
                 "schema": PublishIn.model_json_schema()}}}},
             responses=error_responses(400, 401, 403, 404, 409, 413, 422))
async def publish(group_id: GroupId, request: Request, me: Me, hub: Hub) -> dict[str, Any]:
    """Every file the manifest lists must be on the hub (409 ``missing_files`` otherwise)."""
    # The token (``me``) and the trainer's role come before the body: a manifest may be
    # megabytes, and only someone allowed to publish here makes the hub read and parse one.
    await run_in_threadpool(_require_group_trainer, hub, group_id, me.account_id)
    raw = await request.body()
    return await run_in_threadpool(_parse_and_publish, hub, group_id, me, raw)


def _require_group_trainer(hub: Any, group_id: int, account_id: int) -> None:
    with hub.storage.read() as conn:
        accounts.require_trainer(conn, group_id, account_id)


def _parse_and_publish(hub: Any, group_id: int, me: Caller, raw: bytes) -> dict[str, Any]:
    body = parse_body(raw, PublishIn, "the publish request")
    with hub.storage.write() as conn:
        accounts.require_trainer(conn, group_id, me.account_id)  # again, in the transaction
        published = packs.publish(conn, group_id, me.account_id, body.manifest, body.signature)
        # The group's members learn of it with their next sync (a "new pack" notification).
        offer = social.offer_record(conn, group_id, published)
        push_pull.push(conn, social.hub_caller(me), [offer])
        return published


@router.get("/groups/{group_id}/packs", response_model=list[PackOut],
            summary="The packs offered to a group (newest version of each)",
            responses=error_responses(401, 404))
def catalog(group_id: GroupId, me: Me, conn: Db) -> list[dict[str, Any]]:
    accounts.require_member(conn, group_id, me.account_id)
    return packs.catalog(conn, group_id)


@router.get("/groups/{group_id}/packs/{pack_id}/manifest", response_model=ManifestOut,
            summary="A pack's manifest and signature",
            responses=error_responses(401, 404))
def manifest(group_id: GroupId, pack_id: TextParam, me: Me, conn: Db,
             version: OptionalTextQuery = None) -> dict[str, Any]:
    accounts.require_member(conn, group_id, me.account_id)
    found = packs.manifest(conn, group_id, pack_id, version)
    if found is None:
        raise not_found(f"no pack {pack_id!r} in this group")
    return found


