"""The courier: a device's keys, bundles a USB stick brings, and the packs it takes back."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Request, Response
from fastapi.concurrency import run_in_threadpool

from companion.hub import courier, packs
from companion.hub.deps import Body, ClientAddress, Db, Hub, HubServices, Me
from companion.hub.errors import not_found
from companion.hub.media import MediaFileResponse, check_sha256
from companion.hub.models import CourierOut, DeviceKeysIn, binary_body, error_responses

router = APIRouter(prefix="/v1", tags=["courier"])


@router.post("/devices/keys", status_code=204, summary="Register this device's courier keys",
             responses=error_responses(400, 401, 409, 413, 422))
def register_keys(body: Body(DeviceKeysIn), me: Me, hub: Hub) -> Response:
    """The public halves of the device's Ed25519 (signing) and X25519 keys; a bundle this
    device sends by courier is accepted only with a signature by this key."""
    with hub.storage.write() as conn:
        courier.register(conn, me, body.sign_key, body.box_key)
    return Response(status_code=204)


@router.post(
    "/courier", response_model=CourierOut, summary="Deliver a bundle a USB stick brought",
    openapi_extra=binary_body(),
    responses=error_responses(400, 403, 409, 413, 429))
async def deliver(request: Request, hub: Hub, address: ClientAddress) -> dict[str, Any]:
    """No token: the bundle's signature by a registered device key is the proof, its sequence
    number stops replays. The body limit is enforced before this runs; the signature is
    checked before anything is decrypted, unpacked or written. Refused bundles are limited
    per client address (429 with Retry-After)."""
    raw = await request.body()
    return await run_in_threadpool(_deliver, hub, address, raw)


def _deliver(hub: HubServices, address: str, raw: bytes) -> dict[str, Any]:
    scope = f"courier:{address}"
    with hub.storage.read() as conn:
        hub.throttle.check(conn, scope)  # an address used up is turned away without a write
    with hub.storage.write() as conn:
        # Counted before the signature is checked or anything opened, so parallel refused
        # bundles all count; given back in the transaction that applies an accepted one.
        reserved = hub.throttle.reserve(conn, scope)
    return courier.deliver(hub.storage, hub.settings, raw,
                           accepted=lambda conn: hub.throttle.give_back(conn, reserved, scope))


@router.head("/courier/media/{sha256}", include_in_schema=False)
@router.get("/courier/media/{sha256}", summary="A courier fetches a file wished for",
            response_class=MediaFileResponse,
            responses={206: {"description": "the requested byte range"},
                       **error_responses(400, 404, 416)})
def media(sha256: str, request: Request, conn: Db, hub: Hub,
          x_courier_ticket: Annotated[str, Header()] = "") -> Response:
    """With the ticket of a courier answer: files of packs offered to that device's groups."""
    check_sha256(sha256)
    account = courier.ticket_account(conn, x_courier_ticket[:200]) if x_courier_ticket else None
    if account is None or not packs.may_download(conn, account, sha256) \
            or not hub.media.has(sha256):
        raise not_found("no such file for this courier ticket")
    headers = {"etag": f'"{sha256}"', "cache-control": "private, max-age=31536000, immutable"}
    # Through the store, like every download: an S3 store has no local path to hand over.
    return hub.media.response(sha256, request.headers, headers,
                              head_only=request.method == "HEAD")
