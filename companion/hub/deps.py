"""The dependencies routes declare, each once, as ``Annotated`` aliases.

A route asks for ``Db`` (a read transaction), ``WriteDb`` (a write transaction), ``Me`` (the
caller from the bearer token) or ``Hub`` (settings and services of this app); nothing is global.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractContextManager as ContextManager
from dataclasses import dataclass
from typing import Annotated

import anyio
import anyio.to_thread
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Connection

from companion.hub import auth
from companion.hub.errors import unauthorized
from companion.hub.media import HubMediaStore
from companion.hub.settings import HubSettings
from companion.hub.storage import Storage, now


@dataclass
class HubServices:
    """What one app instance owns; built by ``create_app`` and kept on ``app.state.hub``."""

    settings: HubSettings
    storage: Storage
    media: HubMediaStore
    passwords: auth.Passwords
    throttle: auth.Throttle
    held_connections: anyio.Semaphore | None = None  # made on the event loop (see _held_connection)


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
