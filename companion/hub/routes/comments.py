"""Comments: a group's discussion under a lesson, and moderation.

Comments are written and edited through the sync (kind ``comment``); these routes read the
current state and let an author or a trainer delete one without a client change log.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from sqlalchemy import select

from companion.hub import accounts, push_pull, state
from companion.hub import tables as t
from companion.hub.deps import Db, Hub, Me
from companion.hub.errors import ApiError, forbidden, not_found
from companion.hub.models import (
    Accepted,
    CommentOut,
    GroupId,
    OptionalTextQuery,
    TextParam,
    error_responses,
)

router = APIRouter(prefix="/v1", tags=["comments"])


@router.get("/groups/{group_id}/comments", response_model=list[CommentOut],
            summary="The discussion of a group, optionally under one lesson",
            responses=error_responses(401, 404))
def list_comments(group_id: GroupId, me: Me, conn: Db, lesson_id: OptionalTextQuery = None,
                  include_deleted: bool = False) -> list[dict[str, Any]]:
    role = accounts.require_member(conn, group_id, me.account_id)
    c, p, h = t.comment_state, t.profile_state, t.comment_moderation
    query = (select(c, p.c.name, h.c.hidden, h.c.reason)
             .join(p, p.c.account_id == c.c.author_id)
             .outerjoin(h, h.c.comment_id == c.c.comment_id)
             .where(c.c.group_id == group_id).order_by(c.c.created_seq))
    if lesson_id is not None:
        query = query.where(c.c.lesson_id == lesson_id)
    if not include_deleted:
        query = query.where(c.c.deleted.is_(False))
    out = []
    for r in conn.execute(query):
        row = state.comment_to_dict(r, r.name)
        if r.hidden:
            # Hidden by a trainer: its author and the trainers still read it; others do not.
            row.update(hidden=True, hidden_reason=r.reason)
            if role != "trainer" and r.author_id != me.account_id:
                row["body"] = ""
        out.append(row)
    return out


@router.delete("/comments/{comment_id}", response_model=Accepted,
               summary="Delete a comment (its author, or a trainer of its group)",
               responses=error_responses(400, 401, 403, 404))
def delete_comment(comment_id: TextParam, me: Me, hub: Hub) -> dict[str, Any]:
    with hub.storage.write() as conn:
        row = conn.execute(select(t.comment_state.c.group_id).where(
            t.comment_state.c.comment_id == comment_id)).first()
        if row is None or accounts.role_in(conn, row.group_id, me.account_id) is None:
            raise not_found("no such comment in your groups")
        result = push_pull.hub_change(conn, me, "comment", comment_id, "delete", {})
    if result.rejected:
        rejection = result.rejected[0]
        if rejection["code"] == "forbidden":
            raise forbidden(rejection["reason"])
        raise ApiError(400, rejection["code"], rejection["reason"])
    return result.accepted[0]
