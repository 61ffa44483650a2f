"""The local change log: every change a person makes, recorded for the sync to ship.

Each domain write (progress, a note, a quiz attempt, a learning session, a profile field) calls
:func:`record_change` inside the same transaction as the write itself, so the change log and the
data can never disagree. See ``docs/change-log.md`` for the design.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from companion.core.db import device_id, now_local

# What a change can be about, and what may be done to it.
# ``offer`` (a pack offered to a group) is made by the hub alone, so it is not recorded here.
KINDS = frozenset({"progress", "note", "quiz_attempt", "session", "profile", "comment",
                   "reaction", "follow", "draft", "notif_read", "announcement"})
KINDS = KINDS | {"comment_hide"}  # issue 10: a trainer hides (upsert) or restores (delete)
OPS = frozenset({"upsert", "delete", "append"})


@dataclass(frozen=True)
class Change:
    seq: int
    change_id: str
    profile_id: int
    kind: str
    entity_id: str
    op: str
    payload: dict[str, Any]
    device_id: str
    created_at: str
    pushed_at: str | None

    def to_dict(self) -> dict[str, Any]:
        """The wire form the sync pushes (profile and push state stay local)."""
        return {
            "change_id": self.change_id,
            "device_id": self.device_id,
            "device_seq": self.seq,
            "kind": self.kind,
            "entity_id": self.entity_id,
            "op": self.op,
            "payload": self.payload,
            "created_at": self.created_at,
        }


def _row_to_change(row: tuple[Any, ...]) -> Change:
    return Change(
        seq=row[0], change_id=row[1], profile_id=row[2], kind=row[3], entity_id=row[4],
        op=row[5], payload=json.loads(row[6]), device_id=row[7], created_at=row[8],
        pushed_at=row[9],
    )


_COLUMNS = (
    "seq, change_id, profile_id, kind, entity_id, op, payload, device_id, created_at, pushed_at"
)


def record_change(
    db: sqlite_utils.Database,
    profile_id: int,
    kind: str,
    entity_id: str,
    op: str,
    payload: dict[str, Any],
) -> Change:
    """Append one change. Call it inside the transaction that makes the change."""
    if kind not in KINDS:
        raise ValueError(f"unknown change kind {kind!r}")
    if op not in OPS:
        raise ValueError(f"unknown change op {op!r}")
    if not db.conn.in_transaction:
        raise RuntimeError("record_change must run inside the transaction of the change itself")
    change_id = uuid.uuid4().hex
    created_at = now_local()
    dev = device_id(db)
    body = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    cur = db.execute(
        "INSERT INTO changes(change_id, profile_id, kind, entity_id, op, payload, device_id,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [change_id, profile_id, kind, entity_id, op, body, dev, created_at],
    )
    return Change(
        seq=int(cur.lastrowid or 0), change_id=change_id, profile_id=profile_id, kind=kind,
        entity_id=entity_id, op=op, payload=payload, device_id=dev, created_at=created_at,
        pushed_at=None,
    )


def pending_changes(
    db: sqlite_utils.Database, profile_id: int, limit: int = 500, after_seq: int = 0
) -> list[Change]:
    """Changes of a profile not yet acknowledged by the hub, oldest first."""
    rows = db.execute(
        f"SELECT {_COLUMNS} FROM changes WHERE profile_id = ? AND pushed_at IS NULL "
        "AND seq > ? ORDER BY seq LIMIT ?",
        [profile_id, after_seq, limit],
    ).fetchall()
    return [_row_to_change(r) for r in rows]


def count_pending(db: sqlite_utils.Database, profile_id: int) -> int:
    return int(
        db.execute(
            "SELECT count(*) FROM changes WHERE profile_id = ? AND pushed_at IS NULL",
            [profile_id],
        ).fetchone()[0]
    )


def mark_pushed(db: sqlite_utils.Database, change_ids: list[str], when: str | None = None,
                hub_seqs: dict[str, int] | None = None) -> None:
    """Record that the hub has acknowledged these changes (idempotent), and where the hub put
    each in its order (``hub_seqs``: change id to the hub's ``seq``), when known."""
    when = when or now_local()
    seqs = hub_seqs or {}
    db.conn.executemany(
        "UPDATE changes SET pushed_at = ?, hub_seq = ? WHERE change_id = ? AND pushed_at IS NULL",
        [(when, seqs.get(cid), cid) for cid in change_ids],
    )


def push_again_after(db: sqlite_utils.Database, profile_id: int, hub_seq: int) -> int:
    """Put back in the queue the profile's changes that the hub had numbered above ``hub_seq``
    (or whose number is unknown): a hub restored from a backup lacks them. Changes the hub
    refused stay refused. Returns how many went back; call inside the sync's transaction."""
    cur = db.execute(
        "UPDATE changes SET pushed_at = NULL, hub_seq = NULL WHERE profile_id = ?"
        " AND pushed_at IS NOT NULL AND (hub_seq IS NULL OR hub_seq > ?)"
        " AND change_id NOT IN (SELECT change_id FROM sync_refusals)",
        [profile_id, hub_seq],
    )
    return int(cur.rowcount or 0)


def all_changes(db: sqlite_utils.Database, profile_id: int | None = None) -> list[Change]:
    if profile_id is None:
        rows = db.execute(f"SELECT {_COLUMNS} FROM changes ORDER BY seq").fetchall()
    else:
        rows = db.execute(
            f"SELECT {_COLUMNS} FROM changes WHERE profile_id = ? ORDER BY seq", [profile_id]
        ).fetchall()
    return [_row_to_change(r) for r in rows]
