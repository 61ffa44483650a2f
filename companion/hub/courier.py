"""The courier on the hub: device keys, and a bundle from a USB stick applied as a sync.

A bundle carries no token: its Ed25519 signature, by a key the device registered while it was
logged in, is the proof of who sent it, and its sequence number (higher than any delivered
before) stops a replay. Its changes go through :func:`companion.hub.push_pull.push` like a
``/v1/sync`` push (the same change ids, so they are applied exactly once whichever way they
travel first); the answer is the device's next pull, sealed to the device's own X25519 key and
signed by the hub. Checks run cheapest first: header, hub, device, signature, sequence; only
then decryption, unpacking and the database work.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, and_, delete, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from companion.core import courier_format as cf
from companion.hub import packs, push_pull
from companion.hub import tables as t
from companion.hub.auth import Caller
from companion.hub.errors import ApiError
from companion.hub.storage import Storage, now

KEY_NAME = "courier"
MAX_BUNDLE_PLAIN_BYTES = 32 * 1024 * 1024
ANSWER_MAX_CHANGES = 20_000  # a page bigger than a sync's: a stick travels once a week
ANSWER_MAX_BYTES = 24 * 1024 * 1024  # of pulled changes as JSON; the rest goes next time
TICKET_TTL_S = 30 * 24 * 3600
MAX_WISH_FILES = 10_000
MAX_WISH_PACKS = 2_000

_keys_lock = threading.Lock()


def hub_keys(storage: Storage) -> cf.KeyPair:
    """The hub's courier keys, made once and kept in its database (shared by all processes);
    read once per :class:`Storage`."""
    with _keys_lock:
        cached = getattr(storage, "courier_keys", None)
        if cached is not None:
            return cached
        with storage.read() as conn:
            secret = conn.execute(select(t.hub_keys.c.secret).where(
                t.hub_keys.c.name == KEY_NAME)).scalar_one_or_none()
        if secret is None:
            fresh = cf.KeyPair.generate()
            dialect = postgresql if storage.dialect == "postgresql" else sqlite
            with storage.write() as conn:
                # Two processes starting together: the first row wins, both read it back.
                conn.execute(dialect.insert(t.hub_keys).values(
                    name=KEY_NAME, secret=fresh.to_secret(), created_at=now())
                    .on_conflict_do_nothing(index_elements=["name"]))
                secret = conn.execute(select(t.hub_keys.c.secret).where(
                    t.hub_keys.c.name == KEY_NAME)).scalar_one()
        pair = cf.KeyPair.from_secret(secret)
        storage.courier_keys = pair  # type: ignore[attr-defined]
        return pair


def public_keys(storage: Storage) -> dict[str, str]:
    pair = hub_keys(storage)
    return {"box_key": pair.box_public, "sign_key": pair.sign_public}


def _valid_public(key: str, field: str) -> str:
    try:
        cf.unb64(key)
    except cf.SealError as exc:
        raise ApiError(422, "invalid", f"{field} must be a base64 public key of 32 bytes") \
            from exc
    return key


def register(conn: Connection, me: Caller, sign_key: str, box_key: str) -> None:
    """Keep the public keys of the caller's device (replacing the device's earlier ones).

    The same signing key again keeps its bundle sequence, so registering twice never opens
    the door to a replay of bundles already delivered.
    """
    _valid_public(sign_key, "sign_key")
    _valid_public(box_key, "box_key")
    dk = t.device_keys.c
    row = conn.execute(select(dk.account_id, dk.device_id).where(dk.sign_key == sign_key)).first()
    if row is not None and (row.account_id, row.device_id) != (me.account_id, me.device_id):
        raise ApiError(409, "conflict", "this key belongs to another device")
    if row is not None:
        conn.execute(update(t.device_keys).where(dk.sign_key == sign_key).values(box_key=box_key))
        return
    conn.execute(delete(t.device_keys).where(dk.account_id == me.account_id,
                                             dk.device_id == me.device_id))
    conn.execute(insert(t.device_keys).values(
        sign_key=sign_key, account_id=me.account_id, device_id=me.device_id[:64],
        box_key=box_key, last_bundle_seq=0, registered_at=now()))


def forget_device(conn: Connection, account_id: int, device_id: str) -> None:
    """The device logged out: its bundles are refused from now on."""
    conn.execute(delete(t.device_keys).where(t.device_keys.c.account_id == account_id,
                                             t.device_keys.c.device_id == device_id))


def _refuse(status: int, code: str, message: str) -> ApiError:
    return ApiError(status, code, message)


def _device(conn: Connection, sign_key: str) -> Any:
    dk, a = t.device_keys.c, t.accounts.c
    return conn.execute(
        select(dk.account_id, dk.device_id, dk.box_key, dk.last_bundle_seq, a.username,
               a.is_trainer, a.membership_version, a.disabled)
        .join(t.accounts, t.accounts.c.id == dk.account_id)
        .where(dk.sign_key == sign_key)).first()


def _checked_body(body: dict[str, Any], max_changes: int) -> tuple[list[Any], str | None,
                                                                     dict[str, Any]]:
    items = body.get("changes")
    cursor = body.get("cursor")
    wish = body.get("wish") or {}
    if not isinstance(items, list) or (cursor is not None and not isinstance(cursor, str)) \
            or not isinstance(wish, dict):
        raise _refuse(422, "invalid", "the bundle is not a courier bundle")
    if len(items) > max_changes:
        raise _refuse(413, "too_many_changes", f"a bundle may carry at most {max_changes} "
                      "changes")
    return items, cursor, wish


def deliver(storage: Storage, settings: Any, raw: bytes,
            accepted: Callable[[Connection], None] | None = None) -> dict[str, Any]:
    """Check and apply one bundle; the answer sealed for its device, and what to fetch.
    ``accepted`` runs in the transaction that applies it (the route gives back the refusal it
    counted in advance)."""
    try:
        sealed = cf.read_header(raw)
    except cf.SealError as exc:
        raise _refuse(400, "damaged", exc.message) from exc
    keys = hub_keys(storage)
    head = sealed.header
    if head["kind"] != cf.KIND_BUNDLE:
        raise _refuse(400, "damaged", "this is not an outbound bundle")
    if head["to"] != keys.box_public:
        raise _refuse(409, "foreign_hub", "this bundle is for another hub")
    with storage.read() as conn:
        device = _device(conn, head["from"])
    if device is None:
        raise _refuse(403, "unknown_device", "this device is not logged in to this hub (it "
                      "logged out, or logged in again since it wrote the bundle)")
    try:
        cf.check_signature(raw, sealed, head["from"])
    except cf.SealError as exc:
        raise _refuse(403, "bad_signature", exc.message) from exc
    if head.get("device_id") != device.device_id:
        raise _refuse(403, "bad_signature", "the bundle names another device than its key")
    if sealed.seq <= int(device.last_bundle_seq):
        raise _refuse(409, "replayed", f"bundle {sealed.seq} of this device is not newer than "
                      f"bundle {device.last_bundle_seq}, delivered before (a copy or an older "
                      "bundle)")
    if device.disabled:
        raise _refuse(403, "forbidden", "this account is disabled")
    try:
        body = cf.open_body(sealed, keys.box, MAX_BUNDLE_PLAIN_BYTES)
    except cf.SealError as exc:
        raise _refuse(413 if exc.code == "too_large" else 400, exc.code, exc.message) from exc
    items, cursor_text, wish = _checked_body(body, settings.max_courier_changes)
    caller = Caller(int(device.account_id), device.username, bool(device.is_trainer),
                    device.device_id, int(device.membership_version), "")
    pushed = _push(storage, settings, caller, head["from"], sealed.seq, items, accepted)
    pulled = _pull(storage, caller, push_pull.Cursor.decode(cursor_text), settings)
    with storage.read() as conn:
        offered, media = _wished(conn, caller.account_id, wish)
    ticket = None
    if media:
        ticket = secrets.token_urlsafe(32)
        with storage.write() as conn:
            conn.execute(delete(t.courier_tickets).where(t.courier_tickets.c.expires_at < now()))
            conn.execute(insert(t.courier_tickets).values(
                ticket_hash=hash_ticket(ticket), account_id=caller.account_id,
                expires_at=now() + TICKET_TTL_S))
    answer = {"bundle_seq": sealed.seq, "accepted": pushed.accepted, "rejected": pushed.rejected,
              **pulled, "packs": offered}
    sealed_answer = cf.seal(answer, kind=cf.KIND_ANSWER, signer=keys.sign,
                            recipient_box=device.box_key,
                            header={"seq": sealed.seq, "device_id": device.device_id,
                                    "profile": str(head.get("profile", ""))[:64]})
    return {"answer": cf.b64(sealed_answer), "media": media, "ticket": ticket,
            "accepted": len(pushed.accepted), "rejected": len(pushed.rejected)}


def _push(storage: Storage, settings: Any, caller: Caller, sign_key: str, seq: int,
          items: list[Any], accepted: Callable[[Connection], None] | None
          ) -> push_pull.PushResult:
    result = push_pull.PushResult()
    with storage.write() as conn:
        dk = t.device_keys.c
        # Taken in the same transaction as the changes: two deliveries of one bundle at once
        # cannot both pass.
        claimed = conn.execute(update(t.device_keys).where(
            dk.sign_key == sign_key, dk.last_bundle_seq < seq).values(last_bundle_seq=seq))
        if claimed.rowcount != 1:
            raise _refuse(409, "replayed", f"bundle {seq} of this device was delivered before")
        if accepted is not None:
            accepted(conn)
        step = max(1, settings.max_push_changes)
        for start in range(0, len(items), step):
            # Counted again per part, inside the transaction: it sees the parts before it.
            room = push_pull.quota_room(conn, caller.account_id, settings.quota_bytes_per_day)
            part = push_pull.push(conn, caller, items[start:start + step], room)
            for r in part.rejected:
                r["index"] = int(r["index"]) + start
            result.accepted += part.accepted
            result.rejected += part.rejected
    return result


def _pull(storage: Storage, caller: Caller, cursor: push_pull.Cursor | None,
          settings: Any) -> dict[str, Any]:
    out: list[dict[str, Any]] = []
    reset = False
    more = True
    size = 0
    while more and len(out) < ANSWER_MAX_CHANGES and size < ANSWER_MAX_BYTES:
        with storage.read() as conn:
            page = push_pull.pull(conn, caller, cursor, settings.pull_page_max)
        out += page.changes
        size += len(json.dumps(page.changes, ensure_ascii=False))
        reset = reset or page.reset
        cursor, more = page.cursor, page.more
    assert cursor is not None
    return {"changes": out, "cursor": cursor.encode(), "more": more, "reset": reset}


def _wished(conn: Connection, account_id: int, wish: dict[str, Any]
            ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The packs offered to the account's groups that the device lacks (newer than what it
    has installed), with their manifests; and the files a courier should bring for them (minus
    those of manifests the device has installed), plus wished partial downloads."""
    installed = wish.get("installed") or {}
    if not isinstance(installed, dict):
        installed = {}
    p, gp, m, pf = t.packs, t.group_packs, t.memberships, t.pack_files
    rows = conn.execute(
        select(p.c.id, p.c.pack_id, p.c.version, p.c.manifest, p.c.signature,
               p.c.manifest_sha256, p.c.published_at, gp.c.group_id)
        .join(gp, gp.c.pack_row == p.c.id)
        .join(m, and_(m.c.group_id == gp.c.group_id, m.c.account_id == account_id))
        .order_by(p.c.pack_id, p.c.published_at.desc(), p.c.id.desc())).all()
    newest: dict[str, Any] = {}
    for r in rows:
        newest.setdefault(r.pack_id, r)
    offered = []
    # Bounded like every input: a library holds tens of packs, not thousands.
    have_manifests = {v for v in list(installed.values())[:MAX_WISH_PACKS]
                      if isinstance(v, str) and len(v) == 64}
    wanted_rows = []
    for pack_id, r in sorted(newest.items()):
        if r.manifest_sha256 in have_manifests:
            continue
        wanted_rows.append(r.id)
        offered.append({"group_id": int(r.group_id), "pack_id": pack_id, "version": r.version,
                        "manifest": r.manifest, "signature": r.signature,
                        "manifest_sha256": r.manifest_sha256})
    files: dict[str, int] = {}
    if wanted_rows:
        for f in conn.execute(select(pf.c.sha256, pf.c.size).where(
                pf.c.pack_row.in_(wanted_rows))):
            files[f.sha256] = int(f.size)
        known = conn.execute(select(pf.c.sha256).join(p, p.c.id == pf.c.pack_row).where(
            p.c.manifest_sha256.in_(sorted(have_manifests)))).scalars() \
            if have_manifests else []
        for sha in known:
            files.pop(sha, None)
    partial = [s for s in wish.get("files") or [] if isinstance(s, str)][:MAX_WISH_FILES]
    partial = [s for s in partial if len(s) == 64 and s not in files]
    if partial:
        for sha in packs.visible_media(conn, account_id, partial):
            size = packs.media_size(conn, sha)
            if size is not None and packs.may_download(conn, account_id, sha):
                files[sha] = int(size)
    return offered, [{"sha256": s, "size": n} for s, n in sorted(files.items())]


def hash_ticket(ticket: str) -> str:
    return hashlib.sha256(ticket.encode()).hexdigest()


def ticket_account(conn: Connection, ticket: str) -> int | None:
    """The account a courier ticket fetches for, or None (unknown or expired)."""
    c = t.courier_tickets.c
    row = conn.execute(select(c.account_id).where(
        c.ticket_hash == hash_ticket(ticket), c.expires_at > now())).first()
    return int(row[0]) if row is not None else None
