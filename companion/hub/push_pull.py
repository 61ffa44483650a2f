"""The sync: apply a pushed batch exactly once, and pull what a caller may see by cursor.

Every accepted change gets the next number of the hub's server sequence, handed out under the
lock of :func:`companion.hub.storage.lock_sequence`, so numbers become visible in order and a
cursor never steps over a change that commits late. A refused change is recorded with its reason,
so a retry gets the same final answer and never loops.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    Connection,
    LargeBinary,
    and_,
    bindparam,
    cast,
    func,
    insert,
    not_,
    or_,
    select,
)

from companion.core import merge
from companion.hub import activity, epochs, limits, moderation, social, state
from companion.hub import tables as t
from companion.hub.auth import Caller
from companion.hub.batch import Batch
from companion.hub.storage import advance_sequence, lock_sequence, now

# Kinds a person's other devices receive; sessions only feed the trainers' statistics.
# Follows, drafts and read marks are private: they go to the person's own devices only.
OWN_KINDS = ("progress", "note", "quiz_attempt", "profile", "follow", "draft", "notif_read")
HUB_DEVICE = social.HUB_DEVICE


@dataclass
class PushResult:
    accepted: list[dict[str, Any]] = field(default_factory=list)
    rejected: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Cursor:
    """Where a device is in the stream: a server sequence and the membership version it saw.

    When the caller's memberships changed (joined a group), the old cursor would skip the new
    group's history, so the pull starts again from 0 (applying a change twice changes nothing).
    ``epoch`` is the hub's epoch (:mod:`companion.hub.epochs`) the cursor was handed out in;
    empty in cursors of hubs before epochs, which count as the current epoch.
    """

    seq: int
    membership_version: int
    epoch: str = ""

    def encode(self) -> str:
        return f"{self.seq}.{self.membership_version}.{self.epoch}"

    @classmethod
    def decode(cls, text: str | None) -> Cursor | None:
        if not text:
            return None
        seq, _, rest = str(text).partition(".")
        version, _, epoch = rest.partition(".")
        try:
            return cls(max(0, int(seq)), int(version or 0), epoch[:32])
        except ValueError:
            return None


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _known_query(dialect: str) -> Any:
    """Which of the ``keys`` change ids the hub has stored, with their seq and owner."""
    c = t.changes.c
    return state.select_keyed(dialect, (c.change_id, c.server_seq, c.account_id), c.change_id)


def _refused_query(dialect: str) -> Any:
    """Which of the ``keys`` change ids the hub refused before, with the reason."""
    return state.select_keyed(dialect, (t.rejections,), t.rejections.c.change_id)


def _safe_id(change: Any) -> str | None:
    """The change id, if it is one the hub can store and answer with; else None."""
    cid = change.get("change_id") if isinstance(change, dict) else None
    if isinstance(cid, str) and 1 <= len(cid) <= merge.MAX_CHANGE_ID_LENGTH \
            and limits.text_problem(cid) is None:
        return cid
    return None


def _check_wire(change: Any) -> None:
    """Refuse a change no database could store the same way: every value bounded (depth,
    numbers, text), then the envelope. Raises ChangeRejected for this change alone."""
    if not isinstance(change, dict):
        raise merge.invalid("a change is an object")
    problem = limits.value_problem(change, limits.MAX_CHANGE_DEPTH)
    if problem:
        raise merge.invalid(f"the change cannot be stored: {problem}")
    merge.check_change_shape(change)


def quota_room(conn: Connection, account_id: int, quota_bytes: int) -> int:
    """Bytes of change payloads the account may still store under its daily quota.

    Read before the push's write transaction, so the sum (a scan of the account's changes of the
    last 24 hours) never holds the sequence lock; two pushes of one account at the same moment
    may together pass the quota by at most one batch.
    """
    since = now() - QUOTA_WINDOW_S
    c = t.changes.c
    size = func.octet_length(c.payload) if conn.dialect.name == "postgresql" \
        else func.length(cast(c.payload, LargeBinary))
    total = conn.execute(select(func.coalesce(func.sum(size), 0)).where(
        c.account_id == account_id, c.received_at > since)).scalar_one()
    return quota_bytes - int(total)


def push(conn: Connection, caller: Caller, changes: list[Any],
         room: int | None = None) -> PushResult:
    """Apply a batch inside the caller's write transaction; safe to repeat with the same batch.

    ``room``: payload bytes the caller may still store today (:func:`quota_room`; None: no
    quota); a change past it is refused with the code ``quota``.
    """
    result = PushResult()
    last = lock_sequence(conn)  # first: from here on this transaction is the only writer
    cids = [_safe_id(c) for c in changes]
    wire_errors: dict[int, merge.ChangeRejected] = {}
    for index, change in enumerate(changes):
        try:
            _check_wire(change)
        except merge.ChangeRejected as exc:
            wire_errors[index] = exc
    ids = [cid for cid in cids if cid is not None]
    known: dict[str, tuple[int, int]] = {}
    refused: dict[str, tuple[int, str, str]] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        for r in conn.execute(_known_query(conn.dialect.name), {"keys": chunk}):
            known[r.change_id] = (int(r.server_seq), r.account_id)
        for r in conn.execute(_refused_query(conn.dialect.name), {"keys": chunk}):
            refused[r.change_id] = (r.account_id, r.code, r.reason)
    batch = Batch(conn, caller)
    # Only changes that passed the wire check reach a query: no NUL or huge number on the way.
    st = batch.prepare([c for i, c in enumerate(changes) if i not in wire_errors])
    at = now()
    for index, change in enumerate(changes):
        cid = cids[index]
        if cid is not None and cid in known:
            seq, owner = known[cid]
            if owner == caller.account_id:
                result.accepted.append({"change_id": cid, "seq": seq})
            else:
                result.rejected.append({"change_id": cid, "index": index, "code": "conflict",
                                        "reason": "this change_id is already used"})
            continue
        if cid is not None and cid in refused and refused[cid][0] == caller.account_id:
            result.rejected.append({"change_id": cid, "index": index, "code": refused[cid][1],
                                    "reason": refused[cid][2]})
            continue
        try:
            if index in wire_errors:
                raise wire_errors[index]
            payload_text = _dumps(change.get("payload") or {})
            _check_payload_size(change["kind"], payload_text)
            if room is not None and len(payload_text.encode()) > room:
                raise merge.ChangeRejected("quota", QUOTA_REASON)
            stored = batch.apply(st, change, last + 1)
        except merge.ChangeRejected as exc:
            reason = exc.reason[:500]
            result.rejected.append({"change_id": cid, "index": index, "code": exc.code,
                                    "reason": reason})
            if cid is not None and cid not in refused:
                refused[cid] = (caller.account_id, exc.code, reason)
                batch.rejection_rows.append({"change_id": cid, "account_id": caller.account_id,
                                             "code": exc.code, "reason": reason, "at": at})
            continue
        last += 1
        known[cid] = (last, caller.account_id)
        stored_text = _dumps(stored["payload"])
        if room is not None:
            room -= len(stored_text.encode())
        batch.change_rows.append({
            "server_seq": last, "change_id": cid, "account_id": caller.account_id,
            "device_id": caller.device_id, "device_seq": change.get("device_seq", 0),
            "kind": change["kind"], "entity_id": change["entity_id"], "op": change["op"],
            "payload": stored_text, "group_id": stored["group_id"],
            "created_at": str(change.get("created_at") or "")[:40], "received_at": at,
        })
        result.accepted.append({"change_id": cid, "seq": last})
    if batch.change_rows:
        conn.execute(insert(t.changes), batch.change_rows)
        state.save(conn, st, at)
        advance_sequence(conn, last)
        moderation.erase_comment_text(conn, batch.erased)
        state.upsert(conn, t.comment_moderation, list(batch.moderated.values()),
                     ["comment_id"])
    if batch.session_rows:
        conn.execute(insert(t.sessions), batch.session_rows)
    activity.record(conn, batch.change_rows, batch.session_rows)  # the trainers' report
    if batch.rejection_rows:
        conn.execute(insert(t.rejections), batch.rejection_rows)
    return result


QUOTA_WINDOW_S = 24 * 3600
QUOTA_REASON = ("this account has stored as much as the hub allows in one day; the change "
                "stays on this PC but is not shared")


def _check_payload_size(kind: str, payload_text: str) -> None:
    limit = limits.MAX_PAYLOAD_BYTES[kind]
    if len(payload_text.encode()) > limit:
        raise merge.invalid(f"a {kind} change may carry at most {limit} bytes")


def hub_change(conn: Connection, caller: Caller, kind: str, entity_id: str, op: str,
               payload: dict[str, Any]) -> PushResult:
    """A change the hub makes on someone's behalf (moderation, a profile sent to a new group)."""
    server_caller = Caller(caller.account_id, caller.username, caller.is_trainer, HUB_DEVICE,
                           caller.membership_version, "")
    change = {"change_id": uuid.uuid4().hex, "device_seq": 0, "kind": kind,
              "entity_id": entity_id, "op": op, "payload": payload, "created_at": ""}
    return push(conn, server_caller, [change])


