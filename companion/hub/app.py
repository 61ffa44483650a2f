"""The hub application, built by :func:`create_app` from its settings; nothing is global."""

from __future__ import annotations

import contextlib
import gc
import logging
import re
from collections.abc import AsyncIterator
from http import HTTPStatus
from typing import Any

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from companion import __version__
from companion.hub import auth
from companion.hub import packs as packs_model
from companion.hub.deps import HubServices, document_bodies
from companion.hub.errors import ApiError, first_problem
from companion.hub.limits import BodyLimitMiddleware
from companion.hub.media import HubMediaStore
from companion.hub.observe import HubMetrics, ObserveMiddleware
from companion.hub.routes import admin, comments, courier, groups, packs, photos, sync
from companion.hub.routes import auth as auth_routes
from companion.hub.routes import trainer as trainer_routes
from companion.hub.settings import HubSettings
from companion.hub.storage import Storage

log = logging.getLogger("companion.hub")

_CODES = {400: "invalid", 401: "unauthorized", 403: "forbidden", 404: "not_found",
          405: "method_not_allowed", 413: "too_large", 422: "invalid", 429: "too_many_attempts"}


def _error(status: int, code: str, message: str,
           headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status,
                        headers=headers)


def open_media(settings: HubSettings) -> Any:
    """The media store: the data folder's ``media/``, or a bucket (``--media-url s3://...``)."""
    if settings.media_url:
        from companion.hub.media_s3 import S3MediaStore

        return S3MediaStore(settings.media_url, max_connections=2 * settings.worker_threads + 4,
                            cache_dir=settings.data_dir / "media-cache",
                            cache_bytes=settings.media_cache_bytes)
    return HubMediaStore(settings.media_dir)


def create_app(settings: HubSettings) -> FastAPI:
    """A hub on the database and media folder named by ``settings``."""
    storage = Storage(settings)
    metrics = HubMetrics()
    services = HubServices(settings=settings, storage=storage, media=open_media(settings),
                           passwords=auth.Passwords(settings), throttle=auth.Throttle(settings),
                           metrics=metrics)

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.worker_threads
        if settings.freeze_startup_objects:
            # The hub's modules, routes and tables live as long as the process. Each full
            # collection walked all of them again: on the report of 900 learners, which makes a
            # few hundred thousand objects, a third of its time went to the collector.
            gc.collect()
            gc.freeze()
        try:
            yield
        finally:
            storage.close()

    app = FastAPI(
        title="Course companion hub", version=__version__, lifespan=lifespan,
        description="Syncs learning progress, private notes and group comments of the course "
                    "companion, and serves lesson packs. The protocol is described in "
                    "docs/sync-protocol.md.",
    )
    app.state.hub = services
    # Media are served as application/octet-stream and must not be gzipped (Range, speed).
    app.add_middleware(GZipMiddleware, minimum_size=500, compresslevel=6,
                       exclude_content_types=("text/event-stream", "application/octet-stream"))
    app.add_middleware(BodyLimitMiddleware, default_limit=settings.max_body_bytes, limits=(
        ("POST", "/v1/sync", settings.max_sync_body_bytes),
        ("POST", "/v1/courier", settings.max_courier_body_bytes),
        ("PUT", "/v1/media/", settings.max_media_bytes),
        # A manifest may be as large as the pack format allows (the body has it as JSON text).
        ("POST", re.compile(r"/v1/groups/[^/]+/packs/?"),
         max(settings.max_body_bytes, packs_model.MAX_PUBLISH_BODY_BYTES)),
    ))

    if settings.metrics or settings.log_requests:
        # Last added, so outermost: it counts and times every request, the refused ones too.
        app.add_middleware(ObserveMiddleware, metrics=metrics, access_log=settings.log_requests)
    if settings.metrics:
        @app.get("/metrics", include_in_schema=False)
        async def _metrics() -> Response:
            body, content_type = metrics.exposition()
            return Response(body, media_type=content_type)

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return _error(exc.status, exc.code, exc.message, exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
        return _error(exc.status_code, _CODES.get(exc.status_code, "error"), message,
                      dict(exc.headers or {}))

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return _error(422, "invalid", first_problem(exc.errors()))

    for module in (auth_routes, groups, sync, comments, packs, photos, admin, courier,
                   trainer_routes):
        # Before including: an included router copies each route's OpenAPI extras.
        document_bodies(module.router.routes)
        app.include_router(module.router)
    return app
