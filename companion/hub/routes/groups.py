"""Groups: my groups, joining another one, its members, and the trainer's progress view."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from companion.hub import accounts, push_pull, reports
from companion.hub import tables as t
from companion.hub.deps import Body, ClientAddress, Db, Hub, Me
from companion.hub.errors import ApiError
from companion.hub.models import GroupId, GroupOut, JoinIn, MemberOut, error_responses

router = APIRouter(prefix="/v1/groups", tags=["groups"])


@router.get("", response_model=list[GroupOut], summary="My groups",
            responses=error_responses(401))
def my_groups(me: Me, conn: Db) -> list[dict[str, Any]]:
    return [g.to_dict(with_invite=g.role == "trainer")
            for g in accounts.groups_of(conn, me.account_id)]


@router.post("/join", response_model=GroupOut, summary="Join another group with its invite code",
             responses=error_responses(400, 401, 404, 413, 429))
def join(body: Body(JoinIn), me: Me, hub: Hub, address: ClientAddress) -> dict[str, Any]:
    """The group's members receive this person's profile on their next sync; this person's next
    pull starts again from the beginning to bring in the group's discussion. An invite code
    makes a learner: a trainer account joining with it is a learner there too (a group's
    trainers are named when it is created), and a membership kept keeps its role."""
    scope = f"invite:{address}"
    with hub.storage.read() as conn:
        hub.throttle.check(conn, scope)
    with hub.storage.write() as conn:
        reserved = hub.throttle.reserve(conn, scope)
        group = accounts.group_by_invite(conn, body.invite_code)
        if group is not None:
            hub.throttle.give_back(conn, reserved, scope)
            if accounts.add_member(conn, group.id, me.account_id, "learner"):
                profile = conn.execute(t.profile_state.select().where(
                    t.profile_state.c.account_id == me.account_id)).one()
                push_pull.hub_change(conn, me, "profile", "account", "upsert", {
                    "name": profile.name, "motto": profile.motto,
                    "photo_sha256": profile.photo_sha256})
            role = accounts.role_in(conn, group.id, me.account_id) or "learner"
    if group is None:
        raise ApiError(404, "unknown_invite", "this invite code is not known")
    return {"id": group.id, "name": group.name, "role": role,
            "invite_code": group.invite_code if role == "trainer" else None}


@router.get("/{group_id}/members", response_model=list[MemberOut],
            summary="Members of one of my groups, with their public profile",
            responses=error_responses(401, 404))
def members(group_id: GroupId, me: Me, conn: Db) -> list[dict[str, Any]]:
    accounts.require_member(conn, group_id, me.account_id)
    return accounts.members(conn, group_id)


@router.get("/{group_id}/progress", summary="Trainers: progress, sessions, popular hours",
            responses=error_responses(401, 403, 404))
def progress(group_id: GroupId, me: Me, conn: Db) -> dict[str, Any]:
    """Per learner: lessons done and started, sessions, learning minutes, comments written and
    participation step; for the group: sessions per hour of the day (the shop's own clock)."""
    accounts.require_trainer(conn, group_id, me.account_id)
    return reports.group_progress(conn, group_id)


