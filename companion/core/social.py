"""The social loop on this PC: followed discussions, Useful/Thanks marks, drafts, announcements.

Each write is stored at once and recorded as a change in the same transaction (offline first);
the sync carries it. Follows and drafts travel only to the person's own devices; marks and
announcements to the group. Pulled changes of these kinds are applied by
``companion/sync/apply.py`` straight to the same tables.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from companion.core.changelog import record_change
from companion.core.db import now_local, write_transaction
from companion.core.errors import LibraryError

REACTIONS = ("useful", "thanks")
MAX_ID_LENGTH = 128
MAX_DRAFT_LENGTH = 5_000
MAX_ANNOUNCEMENT_LENGTH = 5_000


def _lesson_id(lesson_id: str) -> str:
    if not isinstance(lesson_id, str) or not 1 <= len(lesson_id.strip()) <= MAX_ID_LENGTH:
        raise LibraryError(f"a lesson id has 1 to {MAX_ID_LENGTH} characters")
    return lesson_id.strip()


def draft_id(lesson_id: str, reply_to: str | None) -> str:
    """One draft per lesson and reply target, the same id on every device of the person."""
    return hashlib.sha256(f"{lesson_id}\n{reply_to or ''}".encode()).hexdigest()[:40]


# -- follows ----------------------------------------------------------------------------------


class Follows:
    """Followed discussions. Writing a comment under a lesson follows its discussion by itself
    (the hub notes it in its ``follows`` table when it accepts the comment, and each of my
    devices sees my comment), so that costs no change of its own; following or unfollowing by
    hand is a ``follow`` change, and that choice wins over the comment."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self._db = db

    def is_following(self, profile_id: int, lesson_id: str) -> bool:
        row = self._db.execute(
            "SELECT following FROM follows WHERE profile_id = ? AND lesson_id = ?",
            [profile_id, lesson_id]).fetchone()
        if row is not None:
            return bool(row[0])
        return self._db.execute(
            "SELECT 1 FROM comments WHERE profile_id = ? AND lesson_id = ? AND is_own = 1"
            " LIMIT 1", [profile_id, lesson_id]).fetchone() is not None

    def followed(self, profile_id: int) -> set[str]:
        return followed_lessons(self._db, profile_id)

    def set(self, profile_id: int, lesson_id: str, following: bool) -> bool:
        """Follow or unfollow a lesson's discussion by hand; False when it already was so."""
        lesson_id = _lesson_id(lesson_id)
        with write_transaction(self._db):
            if self.is_following(profile_id, lesson_id) == following:
                return False
            self._db.execute(
                "INSERT INTO follows(profile_id, lesson_id, following, updated_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT(profile_id, lesson_id) DO UPDATE SET"
                " following = excluded.following, updated_at = excluded.updated_at",
                [profile_id, lesson_id, int(following), now_local()])
            record_change(self._db, profile_id, "follow", lesson_id, "upsert", {"on": following})
        return True


def followed_lessons(db: sqlite_utils.Database, profile_id: int) -> set[str]:
    """Lessons whose discussion I follow: chosen by hand, or where I wrote and did not
    unfollow."""
    return {r[0] for r in db.execute(
        "SELECT lesson_id FROM follows WHERE profile_id = ? AND following = 1"
        " UNION SELECT DISTINCT c.lesson_id FROM comments c WHERE c.profile_id = ?"
        " AND c.is_own = 1 AND NOT EXISTS (SELECT 1 FROM follows f WHERE f.profile_id ="
        " c.profile_id AND f.lesson_id = c.lesson_id AND f.following = 0)",
        [profile_id, profile_id])}


# -- reactions --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReactionCounts:
    useful: int = 0
    thanks: int = 0
    mine: frozenset[str] = frozenset()

    def to_dict(self) -> dict[str, Any]:
        return {"useful": self.useful, "thanks": self.thanks, "mine": sorted(self.mine)}


