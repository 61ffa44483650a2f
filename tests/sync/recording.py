"""httpx transports for the tests: record what goes over the wire, or lose an answer."""

from __future__ import annotations

import gzip
import json
from typing import Any

import httpx


def request_json(request: httpx.Request) -> Any:
    raw = request.content
    if request.headers.get("content-encoding") == "gzip":
        raw = gzip.decompress(raw)
    return json.loads(raw) if raw else None


class Recording(httpx.BaseTransport):
    """Forwards to the real network and remembers each request's body and the bytes moved.

    ``lose_answers``: that many sync requests that push changes reach the hub (which commits)
    but their answer is lost, as when the shop's Wi-Fi drops just then.
    """

    def __init__(self, lose_answers: int = 0) -> None:
        self.inner = httpx.HTTPTransport()
        self.lose_answers = lose_answers
        self.bodies: list[Any] = []
        self.wire_bytes: list[int] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request_json(request)
        self.bodies.append(body)
        response = self.inner.handle_request(request)
        raw = response.read()
        head = sum(len(k) + len(v) + 4 for k, v in request.headers.items()) \
            + sum(len(k) + len(v) + 4 for k, v in response.headers.items())
        self.wire_bytes.append(head + len(request.content) + len(raw))
        if self.lose_answers and request.url.path == "/v1/sync" and body and body["changes"]:
            self.lose_answers -= 1
            response.close()
            raise httpx.ReadError("the connection dropped", request=request)
        return response

    def pushed(self) -> list[list[str]]:
        """The change ids pushed by each sync request, in order."""
        return [[c["change_id"] for c in b["changes"]] for b in self.bodies
                if isinstance(b, dict) and "changes" in b]

    def close(self) -> None:
        self.inner.close()
