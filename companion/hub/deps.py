"""The dependencies routes declare, each once, as ``Annotated`` aliases.

A route asks for ``Db`` (a read transaction), ``WriteDb`` (a write transaction), ``Me`` (the
caller from the bearer token) or ``Hub`` (settings and services of this app); nothing is global.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Connection

from companion.hub import auth
from companion.hub.errors import unauthorized
from companion.hub.media import MediaStore
from companion.hub.settings import HubSettings
from companion.hub.storage import Storage, now


@dataclass
class HubServices:
    """What one app instance owns; built by ``create_app`` and kept on ``app.state.hub``."""

    settings: HubSettings
    storage: Storage
    media: MediaStore
    passwords: auth.Passwords
    throttle: auth.Throttle


async def get_hub(request: Request) -> HubServices:
    # async: nothing to wait for, and a plain def would cost a trip to a worker thread.
    return request.app.state.hub


Hub = Annotated[HubServices, Depends(get_hub)]


def read_db(hub: Hub) -> Iterator[Connection]:
    with hub.storage.read() as conn:
        yield conn


def write_db(hub: Hub) -> Iterator[Connection]:
    with hub.storage.write() as conn:
        yield conn


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
