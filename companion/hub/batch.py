"""What one pushed change does to the hub's state, kind by kind, inside a push's transaction.

:func:`companion.hub.push_pull.push` decides which changes of a batch are new (exactly once, by
change id) and numbers them; :class:`Batch` folds each new one into the current state with the
client's merge rules (``core/merge.py``) and the social loop's (``hub/social.py``), and gathers
the rows the push writes at the end.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from companion.core import merge
from companion.hub import accounts, limits, moderation, social, state
from companion.hub import tables as t
from companion.hub.auth import Caller

PROGRESS_FIELDS = ("position_s", "watched_s", "done", "quiz_best", "quiz_total")
MAX_SESSION_S = 24 * 3600.0


def _session_fields(payload: dict[str, Any], created_at: str) -> dict[str, Any]:
    """Check a session record (see companion/core/sessions.py): the hour of day it started on
    the shop's clock (``hour``, else from ``started_at``) and its duration, if it has one."""
    started = payload.get("started_at") or created_at
    try:
        when = datetime.fromisoformat(str(started))
    except ValueError as exc:
        raise merge.invalid("started_at must be an ISO 8601 time") from exc
    hour = payload.get("hour", when.hour)
    if isinstance(hour, bool) or not isinstance(hour, int) or not 0 <= hour <= 23:
        raise merge.invalid("hour must be a whole number from 0 to 23")
    duration = payload.get("duration_s", 0)
    if isinstance(duration, bool) or not isinstance(duration, int | float) \
            or not 0 <= duration <= MAX_SESSION_S:
        raise merge.invalid("duration_s must be a number of seconds between 0 and 86400")
    event = payload.get("event", "")
    if not isinstance(event, str) or len(event) > 32:
        raise merge.invalid("event must be a short text")
    return {"local_hour": hour, "duration_s": float(duration), "event": event,
            "started_at": str(started)[:40]}


