"""Running the hub under uvicorn (the ``companion hub serve`` command)."""

from __future__ import annotations

import json
import os
import shutil
from typing import Any

import uvicorn
from fastapi import FastAPI

from companion.hub.app import create_app
from companion.hub.observe import MULTIPROC_ENV, log_config
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
          access_log: bool = False, log_format: str = "text") -> None:
    """Serve the hub until interrupted. Several workers share the database (stateless hub).

    uvicorn picks uvloop and httptools when they are installed (the hub extra has them): the
    one event loop of a process serves every request, and they cost it less than asyncio's own
    loop and h11. The access log is off unless asked for: a line per sync is a few percent of a
    sync's time, and the reverse proxy in front of the hub keeps one anyway (docs/deploy.md).
    ``log_format="json"``: one JSON object per log line, and the request log (if on) written
    by the hub itself with the request id (see :mod:`companion.hub.observe`).
    """
    common = uvicorn_options(host, port, forwarded_allow_ips, log_level)
    common["log_config"] = log_config(log_format, log_level)
    json_log = log_format == "json"
    common["access_log"] = access_log and not json_log
    settings = settings.with_changes(log_requests=access_log and json_log,
                                     freeze_startup_objects=True)
    if workers <= 1:
        uvicorn.run(create_app(settings), **common)
        return
    _multiprocess_metrics(settings)
    create_app(settings)  # create the schema once, and fail here with a readable error
    os.environ[_SETTINGS_ENV] = json.dumps(
        {"data": str(settings.data_dir), "database_url": settings.database_url,
         "media_url": settings.media_url, "media_cache_bytes": settings.media_cache_bytes,
         "worker_threads": settings.worker_threads, "log_requests": settings.log_requests,
         "metrics": settings.metrics})
    uvicorn.run("companion.hub.server:app_from_environment", factory=True, workers=workers,
                **common)


def app_from_environment() -> FastAPI:
    """The app of one worker process started by :func:`serve`."""
    options = json.loads(os.environ[_SETTINGS_ENV])
    settings = build_settings(options["data"], options["database_url"],
                              media_url=options.get("media_url"))
    return create_app(settings.with_changes(worker_threads=options["worker_threads"],
                                            log_requests=options.get("log_requests", False),
                                            metrics=options.get("metrics", True),
                                            freeze_startup_objects=True,
                                            media_cache_bytes=options["media_cache_bytes"]))


def _multiprocess_metrics(settings: HubSettings) -> None:
    """Workers write their metrics to files in one folder, which ``/metrics`` adds up. Set in
    the environment the worker processes start with (prometheus-client decides at its import;
    this process keeps counting on its own, unused). An operator's own
    ``PROMETHEUS_MULTIPROC_DIR`` is kept; ours is emptied at each start."""
    if not settings.metrics or os.environ.get(MULTIPROC_ENV):
        return
    folder = settings.data_dir / "metrics"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(mode=0o700, parents=True)
    os.environ[MULTIPROC_ENV] = str(folder)
