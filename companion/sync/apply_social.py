"""Applying the social loop's pulled changes (issue 11), and deriving notifications from them.

:class:`SocialApplier` is used by :class:`companion.sync.apply.PulledApplier` for the kinds
``reaction``, ``follow``, ``draft``, ``notif_read``, ``announcement`` and ``offer``, and is told
about new comments and profiles so that replies, comments in followed discussions and new
members' introductions become notifications. The same rules as the other kinds hold: the hub's
order, a pending local change to the same entity wins (it will be later on the hub), and
applying a change twice changes nothing and notifies nothing twice.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlite_utils

from companion.core import merge
from companion.core.db import now_local
from companion.core.notifications import NotificationDeriver
from companion.core.social import followed_lessons

REMOTE_AUTHOR_PREFIX = "hub:"


class SocialApplier:
    def __init__(self, db: sqlite_utils.Database, profile_id: int, account_id: int,
                 uid: str, local_wins: Callable[..., bool], bump: Callable[[str, str, int], None],
                 pending: Callable[..., bool]) -> None:
        self._db = db
        self.profile_id = profile_id
        self.account_id = account_id
        self._uid = uid
        self._local_wins = local_wins
        self._bump = bump
        self._pending = pending
        self.notices = NotificationDeriver(db, profile_id)
        self._followed = followed_lessons(db, profile_id)
        self._unfollowed = {r[0] for r in db.execute(
            "SELECT lesson_id FROM follows WHERE profile_id = ? AND following = 0",
            [profile_id])}
        # My comments, to tell a reply to me without a query per pulled comment.
        self._own_comments = {r[0] for r in db.execute(
            "SELECT id FROM comments WHERE profile_id = ? AND is_own = 1", [profile_id])}
        self._handlers = {"reaction": self._reaction, "follow": self._follow,
                          "draft": self._draft, "notif_read": self._read,
                          "announcement": self._announcement, "offer": self._offer}

    def handlers(self) -> dict[str, Callable[[dict[str, Any], int, dict[str, Any]], None]]:
        return self._handlers

    def finish_page(self) -> int:
        """Write the notifications of the page (inside the page's transaction)."""
        return self.notices.flush()

    # -- helpers ----------------------------------------------------------------------------

    def _mine(self, change: dict[str, Any]) -> bool:
        return change.get("author_id") == self.account_id  # the hub sends numbers

    def person(self, account_id: int) -> str:
        row = self._db.execute(
            "SELECT name FROM sync_people WHERE profile_id = ? AND account_id = ?",
            [self.profile_id, account_id]).fetchone()
        return row[0] if row and row[0] else f"#{account_id}"

    # -- hooks from the comment and profile handlers ----------------------------------------

    def new_comment(self, change: dict[str, Any], seq: int, lesson_id: str, name: str,
                    reply_to: str | None, body: str) -> None:
        """A comment this PC had not seen: a reply to mine, or news in a followed discussion."""
        if change.get("author_id") == self.account_id:  # from my other PC: I follow it now
            self._own_comments.add(str(change["entity_id"]))
            if lesson_id not in self._unfollowed:
                self._followed.add(lesson_id)
            return
        # A pull of thousands of comments passes here: no query, no more than a set lookup.
        if reply_to and reply_to in self._own_comments:
            kind = "reply"
        elif lesson_id in self._followed:
            kind = "comment"
        else:
            return
        self.notices.event(kind, lesson_id, seq, name, lesson_id=lesson_id,
                           comment_id=change["entity_id"], text=body)

    def introduced(self, seq: int, account_id: int, before: tuple[Any, Any],
                   after: tuple[Any, Any], name: str) -> None:
        """A member's first photo or motto: they introduced themselves."""
        if account_id == self.account_id or any(before) or not any(after):
            return
        self.notices.event("member", "", seq, name, text=str(after[0] or ""))

    # -- the kinds --------------------------------------------------------------------------

    def _reaction(self, change: dict[str, Any], seq: int, payload: dict[str, Any]) -> None:
        comment_id, kind = str(change["entity_id"]), payload["reaction"]
        if kind not in ("useful", "thanks"):
            raise merge.invalid("unknown reaction")
        on = payload.get("on", True) is True
        author = int(change["author_id"])
        if author == self.account_id:
            if self._pending("reaction", comment_id):
                return  # my later mark on this PC wins
            who = self._uid
        else:
            who = f"{REMOTE_AUTHOR_PREFIX}{author}"
        if on:
            cur = self._db.execute(
                "INSERT OR IGNORE INTO reactions(profile_id, comment_id, author_id, kind)"
                " VALUES (?, ?, ?, ?)", [self.profile_id, comment_id, who, kind])
        else:
            cur = self._db.execute(
                "DELETE FROM reactions WHERE profile_id = ? AND comment_id = ? AND author_id = ?"
                " AND kind = ?", [self.profile_id, comment_id, who, kind])
        if not (on and kind == "useful" and cur.rowcount and author != self.account_id):
            return
        row = self._db.execute(
            "SELECT is_own, lesson_id, body FROM comments WHERE profile_id = ? AND id = ?",
            [self.profile_id, comment_id]).fetchone()
        if row is not None and row[0]:
            self.notices.event("useful", comment_id, seq, self.person(author),
                               lesson_id=row[1], comment_id=comment_id, text=row[2])

    def _follow(self, change: dict[str, Any], seq: int, payload: dict[str, Any]) -> None:
        if not self._mine(change):
            return
        lesson_id = str(change["entity_id"])
        on = payload.get("on", True) is True
        if self._local_wins("follow", lesson_id, seq, pending=self._pending("follow", lesson_id)):
            return
        self._bump("follow", lesson_id, seq)
        self._db.execute(
            "INSERT INTO follows(profile_id, lesson_id, following, updated_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT(profile_id, lesson_id) DO UPDATE SET following = excluded.following,"
            " updated_at = excluded.updated_at", [self.profile_id, lesson_id, int(on), now_local()])
        (self._followed.add if on else self._followed.discard)(lesson_id)
        (self._unfollowed.discard if on else self._unfollowed.add)(lesson_id)

    def _draft(self, change: dict[str, Any], seq: int, payload: dict[str, Any]) -> None:
        if not self._mine(change):
            return
        draft_id = str(change["entity_id"])
        if self._local_wins("draft", draft_id, seq, pending=self._pending("draft", draft_id)):
            return
        self._bump("draft", draft_id, seq)
        if change.get("op") == "delete":
            self._db.execute("DELETE FROM drafts WHERE profile_id = ? AND id = ?",
                             [self.profile_id, draft_id])
            return
        body, lesson_id = payload["body"], payload["lesson_id"]
        if not isinstance(body, str) or not isinstance(lesson_id, str):
            raise merge.invalid("a draft needs lesson_id and body")
        reply_to = payload.get("reply_to")
        self._db.execute(
            "INSERT INTO drafts(profile_id, id, lesson_id, reply_to, body, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(profile_id, id) DO UPDATE SET"
            " body = excluded.body, updated_at = excluded.updated_at",
            [self.profile_id, draft_id, lesson_id, str(reply_to) if reply_to else None, body,
             str(change.get("created_at") or "") or now_local()])

    def _read(self, change: dict[str, Any], seq: int, payload: dict[str, Any]) -> None:
        if self._mine(change):
            self.notices.read(str(change["entity_id"]), int(payload["seq"]))

    def _announcement(self, change: dict[str, Any], seq: int, payload: dict[str, Any]) -> None:
        author = int(change["author_id"])
        mine = author == self.account_id
        name = self.person(author) if not mine else ""
        body = payload["body"]
        if not isinstance(body, str):
            raise merge.invalid("an announcement needs a body")
        if mine:
            row = self._db.execute("SELECT name FROM profiles WHERE id = ?",
                                   [self.profile_id]).fetchone()
            name = row[0] if row else ""
        cur = self._db.execute(
            "INSERT OR IGNORE INTO announcements(profile_id, id, group_id, author_id,"
            " author_name, body, created_at, server_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [self.profile_id, str(change["entity_id"]), str(payload.get("group_id")),
             self._uid if mine else f"{REMOTE_AUTHOR_PREFIX}{author}", name, body,
             str(change.get("created_at") or "") or now_local(), seq])
        if cur.rowcount and not mine:
            self.notices.event("announcement", str(change["entity_id"]), seq, name, text=body)

    def _offer(self, change: dict[str, Any], seq: int, payload: dict[str, Any]) -> None:
        if self._mine(change):
            return  # I published it
        pack_id, version = str(payload["pack_id"]), str(payload["version"])
        self.notices.event("pack", f"{pack_id}:{version}", seq,
                           self.person(int(change["author_id"])),
                           text=str(payload.get("title") or pack_id))