class Batch:
    """One push, applied inside the caller's write transaction."""

    def __init__(self, conn: Connection, caller: Caller) -> None:
        self.conn = conn
        self.caller = caller
        # A reader (a learner of a group that was split) reads the group but writes no more.
        self.groups = {g.id: g.role for g in accounts.groups_of(conn, caller.account_id)
                       if g.role != "reader"}
        self.change_rows: list[dict[str, Any]] = []
        self.session_rows: list[dict[str, Any]] = []
        self.rejection_rows: list[dict[str, Any]] = []
        self.erased: dict[str, dict[str, Any]] = {}  # comments deleted: their text goes
        self.moderated: dict[str, dict[str, Any]] = {}  # comments hidden or restored

    def prepare(self, changes: list[dict[str, Any]]) -> state.BatchState:
        me = self.caller.account_id
        progress, notes, comments = set(), set(), set()
        for c in changes:
            kind, entity, payload = c.get("kind"), c.get("entity_id"), c.get("payload")
            if not isinstance(entity, str):
                continue
            if kind == "progress":
                progress.add((me, entity))
            elif kind == "quiz_attempt" and isinstance(payload, dict) \
                    and isinstance(payload.get("lesson_id"), str):
                progress.add((me, payload["lesson_id"]))
            elif kind == "note":
                notes.add((me, entity))
            elif kind in ("comment", "comment_hide", "reaction"):
                comments.add(entity)
        return state.load(self.conn, progress, notes, comments, {me})

    def apply(self, st: state.BatchState, change: dict[str, Any], seq: int) -> dict[str, Any]:
        """Fold one change into the state; return the payload to store. Raises ChangeRejected."""
        merge.check_change_shape(change)
        me = self.caller.account_id
        kind, op, entity = change["kind"], change["op"], change["entity_id"]
        payload = dict(change.get("payload") or {})
        group_id = None
        if kind == "progress":
            key = (me, entity)
            st.progress[key] = merge.merge_progress(st.progress.get(key), payload)
            st.touch("progress", key, seq)
            payload = {k: payload[k] for k in PROGRESS_FIELDS if k in payload}
        elif kind == "quiz_attempt":
            lesson = payload.get("lesson_id")
            if not isinstance(lesson, str) or not 1 <= len(lesson) <= merge.MAX_ID_LENGTH:
                raise merge.invalid(f"a quiz attempt needs its lesson_id (1 to "
                                    f"{merge.MAX_ID_LENGTH} characters)")
            key = (me, lesson)
            st.progress[key] = merge.merge_quiz_attempt(st.progress.get(key), payload)
            st.touch("progress", key, seq)
        elif kind == "note":
            key = (me, entity)
            st.notes[key] = merge.merge_note(st.notes.get(key), op, payload)
            st.touch("notes", key, seq)
            payload = {"lesson_id": st.notes[key].lesson_id}
            if op != "delete":
                payload["body"] = st.notes[key].body
        elif kind == "comment":
            payload, group_id = self._comment(st, op, entity, payload, seq)
        elif kind == "profile":
            fields = merge.public_profile_fields(payload)
            if not fields:
                raise merge.invalid("a profile change needs name, motto or photo_sha256")
            st.profiles[me] = merge.merge_profile(st.profiles.get(me), fields)
            st.touch("profiles", me, seq)
            payload = fields
        elif kind == "comment_hide":
            payload, group_id = self._hide(st, op, entity, payload, seq)
        elif kind == "session":
            fields = _session_fields(payload, str(change.get("created_at") or ""))
            self.session_rows.append({"server_seq": seq, "account_id": me,
                                      "session_id": entity, **fields})
        else:
            payload, group_id = self._social(st, kind, op, entity, payload)
        return {"payload": payload, "group_id": group_id}

    def _social(self, st: state.BatchState, kind: str, op: str, entity: str,
                payload: dict[str, Any]) -> tuple[dict[str, Any], int | None]:
        """The social loop's kinds (``hub/social.py``): payload to store, group that reads it."""
        if kind == "reaction":
            return social.reaction(self.conn, self.caller, self.groups, op, entity, payload,
                                   st.comments.get(entity))
        if kind == "follow":
            return social.follow(self.conn, self.caller, op, entity, payload), None
        if kind == "draft":
            return social.draft(op, payload), None
        if kind == "notif_read":
            return social.notif_read(op, payload), None
        if kind == "announcement":
            return social.announcement(self.groups, op, payload)
        if kind == "offer":
            return social.offer(self.caller, op, payload)
        raise merge.invalid(f"unknown kind {kind!r}")

    def _comment_group(self, st: state.BatchState, payload: dict[str, Any]) -> int | None:
        """The group of a new comment that names none (the app does not ask): the only group,
        the group of the comment it replies to, or the one of my groups that was offered the
        lesson's pack. None when that does not decide it."""
        if len(self.groups) == 1:
            return next(iter(self.groups))
        reply_to = payload.get("reply_to")
        if isinstance(reply_to, str):
            parent = st.comments.get(reply_to)
            if parent is None:
                row = self.conn.execute(select(t.comment_state.c.group_id).where(
                    t.comment_state.c.comment_id == reply_to)).first()
                return int(row[0]) if row is not None and row[0] in self.groups else None
            return parent.group_id if parent.group_id in self.groups else None
        lesson_id = payload.get("lesson_id")
        if not isinstance(lesson_id, str) or "/" not in lesson_id or not self.groups:
            return None
        pack_id = lesson_id.split("/", 1)[0]
        rows = self.conn.execute(
            select(t.group_packs.c.group_id).distinct()
            .select_from(t.group_packs.join(t.packs, t.packs.c.id == t.group_packs.c.pack_row))
            .where(t.packs.c.pack_id == pack_id,
                   t.group_packs.c.group_id.in_(sorted(self.groups)))).all()
        return int(rows[0][0]) if len(rows) == 1 else None

    def _comment(self, st: state.BatchState, op: str, entity: str, payload: dict[str, Any],
                 seq: int) -> tuple[dict[str, Any], int]:
        current = st.comments.get(entity)
        if current is None:
            group_id = payload.get("group_id")
            if group_id is None:
                group_id = self._comment_group(st, payload)
            if isinstance(group_id, bool) or not isinstance(group_id, int):
                raise merge.invalid("a new comment needs group_id: you are in several groups "
                                    "and this lesson's pack is not offered to exactly one")
            if group_id not in self.groups:
                raise merge.forbidden("you can only comment in your own groups")
            moderation.check_reply_in_group(self.conn, group_id, payload, st.comments.values())
        else:
            group_id = current.group_id
            if group_id not in self.groups:
                raise merge.forbidden("you are no longer in this comment's group")
        new = merge.merge_comment(
            current, op, payload, comment_id=entity, actor_id=self.caller.account_id,
            group_id=group_id, actor_is_trainer=self.groups.get(group_id) == "trainer")
        st.comments[entity] = new
        if current is None:  # writing in a discussion follows it (issue 11)
            social.auto_follow(self.conn, self.caller.account_id, new.lesson_id, group_id)
        st.created_seq.setdefault(entity, seq)
        st.touch("comments", entity, seq)
        out: dict[str, Any] = {"group_id": group_id, "lesson_id": new.lesson_id}
        if new.deleted:
            out["deleted_by"] = new.deleted_by
            if current is None or not current.deleted:
                self.erased[entity] = {"deleted_by": new.deleted_by}
        else:
            out["body"] = new.body
            if new.reply_to:
                out["reply_to"] = new.reply_to
        return out, group_id

    def _hide(self, st: state.BatchState, op: str, entity: str, payload: dict[str, Any],
              seq: int) -> tuple[dict[str, Any], int]:
        """A trainer hides a comment of their group with a reason (upsert) or restores it
        (delete). The restore carries the text back to those who no longer had it."""
        current = st.comments.get(entity)
        if current is None or current.deleted:
            raise merge.invalid("there is no such comment to hide or restore")
        if self.groups.get(current.group_id) != "trainer":
            raise merge.forbidden("only a trainer of the comment's group may hide or restore it")
        out: dict[str, Any] = {"group_id": current.group_id, "lesson_id": current.lesson_id}
        if op == "upsert":
            reason = payload.get("reason")
            if not isinstance(reason, str) or not reason.strip():
                raise merge.invalid("hiding a comment needs a reason")
            reason = " ".join(reason.split())
            if len(reason) > limits.MAX_HIDE_REASON:
                raise merge.invalid(f"a reason has at most {limits.MAX_HIDE_REASON} characters")
            out.update(reason=reason, hidden_by=self.caller.account_id)
            hidden = True
        elif op == "delete":
            out["body"] = current.body
            reason, hidden = "", False
        else:
            raise merge.invalid("hide a comment with upsert, restore it with delete")
        self.moderated[entity] = {"comment_id": entity, "group_id": current.group_id,
                                  "hidden": hidden, "reason": reason,
                                  "hidden_by": self.caller.account_id if hidden else None,
                                  "last_seq": seq}
        return out, current.group_id
