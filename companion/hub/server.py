"""Running the hub under uvicorn (the ``companion hub serve`` command)."""

from __future__ import annotations

import json
import os
from typing import Any

import uvicorn
from fastapi import FastAPI

from companion.hub.app import create_app
from companion.hub.settings import HubSettings, build_settings

# Worker processes started by uvicorn rebuild the app from this (see app_from_environment).
_SETTINGS_ENV = "COMPANION_HUB_SERVE_SETTINGS"


def uvicorn_options(host: str = "127.0.0.1", port: int = 8765,
                    forwarded_allow_ips: str | None = None,
                    log_level: str = "info") -> dict[str, Any]:
    """uvicorn's options for the hub. ``X-Forwarded-For`` is believed only from the proxies
    named in ``forwarded_allow_ips`` (``--forwarded-allow-ips``); by default from nobody, not
    even 127.0.0.1: a hub without a proxy would otherwise let any local program, or a client
    whose connection arrives through a local tunnel, pick the address its login limits count."""
    trusted = (forwarded_allow_ips or "").strip()
    return {"host": host, "port": port, "log_level": log_level, "proxy_headers": bool(trusted),
            "forwarded_allow_ips": trusted or None, "server_header": False,
            "timeout_keep_alive": 30}


def serve(settings: HubSettings, host: str = "127.0.0.1", port: int = 8765, workers: int = 1,
          forwarded_allow_ips: str | None = None, log_level: str = "info",
          access_log: bool = False) -> None:
    """Serve the hub until interrupted. Several workers share the database (stateless hub).

    uvicorn picks uvloop and httptools when they are installed (the hub extra has them): the
    one event loop of a process serves every request, and they cost it less than asyncio's own
    loop and h11. The access log is off unless asked for: a line per sync is a few percent of a
    sync's time, and the reverse proxy in front of the hub keeps one anyway (docs/deploy.md).
    """
    common = uvicorn_options(host, port, forwarded_allow_ips, log_level)
    common["access_log"] = access_log
    if workers <= 1:
        uvicorn.run(create_app(settings), **common)
        return
    create_app(settings)  # create the schema once, and fail here with a readable error
    os.environ[_SETTINGS_ENV] = json.dumps(
        {"data": str(settings.data_dir), "database_url": settings.database_url,
         "worker_threads": settings.worker_threads})
    uvicorn.run("companion.hub.server:app_from_environment", factory=True, workers=workers,
                **common)


def app_from_environment() -> FastAPI:
    """The app of one worker process started by :func:`serve`."""
    options = json.loads(os.environ[_SETTINGS_ENV])
    settings = build_settings(options["data"], options["database_url"])
    return create_app(settings.with_changes(worker_threads=options["worker_threads"]))
