"""The social loop's change kinds on the hub: reactions, follows, drafts, read marks,
announcements and pack offers (issue 11).

Each function checks one pushed change of its kind and returns the payload to store and the
group that may read it (``None``: only the author's own devices receive it, see
``changes.OWN_KINDS``). They run inside the push's write transaction, after the sequence lock,
so the current-state tables (``reactions``, ``follows``) change in the hub's order. A function
raises :class:`~companion.core.merge.ChangeRejected` before it writes anything.

Drafts and read marks are private: they get no group, so neither the group nor its trainers ever
receive them, and the hub keeps no state of them beyond the change log its owner's devices pull.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, delete, insert, select

from companion.core import merge
from companion.hub import limits
from companion.hub import tables as t
from companion.hub.auth import Caller
from companion.hub.storage import now

REACTIONS = ("useful", "thanks")
HUB_DEVICE = "hub"


def _flag(payload: dict[str, Any], key: str = "on") -> bool:
    value = payload.get(key, True)
    if not isinstance(value, bool):
        raise merge.invalid(f"{key} must be true or false")
    return value


def _text(payload: dict[str, Any], key: str, *, empty_ok: bool = False) -> str:
    value = payload.get(key)
    if not isinstance(value, str) or (not empty_ok and not value.strip()):
        raise merge.invalid(f"{key} must be text that is not empty")
    if len(value) > merge.MAX_COMMENT_LENGTH:
        raise merge.invalid(f"{key} has at most {merge.MAX_COMMENT_LENGTH} characters")
    return value


def _id(payload: dict[str, Any], key: str, *, optional: bool = False) -> str | None:
    value = payload.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, str) or not 1 <= len(value) <= merge.MAX_ID_LENGTH:
        raise merge.invalid(f"{key} must be text of 1 to {merge.MAX_ID_LENGTH} characters")
    return value


def reaction(conn: Connection, caller: Caller, groups: dict[int, str], op: str, comment_id: str,
             payload: dict[str, Any], comment: merge.CommentState | None,
             ) -> tuple[dict[str, Any], int]:
    """A "useful" or "thanks" mark on a comment, set (``on``) or taken back; one of each per
    person and comment. Seen by the comment's group (the counts show under the comment)."""
    if op != "upsert":
        raise merge.invalid("a reaction is set or taken back with upsert")
    kind = payload.get("reaction")
    if kind not in REACTIONS:
        raise merge.invalid("reaction must be 'useful' or 'thanks'")
    on = _flag(payload)
    if comment is None:
        raise merge.invalid("there is no such comment")
    if comment.group_id not in groups:
        raise merge.forbidden("you can only react in your own groups")
    if comment.author_id == caller.account_id:
        raise merge.forbidden("you cannot mark your own comment")
    if on and comment.deleted:
        raise merge.forbidden("this comment was deleted")
    r = t.reactions.c
    where = (r.account_id == caller.account_id, r.comment_id == comment_id, r.kind == kind)
    exists = conn.execute(select(r.account_id).where(*where)).first() is not None
    if on and not exists:
        conn.execute(insert(t.reactions).values(account_id=caller.account_id,
                                                comment_id=comment_id, kind=kind,
                                                created_at=now()))
    elif not on and exists:
        conn.execute(delete(t.reactions).where(*where))
    return ({"reaction": kind, "on": on, "lesson_id": comment.lesson_id,
             "comment_author": comment.author_id}, comment.group_id)


def follow(conn: Connection, caller: Caller, op: str, lesson_id: str,
           payload: dict[str, Any]) -> dict[str, Any]:
    """Following a lesson's discussion (``on``) or not any more; private to the person."""
    if op != "upsert":
        raise merge.invalid("a follow is set or taken back with upsert")
    on = _flag(payload)
    group_id = payload.get("group_id")
    if group_id is not None and (isinstance(group_id, bool) or not isinstance(group_id, int)
                                 or not 1 <= group_id <= limits.MAX_ID):
        raise merge.invalid("group_id must be a group's number")
    f = t.follows.c
    where = (f.account_id == caller.account_id, f.lesson_id == lesson_id)
    exists = conn.execute(select(f.account_id).where(*where)).first() is not None
    if on and not exists:
        conn.execute(insert(t.follows).values(account_id=caller.account_id, lesson_id=lesson_id,
                                              group_id=group_id, created_at=now()))
    elif not on and exists:
        conn.execute(delete(t.follows).where(*where))
    return {"on": on}


