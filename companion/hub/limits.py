"""The hub's bounds on hostile input, defined once: body sizes, numbers, text, nesting, payloads.

Request body limits apply per route prefix, before a route reads anything: a declared
``Content-Length`` over the limit is refused at once (413, nothing read); a chunked body is
counted as it streams and cut off at the limit with the same JSON error as any other.

The value bounds hold on SQLite and PostgreSQL alike: integers fit the columns they land in
(``BigInteger``: 64 bits, ``Integer``: 32 bits, so 32 bits for ids), and text holds neither NUL
(PostgreSQL refuses it) nor lone surrogates (no UTF-8 encoding exists for them).
"""

from __future__ import annotations

import json
import re
from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_INT64 = 2**63 - 1
MAX_INT32 = 2**31 - 1
# Ids in paths and payloads (groups, accounts) are 32-bit columns on PostgreSQL.
MAX_ID = MAX_INT32
# Nesting of one change (the envelope is level 1, its payload level 2); the app sends 3 or less.
MAX_CHANGE_DEPTH = 16
# A gzip body may unpack to this much whatever its ratio, and past it to at most this many times
# its packed size: JSON of real changes packs 3 to 10 times; a bomb packs a thousand times.
INFLATE_FREE_BYTES = 1024 * 1024
MAX_INFLATE_RATIO = 100
# Bytes of one change's payload as stored (compact JSON in UTF-8), per kind: a note of the
# longest allowed body, escaped at worst, still fits.
MAX_PAYLOAD_BYTES = {
    "progress": 2_000,
    "quiz_attempt": 64_000,
    "note": 700_000,
    "comment": 70_000,
    "profile": 2_000,
    "session": 8_000,
    "comment_hide": 70_000,  # a restore carries the comment's text back
    "reaction": 2_000,
    "follow": 2_000,
    "draft": 70_000,
    "notif_read": 2_000,
    "announcement": 70_000,
    "offer": 2_000,
}
MAX_HIDE_REASON = 500  # why a trainer hid a comment (its author reads it)
MAX_TEXT_PARAM = 200  # a path or query parameter (ids, versions)

_BAD_TEXT = re.compile("[\x00\ud800-\udfff]")


def text_problem(value: str) -> str | None:
    """Why ``value`` cannot be stored as text on every database, or None when it can."""
    bad = _BAD_TEXT.search(value)
    if bad is None:
        return None
    return "text must not contain NUL" if bad.group() == "\x00" else \
        "text must be valid Unicode (no lone surrogates)"


def safe_text(value: str | None) -> str | None:
    """A pydantic after-validator: ``value`` if every database can store it, else ValueError."""
    problem = text_problem(value) if value is not None else None
    if problem:
        raise ValueError(problem)
    return value


def value_problem(value: Any, max_depth: int) -> str | None:
    """Why a parsed JSON value cannot be stored as it is, or None: nested deeper than
    ``max_depth``, an integer past 64 bits, a number that is not finite, text with NUL or a
    lone surrogate (in a value or a key). The answer names where (``payload.hour: ...``).
    Iterative, so no depth can exhaust the stack."""
    # Each entry: (value, depth, where) with where a (parent's where, key) chain, joined only
    # for the answer: building a path string per value would cost more than the check.
    stack: list[tuple[Any, int, Any]] = [(value, 1, None)]
    while stack:
        item, depth, where = stack.pop()
        problem = None
        if isinstance(item, str):
            problem = text_problem(item)
        elif isinstance(item, bool) or item is None:
            continue
        elif isinstance(item, int):
            if not -MAX_INT64 - 1 <= item <= MAX_INT64:
                problem = "whole numbers must fit in 64 bits"
        elif isinstance(item, float):
            if item != item or item in (float("inf"), float("-inf")):
                problem = "numbers must be finite"
        elif isinstance(item, dict):
            if depth >= max_depth:
                problem = f"nested deeper than {max_depth} levels"
            else:
                for key, sub in item.items():
                    stack.append((key, depth, where))
                    stack.append((sub, depth + 1, (where, key)))
        elif isinstance(item, list):
            if depth >= max_depth:
                problem = f"nested deeper than {max_depth} levels"
            else:
                stack.extend((sub, depth + 1, (where, i)) for i, sub in enumerate(item))
        else:
            problem = "not a JSON value"
        if problem:
            return f"{_where(where)}: {problem}" if where is not None else problem
    return None


def _where(chain: Any) -> str:
    parts: list[str] = []
    while chain is not None:
        chain, key = chain
        # A key may itself be bad text: the answer must stay storable.
        parts.append(f"[{key}]" if isinstance(key, int) else _BAD_TEXT.sub("?", str(key)[:40]))
    return ".".join(reversed(parts)).replace(".[", "[")


class BodyTooLarge(HTTPException):
    """Raised while reading a body past its limit; the app's error handler answers 413."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body may have at most {limit} bytes")


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, default_limit: int,
                 limits: tuple[tuple[str, str | re.Pattern[str], int], ...] = ()) -> None:
        """``limits``: (method, path prefix or a pattern the whole path must match, bytes);
        the first match wins."""
        self.app = app
        self.default_limit = default_limit
        self.limits = limits

    def limit_for(self, method: str, path: str) -> int:
        for m, where, limit in self.limits:
            if method != m:
                continue
            if where.fullmatch(path) if isinstance(where, re.Pattern) else path.startswith(where):
                return limit
        return self.default_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["method"], scope["path"])
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                declared = int(value) if value.isdigit() else -1
                if declared < 0 or declared > limit:
                    await _refuse(send, limit)
                    return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        await self.app(scope, limited_receive, send)


async def _refuse(send: Send, limit: int) -> None:
    data = json.dumps({"error": {"code": "too_large", "message": f"the request body may have "
                                 f"at most {limit} bytes"}}).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(data)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": data})
