"""The trainer keys this PC trusts: a pack signed by one of them imports without a question.

Trust is per PC, not per profile: packs and media are shared by every profile on the PC, so
whoever installs a pack installs it for all. A key is known by its fingerprint (SHA-256 of the raw
public key); the name is only what the trainer called it and is never used to decide trust.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlite_utils

from companion.core.db import now_local, write_transaction
from companion.core.errors import LibraryError
from companion.core.packs.keys import PublicKey, format_fingerprint


@dataclass(frozen=True)
class TrustedKey:
    fingerprint: str
    name: str
    public_key: str  # base64 of the raw 32 bytes
    added_at: str

    @property
    def short_fingerprint(self) -> str:
        return format_fingerprint(self.fingerprint)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "fingerprint": self.fingerprint,
                "short_fingerprint": self.short_fingerprint, "public_key": self.public_key,
                "added_at": self.added_at}


_COLUMNS = "fingerprint, name, public_key, added_at"


class TrustStore:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self._db = db

    def trust(self, key: PublicKey) -> TrustedKey:
        """Trust ``key``; trusting a key again keeps the first entry as it was."""
        with write_transaction(self._db):
            self._db.execute(
                "INSERT INTO trusted_keys(fingerprint, name, public_key, added_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT(fingerprint) DO NOTHING",
                [key.fingerprint, key.name, key.base64, now_local()],
            )
        found = self.get(key.fingerprint)
        assert found is not None
        return found

    def get(self, fingerprint: str) -> TrustedKey | None:
        row = self._db.execute(
            f"SELECT {_COLUMNS} FROM trusted_keys WHERE fingerprint = ?", [fingerprint.lower()]
        ).fetchone()
        return TrustedKey(*row) if row else None

    def is_trusted(self, fingerprint: str) -> bool:
        return self.get(fingerprint) is not None

    def list(self) -> list[TrustedKey]:
        rows = self._db.execute(
            f"SELECT {_COLUMNS} FROM trusted_keys ORDER BY name COLLATE NOCASE, fingerprint"
        ).fetchall()
        return [TrustedKey(*r) for r in rows]

    def find(self, fingerprint: str) -> TrustedKey:
        """The trusted key whose fingerprint starts with what a person typed (spaces allowed).

        At least 8 hex characters, so a typo cannot match a key by chance.
        """
        prefix = fingerprint.replace(" ", "").lower()
        if len(prefix) < 8 or any(c not in "0123456789abcdef" for c in prefix):
            raise LibraryError(
                f"{fingerprint!r} is not a key fingerprint (give at least 8 hex characters,"
                " as 'companion keys list' shows them)"
            )
        matches = [k for k in self.list() if k.fingerprint.startswith(prefix)]
        if not matches:
            raise LibraryError(f"no trusted key has the fingerprint {fingerprint!r}")
        if len(matches) > 1:
            raise LibraryError(f"several trusted keys start with {fingerprint!r}; give more of it")
        return matches[0]

    def untrust(self, fingerprint: str) -> TrustedKey:
        """Stop trusting a key (installed packs stay; new imports signed by it are refused)."""
        key = self.find(fingerprint)
        with write_transaction(self._db):
            self._db.execute("DELETE FROM trusted_keys WHERE fingerprint = ?", [key.fingerprint])
        return key