class Reactions:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self._db = db

    def _me(self, profile_id: int) -> str:
        row = self._db.execute("SELECT uid FROM profiles WHERE id = ?", [profile_id]).fetchone()
        if row is None:
            raise LibraryError(f"no profile with id {profile_id}")
        return str(row[0])

    def counts(self, profile_id: int, comment_id: str) -> ReactionCounts:
        me = self._me(profile_id)
        rows = self._db.execute(
            "SELECT author_id, kind FROM reactions WHERE profile_id = ? AND comment_id = ?",
            [profile_id, comment_id]).fetchall()
        return ReactionCounts(sum(k == "useful" for _, k in rows),
                              sum(k == "thanks" for _, k in rows),
                              frozenset(k for a, k in rows if a == me))

    def set(self, profile_id: int, comment_id: str, kind: str, on: bool) -> ReactionCounts:
        """Mark a comment Useful or Thanks (``on``), or take the mark back."""
        if kind not in REACTIONS:
            raise LibraryError("a mark is 'useful' or 'thanks'")
        me = self._me(profile_id)
        with write_transaction(self._db):
            row = self._db.execute(
                "SELECT is_own, deleted FROM comments WHERE profile_id = ? AND id = ?",
                [profile_id, comment_id]).fetchone()
            if row is None:
                raise LibraryError(f"no comment {comment_id!r}")
            if row[0]:
                raise LibraryError("you cannot mark your own comment")
            if row[1] and on:
                raise LibraryError("this comment was deleted")
            has = kind in self.counts(profile_id, comment_id).mine
            if has != on:
                if on:
                    self._db.execute(
                        "INSERT INTO reactions(profile_id, comment_id, author_id, kind)"
                        " VALUES (?, ?, ?, ?)", [profile_id, comment_id, me, kind])
                else:
                    self._db.execute(
                        "DELETE FROM reactions WHERE profile_id = ? AND comment_id = ?"
                        " AND author_id = ? AND kind = ?", [profile_id, comment_id, me, kind])
                record_change(self._db, profile_id, "reaction", comment_id, "upsert",
                              {"reaction": kind, "on": on})
        return self.counts(profile_id, comment_id)

    def toggle(self, profile_id: int, comment_id: str, kind: str) -> ReactionCounts:
        mine = self.counts(profile_id, comment_id).mine
        return self.set(profile_id, comment_id, kind, kind not in mine)


# -- drafts -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Draft:
    id: str
    lesson_id: str
    reply_to: str | None
    body: str
    updated_at: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "lesson_id": self.lesson_id, "reply_to": self.reply_to,
                "body": self.body, "updated_at": self.updated_at}


