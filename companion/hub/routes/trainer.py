"""The trainer's workspace (issue 10): the group report, hiding comments, the members.

Only a trainer of the group may read its report or change its members; a learner gets ``403``
and someone outside the group ``404`` (no probing of ids). A learner reads their own row of the
report at ``/v1/me/report`` ("What my trainer sees").
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response
from sqlalchemy import select

from companion.hub import accounts, ladder, limits, members, push_pull, reports
from companion.hub import tables as t
from companion.hub.deps import Body, Db, Hub, Me
from companion.hub.errors import ApiError, forbidden, not_found
from companion.hub.models import (
    Accepted,
    GroupId,
    HideIn,
    InviteOut,
    SplitIn,
    SplitOut,
    TextParam,
    error_responses,
)

router = APIRouter(prefix="/v1", tags=["trainer"])

Days = Annotated[int, Query(ge=1, le=reports.MAX_DAYS,
                            description="the period: the last N days (default 30)")]
AccountId = Annotated[int, Path(ge=1, le=limits.MAX_ID, description="an account's id")]


def _json(value: Any) -> Response:
    # Straight to JSON: FastAPI's encoder walked the report of 900 learners value by value,
    # which took longer than building it.
    return Response(json.dumps(value, ensure_ascii=False, separators=(",", ":")),
                    media_type="application/json")


@router.get("/groups/{group_id}/report", summary="Trainers: the group's report",
            responses=error_responses(401, 403, 404, 422))
def group_report(group_id: GroupId, me: Me, conn: Db,
                 days: Days = reports.DEFAULT_DAYS) -> Response:
    """Learners, lessons, the weekday x hour heatmap, the participation ladder and the
    overview against the previous period (see docs/sync-protocol.md)."""
    accounts.require_trainer(conn, group_id, me.account_id)
    return _json(reports.group_report(conn, group_id, days))


@router.get("/groups/{group_id}/learners/{account_id}",
            summary="Trainers: one learner's lessons and latest sessions",
            responses=error_responses(401, 403, 404))
def learner_detail(group_id: GroupId, account_id: AccountId, me: Me, conn: Db) -> Response:
    accounts.require_trainer(conn, group_id, me.account_id)
    detail = reports.learner_detail(conn, group_id, account_id)
    if detail is None:
        raise not_found("no such learner in this group")
    return _json(detail)


@router.get("/me/report", summary="What my trainer sees: my own row of my group's report",
            responses=error_responses(401, 404, 422))
def my_report(me: Me, conn: Db, group: Annotated[int, Query(ge=1, le=limits.MAX_ID)],
              days: Days = reports.DEFAULT_DAYS) -> dict[str, Any]:
    accounts.require_member(conn, group, me.account_id)
    report = reports.group_report(conn, group, days)
    row = reports.learner_row(report, me.account_id)
    return {"group": report["group"], "days": days, "learners": [row] if row else []}


def _moderate(hub: Any, me: Any, comment_id: str, op: str,
              payload: dict[str, Any]) -> dict[str, Any]:
    with hub.storage.write() as conn:
        row = conn.execute(select(t.comment_state.c.group_id).where(
            t.comment_state.c.comment_id == comment_id)).first()
        if row is None or accounts.role_in(conn, row.group_id, me.account_id) is None:
            raise not_found("no such comment in your groups")
        result = push_pull.hub_change(conn, me, "comment_hide", comment_id, op, payload)
    if result.rejected:
        rejection = result.rejected[0]
        if rejection["code"] == "forbidden":
            raise forbidden(rejection["reason"])
        raise ApiError(400, rejection["code"], rejection["reason"])
    return result.accepted[0]


@router.post("/comments/{comment_id}/hide", response_model=Accepted,
             summary="Trainers: hide a comment of the group, with a reason",
             responses=error_responses(400, 401, 403, 404, 422))
def hide_comment(comment_id: TextParam, body: Body(HideIn), me: Me, hub: Hub) -> dict[str, Any]:
    """The author keeps the text and sees the reason; everyone else's copy loses the text."""
    return _moderate(hub, me, comment_id, "upsert", {"reason": body.reason})


@router.post("/comments/{comment_id}/restore", response_model=Accepted,
             summary="Trainers: show a hidden comment again",
             responses=error_responses(400, 401, 403, 404))
def restore_comment(comment_id: TextParam, me: Me, hub: Hub) -> dict[str, Any]:
    return _moderate(hub, me, comment_id, "delete", {})


@router.post("/groups/{group_id}/invite", response_model=InviteOut,
             summary="Trainers: a new invite code (the old one stops working)",
             responses=error_responses(401, 403, 404))
def new_invite(group_id: GroupId, me: Me, hub: Hub) -> dict[str, Any]:
    with hub.storage.write() as conn:
        accounts.require_trainer(conn, group_id, me.account_id)
        code = members.new_invite(conn, group_id)
        name = conn.execute(select(t.groups.c.name).where(t.groups.c.id == group_id)).scalar_one()
    return {"id": group_id, "name": name, "invite_code": code}


@router.delete("/groups/{group_id}/members/{account_id}", status_code=204,
               summary="Trainers: remove a learner from the group",
               responses=error_responses(401, 403, 404))
def remove_member(group_id: GroupId, account_id: AccountId, me: Me, hub: Hub) -> None:
    with hub.storage.write() as conn:
        accounts.require_trainer(conn, group_id, me.account_id)
        members.remove_member(conn, group_id, account_id)


@router.post("/groups/{group_id}/split", response_model=SplitOut,
             summary="Trainers: split the group's learners into N new groups",
             responses=error_responses(400, 401, 403, 404, 422))
def split_group(group_id: GroupId, body: Body(SplitIn), me: Me, hub: Hub) -> dict[str, Any]:
    with hub.storage.write() as conn:
        accounts.require_trainer(conn, group_id, me.account_id)
        return {"groups": members.split(conn, group_id, body.into)}


Weeks = Annotated[int, Query(ge=1, le=ladder.MAX_WEEKS,
                             description="how many weeks back (default 12)")]


@router.get("/groups/{group_id}/ladder",
            summary="Trainers: the participation ladder, week by week",
            responses=error_responses(401, 403, 404, 422))
def ladder_history(group_id: GroupId, me: Me, conn: Db,
                   weeks: Weeks = ladder.DEFAULT_WEEKS) -> Response:
    """Per week, the highest-rung counts over the 30 days ending at the week's end, worked out
    from the hub's own data (see docs/sync-protocol.md)."""
    accounts.require_trainer(conn, group_id, me.account_id)
    return _json(ladder.ladder_history(conn, group_id, weeks))
