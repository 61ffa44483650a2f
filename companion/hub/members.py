"""A trainer's work on a group's members: a new invite code, removing someone, splitting.

Splitting a group of 900 into 9 makes 9 new groups, each with its own invite code, the old
group's trainers and packs, and an even share of the active and the inactive learners. The old
group stays with its discussion: its learners keep reading it as ``reader`` (they can no longer
write there), so every comment stays readable where it was written.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from companion.hub import accounts, reports
from companion.hub import tables as t
from companion.hub.errors import ApiError, forbidden, not_found
from companion.hub.models import MAX_SPLIT
from companion.hub.storage import now

READER = "reader"  # a former learner of a split group: reads its discussion, writes no more


def _unique_code(conn: Connection) -> str:
    code = accounts.new_invite_code()
    while conn.execute(select(t.groups.c.id).where(t.groups.c.invite_code == code)).first():
        code = accounts.new_invite_code()  # pragma: no cover - 32**10 codes
    return code


def new_invite(conn: Connection, group_id: int) -> str:
    """Give the group a new invite code; the old one stops working at once."""
    code = _unique_code(conn)
    conn.execute(update(t.groups).where(t.groups.c.id == group_id).values(invite_code=code))
    return code


def _bump(conn: Connection, account_ids: list[int]) -> None:
    """The memberships of these accounts changed: their next pull starts again."""
    for start in range(0, len(account_ids), 500):
        conn.execute(update(t.accounts).where(t.accounts.c.id.in_(account_ids[start:start + 500]))
                     .values(membership_version=t.accounts.c.membership_version + 1))


def remove_member(conn: Connection, group_id: int, account_id: int) -> None:
    """Take a learner out of the group (their comments stay; they no longer see the group)."""
    role = accounts.role_in(conn, group_id, account_id)
    if role is None:
        raise not_found("this person is not a member of the group")
    if role == "trainer":
        raise forbidden("a trainer cannot be removed from the group here")
    m = t.memberships.c
    conn.execute(delete(t.memberships).where(m.group_id == group_id, m.account_id == account_id))
    _bump(conn, [account_id])


def _free_name(conn: Connection, base: str, index: int) -> str:
    suffix = f" {index}"
    name = base[:accounts.MAX_GROUP_NAME - len(suffix)] + suffix
    extra = 1
    while conn.execute(select(t.groups.c.id).where(t.groups.c.name == name)).first():
        extra += 1
        suffix = f" {index}.{extra}"
        name = base[:accounts.MAX_GROUP_NAME - len(suffix)] + suffix
    return name


def spread(learners: list[dict[str, Any]], into: int) -> list[list[int]]:
    """Deal learners over ``into`` groups: the active ones first (most sessions first), then
    the inactive ones, round the table, so every group gets as many of each as the others,
    give or take one."""
    def active(row: dict[str, Any]) -> bool:
        return row["rung"] != "inactive" or row["sessions"] > 0

    ordered = sorted(learners, key=lambda r: (not active(r), -r["sessions"], r["username"]))
    out: list[list[int]] = [[] for _ in range(into)]
    for index, row in enumerate(ordered):
        out[index % into].append(int(row["account_id"]))
    return out


def split(conn: Connection, group_id: int, into: int) -> list[dict[str, Any]]:
    """Split the group's learners into ``into`` new groups (see the module doc)."""
    if not 2 <= into <= MAX_SPLIT:
        raise ApiError(400, "invalid", f"a group splits into 2 to {MAX_SPLIT} groups")
    group = conn.execute(select(t.groups).where(t.groups.c.id == group_id)).one()
    learners = reports.group_report(conn, group_id)["learners"]
    if len(learners) < into:
        raise ApiError(400, "invalid", f"the group has {len(learners)} learners: too few to "
                                       f"split into {into} groups")
    m = t.memberships.c
    trainers = conn.execute(select(m.account_id).where(
        m.group_id == group_id, m.role == "trainer")).scalars().all()
    offered = conn.execute(select(t.group_packs.c.pack_row).where(
        t.group_packs.c.group_id == group_id)).scalars().all()
    at = now()
    out = []
    for index, members in enumerate(spread(learners, into), start=1):
        name = _free_name(conn, group.name, index)
        code = _unique_code(conn)
        new_id = int(conn.execute(insert(t.groups).values(
            name=name, invite_code=code, created_at=at)).inserted_primary_key[0])
        rows = [{"group_id": new_id, "account_id": a, "role": "trainer", "joined_at": at}
                for a in trainers]
        rows += [{"group_id": new_id, "account_id": a, "role": "learner", "joined_at": at}
                 for a in members]
        conn.execute(insert(t.memberships), rows)
        if offered:
            conn.execute(insert(t.group_packs), [
                {"group_id": new_id, "pack_row": row, "offered_at": at} for row in offered])
        out.append({"id": new_id, "name": name, "invite_code": code, "learners": len(members)})
    conn.execute(update(t.memberships).where(m.group_id == group_id, m.role == "learner")
                 .values(role=READER))
    new_invite(conn, group_id)  # nobody should join the old group any more
    _bump(conn, sorted({*trainers, *(int(r["account_id"]) for r in learners)}))
    return out
