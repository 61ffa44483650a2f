"""Hub test set-up: a real hub on a loopback port, on SQLite and (when configured) PostgreSQL.

Set ``COMPANION_TEST_POSTGRES_URL=postgresql://USER:PASSWORD@HOST/DB`` to run every hub test a
second time on PostgreSQL; each test gets its own schema there, dropped afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from companion.hub.settings import HubSettings
from tests.hub.helpers import LiveHub, start_hub

POSTGRES_ENV = "COMPANION_TEST_POSTGRES_URL"
BACKENDS = ["sqlite", "postgresql"] if os.environ.get(POSTGRES_ENV) else ["sqlite"]


def postgres_base_url() -> str | None:
    return os.environ.get(POSTGRES_ENV) or None


@pytest.fixture(scope="session")
def postgres_schema() -> Iterator[str]:
    """One PostgreSQL schema for the session (created on first use, dropped at the end)."""
    import psycopg

    base = postgres_base_url()
    assert base is not None
    schema = f"t_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield schema
    finally:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest) -> Iterator[str | None]:
    """None for the embedded SQLite file; else a PostgreSQL URL on an emptied schema."""
    if request.param == "sqlite":
        yield None
        return
    import psycopg

    base = postgres_base_url()
    assert base is not None
    schema = request.getfixturevalue("postgres_schema")
    with psycopg.connect(base, autocommit=True) as conn:  # empty it: faster than a new schema
        tables = [r[0] for r in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = %s", [schema])]
        if tables:
            conn.execute(f"TRUNCATE {', '.join(f'{schema}.{t}' for t in tables)} "
                         "RESTART IDENTITY CASCADE")
    sep = "&" if "?" in base else "?"
    yield f"{base}{sep}options=-csearch_path%3D{schema}"


@pytest.fixture
def hub_settings(tmp_path: Path, database_url: str | None) -> HubSettings:
    """Settings for a hub in a temporary folder, with cheap password hashing for speed."""
    return HubSettings(data_dir=tmp_path / "hub", database_url=database_url,
                       argon2_time_cost=1, argon2_memory_kib=1024, argon2_parallelism=1)


@pytest.fixture
def hub(hub_settings: HubSettings) -> Iterator[LiveHub]:
    """A hub served by uvicorn on a free loopback port for the length of one test."""
    live = start_hub(hub_settings)
    try:
        yield live
    finally:
        live.stop()
