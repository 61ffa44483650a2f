"""Errors the hub raises on purpose; each message can be shown to a person as it is."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

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


Model = TypeVar("Model", bound=BaseModel)


def parse_body(raw: bytes, model: type[Model], what: str) -> Model:
    """Parse a JSON request body read by hand (after the caller was checked) into ``model``;
    a body that is not JSON, too deeply nested or not valid is a 422 naming the first problem.
    Run it on a worker thread: parsing costs CPU in proportion to the body."""
    try:
        data = json.loads(raw)
    except RecursionError as exc:
        raise ApiError(422, "invalid", f"{what} is nested too deeply") from exc
    except ValueError as exc:
        raise ApiError(422, "invalid", f"{what} is not JSON: {exc}"[:300]) from exc
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ApiError(422, "invalid",
                       f"{what} is not valid: {first_problem(exc.errors())}"[:300]) from exc


def _is_json(content_type: str | None) -> bool:
    media = (content_type or "").split(";", 1)[0].strip().lower()
    return media == "application/json" or (media.startswith("application/")
                                            and media.endswith("+json"))


def parse_json_body(raw: bytes, content_type: str | None, model: type[Model]) -> Model:
    """A route's JSON body as ``model``, answering bad bodies exactly as FastAPI's own body
    parameters did (clients and tests know these codes and messages): a body that cannot be
    decoded is a 400, one that is not JSON or not valid a 422 naming the first problem. A body
    without a JSON content type is validated as bytes, and so refused."""
    if not raw:
        raise ApiError(422, "invalid", first_problem([{"loc": ("body",), "msg": "Field required"}]))
    data: Any = raw
    if _is_json(content_type):
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise ApiError(422, "invalid", first_problem(
                [{"loc": ("body", exc.pos), "msg": "JSON decode error"}])) from exc
        except (ValueError, RecursionError) as exc:  # not UTF-8, or nested too deeply
            raise ApiError(400, "invalid", "There was an error parsing the body") from exc
    try:
        # from_attributes, as FastAPI validates: the same message for a body that is no object.
        return model.model_validate(data, from_attributes=True)
    except ValidationError as exc:
        raise ApiError(422, "invalid", first_problem(exc.errors())[:300]) from exc