class Drafts:
    """Unsent comments and replies, one per lesson and reply target, private to the person."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self._db = db

    def get(self, profile_id: int, lesson_id: str, reply_to: str | None = None) -> Draft | None:
        row = self._db.execute(
            "SELECT id, lesson_id, reply_to, body, updated_at FROM drafts"
            " WHERE profile_id = ? AND id = ?", [profile_id, draft_id(lesson_id, reply_to)],
        ).fetchone()
        return Draft(*row) if row else None

    def all(self, profile_id: int) -> list[Draft]:
        """Unfinished answers, the most recent first (Home: "2 unfinished answers")."""
        rows = self._db.execute(
            "SELECT id, lesson_id, reply_to, body, updated_at FROM drafts"
            " WHERE profile_id = ? ORDER BY updated_at DESC, id", [profile_id]).fetchall()
        return [Draft(*r) for r in rows]

    def unfinished(self, profile_id: int) -> list[tuple[Draft, str]]:
        """Home's "2 unfinished answers": each draft with its lesson's title (or its id when
        the lesson is not in the library)."""
        rows = self._db.execute(
            "SELECT d.id, d.lesson_id, d.reply_to, d.body, d.updated_at,"
            " coalesce(l.title, d.lesson_id) FROM drafts d LEFT JOIN lessons l"
            " ON l.id = d.lesson_id WHERE d.profile_id = ? ORDER BY d.updated_at DESC, d.id",
            [profile_id]).fetchall()
        return [(Draft(*r[:5]), str(r[5])) for r in rows]

    def save(self, profile_id: int, lesson_id: str, body: str,
             reply_to: str | None = None) -> Draft | None:
        """Keep what was typed (an empty text drops the draft). Nothing changed: no change."""
        lesson_id = _lesson_id(lesson_id)
        if not isinstance(body, str):
            raise LibraryError("a draft is text")
        if len(body) > MAX_DRAFT_LENGTH:
            raise LibraryError(f"a draft has at most {MAX_DRAFT_LENGTH} characters")
        if not body.strip():
            self.discard(profile_id, lesson_id, reply_to)
            return None
        did = draft_id(lesson_id, reply_to)
        with write_transaction(self._db):
            old = self.get(profile_id, lesson_id, reply_to)
            if old is not None and old.body == body:
                return old
            self._db.execute(
                "INSERT INTO drafts(profile_id, id, lesson_id, reply_to, body, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(profile_id, id) DO UPDATE SET"
                " body = excluded.body, updated_at = excluded.updated_at",
                [profile_id, did, lesson_id, reply_to, body, now_local()])
            payload: dict[str, Any] = {"lesson_id": lesson_id, "body": body}
            if reply_to:
                payload["reply_to"] = reply_to
            record_change(self._db, profile_id, "draft", did, "upsert", payload)
        return self.get(profile_id, lesson_id, reply_to)

    def discard(self, profile_id: int, lesson_id: str, reply_to: str | None = None) -> None:
        """Drop the draft (sent, or emptied); the other devices drop it too."""
        did = draft_id(lesson_id, reply_to)
        with write_transaction(self._db):
            cur = self._db.execute("DELETE FROM drafts WHERE profile_id = ? AND id = ?",
                                   [profile_id, did])
            if cur.rowcount:
                record_change(self._db, profile_id, "draft", did, "delete", {})


# -- announcements ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Announcement:
    id: str
    group_id: str | None
    author_name: str
    body: str
    created_at: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "group_id": self.group_id, "author": self.author_name,
                "body": self.body, "created_at": self.created_at}


class Announcements:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self._db = db

    def all(self, profile_id: int) -> list[Announcement]:
        rows = self._db.execute(
            "SELECT id, group_id, author_name, body, created_at FROM announcements"
            " WHERE profile_id = ? ORDER BY server_seq IS NULL DESC, server_seq DESC",
            [profile_id]).fetchall()
        return [Announcement(*r) for r in rows]

    def post(self, profile_id: int, group_id: int, body: str) -> Announcement:
        """A trainer's message to a group (the hub refuses it from anyone else)."""
        if not isinstance(body, str) or not body.strip():
            raise LibraryError("an announcement needs some text")
        body = body.strip()
        if len(body) > MAX_ANNOUNCEMENT_LENGTH:
            raise LibraryError(f"an announcement has at most {MAX_ANNOUNCEMENT_LENGTH} "
                               "characters")
        profile = self._db.execute("SELECT uid, name FROM profiles WHERE id = ?",
                                   [profile_id]).fetchone()
        if profile is None:
            raise LibraryError(f"no profile with id {profile_id}")
        aid = uuid.uuid4().hex
        with write_transaction(self._db):
            self._db.execute(
                "INSERT INTO announcements(profile_id, id, group_id, author_id, author_name,"
                " body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [profile_id, aid, str(group_id), profile[0], profile[1], body, now_local()])
            record_change(self._db, profile_id, "announcement", aid, "append",
                          {"group_id": group_id, "body": body})
        return next(a for a in self.all(profile_id) if a.id == aid)


# -- the people of my groups ------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    account_id: int
    username: str
    name: str
    motto: str
    photo_sha256: str | None
    role: str
    since: str | None
    group_name: str
    is_me: bool

    def to_dict(self) -> dict[str, Any]:
        return {"account_id": self.account_id, "username": self.username, "name": self.name,
                "motto": self.motto, "photo_sha256": self.photo_sha256, "role": self.role,
                "since": self.since, "group": self.group_name, "me": self.is_me}


class GroupMembers:
    """Who is in my groups ("My group"), from the last fetch and the synced profiles."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self._db = db

    def list(self, profile_id: int) -> list[Member]:
        """Trainers first, then by name; one entry per person and group."""
        me = self._db.execute("SELECT account_id FROM sync_logins WHERE profile_id = ?",
                              [profile_id]).fetchone()
        rows = self._db.execute(
            "SELECT m.account_id, m.username, coalesce(nullif(p.name, ''), m.username),"
            " coalesce(p.motto, ''), p.photo_sha256, m.role, m.joined_at, m.group_name"
            " FROM group_members m LEFT JOIN sync_people p ON p.profile_id = m.profile_id"
            " AND p.account_id = m.account_id WHERE m.profile_id = ?"
            " ORDER BY m.group_name, m.role = 'trainer' DESC, 3 COLLATE NOCASE",
            [profile_id]).fetchall()
        mine = me[0] if me else None
        own = self._db.execute("SELECT name, motto, photo_sha256 FROM profiles WHERE id = ?",
                               [profile_id]).fetchone()
        out = []
        for r in rows:
            if r[0] == mine and own is not None:  # my own card: this PC's profile is newest
                r = (r[0], r[1], own[0], own[1] or "", own[2], *r[5:])
            out.append(Member(*r, is_me=r[0] == mine))
        return out

    def trainers(self, profile_id: int) -> set[str]:
        """The comment author ids (``hub:<account>``) of the trainers: their badge."""
        return {f"hub:{r[0]}" for r in self._db.execute(
            "SELECT DISTINCT account_id FROM group_members WHERE profile_id = ?"
            " AND role = 'trainer'", [profile_id])}