_c = t.changes.c
# What a caller may see, built once (every sync runs it): own changes of the kinds that follow a
# person (from other devices), the comments of the caller's groups, the public profiles of the
# people in them.
# The groups and co-members are subqueries, not lists of ids: a list of 200 co-members was
# rendered into the SQL on every sync, half the hub's time for a no-change pull.
_MINE, _THEIRS = t.memberships.alias("mine"), t.memberships.alias("theirs")
_MY_GROUPS = select(_MINE.c.group_id).where(_MINE.c.account_id == bindparam("me"))
_CO_MEMBERS = select(_THEIRS.c.account_id).where(_THEIRS.c.group_id.in_(_MY_GROUPS))
_PULL = (
    select(_c.server_seq, _c.change_id, _c.account_id, _c.device_id, _c.device_seq, _c.kind,
           _c.entity_id, _c.op, _c.payload, _c.created_at)
    .where(
        _c.server_seq > bindparam("after"), _c.server_seq <= bindparam("horizon"),
        or_(and_(_c.account_id == bindparam("me"), _c.kind.in_(OWN_KINDS)),
            _c.group_id.in_(_MY_GROUPS),
            and_(_c.kind == "profile", _c.account_id.in_(_CO_MEMBERS))),
        not_(and_(_c.account_id == bindparam("me"), _c.device_id == bindparam("device"))))
    .order_by(_c.server_seq).limit(bindparam("limit"))
)