def auto_follow(conn: Connection, account_id: int, lesson_id: str, group_id: int) -> None:
    """A new comment follows its discussion for its author (the client does the same without a
    change of its own; a follow removed by hand comes back with the next comment here)."""
    f = t.follows.c
    if conn.execute(select(f.account_id).where(f.account_id == account_id,
                                               f.lesson_id == lesson_id)).first() is None:
        conn.execute(insert(t.follows).values(account_id=account_id, lesson_id=lesson_id,
                                              group_id=group_id, created_at=now()))


def draft(op: str, payload: dict[str, Any]) -> dict[str, Any]:
    """An unsent comment or reply; travels only to its author's other devices."""
    if op == "delete":
        return {}
    if op != "upsert":
        raise merge.invalid("a draft is saved with upsert and dropped with delete")
    out: dict[str, Any] = {"lesson_id": _id(payload, "lesson_id"),
                           "body": _text(payload, "body", empty_ok=True)}
    reply_to = _id(payload, "reply_to", optional=True)
    if reply_to is not None:
        out["reply_to"] = reply_to
    return out


def notif_read(op: str, payload: dict[str, Any]) -> dict[str, Any]:
    """A notification bundle read up to the hub sequence ``seq``; private to the person."""
    if op != "upsert":
        raise merge.invalid("a read mark is set with upsert")
    seq = payload.get("seq")
    if isinstance(seq, bool) or not isinstance(seq, int) or not 0 <= seq <= limits.MAX_INT64:
        raise merge.invalid("seq must be a whole number from 0 to 2^63-1")
    return {"seq": seq}


def announcement(groups: dict[int, str], op: str, payload: dict[str, Any],
                 ) -> tuple[dict[str, Any], int]:
    """A trainer's message to the whole group. Posted once; learners cannot post one."""
    if op not in ("upsert", "append"):
        raise merge.invalid("an announcement is posted with append")
    group_id = payload.get("group_id")
    if isinstance(group_id, bool) or not isinstance(group_id, int):
        raise merge.invalid("an announcement needs group_id")
    if groups.get(group_id) != "trainer":
        raise merge.forbidden("only a trainer of the group may post an announcement")
    return {"group_id": group_id, "body": _text(payload, "body")}, group_id


def offer(caller: Caller, op: str, payload: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """A pack offered to a group: made by the hub itself when a trainer publishes."""
    if caller.device_id != HUB_DEVICE:
        raise merge.forbidden("only the hub records pack offers")
    group_id = payload["group_id"]
    return ({"group_id": group_id, "pack_id": str(payload["pack_id"]),
             "version": str(payload["version"]), "title": str(payload.get("title") or "")},
            int(group_id))


def hub_caller(caller: Caller) -> Caller:
    """``caller`` as the hub acting for them (device ``hub``): the only one who may record an
    offer."""
    return Caller(caller.account_id, caller.username, caller.is_trainer, HUB_DEVICE,
                  caller.membership_version, "")


def offer_record(conn: Connection, group_id: int, published: dict[str, Any]) -> dict[str, Any]:
    """The change that tells a group about a pack newly offered to it; push it as
    :func:`hub_caller`. Its id is made from the group and the manifest, so publishing the same
    build again records nothing new (the hub applies each change id once)."""
    title = conn.execute(select(t.packs.c.title).where(
        t.packs.c.manifest_sha256 == published["manifest_sha256"])).scalar_one_or_none() or ""
    return {"change_id": f"offer-{group_id}-{published['manifest_sha256'][:40]}",
            "device_seq": 0, "kind": "offer",
            "entity_id": str(published["pack_id"])[:merge.MAX_ID_LENGTH], "op": "upsert",
            "payload": {"group_id": group_id, "pack_id": published["pack_id"],
                        "version": published["version"], "title": title[:200]},
            "created_at": ""}
