"""What an operator watches: Prometheus metrics (``GET /metrics``), a request id on every
request (``X-Request-ID``), and log lines as JSON (``--log-format json``).

One pure ASGI middleware does the counting for every route, so no route carries metrics code:
it learns the route template from the scope after routing (``/v1/media/{sha256}``, never the
path itself, which would make a series per file), the status from the response, and counts the
body bytes of media downloads as they are sent. The sync route adds its own change counts
(:meth:`HubMetrics.synced`).

Several worker processes (``--workers N``): ``companion hub serve`` points
``PROMETHEUS_MULTIPROC_DIR`` at a folder of its own before any worker starts, and ``/metrics``
then adds up every worker's numbers (prometheus-client's multiprocess mode).
"""

from __future__ import annotations

import contextvars
import json
import logging
import os
import re
import time
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
REQUEST_ID_HEADER = b"x-request-id"
# A request id from a proxy is kept if it is plain; anything else is replaced by our own.
_GOOD_ID = re.compile(rb"^[A-Za-z0-9._:-]{1,64}$")
# Seconds; a caught-up sync takes a few milliseconds, a pushing one under 100 ms on a healthy hub.
SYNC_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

MEDIA_ROUTE = "/v1/media/{sha256}"

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")


class HubMetrics:
    """The metrics of one hub app (a registry of its own: two apps in one process, as in the
    tests, never share numbers)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.requests = Counter("companion_hub_requests", "HTTP requests by route template, "
                                "method and status", ["route", "method", "status"], registry=r)
        self.sync_seconds = Histogram("companion_hub_sync_duration_seconds",
                                      "Time to answer POST /v1/sync", buckets=SYNC_BUCKETS,
                                      registry=r)
        self.pushed = Counter("companion_hub_changes_pushed", "Changes pushed and accepted",
                              registry=r)
        self.rejected = Counter("companion_hub_changes_rejected", "Pushed changes refused",
                                registry=r)
        self.pulled = Counter("companion_hub_changes_pulled", "Changes sent to devices",
                              registry=r)
        self.media_bytes = Counter("companion_hub_media_sent_bytes",
                                   "Bytes of media files sent to devices", registry=r)
        self.login_failures = Counter("companion_hub_login_failures",
                                      "Failed logins: wrong_password (401) or throttled (429)",
                                      ["reason"], registry=r)
        self._children: dict[tuple[str, str, int], Any] = {}

    def synced(self, pushed: int, rejected: int, pulled: int) -> None:
        if pushed:
            self.pushed.inc(pushed)
        if rejected:
            self.rejected.inc(rejected)
        if pulled:
            self.pulled.inc(pulled)

    def count_request(self, route: str, method: str, status: int) -> None:
        key = (route, method, status)
        child = self._children.get(key)
        if child is None:  # .labels() costs more than the increment: keep the children
            child = self._children[key] = self.requests.labels(route, method, str(status))
        child.inc()

    def exposition(self) -> tuple[bytes, str]:
        """The text format for ``GET /metrics``: this process's numbers, or every worker's."""
        if os.environ.get(MULTIPROC_ENV):
            from prometheus_client import multiprocess

            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)
            return generate_latest(registry), CONTENT_TYPE_LATEST
        return generate_latest(self.registry), CONTENT_TYPE_LATEST


def _route_of(scope: dict[str, Any]) -> str:
    route = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else "unmatched"


class ObserveMiddleware:
    """Request id, counts and timings for every HTTP request (pure ASGI: no extra task or
    body buffering per request, which Starlette's BaseHTTPMiddleware would add)."""

    def __init__(self, app: Any, metrics: HubMetrics, access_log: bool = False) -> None:
        self.app = app
        self.metrics = metrics
        self.access_log = access_log
        self.log = logging.getLogger("companion.hub.access")

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = b""
        for name, value in scope["headers"]:
            if name == REQUEST_ID_HEADER:
                rid = value if _GOOD_ID.match(value) else b""
                break
        rid = rid or os.urandom(8).hex().encode()
        token = request_id.set(rid.decode())
        status = 500
        sent = 0
        media = False
        start = time.perf_counter()

        async def send_wrapper(message: dict[str, Any]) -> None:
            nonlocal status, sent, media
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", ()), (REQUEST_ID_HEADER, rid)]
                media = scope["method"] == "GET" and _route_of(scope) == MEDIA_ROUTE
            elif media and message["type"] == "http.response.body":
                sent += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            elapsed = time.perf_counter() - start
            route = _route_of(scope)
            m = self.metrics
            m.count_request(route, scope["method"], status)
            if route == "/v1/sync":
                m.sync_seconds.observe(elapsed)
            elif sent:
                m.media_bytes.inc(sent)
            elif route == "/v1/auth/login" and status in (401, 429):
                m.login_failures.labels("wrong_password" if status == 401 else "throttled").inc()
            if self.access_log:
                self.log.info("%s %s %d", scope["method"], scope["path"], status, extra={
                    "method": scope["method"], "route": route, "path": scope["path"],
                    "status": status, "duration_ms": round(elapsed * 1000, 2)})
            request_id.reset(token)


# -- logs -----------------------------------------------------------------------------------

_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, the request id
    when the line belongs to a request, the fields passed as ``extra``, and the traceback."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
                    + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(), "logger": record.name,
            "message": record.getMessage(),
        }
        rid = request_id.get()
        if rid:
            out["request_id"] = rid
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_") and key not in out:
                out[key] = value if isinstance(value, str | int | float | bool | None) \
                    else str(value)
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False)


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to text log lines (``-`` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get() or "-"
        return True


def log_config(log_format: str = "text", level: str = "info") -> dict[str, Any]:
    """A ``logging.config.dictConfig`` for uvicorn and the hub: JSON lines, or plain text with
    the request id. uvicorn's own access log stays off in JSON (the hub writes its own line,
    with route, status, time and request id)."""
    if log_format == "json":
        formatter: dict[str, Any] = {"()": "companion.hub.observe.JsonFormatter"}
    else:
        formatter = {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}
    level = level.upper()
    handler = {"class": "logging.StreamHandler", "formatter": "hub", "filters": ["request_id"],
               "stream": "ext://sys.stderr"}
    return {
        "version": 1, "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "companion.hub.observe.RequestIdFilter"}},
        "formatters": {"hub": formatter},
        "handlers": {"hub": handler},
        "loggers": {
            "uvicorn": {"handlers": ["hub"], "level": level, "propagate": False},
            "uvicorn.access": {"handlers": ["hub"], "level": level, "propagate": False},
            "companion": {"handlers": ["hub"], "level": level, "propagate": False},
        },
    }
