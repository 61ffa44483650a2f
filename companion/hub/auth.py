"""Passwords, device tokens and the brake on guessing.

Passwords are hashed with Argon2id. A token is 32 random bytes handed to the device once; the hub
keeps only its SHA-256, so a copy of the database opens no account. Tokens belong to one device,
expire when unused for ``token_ttl_s`` and are revoked by logging out; a device's new login
replaces its old token. Login attempts (per account) and failed logins and invite guesses (per
client address), and refused courier bundles (per client address), are counted in the
database, so the limits hold across every hub process.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, bindparam, delete, func, insert, or_, select, text, update

from companion.hub import tables as t
from companion.hub.errors import ApiError, unauthorized
from companion.hub.settings import HubSettings
from companion.hub.storage import now

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 256
# An arbitrary constant: the PostgreSQL advisory lock class of the login throttle's scopes.
_THROTTLE_LOCK_KEY = 727_302


@dataclass(frozen=True)
class Caller:
    """Who is making a request, as established from the token (never from the payload)."""

    account_id: int
    username: str
    is_trainer: bool
    device_id: str
    membership_version: int
    token_hash: str


@dataclass(frozen=True)
class IssuedToken:
    token: str
    expires_at: float


class Passwords:
    def __init__(self, settings: HubSettings) -> None:
        self._hasher = PasswordHasher(
            time_cost=settings.argon2_time_cost, memory_cost=settings.argon2_memory_kib,
            parallelism=settings.argon2_parallelism,
        )
        # Verified against when the username is unknown, so timing does not tell names apart.
        self._dummy = self._hasher.hash(secrets.token_hex(16))

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, stored: str | None, password: str) -> bool:
        try:
            return self._hasher.verify(stored or self._dummy, password) and stored is not None
        except (VerificationError, InvalidHashError):
            return False


def check_password_rules(password: str) -> None:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD_LENGTH:
        raise ApiError(400, "weak_password",
                       f"a password has at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ApiError(400, "invalid", f"a password has at most {MAX_PASSWORD_LENGTH} characters")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(conn: Connection, settings: HubSettings, account_id: int, device_id: str,
                device_name: str = "") -> IssuedToken:
    """A new token for the device, replacing the device's earlier one; an account keeps at most
    ``max_tokens_per_account`` live tokens (the least recently used beyond that are dropped),
    so repeated logins do not pile up rows."""
    token = secrets.token_urlsafe(32)
    at = now()
    expires = at + settings.token_ttl_s
    tk = t.tokens.c
    # Logins of one account take turns here (PostgreSQL; SQLite writers always do), so parallel
    # logins cannot each count the tokens without the others' and overshoot the cap.
    conn.execute(select(t.accounts.c.id).where(t.accounts.c.id == account_id).with_for_update())
    conn.execute(delete(t.tokens).where(
        tk.account_id == account_id,
        or_(tk.device_id == device_id[:64], tk.revoked_at.isnot(None), tk.expires_at <= at)))
    conn.execute(insert(t.tokens).values(
        token_hash=hash_token(token), account_id=account_id, device_id=device_id[:64],
        device_name=device_name[:120], created_at=at, last_used_at=at, expires_at=expires,
    ))
    keep = (select(tk.token_hash).where(tk.account_id == account_id)
            .order_by(tk.last_used_at.desc(), tk.created_at.desc())
            .limit(max(1, settings.max_tokens_per_account)))
    kept = set(conn.execute(keep).scalars())
    kept.add(hash_token(token))
    conn.execute(delete(t.tokens).where(tk.account_id == account_id,
                                        tk.token_hash.not_in(sorted(kept))))
    return IssuedToken(token, expires)


# Built once: every request runs it.
_CALLER = (
    select(t.tokens.c.device_id, t.tokens.c.expires_at, t.tokens.c.revoked_at,
           t.tokens.c.last_used_at, t.accounts.c.id, t.accounts.c.username,
           t.accounts.c.is_trainer, t.accounts.c.membership_version, t.accounts.c.disabled)
    .join(t.accounts, t.accounts.c.id == t.tokens.c.account_id)
    .where(t.tokens.c.token_hash == bindparam("digest"))
)


def caller_for_token(conn: Connection, token: str) -> tuple[Caller, float]:
    """The caller a bearer token stands for, and when the token was last renewed."""
    digest = hash_token(token)
    row = conn.execute(_CALLER, {"digest": digest}).first()
    if row is None or row.revoked_at is not None or row.expires_at <= now() or row.disabled:
        raise unauthorized()
    caller = Caller(row.id, row.username, bool(row.is_trainer), row.device_id,
                    int(row.membership_version), digest)
    return caller, float(row.last_used_at)


def renew_token(conn: Connection, settings: HubSettings, token_hash: str) -> None:
    """Slide the expiry of a token in use (at most once per ``token_renew_after_s``)."""
    at = now()
    conn.execute(update(t.tokens).where(t.tokens.c.token_hash == token_hash)
                 .values(last_used_at=at, expires_at=at + settings.token_ttl_s))


def revoke_token(conn: Connection, token_hash: str) -> None:
    conn.execute(update(t.tokens).where(t.tokens.c.token_hash == token_hash,
                                        t.tokens.c.revoked_at.is_(None)).values(revoked_at=now()))


class Throttle:
    """Counts attempts per scope in a sliding window, reserving each before it is checked.

    Scopes: ``user:NAME`` counts every login attempt on an account (right or wrong) over
    ``login_user_window_s``, a slowdown rather than a lockout; ``addr:IP`` counts failed logins
    and ``invite:IP`` failed invite codes from one address over ``login_window_s``, as
    ``courier:IP`` counts refused courier bundles. An attempt
    is recorded, under a lock, before the password is checked, so parallel requests cannot all
    read the count before any of them adds to it; a successful attempt gives back the rows of
    scopes that count failures only.
    """

    def __init__(self, settings: HubSettings) -> None:
        self._windows = {"user": settings.login_user_window_s, "addr": settings.login_window_s,
                         "invite": settings.login_window_s, "courier": settings.login_window_s}
        self._limits = {"user": settings.login_max_attempts_per_user,
                        "addr": settings.login_max_failures_per_address,
                        "invite": settings.login_max_failures_per_address,
                        "courier": settings.courier_max_refusals_per_address}

    def _limited(self, conn: Connection, scope: str) -> None:
        kind = scope.split(":", 1)[0]
        window, limit = self._windows[kind], self._limits[kind]
        count, oldest = conn.execute(
            select(func.count(), func.min(t.auth_failures.c.at))
            .where(t.auth_failures.c.scope == scope, t.auth_failures.c.at > now() - window)
        ).one()
        if count >= limit:
            retry = max(1, math.ceil(oldest + window - now()))
            raise ApiError(429, "too_many_attempts",
                           f"too many attempts; try again in {retry} seconds",
                           {"Retry-After": str(retry)})

    def check(self, conn: Connection, *scopes: str) -> None:
        """Refuse (429) when any scope has used up its attempts (an early, unlocked look)."""
        for scope in scopes:
            self._limited(conn, scope[:200])

    def reserve(self, conn: Connection, *scopes: str) -> dict[str, int]:
        """Inside a write transaction: refuse (429) when a scope is used up, else record one
        attempt in each scope; returns the row of each scope (for :meth:`give_back`)."""
        names = sorted({s[:200] for s in scopes})
        if conn.dialect.name == "postgresql":
            # SQLite's BEGIN IMMEDIATE already makes writers take turns; PostgreSQL's READ
            # COMMITTED would let two transactions count the same rows, so lock each scope.
            for name in names:
                conn.execute(text("SELECT pg_advisory_xact_lock(:k, hashtext(:s))"),
                             {"k": _THROTTLE_LOCK_KEY, "s": name})
        for name in names:
            self._limited(conn, name)
        at = now()
        rows = {}
        for name in names:
            rows[name] = int(conn.execute(insert(t.auth_failures).values(scope=name, at=at))
                             .inserted_primary_key[0])
        longest = max(self._windows.values())
        conn.execute(delete(t.auth_failures).where(t.auth_failures.c.at < at - longest))
        return rows

    def give_back(self, conn: Connection, rows: dict[str, int], *scopes: str) -> None:
        """Forget the reserved attempts of these scopes (they count failures only)."""
        ids = [rows[s[:200]] for s in scopes if s[:200] in rows]
        if ids:
            conn.execute(delete(t.auth_failures).where(t.auth_failures.c.id.in_(ids)))
