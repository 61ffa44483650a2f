"""Errors the hub raises on purpose; each message can be shown to a person as it is."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from companion.core.errors import CompanionError


class HubError(CompanionError):
    """The hub cannot do what was asked (unknown group, name taken, bad database URL...)."""


class ApiError(HubError):
    """An error that becomes an HTTP response: ``status`` and a stable machine ``code``."""

    def __init__(self, status: int, code: str, message: str,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


def not_found(message: str) -> ApiError:
    return ApiError(404, "not_found", message)


def forbidden(message: str) -> ApiError:
    return ApiError(403, "forbidden", message)


def unauthorized(
    message: str = "log in again: this token is unknown, expired or revoked",
) -> ApiError:
    return ApiError(401, "unauthorized", message, {"WWW-Authenticate": "Bearer"})


def bad_request(message: str, code: str = "invalid") -> ApiError:
    return ApiError(400, code, message)


def conflict(message: str, code: str = "conflict") -> ApiError:
    return ApiError(409, code, message)


def first_problem(errors: Sequence[Any]) -> str:
    """``where: what`` of the first error pydantic found (``changes.0.kind: ...``), the
    request body's own name left out: one short line a person can act on."""
    first = errors[0] if errors else {}
    where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
    return f"{where}: {first.get('msg', 'invalid request')}"
