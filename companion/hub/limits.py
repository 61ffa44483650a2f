"""Request body limits, per route prefix, enforced before a route reads anything.

A declared ``Content-Length`` over the limit is refused at once (413, nothing read); a chunked
body is counted as it streams and cut off at the limit with the same JSON error as any other.
"""

from __future__ import annotations

import json
import re

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send


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
