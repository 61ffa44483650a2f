"""Profiles: several people on one PC (the shop owner and staff), each with their own progress,
notes and later their own hub login. Media is shared by all profiles of the PC."""

from __future__ import annotations

import hashlib
import hmac
import os
import uuid
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from companion.core.changelog import record_change
from companion.core.db import get_setting, now_local, set_setting, write_transaction
from companion.core.errors import ProfileError

MAX_NAME_LENGTH = 60
MAX_MOTTO_LENGTH = 200
DEFAULT_PROFILE_NAME = "default"


@dataclass(frozen=True)
class Profile:
    id: int
    uid: str
    name: str
    language: str | None
    motto: str
    photo_sha256: str | None
    has_pin: bool
    record_sessions: bool
    created_at: str
    last_used_at: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "uid": self.uid, "name": self.name, "language": self.language,
            "motto": self.motto, "photo_sha256": self.photo_sha256, "has_pin": self.has_pin,
            "record_sessions": self.record_sessions,
        }


_COLUMNS = (
    "id, uid, name, language, motto, photo_sha256, pin_hash IS NOT NULL, record_sessions,"
    " created_at, last_used_at"
)


def _row(row: tuple[Any, ...]) -> Profile:
    return Profile(
        id=row[0], uid=row[1], name=row[2], language=row[3], motto=row[4], photo_sha256=row[5],
        has_pin=bool(row[6]), record_sessions=bool(row[7]), created_at=row[8],
        last_used_at=row[9],
    )


def _clean_name(name: str) -> str:
    cleaned = " ".join(str(name).split())
    if not cleaned:
        raise ProfileError("a profile needs a name")
    if len(cleaned) > MAX_NAME_LENGTH:
        raise ProfileError(f"a profile name has at most {MAX_NAME_LENGTH} characters")
    return cleaned


def _hash_pin(pin: str, salt: bytes | None = None) -> str:
    salt = salt or os.urandom(16)
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode("utf-8"), salt, 200_000)
    return f"pbkdf2-sha256$200000${salt.hex()}${digest.hex()}"


