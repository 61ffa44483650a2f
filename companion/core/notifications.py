"""Notifications, derived on this PC from pulled changes: no server channel, offline first.

Kinds: ``reply`` (to my comment), ``comment`` (in a discussion I follow), ``announcement`` (a
trainer to my group), ``pack`` (a new pack offered to my group), ``member`` (someone introduced
themselves with a photo or a motto), ``useful`` (my comment marked useful).

Events are bundled by a key (the replies on one lesson's discussion, one announcement, ...):
several since I last looked are one notification, "3 new replies on ...". Every event carries
the hub sequence of the change it came from, so a bundle knows how far it goes (``last_seq``)
and how far it was read (``read_seq``, on any of my devices: reading records a ``notif_read``
change). An event at or below either is one this PC has counted or I have read already: pulling
the same change twice (a reset pull) counts nothing twice. My own changes never notify me.

The sync's applier collects the events of a pulled page in memory and writes them once per
page (:meth:`NotificationDeriver.flush`), inside the page's transaction.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

import sqlite_utils

from companion.core.changelog import record_change
from companion.core.db import now_local, write_transaction

KINDS = ("reply", "comment", "announcement", "pack", "member", "useful")
MAX_KEY_LENGTH = 128  # a key is the entity id of its read mark
EXCERPT_LENGTH = 120


def bundle_key(kind: str, target: str = "") -> str:
    """The bundle an event belongs to; the same on every device of the person."""
    key = f"{kind}:{target}" if target else kind
    if len(key) <= MAX_KEY_LENGTH:
        return key
    return f"{kind}:#" + hashlib.sha256(target.encode()).hexdigest()[:48]


def excerpt(text: str, length: int = EXCERPT_LENGTH) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= length else flat[:length - 1].rstrip() + "…"


@dataclass(frozen=True)
class Notification:
    id: int
    kind: str
    lesson_id: str | None
    comment_id: str | None
    from_names: tuple[str, ...]
    count: int
    text: str
    read: bool
    last_seq: int
    lesson_title: str | None = None

    def summary(self) -> str:
        """One line in plain English (the app words its own, translated, from kind and count)."""
        n, where = self.count, self.lesson_title or self.lesson_id or ""
        who = self.from_names[0] if self.from_names else "someone"
        if self.kind == "reply":
            return f"{n} new replies on {where}" if n > 1 else f"{who} replied on {where}"
        if self.kind == "comment":
            return f"{n} new comments on {where}" if n > 1 else f"{who} wrote on {where}"
        if self.kind == "announcement":
            return f"Announcement from {who}"
        if self.kind == "pack":
            return f"New lesson pack: {self.text}"
        if self.kind == "member":
            return (f"{n} new members introduced themselves" if n > 1
                    else f"{who} introduced themselves")
        if self.kind == "useful":
            return (f"{n} people found your comment useful" if n > 1
                    else f"{who} found your comment useful")
        return self.text

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "lesson_id": self.lesson_id,
                "comment_id": self.comment_id, "from": list(self.from_names),
                "count": self.count, "text": self.text, "read": self.read,
                "summary": self.summary()}


@dataclass
class _Pending:
    kind: str
    lesson_id: str | None
    # (seq, name, comment id, text) in the hub's order: plain tuples, as a pull of thousands
    # of comments makes one each
    events: list[tuple[int, str, str | None, str]] = field(default_factory=list)


_COLUMNS = "id, key, kind, lesson_id, comment_id, from_names, count, text, last_seq, read_seq"


class NotificationDeriver:
    """Collects the events of one pulled page and writes them as bundles at :meth:`flush`."""

    def __init__(self, db: sqlite_utils.Database, profile_id: int) -> None:
        self._db = db
        self.profile_id = profile_id
        self._pending: dict[str, _Pending] = {}

    def event(self, kind: str, target: str, seq: int, name: str, *,
              lesson_id: str | None = None, comment_id: str | None = None,
              text: str = "") -> None:
        key = f"{kind}:{target}" if target and len(target) < 100 else bundle_key(kind, target)
        bundle = self._pending.get(key)
        if bundle is None:
            bundle = self._pending[key] = _Pending(kind, lesson_id)
        bundle.events.append((seq, name, comment_id, text))

    def read(self, key: str, seq: int) -> None:
        """A read mark from my other device: events up to ``seq`` of this bundle are read."""
        self.flush()  # events pulled before the mark, in the hub's order, are covered by it
        cur = self._db.execute(
            "UPDATE notifications SET read_seq = max(read_seq, ?),"
            " unread = last_seq > max(read_seq, ?) WHERE profile_id = ? AND key = ?",
            [seq, seq, self.profile_id, key])
        if cur.rowcount == 0:  # read elsewhere before this PC saw it: remember the mark
            kind = key.split(":", 1)[0]
            self._db.execute(
                "INSERT INTO notifications(profile_id, key, kind, read_seq, updated_at)"
                " VALUES (?, ?, ?, ?, ?)",
                [self.profile_id, key, kind if kind in KINDS else "comment", seq, now_local()])

    def flush(self) -> int:
        """Write the collected events; returns how many bundles got news."""
        if not self._pending:
            return 0
        pending, self._pending = self._pending, {}
        now = now_local()
        changed = 0
        for key, bundle in pending.items():
            row = self._db.execute(
                f"SELECT {_COLUMNS} FROM notifications WHERE profile_id = ? AND key = ?",
                [self.profile_id, key]).fetchone()
            seen = max(int(row[8]), int(row[9])) if row else -1
            # Pulled in the hub's order: already sorted by seq.
            events = [e for e in bundle.events if e[0] > seen]
            if not events:
                continue
            changed += 1
            names = [e[1] for e in events]
            unread = row is not None and int(row[8]) > int(row[9])
            if unread:  # still unread: the bundle grows
                names = json.loads(row[5]) + names
                count, first = int(row[6]) + len(events), row[4]
            else:  # read (or new): it starts again from these events
                count, first = len(events), events[0][2]
            names = list(dict.fromkeys(n for n in names if n))
            args = [bundle.kind, bundle.lesson_id, first, json.dumps(names, ensure_ascii=False),
                    count, excerpt(events[-1][3]), events[-1][0], now]
            if row is None:
                self._db.execute(
                    "INSERT INTO notifications(kind, lesson_id, comment_id, from_names, count,"
                    " text, last_seq, updated_at, profile_id, key, unread, alerted)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 0)",
                    [*args, self.profile_id, key])
            else:
                self._db.execute(
                    "UPDATE notifications SET kind = ?, lesson_id = coalesce(?, lesson_id),"
                    " comment_id = ?, from_names = ?, count = ?, text = ?, last_seq = ?,"
                    " updated_at = ?, unread = 1, alerted = 0 WHERE id = ?", [*args, row[0]])
        return changed


# -- quiet hours ------------------------------------------------------------------------------

DEFAULT_BREAKS = "00:00-09:30,12:00-14:00,18:00-24:00"
# Preferences of a profile (core/preferences.py): "1" to notify only in the breaks, and when
# those are (empty: DEFAULT_BREAKS, the popular hours of the seeds).
BREAKS_ONLY_PREF = "notify_breaks_only"
BREAKS_PREF = "notify_breaks"


def _minutes(text: str) -> int:
    hours, _, minutes = text.strip().partition(":")
    value = int(hours) * 60 + int(minutes or 0)
    if not 0 <= value <= 24 * 60 or not 0 <= int(minutes or 0) < 60:
        raise ValueError(f"not a time of day: {text!r}")
    return value


@dataclass(frozen=True)
class QuietHours:
    """"Notify me only in my breaks": the breaks as (start, end) minutes of the day."""

    breaks: tuple[tuple[int, int], ...]

    @classmethod
    def parse(cls, text: str) -> QuietHours:
        """``"00:00-09:30,12:00-14:00,18:00-24:00"``; a broken text gives the defaults."""
        try:
            spans = []
            for part in (text or DEFAULT_BREAKS).split(","):
                start, _, end = part.partition("-")
                spans.append((_minutes(start), _minutes(end)))
            return cls(tuple(spans))
        except ValueError:
            return cls.parse(DEFAULT_BREAKS)

    def in_break(self, when: datetime | time) -> bool:
        t = when.time() if isinstance(when, datetime) else when
        minute = t.hour * 60 + t.minute
        for start, end in self.breaks:
            if (start <= minute < end) if start <= end else (minute >= start or minute < end):
                return True
        return False

    def next_break(self, when: datetime) -> datetime:
        """The next moment (from ``when``) that is in a break, to the minute."""
        probe = when.replace(second=0, microsecond=0)
        for _ in range(24 * 60 + 1):
            if self.in_break(probe):
                return max(probe, when)
            probe += timedelta(minutes=1)
        return when  # no breaks at all: never hold back for ever


def quiet_hours(preferences: Any, profile_id: int) -> QuietHours | None:
    """The person's quiet hours from their preferences, or None when they want every
    notification at once (the default)."""
    if not preferences.get_bool(BREAKS_ONLY_PREF, profile_id):
        return None
    return QuietHours.parse(preferences.get(BREAKS_PREF, profile_id))


@dataclass(frozen=True)
class Alert:
    """What a tray balloon says: one bundle, or a digest of those held back."""

    notification_ids: tuple[int, ...]
    digest: bool
    text: str


# -- reading and marking ----------------------------------------------------------------------


class Notifications:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self._db = db

    def _rows(self, where: str, args: Iterable[Any]) -> list[Notification]:
        rows = self._db.execute(
            "SELECT n.id, n.kind, n.lesson_id, n.comment_id, n.from_names, n.count, n.text,"
            " n.unread, n.last_seq, l.title FROM notifications n"
            " LEFT JOIN lessons l ON l.id = n.lesson_id"
            f" WHERE n.count > 0 AND {where} ORDER BY n.last_seq DESC, n.id DESC",
            list(args)).fetchall()
        return [Notification(r[0], r[1], r[2], r[3], tuple(json.loads(r[4])), r[5], r[6],
                             not r[7], r[8], r[9]) for r in rows]

    def list(self, profile_id: int, unread_only: bool = False) -> list[Notification]:
        """Newest first."""
        if unread_only:
            return self._rows("n.profile_id = ? AND n.unread = 1", [profile_id])
        return self._rows("n.profile_id = ?", [profile_id])

    def unread_count(self, profile_id: int) -> int:
        """The bell's number: bundles not read (one index lookup)."""
        return int(self._db.execute(
            "SELECT count(*) FROM notifications WHERE profile_id = ? AND unread = 1",
            [profile_id]).fetchone()[0])

    def mark_read(self, profile_id: int, ids: Iterable[int] | None = None) -> int:
        """Read the given bundles (None: all unread); my other devices learn it at the next
        sync. Returns how many were unread. Unknown ids raise ``LookupError``."""
        with write_transaction(self._db):
            if ids is None:
                rows = self._db.execute(
                    "SELECT id, key, last_seq, unread FROM notifications"
                    " WHERE profile_id = ? AND unread = 1", [profile_id]).fetchall()
            else:
                wanted = list(dict.fromkeys(int(i) for i in ids))
                rows = []
                for nid in wanted:
                    row = self._db.execute(
                        "SELECT id, key, last_seq, unread FROM notifications"
                        " WHERE profile_id = ? AND id = ? AND count > 0",
                        [profile_id, nid]).fetchone()
                    if row is None:
                        raise LookupError(nid)
                    rows.append(row)
            done = 0
            for nid, key, last_seq, unread in rows:
                if not unread:
                    continue
                self._db.execute(
                    "UPDATE notifications SET read_seq = max(read_seq, last_seq), unread = 0,"
                    " alerted = 1 WHERE id = ?", [nid])
                record_change(self._db, profile_id, "notif_read", key, "upsert",
                              {"seq": int(last_seq)})
                done += 1
        return done

    def due_alerts(self, profile_id: int, now: datetime,
                   quiet: QuietHours | None = None) -> list[Alert]:
        """The tray balloons to show now, marked as shown. With ``quiet`` (notify only in my
        breaks) nothing outside a break; at the break, what waited comes as one digest."""
        if quiet is not None and not quiet.in_break(now):
            return []
        waiting = [n for n in self._rows("n.profile_id = ? AND n.unread = 1 AND n.alerted = 0",
                                         [profile_id])]
        if not waiting:
            return []
        with write_transaction(self._db):
            self._db.conn.executemany("UPDATE notifications SET alerted = 1 WHERE id = ?",
                                      [(n.id,) for n in waiting])
        if quiet is not None and len(waiting) > 1:
            total = sum(n.count for n in waiting)
            return [Alert(tuple(n.id for n in waiting), True,
                          f"{total} new things from your group while you were busy")]
        return [Alert((n.id,), False, n.summary()) for n in waiting]


# -- Home: "What's new in your group" ---------------------------------------------------------


@dataclass(frozen=True)
class PinnedAnnouncement:
    """A trainer's announcement, pinned on Home until its notification is read."""

    notification_id: int
    announcement_id: str
    author_name: str
    body: str
    created_at: str


def pinned_announcements(db: sqlite_utils.Database, profile_id: int) -> list[PinnedAnnouncement]:
    """Announcements not read yet, newest first."""
    rows = db.execute(
        "SELECT n.id, a.id, a.author_name, a.body, a.created_at FROM announcements a"
        " JOIN notifications n ON n.profile_id = a.profile_id AND n.key = 'announcement:' || a.id"
        " WHERE a.profile_id = ? AND n.unread = 1 ORDER BY a.server_seq DESC",
        [profile_id]).fetchall()
    return [PinnedAnnouncement(*r) for r in rows]


def whats_new(db: sqlite_utils.Database, profile_id: int, limit: int = 5) -> list[Notification]:
    """The newest notifications for Home, read or not (announcements are pinned apart)."""
    return [n for n in Notifications(db).list(profile_id)
            if n.kind != "announcement"][:limit]