@dataclass
class PullResult:
    changes: list[dict[str, Any]]
    cursor: Cursor
    more: bool
    reset: bool
    # Set when the hub was restored since the cursor: the caller pushes again every own change
    # this hub numbered above it (the restored database may lack them).
    resend_after_seq: int | None = None


# The horizon and the current epoch in one statement: a no-change pull stays one round trip.
_HORIZON = select(t.hub_state.c.last_seq, epochs.CURRENT).where(t.hub_state.c.id == 1)


def pull(conn: Connection, caller: Caller, cursor: Cursor | None, limit: int) -> PullResult:
    """The changes after ``cursor`` the caller may see, in server order, at most ``limit``."""
    # Read the horizon first: everything numbered up to it has committed (numbers are handed out
    # under a lock held to commit), so the query below, a later snapshot, sees all of it.
    horizon, epoch = conn.execute(_HORIZON).one()
    horizon, epoch = int(horizon), str(epoch or "")
    resend: int | None = None
    if cursor is not None and cursor.epoch and cursor.epoch != epoch:
        resend = epochs.resend_base(conn, cursor.epoch)  # restored since this cursor
    elif cursor is not None and cursor.seq > horizon:
        # Ahead of this hub in its own epoch: restored by hand, without a new epoch. What the
        # device got numbered above the horizon is surely missing (more may be).
        resend = horizon
    # Start again when the caller's groups changed, or the hub was restored.
    reset = cursor is not None and (cursor.membership_version != caller.membership_version
                                    or resend is not None)
    after = 0 if cursor is None or reset else cursor.seq
    rows = conn.execute(_PULL, {"after": after, "horizon": horizon, "me": caller.account_id,
                                "device": caller.device_id, "limit": limit + 1}).all()
    more = len(rows) > limit
    rows = rows[:limit]
    out = [{"seq": int(r.server_seq), "change_id": r.change_id, "author_id": r.account_id,
            "device_id": r.device_id, "device_seq": int(r.device_seq), "kind": r.kind,
            "entity_id": r.entity_id, "op": r.op, "payload": json.loads(r.payload),
            "created_at": r.created_at} for r in rows]
    moderation.withhold_hidden_text(conn, caller.account_id, out)
    next_seq = int(rows[-1].server_seq) if more else max(after, horizon)
    return PullResult(out, Cursor(next_seq, caller.membership_version, epoch), more, reset,
                      resend)
