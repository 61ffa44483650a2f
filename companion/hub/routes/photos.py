"""Profile photos between the members of a group (issue 11).

The profile change carries only a photo's SHA-256; the small JPEG itself is uploaded here by its
owner and fetched by the people who share a group with them, so the discussion and My group show
faces instead of initials. The rules: only the current photo of one's own profile may be
uploaded (nobody stores other files here), and a photo is served only to its owner and to
members of a group its owner is in; to anyone else it does not exist (404, as for a hash the
hub never saw). Photos live in their own table, never in the packs' media store: a pack file's
hash named as a "photo" is not served here, and a photo is never served as a pack file.
"""

from __future__ import annotations

import hashlib
import time
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import and_, exists, or_, select

from companion.hub import tables as t
from companion.hub.deps import Db, Hub, Me
from companion.hub.errors import ApiError, not_found
from companion.hub.media import check_sha256
from companion.hub.models import MediaOut, binary_body, error_responses

router = APIRouter(prefix="/v1/people", tags=["people"])

#: A profile photo is a JPEG of at most 512 pixels (a few dozen kB); this leaves room.
PHOTO_MAX_BYTES = 512 * 1024


def photo_visible(conn: Any, account_id: int, sha256: str) -> bool:
    """May ``account_id`` see the photo ``sha256``: it is the current photo of their own
    profile or of someone who shares a group with them."""
    pr, mine, theirs = t.profile_state, t.memberships.alias("mine"), t.memberships.alias("theirs")
    shared = exists().where(and_(mine.c.account_id == account_id,
                                 theirs.c.group_id == mine.c.group_id,
                                 theirs.c.account_id == pr.c.account_id))
    row = conn.execute(select(pr.c.account_id).where(
        pr.c.photo_sha256 == sha256, or_(pr.c.account_id == account_id, shared)).limit(1)).first()
    return row is not None


@router.put("/photo/{sha256}", response_model=MediaOut, status_code=201,
            summary="Upload the photo of my own profile (after the profile change synced)",
            openapi_extra=binary_body("image/jpeg"),
            responses=error_responses(400, 401, 409, 413, 422))
async def upload(sha256: str, request: Request, response: Response, me: Me,
                 hub: Hub) -> dict[str, Any]:
    check_sha256(sha256)
    await run_in_threadpool(_require_own, hub, me.account_id, sha256)
    data = bytearray()
    async for chunk in request.stream():
        data += chunk
        if len(data) > PHOTO_MAX_BYTES:
            raise ApiError(413, "too_large",
                           f"a profile photo may have at most {PHOTO_MAX_BYTES} bytes")
    if hashlib.sha256(data).hexdigest() != sha256:
        raise ApiError(422, "hash_mismatch",
                       "the bytes received do not match the SHA-256 in the address")
    stored = await run_in_threadpool(_store, hub, me.account_id, sha256, bytes(data))
    if not stored:
        response.status_code = 200
    return {"sha256": sha256, "size": len(data), "stored": stored}


def _require_own(hub: Any, account_id: int, sha256: str) -> None:
    with hub.storage.read() as conn:
        current = conn.execute(select(t.profile_state.c.photo_sha256).where(
            t.profile_state.c.account_id == account_id)).scalar_one_or_none()
    if current != sha256:
        raise ApiError(409, "not_current_photo",
                       "only the photo of your own profile can be uploaded: sync your profile "
                       "first")


def _store(hub: Any, account_id: int, sha256: str, data: bytes) -> bool:
    with hub.storage.write() as conn:
        if conn.execute(select(t.profile_photos.c.sha256).where(
                t.profile_photos.c.sha256 == sha256)).first() is not None:
            return False
        conn.execute(t.profile_photos.insert().values(
            sha256=sha256, account_id=account_id, data=data, size=len(data),
            added_at=time.time()))
        return True


@router.get("/photo/{sha256}", summary="The photo of someone in one of my groups",
            response_class=Response,
            responses={304: {"description": "not modified (If-None-Match)"},
                       **error_responses(400, 401, 404)})
def download(sha256: str, request: Request, me: Me, conn: Db) -> Response:
    check_sha256(sha256)
    data = conn.execute(select(t.profile_photos.c.data).where(
        t.profile_photos.c.sha256 == sha256)).scalar_one_or_none()
    if data is None or not photo_visible(conn, me.account_id, sha256):
        raise not_found("no such photo in your groups")
    etag = f'"{sha256}"'
    headers = {"etag": etag, "cache-control": "private, max-age=31536000, immutable"}
    if etag in [v.strip() for v in request.headers.get("if-none-match", "").split(",")]:
        return Response(status_code=304, headers=headers)
    return Response(bytes(data), media_type="image/jpeg", headers=headers)
