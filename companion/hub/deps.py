"""The dependencies routes declare, each once, as ``Annotated`` aliases.

A route asks for ``Db`` (a read transaction), ``WriteDb`` (a write transaction), ``Me`` (the
caller from the bearer token), ``Hub`` (settings and services of this app) or ``Body(Model)``
(its JSON body, read after the token); nothing is global.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractContextManager as ContextManager
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Annotated, Any

import anyio
import anyio.to_thread
from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel
from sqlalchemy import Connection
from starlette.routing import BaseRoute

from companion.hub import auth
from companion.hub.errors import parse_json_body, unauthorized
from companion.hub.media import HubMediaStore
from companion.hub.observe import HubMetrics
from companion.hub.settings import HubSettings
from companion.hub.storage import Storage, now


@dataclass
class HubServices:
    """What one app instance owns; built by ``create_app`` and kept on ``app.state.hub``."""

    settings: HubSettings
    storage: Storage
    media: HubMediaStore  # or hub.media_s3.S3MediaStore (--media-url): the same methods
    passwords: auth.Passwords
    throttle: auth.Throttle
    held_connections: anyio.Semaphore | None = None  # made on the event loop (see _held_connection)
    metrics: HubMetrics = field(default_factory=HubMetrics)


async def get_hub(request: Request) -> HubServices:
    # async: nothing to wait for, and a plain def would cost a trip to a worker thread.
    return request.app.state.hub


Hub = Annotated[HubServices, Depends(get_hub)]


async def read_db(hub: Hub) -> AsyncIterator[Connection]:
    async with _held_connection(hub, hub.storage.read) as conn:
        yield conn


async def write_db(hub: Hub) -> AsyncIterator[Connection]:
    async with _held_connection(hub, hub.storage.write) as conn:
        yield conn


@contextlib.asynccontextmanager
async def _held_connection(hub: HubServices, transaction: Callable[[], ContextManager[Connection]]
                           ) -> AsyncIterator[Connection]:
    """A transaction a request holds across its thread hops, opened and closed on a thread.

    A request with ``Db`` holds its connection while it waits for a thread to run the route. If
    any number of requests could hold one, the pool ran dry, the threads blocked waiting for
    connections, and the holders waited for threads: every request hung until the pool's
    timeout. So at most ``worker_threads`` requests hold one (they wait here, on the event loop,
    not on a thread), and the pool keeps as many again for the threads.
    """
    if hub.held_connections is None:
        hub.held_connections = anyio.Semaphore(hub.settings.worker_threads)
    async with hub.held_connections:
        manager = transaction()
        conn = await anyio.to_thread.run_sync(manager.__enter__)
        failure: BaseException | None = None
        try:
            yield conn
        except BaseException as exc:
            failure = exc
            raise
        finally:
            # Shielded: a cancelled request still commits or rolls back and returns the connection.
            with anyio.CancelScope(shield=True):
                await anyio.to_thread.run_sync(
                    manager.__exit__, type(failure) if failure else None, failure,
                    failure.__traceback__ if failure else None)


Db = Annotated[Connection, Depends(read_db)]
WriteDb = Annotated[Connection, Depends(write_db)]

_bearer = HTTPBearer(auto_error=False, description="the token from /v1/auth/login")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def current_caller(hub: Hub, credentials: Credentials) -> auth.Caller:
    """The caller of a request, from its bearer token; renews a token in use once a day."""
    if credentials is None or not credentials.credentials:
        raise unauthorized("this needs a login: send Authorization: Bearer TOKEN")
    with hub.storage.read() as conn:
        caller, last_used = auth.caller_for_token(conn, credentials.credentials)
    if now() - last_used > hub.settings.token_renew_after_s:
        with hub.storage.write() as conn:
            auth.renew_token(conn, hub.settings, caller.token_hash)
    return caller


Me = Annotated[auth.Caller, Depends(current_caller)]


async def client_address(request: Request) -> str:
    """The client's address (uvicorn puts the proxy's X-Forwarded-For here when trusted)."""
    return request.client.host if request.client else "unknown"


ClientAddress = Annotated[str, Depends(client_address)]


# A body up to this size is parsed on the event loop: a trip to a worker thread costs more.
_SMALL_BODY = 4096


def Body(model: type[BaseModel]) -> Any:
    """A route's JSON body as ``model`` (``body: Body(SplitIn)``), read only after ``Me``.

    A body parameter of FastAPI's own is read and parsed before any dependency runs, so a
    malformed body without a token was a 400 or 422 instead of a 401, and anyone could make
    the hub parse JSON. Here nothing is read until the token is known; the body's size is
    bounded before that by ``limits.BodyLimitMiddleware``. Bad bodies get the answers FastAPI
    gave (:func:`errors.parse_json_body`); :func:`document_bodies` puts the schema in the
    OpenAPI.
    """
    async def read_body(request: Request, _me: Me) -> BaseModel:
        raw = await request.body()
        content_type = request.headers.get("content-type")
        if len(raw) <= _SMALL_BODY:
            return parse_json_body(raw, content_type, model)
        return await run_in_threadpool(parse_json_body, raw, content_type, model)

    read_body.body_model = model  # type: ignore[attr-defined]
    return Annotated[model, Depends(read_body)]


def body_model(route: APIRoute) -> type[BaseModel] | None:
    """The model of the ``Body(...)`` a route depends on, if any."""
    stack = list(route.dependant.dependencies)
    while stack:
        dependant = stack.pop()
        model = getattr(dependant.call, "body_model", None)
        if model is not None:
            return model
        stack.extend(dependant.dependencies)
    return None


def document_bodies(routes: list[BaseRoute]) -> None:
    """Show each ``Body(...)`` in the OpenAPI as the route's request body, as FastAPI does for
    its own body parameters (the docs, generated clients and the schema fuzz test use it)."""
    for route in routes:
        model = body_model(route) if isinstance(route, APIRoute) else None
        if model is None:
            continue
        extra = route.openapi_extra or {}
        # The statuses a bad body gets (FastAPI listed 422 by itself for its own bodies).
        answers = {str(status): {"description": HTTPStatus(status).phrase, "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}}
            for status in (400, 413, 422) if status not in route.responses}
        route.openapi_extra = {**extra, "responses": {**extra.get("responses", {}), **answers},
                               "requestBody": {"required": True, "content": {
                                   "application/json": {"schema": inline_schema(model)}}}}


def inline_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The JSON schema of ``model`` with its nested models written in place: a ``$ref`` into
    the schema's own ``$defs`` would not resolve inside the OpenAPI document."""
    schema = model.model_json_schema()
    defs = schema.pop("$defs", {})

    def resolve(node: Any, within: tuple[str, ...] = ()) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/$defs/"):
                name = ref.removeprefix("#/$defs/")
                if name in within:
                    raise ValueError(f"{model.__name__}: a recursive body cannot be inlined")
                return resolve(defs[name], (*within, name))
            return {key: resolve(value, within) for key, value in node.items()}
        if isinstance(node, list):
            return [resolve(value, within) for value in node]
        return node

    return resolve(schema)
