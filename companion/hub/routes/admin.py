"""Health and what a client needs to know about this hub."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from companion import __version__
from companion.core.packs.format import MAX_MANIFEST_BYTES
from companion.hub import courier
from companion.hub.deps import Db, Hub
from companion.hub.models import Health, HubInfo
from companion.hub.packs import MAX_PUBLISH_BODY_BYTES
from companion.hub.push_pull import QUOTA_WINDOW_S
from companion.hub.routes.photos import PHOTO_MAX_BYTES
from companion.hub.storage import last_sequence

PROTOCOL_VERSION = 1

router = APIRouter(prefix="/v1", tags=["hub"])


@router.get("/health", response_model=Health, summary="Is the hub up and its database reachable")
def health(hub: Hub, conn: Db) -> dict[str, Any]:
    return {"status": "ok", "database": hub.storage.dialect, "last_seq": last_sequence(conn)}


@router.get("/hub", response_model=HubInfo, summary="Protocol version and limits")
def info(hub: Hub) -> dict[str, Any]:
    s = hub.settings
    return {"protocol": PROTOCOL_VERSION, "version": __version__, "limits": {
        "max_sync_body_bytes": s.max_sync_body_bytes, "max_push_changes": s.max_push_changes,
        "pull_page_max": s.pull_page_max, "max_media_bytes": s.max_media_bytes,
        "max_manifest_bytes": MAX_MANIFEST_BYTES, "max_publish_body_bytes": MAX_PUBLISH_BODY_BYTES,
        # Added later; names above never change (clients read them).
        "quota_bytes_per_day": s.quota_bytes_per_day, "quota_window_s": QUOTA_WINDOW_S,
        "max_body_bytes": s.max_body_bytes, "pull_page_default": s.pull_page_default,
        "max_courier_body_bytes": s.max_courier_body_bytes,
        "max_courier_changes": s.max_courier_changes, "max_photo_bytes": PHOTO_MAX_BYTES},
        "courier": courier.public_keys(hub.storage)}
