"""Keeping comments inside their group, and taking a comment's text out of everything served.

A deleted comment must not be readable from the change log: a pull from the start (a new device,
someone who joined later) replays every stored change. :func:`erase_comment_text` rewrites the
stored rows of a comment so they carry no text, only a tombstone marker the clients understand;
moderation ("hide") can use the same function with its own marker.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Connection, select, update

from companion.core import merge
from companion.hub import tables as t

# Payload fields that hold what a person wrote; everything else (ids, group) stays.
_TEXT_FIELDS = ("body",)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def erase_comment_text(conn: Connection, tombstones: Mapping[str, Mapping[str, Any]]) -> int:
    """Remove the text of these comments from the current state and from every change that
    carried it, adding each comment's tombstone marker (``{"deleted_by": ID}`` for a deletion)
    to those changes so a client replaying them keeps the comment erased. Returns the number
    of change rows rewritten. Runs inside the caller's write transaction."""
    if not tombstones:
        return 0
    ids = sorted(tombstones)
    conn.execute(update(t.comment_state).where(t.comment_state.c.comment_id.in_(ids))
                 .values(body=""))
    c = t.changes.c
    rows = conn.execute(select(c.server_seq, c.entity_id, c.payload)
                        .where(c.kind.in_(("comment", "comment_hide")),
                               c.entity_id.in_(ids))).all()
    rewritten = 0
    for row in rows:
        payload = json.loads(row.payload)
        if not isinstance(payload, dict):
            payload = {}
        clean = {k: v for k, v in payload.items() if k not in _TEXT_FIELDS}
        clean.update(tombstones[row.entity_id])
        if clean != payload:
            conn.execute(update(t.changes).where(c.server_seq == row.server_seq)
                         .values(payload=_dumps(clean)))
            rewritten += 1
    return rewritten


def erase_deleted_comments(conn: Connection) -> int:
    """Erase the text of every deleted comment from the change log (the upgrade of a hub that
    kept it). Returns the number of change rows rewritten."""
    s = t.comment_state.c
    rows = conn.execute(select(s.comment_id, s.deleted_by).where(s.deleted)).all()
    tombstones = {row.comment_id: {"deleted_by": row.deleted_by} for row in rows}
    return erase_comment_text(conn, tombstones)


def reply_group(conn: Connection, reply_to: str, pending: Iterable[Any] = ()) -> int | None:
    """The group of the comment ``reply_to`` names (looked up among ``pending`` states of the
    batch first, then the hub's), or None when the hub does not know it."""
    for state in pending:
        if getattr(state, "comment_id", None) == reply_to:
            return int(state.group_id)
    row = conn.execute(select(t.comment_state.c.group_id)
                       .where(t.comment_state.c.comment_id == reply_to)).first()
    return int(row[0]) if row is not None else None


def check_reply_in_group(conn: Connection, group_id: int, payload: Mapping[str, Any],
                         pending: Iterable[Any] = ()) -> None:
    """Refuse a new comment whose ``reply_to`` names a comment of another group."""
    reply_to = payload.get("reply_to")
    if not isinstance(reply_to, str) or not reply_to:
        return
    parent_group = reply_group(conn, reply_to, pending)
    if parent_group is not None and parent_group != group_id:
        raise merge.forbidden("a reply must be in the group of the comment it answers")


def withhold_hidden_text(conn: Connection, reader_id: int, changes: list[dict[str, Any]]) -> None:
    """Take the text out of the pulled comment changes (and restores) of comments a trainer
    has hidden, unless ``reader_id`` wrote the comment: they get ``"hidden": true`` instead.
    Decided at pull time, so a restore lets the old changes carry their text again."""
    ids = sorted({c["entity_id"] for c in changes if c["kind"] in ("comment", "comment_hide")})
    if not ids:
        return
    m, s = t.comment_moderation.c, t.comment_state.c
    hidden: set[str] = set()
    for start in range(0, len(ids), 500):
        hidden.update(conn.execute(
            select(m.comment_id).join(t.comment_state, s.comment_id == m.comment_id)
            .where(m.comment_id.in_(ids[start:start + 500]), m.hidden,
                   s.author_id != reader_id)).scalars())
    for change in changes:
        if change["entity_id"] in hidden and change["kind"] in ("comment", "comment_hide"):
            payload = change["payload"]
            if isinstance(payload, dict) and "body" in payload:
                payload.pop("body")
                payload["hidden"] = True
