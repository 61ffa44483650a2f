"""Errors the core raises. Each carries a message a person can read as it is."""

from __future__ import annotations

import enum


class CompanionError(Exception):
    """Base of every error the core raises on purpose."""


class Reason(enum.Enum):
    """Why the library refused, for callers that act on it: they switch on this and never on
    the message, which may be reworded (or one day translated)."""

    PACKS_BUSY = "packs-busy"          # another pack import or removal holds the pack lock
    DOWNLOAD_BUSY = "download-busy"    # another download holds the download lock
    COMMENT_EMPTY = "comment-empty"
    COMMENT_TOO_LONG = "comment-too-long"
    COMMENT_NOT_OWN = "comment-not-own"  # someone else's comment cannot be changed
    COMMENT_DELETED = "comment-deleted"


class LibraryError(CompanionError):
    """The local library cannot do what was asked (unknown lesson, bad profile...).
    ``reason`` says which refusal it is when a caller may act on it (None otherwise)."""

    def __init__(self, message: str = "", reason: Reason | None = None) -> None:
        super().__init__(message)
        self.reason = reason


class ProfileError(LibraryError):
    """A profile does not exist, or its name is taken or invalid."""


class PackError(CompanionError):
    """A lesson pack (source folder or built .cpack) is not acceptable.

    ``path`` names the file the problem is in, so a trainer sees which one.
    """

    def __init__(self, message: str, path: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class PackSourceError(PackError):
    """A pack source folder (pack.toml, lesson.toml, media) is wrong."""


class PackFormatError(PackError):
    """A built .cpack file is damaged, malformed or unsafe."""


class PackTrustError(PackError):
    """A pack is unsigned, badly signed or signed by a key this PC does not trust."""

    def __init__(
        self,
        message: str,
        path: str | None = None,
        signer_name: str | None = None,
        fingerprint: str | None = None,
    ) -> None:
        super().__init__(message, path)
        self.signer_name = signer_name
        self.fingerprint = fingerprint


class StorageError(CompanionError):
    """The disk refused a write (full, read-only, gone)."""


class KeyFileError(CompanionError):
    """A key file is missing, unreadable or not a companion key."""
