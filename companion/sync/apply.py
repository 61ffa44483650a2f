"""Applying pulled changes to the local library with the core's merge rules, in the hub's order.

The hub numbers every change it accepts (its server sequence, ``seq``) and all merges follow that
order, never a device clock. A client sees that order in two ways: the ``seq`` of each pulled
change, and the ``seq`` the hub gave to each of its own accepted changes. For every entity whose
value is "the latest write" (a note's body, a resume position, a comment's text, a profile
field), the client keeps the ``seq`` of the write it holds (``sync_entity_seq``). A pulled change
then wins only if it is later in the hub's order than that write, and if no local change to the
same entity is still waiting to be pushed (such a change will get a higher ``seq`` than anything
the hub has now, so on the hub it is the later one). Values that only grow (done, watched time,
best quiz score) merge the same in any order. Applying a change twice changes nothing, so a
re-pull after a cursor reset is harmless.

Pulled changes are written straight to the tables: they are not new local changes, so they never
enter the change log.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from typing import Any

import sqlite_utils

from companion.core import merge
from companion.core.changelog import Change
from companion.core.db import now_local
from companion.core.progress import write_progress_row
from companion.sync.apply_social import SocialApplier

# Comments are read as "author_id" TEXT: the local profile uid for own comments, this prefix
# plus the hub account id for everyone else's.
REMOTE_AUTHOR_PREFIX = "hub:"


def _comment_text(payload: dict[str, Any]) -> str:
    body = payload.get("body")
    if not isinstance(body, str) or not body.strip():
        raise merge.invalid("a comment needs a body")
    return body


class PulledApplier:
    """Applies one profile's pulled changes; call inside the page's write transaction."""

    def __init__(self, db: sqlite_utils.Database, profile_id: int, account_id: int) -> None:
        self._db = db
        self.profile_id = profile_id
        self.account_id = account_id
        row = db.execute("SELECT uid, name FROM profiles WHERE id = ?", [profile_id]).fetchone()
        self._uid, self._name = (row[0], row[1]) if row else ("", "")
        self.social = SocialApplier(db, profile_id, account_id, self._uid, self._local_wins,
                                    self._bump, self._pending)

    def finish_page(self) -> int:
        """Call after the page's last change, inside its transaction: writes the page's
        notifications; returns how many bundles got news."""
        return self.social.finish_page()

    # -- the hub's order per entity ------------------------------------------------------------

    def _seq(self, kind: str, key: str) -> int:
        row = self._db.execute(
            "SELECT seq FROM sync_entity_seq WHERE profile_id = ? AND kind = ? AND entity_key = ?",
            [self.profile_id, kind, key]).fetchone()
        return int(row[0]) if row else 0

    def _bump(self, kind: str, key: str, seq: int) -> None:
        self._db.execute(
            "INSERT INTO sync_entity_seq(profile_id, kind, entity_key, seq) VALUES (?, ?, ?, ?)"
            " ON CONFLICT(profile_id, kind, entity_key)"
            " DO UPDATE SET seq = max(seq, excluded.seq)",
            [self.profile_id, kind, key, seq])

    def _pending(self, kind: str, entity_id: str | None = None, field: str | None = None) -> bool:
        sql = ("SELECT 1 FROM changes WHERE profile_id = ? AND kind = ? AND pushed_at IS NULL")
        args: list[Any] = [self.profile_id, kind]
        if entity_id is not None:
            sql += " AND entity_id = ?"
            args.append(entity_id)
        if field is not None:
            sql += " AND json_type(payload, ?) IS NOT NULL"
            args.append(f"$.{field}")
        return self._db.execute(sql + " LIMIT 1", args).fetchone() is not None

    def _local_wins(self, kind: str, key: str, seq: int, *, pending: bool) -> bool:
        """True when the local value is later in the hub's order than a pulled one at ``seq``."""
        return pending or seq <= self._seq(kind, key)

    def forget_order_after(self, seq: int) -> None:
        """The hub was restored: its numbers above ``seq`` are gone and will be handed out again
        to other changes, so what this PC remembers of them says nothing any more. The values
        stay; the changes behind them come back (pushed again) with new numbers."""
        args = [self.profile_id, seq]
        self._db.execute("DELETE FROM sync_entity_seq WHERE profile_id = ? AND seq > ?", args)
        self._db.execute("UPDATE sync_people SET seq = 0 WHERE profile_id = ? AND seq > ?", args)
        self._db.execute("UPDATE comments SET server_seq = NULL"
                         " WHERE profile_id = ? AND server_seq > ?", args)

    # -- own changes the hub accepted ----------------------------------------------------------

    def record_accepted(self, change: Change, seq: int) -> None:
        """Remember where an own change landed in the hub's order."""
        if change.kind in ("progress", "note", "comment", "follow", "draft"):
            self._bump(change.kind, change.entity_id, seq)
        if change.kind == "comment":
            self._db.execute(
                "UPDATE comments SET server_seq = coalesce(server_seq, ?)"
                " WHERE profile_id = ? AND id = ?", [seq, self.profile_id, change.entity_id])
        elif change.kind == "announcement":
            self._db.execute(
                "UPDATE announcements SET server_seq = coalesce(server_seq, ?)"
                " WHERE profile_id = ? AND id = ?", [seq, self.profile_id, change.entity_id])
        elif change.kind == "profile":
            for field in merge.PROFILE_FIELDS:
                if field in change.payload:
                    self._bump("profile", field, seq)

    # -- pulled changes ------------------------------------------------------------------------

    def apply(self, change: dict[str, Any]) -> bool:
        """Apply one pulled change; False when it was skipped (malformed or not for us)."""
        kind = change.get("kind")
        handler = {"progress": self._progress, "quiz_attempt": self._quiz_attempt,
                   "note": self._note, "comment": self._comment,
                   "comment_hide": self._comment_hide,
                   "profile": self._profile}.get(str(kind)) or self.social.handlers().get(
                       str(kind))
        if handler is None:
            return False
        try:
            handler(change, int(change["seq"]), dict(change.get("payload") or {}))
        except (merge.ChangeRejected, KeyError, TypeError, ValueError):
            # The hub checked it already; a change this version cannot read is skipped, not
            # allowed to block every later one.
            return False
        return True

    def _own(self, change: dict[str, Any]) -> bool:
        return int(change.get("author_id", -1)) == self.account_id

    def _progress_state(self, lesson_id: str) -> merge.ProgressState | None:
        row = self._db.execute(
            "SELECT position_s, watched_s, done, quiz_best, quiz_total FROM progress"
            " WHERE profile_id = ? AND lesson_id = ?", [self.profile_id, lesson_id]).fetchone()
        if row is None:
            return None
        return merge.ProgressState(float(row[0]), float(row[1]), bool(row[2]), row[3], row[4])

    def _write_progress(self, lesson_id: str, new: merge.ProgressState,
                        watched_at: str | None) -> None:
        write_progress_row(self._db, self.profile_id, lesson_id, new.position_s, new.watched_s,
                           new.done, now_local() if new.done else None, new.quiz_best,
                           new.quiz_total, watched_at)

    def _progress(self, change: dict[str, Any], seq: int, payload: dict[str, Any]) -> None:
        if not self._own(change):
            return
        lesson_id = str(change["entity_id"])
        current = self._progress_state(lesson_id)
        new = merge.merge_progress(current, payload)
        watched_at: str | None = None
        if self._local_wins("progress", lesson_id, seq,
                            pending=self._pending("progress", lesson_id)):
            # Done, watched time and best score only grow; the resume position stays ours.
            if current is not None:
                new = replace(new, position_s=current.position_s)
        else:
            self._bump("progress", lesson_id, seq)
            watched_at = str(change.get("created_at") or "") or now_local()
        self._write_progress(lesson_id, new, watched_at)

    def _quiz_attempt(self, change: dict[str, Any], seq: int, payload: dict[str, Any]) -> None:
        if not self._own(change):
            return
        lesson_id = str(payload["lesson_id"])
        new = merge.merge_quiz_attempt(self._progress_state(lesson_id), payload)
        self._db.execute(
            "INSERT OR IGNORE INTO quiz_attempts(id, profile_id, lesson_id, answers, score,"
            " total, answered_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [change["entity_id"], self.profile_id, lesson_id,
             json.dumps(payload.get("answers") or []), payload["score"], payload["total"],
             str(payload.get("answered_at") or change.get("created_at") or now_local())])
        self._write_progress(lesson_id, new, None)

    def _note(self, change: dict[str, Any], seq: int, payload: dict[str, Any]) -> None:
        if not self._own(change):
            return
        note_id, op = str(change["entity_id"]), str(change["op"])
        state = merge.merge_note(None, op, payload)  # checks the shape
        if self._local_wins("note", note_id, seq, pending=self._pending("note", note_id)):
            return
        self._bump("note", note_id, seq)
        now = now_local()
        if state.deleted:
            self._db.execute(
                "UPDATE notes SET deleted = 1, body = '', updated_at = ?"
                " WHERE id = ? AND profile_id = ?", [now, note_id, self.profile_id])
            return
        self._db.execute(
            "INSERT INTO notes(id, profile_id, lesson_id, body, created_at, updated_at, deleted)"
            " VALUES (?, ?, ?, ?, ?, ?, 0)"
            " ON CONFLICT(id) DO UPDATE SET body = excluded.body, deleted = 0,"
            " lesson_id = excluded.lesson_id, updated_at = excluded.updated_at"
            " WHERE notes.profile_id = excluded.profile_id",
            [note_id, self.profile_id, state.lesson_id, state.body,
             str(change.get("created_at") or "") or now, now])

    def _author(self, author_id: int) -> tuple[str, str, bool]:
        """(author_id column, shown name, is own) of a comment's hub author."""
        if author_id == self.account_id:
            return self._uid, self._name, True
        row = self._db.execute(
            "SELECT name FROM sync_people WHERE profile_id = ? AND account_id = ?",
            [self.profile_id, author_id]).fetchone()
        name = row[0] if row and row[0] else f"#{author_id}"
        return f"{REMOTE_AUTHOR_PREFIX}{author_id}", name, False

    def _comment(self, change: dict[str, Any], seq: int, payload: dict[str, Any]) -> None:
        comment_id = str(change["entity_id"])
        row = self._db.execute(
            "SELECT deleted FROM comments WHERE profile_id = ? AND id = ?",
            [self.profile_id, comment_id]).fetchone()
        group_id = payload.get("group_id")
        group = str(group_id) if group_id is not None else None
        now = now_local()
        deleted = change.get("op") == "delete" or "deleted_by" in payload
        # A comment a trainer hid reaches everyone but its author without its text.
        withheld = payload.get("hidden") is True and "body" not in payload
        if row is None:
            author_col, author_name, own = self._author(int(change["author_id"]))
            reply_to = payload.get("reply_to")
            body = "" if deleted or withheld else _comment_text(payload)
            self._db.execute(
                "INSERT INTO comments(id, profile_id, lesson_id, group_id, author_id,"
                " author_name, is_own, body, reply_to, created_at, deleted, server_seq,"
                " hidden_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [comment_id, self.profile_id, str(payload["lesson_id"]), group, author_col,
                 author_name, int(own), body, str(reply_to) if reply_to else None,
                 str(change.get("created_at") or "") or now, int(deleted), seq,
                 "" if withheld else None])
            self._bump("comment", comment_id, seq)
            if not deleted:
                self.social.new_comment(change, seq, str(payload["lesson_id"]), author_name,
                                        str(reply_to) if reply_to else None, body)
            return
        if deleted:  # a tombstone wins over everything, whatever the order
            self._db.execute(
                "UPDATE comments SET deleted = 1, body = '', edited_at = coalesce(edited_at, ?)"
                " WHERE profile_id = ? AND id = ?", [now, self.profile_id, comment_id])
            self._bump("comment", comment_id, seq)
            return
        if row[0] or withheld or self._local_wins("comment", comment_id, seq,
                                                  pending=self._pending("comment", comment_id)):
            return
        self._bump("comment", comment_id, seq)
        self._db.execute(
            "UPDATE comments SET body = ?, edited_at = ?, group_id = coalesce(group_id, ?),"
            " server_seq = coalesce(server_seq, ?) WHERE profile_id = ? AND id = ?",
            [_comment_text(payload), now, group, seq, self.profile_id, comment_id])

    def _comment_hide(self, change: dict[str, Any], seq: int, payload: dict[str, Any]) -> None:
        """A trainer hid a comment (upsert, with a reason) or restored it (delete, with its
        text). The author keeps the text either way; everyone else loses it while hidden."""
        comment_id = str(change["entity_id"])
        row = self._db.execute(
            "SELECT is_own, deleted FROM comments WHERE profile_id = ? AND id = ?",
            [self.profile_id, comment_id]).fetchone()
        if row is None or seq <= self._seq("comment_hide", comment_id):
            return
        self._bump("comment_hide", comment_id, seq)
        if change.get("op") == "upsert":
            self._db.execute(
                "UPDATE comments SET hidden_reason = ?,"
                " body = CASE WHEN is_own THEN body ELSE '' END"
                " WHERE profile_id = ? AND id = ?",
                [str(payload.get("reason") or ""), self.profile_id, comment_id])
            return
        body = payload.get("body")
        if not row[0] and not row[1] and isinstance(body, str) and body.strip():
            self._db.execute("UPDATE comments SET hidden_reason = NULL, body = ?"
                             " WHERE profile_id = ? AND id = ?",
                             [body, self.profile_id, comment_id])
        elif "hidden" not in payload:  # a restore that was hidden again later keeps it hidden
            self._db.execute("UPDATE comments SET hidden_reason = NULL"
                             " WHERE profile_id = ? AND id = ?", [self.profile_id, comment_id])

    def _profile(self, change: dict[str, Any], seq: int, payload: dict[str, Any]) -> None:
        fields = merge.public_profile_fields(payload)
        author = int(change["author_id"])
        if author == self.account_id:
            for field, value in fields.items():
                if self._local_wins("profile", field, seq,
                                    pending=self._pending("profile", field=field)):
                    continue
                self._bump("profile", field, seq)
                try:
                    self._db.execute(f"UPDATE profiles SET {field} = ? WHERE id = ?",
                                     [value if field != "motto" else value or "",
                                      self.profile_id])
                except sqlite3.IntegrityError:
                    # Profile names are unique on one PC; another local profile has this one.
                    continue
                if field == "name":
                    self._name = value
                    self._db.execute(
                        "UPDATE comments SET author_name = ? WHERE profile_id = ? AND is_own = 1",
                        [value, self.profile_id])
            return
        self._db.execute(
            "INSERT OR IGNORE INTO sync_people(profile_id, account_id) VALUES (?, ?)",
            [self.profile_id, author])
        before = self._db.execute(
            "SELECT motto, photo_sha256 FROM sync_people WHERE profile_id = ? AND account_id = ?",
            [self.profile_id, author]).fetchone()
        for field, value in fields.items():
            key = f"{author}:{field}"
            if seq <= self._seq("person", key):
                continue
            self._bump("person", key, seq)
            self._db.execute(
                f"UPDATE sync_people SET {field} = ?, seq = max(seq, ?)"
                " WHERE profile_id = ? AND account_id = ?",
                [value if field != "motto" else value or "", seq, self.profile_id, author])
            if field == "name":
                self._db.execute(
                    "UPDATE comments SET author_name = ? WHERE profile_id = ? AND author_id = ?",
                    [value, self.profile_id, f"{REMOTE_AUTHOR_PREFIX}{author}"])
        after = self._db.execute(
            "SELECT motto, photo_sha256, name FROM sync_people WHERE profile_id = ?"
            " AND account_id = ?", [self.profile_id, author]).fetchone()
        self.social.introduced(seq, author, tuple(before), tuple(after[:2]), after[2])
