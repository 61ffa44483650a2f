"""Accounts and tokens: join with an invite code, log in, log out, who am I."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response
from sqlalchemy import Connection, select

from companion.hub import accounts, auth, push_pull
from companion.hub import tables as t
from companion.hub.deps import ClientAddress, Db, Hub, Me
from companion.hub.errors import ApiError
from companion.hub.models import AccountOut, LoginIn, RegisterIn, TokenOut, error_responses

router = APIRouter(prefix="/v1", tags=["accounts"])


def account_out(conn: Connection, account_id: int) -> dict[str, Any]:
    row = conn.execute(select(t.accounts.c.username, t.accounts.c.is_trainer,
                              t.profile_state.c.name, t.profile_state.c.motto,
                              t.profile_state.c.photo_sha256)
                       .join(t.profile_state, t.profile_state.c.account_id == t.accounts.c.id)
                       .where(t.accounts.c.id == account_id)).one()
    groups = [g.to_dict(with_invite=g.role == "trainer")
              for g in accounts.groups_of(conn, account_id)]
    return {"account_id": account_id, "username": row.username, "is_trainer": row.is_trainer,
            "groups": groups, "profile": {"name": row.name, "motto": row.motto,
                                          "photo_sha256": row.photo_sha256}}


def _bad_credentials() -> ApiError:
    return ApiError(401, "bad_credentials", "wrong username or password")


@router.post("/auth/login", response_model=TokenOut, summary="Log a device in",
             responses=error_responses(400, 401, 413, 429))
def login(body: LoginIn, hub: Hub, address: ClientAddress) -> dict[str, Any]:
    """Exchange username and password for a token for this device. Attempts are limited per
    username (a few a minute, right or wrong) and failures per client address (429 with
    Retry-After)."""
    name = body.username.strip().lower()
    user_scope, addr_scope = f"user:{name}", f"addr:{address}"
    with hub.storage.read() as conn:
        hub.throttle.check(conn, user_scope, addr_scope)
    with hub.storage.write() as conn:
        # Reserved before the password is checked: parallel guesses all count.
        reserved = hub.throttle.reserve(conn, user_scope, addr_scope)
        row = accounts.account_by_username(conn, name)
    ok = hub.passwords.verify(row.password_hash if row else None, body.password)
    ok = ok and row is not None and not row.disabled
    if not ok:
        raise _bad_credentials()
    with hub.storage.write() as conn:
        hub.throttle.give_back(conn, reserved, addr_scope)
        issued = auth.issue_token(conn, hub.settings, row.id, body.device_id, body.device_name)
        out = account_out(conn, row.id)
    return {"token": issued.token, "expires_at": issued.expires_at, "account": out}


@router.post("/accounts", response_model=TokenOut, status_code=201,
             summary="Join a group as a new learner",
             responses=error_responses(400, 404, 409, 413, 429))
def register(body: RegisterIn, hub: Hub, address: ClientAddress) -> dict[str, Any]:
    """Create a learner account with a group's invite code, and log this device in."""
    scope = f"invite:{address}"
    username = accounts.normalize_username(body.username)
    auth.check_password_rules(body.password)
    with hub.storage.read() as conn:
        hub.throttle.check(conn, scope)
    password_hash = hub.passwords.hash(body.password)
    with hub.storage.write() as conn:
        reserved = hub.throttle.reserve(conn, scope)
        group = accounts.group_by_invite(conn, body.invite_code)
        if group is not None:
            hub.throttle.give_back(conn, reserved, scope)
            account_id = accounts.create_account(conn, username, password_hash)
            accounts.add_member(conn, group.id, account_id, "learner")
            issued = auth.issue_token(conn, hub.settings, account_id, body.device_id,
                                      body.device_name)
            caller, _ = auth.caller_for_token(conn, issued.token)
            push_pull.hub_change(conn, caller, "profile", "account", "upsert", {"name": username})
            out = account_out(conn, account_id)
    if group is None:
        raise ApiError(404, "unknown_invite", "this invite code is not known; check it with "
                       "your trainer")
    return {"token": issued.token, "expires_at": issued.expires_at, "account": out}


@router.post("/auth/logout", status_code=204, summary="Revoke this device's token",
             responses=error_responses(401))
def logout(me: Me, hub: Hub) -> Response:
    with hub.storage.write() as conn:
        auth.revoke_token(conn, me.token_hash)
    return Response(status_code=204)


@router.get("/me", response_model=AccountOut, summary="The account of this token",
            responses=error_responses(401))
def me_(me: Me, conn: Db) -> dict[str, Any]:
    return account_out(conn, me.account_id)
