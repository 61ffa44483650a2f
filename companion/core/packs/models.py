"""What pack operations return: import results, verification results, installed packs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from companion.core.errors import CompanionError
from companion.core.packs.header import HeaderFields, PackHeader
from companion.core.packs.reader import SignerInfo

INSTALLED, UPDATED, UNCHANGED, SKIPPED = "installed", "updated", "unchanged", "skipped"


class ImportCancelled(CompanionError):
    """The person stopped the import; the library is as it was before."""


@dataclass(frozen=True)
class ImportResult:
    path: Path
    pack_id: str
    title: str
    version: str
    status: str  # installed, updated, unchanged or skipped (a newer version is installed)
    previous_version: str | None = None
    lessons: int = 0
    files_copied: int = 0
    bytes_copied: int = 0
    files_reused: int = 0
    signer_name: str | None = None
    signer_fingerprint: str | None = None
    warnings: tuple[str, ...] = ()

    def describe(self) -> str:
        what = f"{self.pack_id} {self.version}"
        if self.status == INSTALLED:
            return f"installed {what} ({self.lessons} lessons)"
        if self.status == UPDATED:
            return f"updated {self.pack_id} {self.previous_version} -> {self.version}"
        if self.status == UNCHANGED:
            return f"{what} is already installed; nothing changed"
        return f"skipped {what}: version {self.previous_version} is installed and newer"


@dataclass(frozen=True)
class ImportOutcome:
    path: Path
    result: ImportResult | None = None
    error: CompanionError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True)
class VerifyResult:
    path: Path
    pack_id: str
    title: str
    version: str
    language: str
    lessons: int
    files: int
    total_size: int
    signer: SignerInfo | None
    installed_version: str | None


@dataclass(frozen=True)
class InstalledPack(HeaderFields):
    header: PackHeader
    cover_sha256: str | None
    signer_name: str | None
    signer_fingerprint: str | None
    installed_at: str
    updated_at: str
    lesson_count: int
    duration_s: float
    file_count: int
    total_size: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "title": self.title, "version": self.version,
            "language": self.language, "author": self.author, "description": self.description,
            "signer": self.signer_name, "signer_fingerprint": self.signer_fingerprint,
            "lessons": self.lesson_count, "duration_s": round(self.duration_s, 3),
            "files": self.file_count, "size": self.total_size,
            "installed_at": self.installed_at, "updated_at": self.updated_at,
        }