def _check_pin(pin: str, stored: str) -> bool:
    try:
        _algo, rounds, salt_hex, digest_hex = stored.split("$")
        digest = hashlib.pbkdf2_hmac(
            "sha256", pin.encode("utf-8"), bytes.fromhex(salt_hex), int(rounds)
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(digest.hex(), digest_hex)


class Profiles:
    """Create, find, switch and edit profiles."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self._db = db

    def list(self) -> list[Profile]:
        rows = self._db.execute(f"SELECT {_COLUMNS} FROM profiles ORDER BY name").fetchall()
        return [_row(r) for r in rows]

    def get(self, profile_id: int) -> Profile:
        row = self._db.execute(
            f"SELECT {_COLUMNS} FROM profiles WHERE id = ?", [profile_id]
        ).fetchone()
        if row is None:
            raise ProfileError(f"no profile with id {profile_id}")
        return _row(row)

    def find(self, name: str) -> Profile | None:
        row = self._db.execute(
            f"SELECT {_COLUMNS} FROM profiles WHERE name = ?", [" ".join(name.split())]
        ).fetchone()
        return _row(row) if row else None

    def by_name(self, name: str) -> Profile:
        found = self.find(name)
        if found is None:
            raise ProfileError(f"no profile named {name!r}")
        return found

    def create(
        self, name: str, language: str | None = None, motto: str = "",
        photo_sha256: str | None = None,
    ) -> Profile:
        name = _clean_name(name)
        motto = motto.strip()
        if len(motto) > MAX_MOTTO_LENGTH:
            raise ProfileError(f"a motto has at most {MAX_MOTTO_LENGTH} characters")
        with write_transaction(self._db):
            if self.find(name) is not None:
                raise ProfileError(f"a profile named {name!r} already exists")
            cur = self._db.execute(
                "INSERT INTO profiles(uid, name, language, motto, photo_sha256, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [uuid.uuid4().hex, name, language, motto, photo_sha256, now_local()],
            )
            profile_id = int(cur.lastrowid or 0)
            # Only what was filled in: the fields follow their latest edit on the hub, and an
            # empty motto from a new PC must not wipe the one the person wrote elsewhere.
            public: dict[str, str | None] = {"name": name}
            if motto:
                public["motto"] = motto
            if photo_sha256:
                public["photo_sha256"] = photo_sha256
            record_change(self._db, profile_id, "profile", self.get(profile_id).uid, "upsert",
                          public)
            if get_setting(self._db, "current_profile") is None:
                set_setting(self._db, "current_profile", str(profile_id))
        return self.get(profile_id)

    def ensure(self, name: str) -> Profile:
        return self.find(name) or self.create(name)

    def current(self) -> Profile | None:
        value = get_setting(self._db, "current_profile")
        if value is None:
            return None
        try:
            return self.get(int(value))
        except (ProfileError, ValueError):
            return None

    def current_or_default(self) -> Profile:
        """The profile last switched to; else the only/first one; else a new 'default'."""
        current = self.current()
        if current is not None:
            return current
        existing = self.list()
        profile = existing[0] if existing else self.create(DEFAULT_PROFILE_NAME)
        self.switch(profile.id)
        return profile

    def switch(self, profile_id: int) -> Profile:
        self.get(profile_id)  # raises for an unknown profile
        with write_transaction(self._db):
            set_setting(self._db, "current_profile", str(profile_id))
            self._db.execute(
                "UPDATE profiles SET last_used_at = ? WHERE id = ?", [now_local(), profile_id]
            )
        return self.get(profile_id)

    def update(
        self, profile_id: int, *, name: str | None = None, language: str | None = None,
        motto: str | None = None, photo_sha256: str | None = None,
        record_sessions: bool | None = None,
    ) -> Profile:
        """Edit profile fields; the public ones (name, motto, photo) go to the change log."""
        before = self.get(profile_id)
        fields: dict[str, Any] = {}
        if name is not None:
            fields["name"] = _clean_name(name)
        if motto is not None:
            motto = motto.strip()
            if len(motto) > MAX_MOTTO_LENGTH:
                raise ProfileError(f"a motto has at most {MAX_MOTTO_LENGTH} characters")
            fields["motto"] = motto
        if photo_sha256 is not None:
            fields["photo_sha256"] = photo_sha256 or None
        if language is not None:
            fields["language"] = language or None
        if record_sessions is not None:
            fields["record_sessions"] = int(record_sessions)
        if not fields:
            return before
        with write_transaction(self._db):
            if "name" in fields:
                other = self.find(fields["name"])
                if other is not None and other.id != profile_id:
                    raise ProfileError(f"a profile named {fields['name']!r} already exists")
            sets = ", ".join(f"{k} = ?" for k in fields)
            self._db.execute(
                f"UPDATE profiles SET {sets} WHERE id = ?", [*fields.values(), profile_id]
            )
            public = {k: fields[k] for k in ("name", "motto", "photo_sha256") if k in fields}
            if public:
                record_change(self._db, profile_id, "profile", before.uid, "upsert", public)
        return self.get(profile_id)

    def set_pin(self, profile_id: int, pin: str | None) -> None:
        """Set (or with None, clear) the PIN that guards a profile on a shared PC."""
        if pin is not None and not (pin.isdigit() and 4 <= len(pin) <= 8):
            raise ProfileError("a PIN is 4 to 8 digits")
        self.get(profile_id)
        with write_transaction(self._db):
            self._db.execute(
                "UPDATE profiles SET pin_hash = ? WHERE id = ?",
                [_hash_pin(pin) if pin else None, profile_id],
            )

    def check_pin(self, profile_id: int, pin: str) -> bool:
        row = self._db.execute(
            "SELECT pin_hash FROM profiles WHERE id = ?", [profile_id]
        ).fetchone()
        if row is None:
            raise ProfileError(f"no profile with id {profile_id}")
        return row[0] is None or _check_pin(pin, row[0])

    def delete(self, profile_id: int) -> None:
        """Remove a profile with its progress, notes and change log (media stays)."""
        self.get(profile_id)
        with write_transaction(self._db):
            self._db.execute("DELETE FROM profiles WHERE id = ?", [profile_id])
            if get_setting(self._db, "current_profile") == str(profile_id):
                self._db.execute("DELETE FROM settings WHERE key = 'current_profile'")
