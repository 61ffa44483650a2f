"""What the client remembers about its sync between rounds: cursor, refusals, last success.

All of it lives in the library database (tables of migration v3), next to the changes it is
about, so it is written in the same transaction as the pulled page it belongs to: after a crash
the cursor never points past changes that were not applied.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from companion.core.changelog import Change
from companion.core.db import now_local

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Refusal:
    """A change the hub refused for good, with its reason: shown to the person, never resent."""

    change_id: str
    kind: str
    entity_id: str
    op: str
    payload: dict[str, Any]
    code: str
    reason: str
    refused_at: str

    def to_dict(self) -> dict[str, Any]:
        return {"change_id": self.change_id, "kind": self.kind, "entity_id": self.entity_id,
                "op": self.op, "code": self.code, "reason": self.reason,
                "refused_at": self.refused_at}

    def describe(self) -> str:
        """One line for people: what was refused and why."""
        what = {"note": "a note", "comment": "a comment", "progress": "progress on a lesson",
                "quiz_attempt": "a quiz answer", "profile": "your profile",
                "session": "a learning session", "reaction": "a Useful or Thanks mark",
                "follow": "following a discussion", "draft": "a draft",
                "notif_read": "a notification read", "announcement": "an announcement",
                }.get(self.kind, self.kind)
        return f"the hub refused {what} ({self.entity_id}): {self.reason}"


def cursor(db: sqlite_utils.Database, profile_id: int) -> str | None:
    row = db.execute("SELECT cursor FROM sync_logins WHERE profile_id = ?",
                     [profile_id]).fetchone()
    return row[0] if row else None


def set_cursor(db: sqlite_utils.Database, profile_id: int, value: str) -> None:
    db.execute("UPDATE sync_logins SET cursor = ? WHERE profile_id = ?", [value, profile_id])


def mark_success(db: sqlite_utils.Database, profile_id: int, when: str | None = None) -> None:
    db.execute("UPDATE sync_logins SET last_success_at = ? WHERE profile_id = ?",
               [when or now_local(), profile_id])


def record_refusal(db: sqlite_utils.Database, change: Change, code: str, reason: str) -> Refusal:
    """Keep the hub's final "no" and take the change out of the queue (it is never resent)."""
    at = now_local()
    db.execute(
        "INSERT OR REPLACE INTO sync_refusals(change_id, profile_id, kind, entity_id, op,"
        " payload, code, reason, refused_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [change.change_id, change.profile_id, change.kind, change.entity_id, change.op,
         json.dumps(change.payload, ensure_ascii=False), code, reason, at])
    db.execute("UPDATE changes SET pushed_at = ? WHERE change_id = ? AND pushed_at IS NULL",
               [at, change.change_id])
    return Refusal(change.change_id, change.kind, change.entity_id, change.op, change.payload,
                   code, reason, at)


def refusals(db: sqlite_utils.Database, profile_id: int) -> list[Refusal]:
    """Every refused change of a profile, newest first."""
    rows = db.execute(
        "SELECT change_id, kind, entity_id, op, payload, code, reason, refused_at"
        " FROM sync_refusals WHERE profile_id = ? ORDER BY refused_at DESC, rowid DESC",
        [profile_id]).fetchall()
    return [Refusal(r[0], r[1], r[2], r[3], json.loads(r[4]), r[5], r[6], r[7]) for r in rows]


def is_refused(db: sqlite_utils.Database, change_id: str) -> bool:
    return db.execute("SELECT 1 FROM sync_refusals WHERE change_id = ?",
                      [change_id]).fetchone() is not None


ConnectionListener = Callable[[bool, str], None]


class Connection:
    """Whether the hub answered the last time anything on this PC asked it: one answer for the
    sync's rounds and the downloads alike, so the status bar never says "Up to date" while a
    download beside it waits for the connection.

    ``reached(source)`` and ``lost(source, reason)`` may be called from any thread; listeners
    are called on that thread with ``(online, source)`` and must only hand the news over.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._listeners: list[ConnectionListener] = []
        self.online: bool | None = None  # None until someone tried
        self.reason = ""
        self.source = ""

    def subscribe(self, listener: ConnectionListener) -> None:
        with self._lock:
            self._listeners.append(listener)

    def unsubscribe(self, listener: ConnectionListener) -> None:
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    def reached(self, source: str) -> None:
        """``source`` ("sync", "downloads") just had an answer from the hub."""
        self._set(True, source, "")

    def lost(self, source: str, reason: str = "") -> None:
        """``source`` could not reach the hub (after its own retries)."""
        self._set(False, source, reason)

    def _set(self, online: bool, source: str, reason: str) -> None:
        with self._lock:
            self.online, self.source, self.reason = online, source, reason
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(online, source)
            except Exception:  # one broken listener must not keep the news from the others
                log.exception("connection listener failed")
