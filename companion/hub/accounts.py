"""Accounts, groups and who belongs where.

Trainers are created on the hub machine (``companion hub add-trainer``); learners create their
own account by joining a group with its invite code. A person may be in several groups.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from companion.hub import tables as t
from companion.hub.errors import ApiError, HubError, conflict, forbidden, not_found
from companion.hub.storage import now

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,63}$")
INVITE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud in a class
INVITE_LENGTH = 10
MAX_GROUP_NAME = 120


@dataclass(frozen=True)
class Group:
    id: int
    name: str
    invite_code: str
    role: str = ""  # the caller's role in it, where that matters

    def to_dict(self, with_invite: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "name": self.name}
        if self.role:
            out["role"] = self.role
        if with_invite:
            out["invite_code"] = self.invite_code
        return out


def normalize_username(username: str) -> str:
    name = str(username).strip().lower()
    if not USERNAME_RE.match(name):
        raise ApiError(400, "invalid_username",
                       "a username has 2 to 64 characters: letters, digits and . _ @ -")
    return name


def normalize_invite(code: str) -> str:
    return "".join(ch for ch in str(code).upper() if ch.isalnum())


def new_invite_code() -> str:
    return "".join(secrets.choice(INVITE_ALPHABET) for _ in range(INVITE_LENGTH))


def create_account(conn: Connection, username: str, password_hash: str,
                   is_trainer: bool = False) -> int:
    name = normalize_username(username)
    try:
        with conn.begin_nested():
            result = conn.execute(insert(t.accounts).values(
                username=name, password_hash=password_hash, is_trainer=is_trainer,
                membership_version=0, created_at=now(), disabled=False))
    except IntegrityError as exc:
        raise conflict(f"the username {name!r} is taken", "username_taken") from exc
    account_id = int(result.inserted_primary_key[0])
    conn.execute(insert(t.profile_state).values(
        account_id=account_id, name=name, motto="", photo_sha256=None, last_seq=0))
    return account_id


def account_by_username(conn: Connection, username: str) -> Any:
    return conn.execute(
        select(t.accounts).where(t.accounts.c.username == str(username).strip().lower())
    ).first()


def set_password(conn: Connection, account_id: int, password_hash: str) -> None:
    conn.execute(update(t.accounts).where(t.accounts.c.id == account_id)
                 .values(password_hash=password_hash))


def create_group(conn: Connection, name: str, trainer_username: str) -> Group:
    clean = " ".join(str(name).split())
    if not clean or len(clean) > MAX_GROUP_NAME:
        raise HubError(f"a group name has 1 to {MAX_GROUP_NAME} characters")
    trainer = account_by_username(conn, trainer_username)
    if trainer is None or not trainer.is_trainer:
        raise HubError(f"no trainer named {trainer_username!r} (add one with "
                       "`companion hub add-trainer`)")
    if conn.execute(select(t.groups.c.id).where(t.groups.c.name == clean)).first():
        raise HubError(f"a group named {clean!r} already exists")
    code = new_invite_code()
    while conn.execute(select(t.groups.c.id).where(t.groups.c.invite_code == code)).first():
        code = new_invite_code()  # pragma: no cover - 32**10 codes
    group_id = int(conn.execute(insert(t.groups).values(
        name=clean, invite_code=code, created_at=now())).inserted_primary_key[0])
    add_member(conn, group_id, trainer.id, "trainer")
    return Group(group_id, clean, code, "trainer")


def group_by_invite(conn: Connection, code: str) -> Group | None:
    row = conn.execute(select(t.groups).where(
        t.groups.c.invite_code == normalize_invite(code))).first()
    return Group(row.id, row.name, row.invite_code) if row else None


def add_member(conn: Connection, group_id: int, account_id: int, role: str) -> bool:
    """Add an account to a group; False when it was a member already."""
    exists = conn.execute(select(t.memberships.c.role).where(
        t.memberships.c.group_id == group_id, t.memberships.c.account_id == account_id)).first()
    if exists:
        return False
    conn.execute(insert(t.memberships).values(group_id=group_id, account_id=account_id,
                                              role=role, joined_at=now()))
    conn.execute(update(t.accounts).where(t.accounts.c.id == account_id)
                 .values(membership_version=t.accounts.c.membership_version + 1))
    return True


def groups_of(conn: Connection, account_id: int) -> list[Group]:
    rows = conn.execute(
        select(t.groups.c.id, t.groups.c.name, t.groups.c.invite_code, t.memberships.c.role)
        .join(t.memberships, t.memberships.c.group_id == t.groups.c.id)
        .where(t.memberships.c.account_id == account_id).order_by(t.groups.c.name)
    ).all()
    return [Group(r.id, r.name, r.invite_code, r.role) for r in rows]


def role_in(conn: Connection, group_id: int, account_id: int) -> str | None:
    return conn.execute(select(t.memberships.c.role).where(
        t.memberships.c.group_id == group_id, t.memberships.c.account_id == account_id)
    ).scalar_one_or_none()


def require_member(conn: Connection, group_id: int, account_id: int) -> str:
    """The caller's role in the group; 404 when the caller is not in it (no probing)."""
    role = role_in(conn, group_id, account_id)
    if role is None:
        raise not_found(f"no group {group_id} among your groups")
    return role


def require_trainer(conn: Connection, group_id: int, account_id: int) -> None:
    if require_member(conn, group_id, account_id) != "trainer":
        raise forbidden("only a trainer of this group may do this")


def co_member_ids(conn: Connection, account_id: int) -> list[int]:
    """Everyone who shares at least one group with the account (the account included)."""
    mine = select(t.memberships.c.group_id).where(t.memberships.c.account_id == account_id)
    rows = conn.execute(select(t.memberships.c.account_id).distinct()
                        .where(t.memberships.c.group_id.in_(mine))).scalars().all()
    return sorted({account_id, *rows})


def members(conn: Connection, group_id: int) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(t.accounts.c.id, t.accounts.c.username, t.memberships.c.role,
               t.profile_state.c.name, t.profile_state.c.motto, t.profile_state.c.photo_sha256,
               t.memberships.c.joined_at)
        .join(t.memberships, t.memberships.c.account_id == t.accounts.c.id)
        .join(t.profile_state, t.profile_state.c.account_id == t.accounts.c.id)
        .where(t.memberships.c.group_id == group_id)
        .order_by(t.memberships.c.role.desc(), t.profile_state.c.name)
    ).all()
    return [{"account_id": r.id, "username": r.username, "role": r.role, "name": r.name,
             "motto": r.motto, "photo_sha256": r.photo_sha256, "joined_at": r.joined_at}
            for r in rows]


def list_groups(conn: Connection) -> list[dict[str, Any]]:
    """Every group with its invite code, member counts and trainers (for the admin CLI)."""
    counts = dict(conn.execute(
        select(t.memberships.c.group_id, func.count())
        .where(t.memberships.c.role == "learner").group_by(t.memberships.c.group_id)).all())
    out = []
    for g in conn.execute(select(t.groups).order_by(t.groups.c.name)).all():
        trainers = conn.execute(
            select(t.accounts.c.username).join(
                t.memberships, t.memberships.c.account_id == t.accounts.c.id)
            .where(t.memberships.c.group_id == g.id, t.memberships.c.role == "trainer")
            .order_by(t.accounts.c.username)).scalars().all()
        out.append({"id": g.id, "name": g.name, "invite_code": g.invite_code,
                    "learners": int(counts.get(g.id, 0)), "trainers": list(trainers)})
    return out
