"""Everything a hub process needs to know, built once by the caller (CLI, tests, bench).

Nothing here is read at import time: :func:`companion.hub.app.create_app` receives a
:class:`HubSettings` and everything else is derived from it.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, replace
from pathlib import Path

import platformdirs

from companion.hub.errors import HubError

DATA_ENV = "COMPANION_HUB_DATA"
DATABASE_ENV = "COMPANION_HUB_DATABASE_URL"
QUOTA_ENV = "COMPANION_HUB_QUOTA_MB_PER_DAY"
MEDIA_URL_ENV = "COMPANION_HUB_MEDIA_URL"
MB = 1024 * 1024


@dataclass(frozen=True)
class HubSettings:
    data_dir: Path
    database_url: str | None = None  # None: the embedded SQLite file in data_dir
    media_url: str | None = None  # s3://BUCKET/PREFIX; None: data_dir/media
    # With media in a bucket: the most recently downloaded files kept on this machine's disk.
    media_cache_bytes: int = 1024 * MB
    token_ttl_s: int = 180 * 24 * 3600  # sliding: renewed when a device keeps using it
    token_renew_after_s: int = 24 * 3600
    max_body_bytes: int = 1 * MB  # any request without a larger limit below
    max_sync_body_bytes: int = 4 * MB
    max_media_bytes: int = 4096 * MB  # one uploaded pack file
    max_push_changes: int = 1000
    max_courier_body_bytes: int = 16 * MB  # one sealed bundle from a USB stick
    max_courier_changes: int = 5000  # changes in one bundle (pushed in parts of the above)
    # Bytes of change payloads one account may have stored in any 24 hours; past it a change is
    # rejected with the code "quota" (a person's real use is a few hundred KB a day).
    quota_bytes_per_day: int = 16 * MB
    pull_page_default: int = 500
    pull_page_max: int = 5000
    login_window_s: int = 15 * 60  # failures per address (and invite guesses) are counted here
    # Every login attempt on an account, right or wrong, counts against this per-minute budget:
    # a slowdown nobody can turn into a long lockout (see docs/deploy.md).
    login_user_window_s: int = 60
    login_max_attempts_per_user: int = 5
    login_max_failures_per_address: int = 30
    # Refused courier bundles (POST /v1/courier) per client address in login_window_s: a
    # stick delivers tens of bundles, each refused at most once or twice.
    courier_max_refusals_per_address: int = 60
    max_tokens_per_account: int = 20  # the oldest beyond this are revoked at the next login
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 64 * 1024
    argon2_parallelism: int = 2
    worker_threads: int = 4  # requests at a time on the database (see docs/deploy.md)
    # One log line per request, written by the hub (with route, status, time and request id);
    # the text format leaves it to uvicorn's access log.
    log_requests: bool = False
    metrics: bool = True  # GET /metrics and the counting behind it (serve --no-metrics: off)
    # Move what exists once the hub has started out of the garbage collector's sight (see
    # create_app). On for a served hub; off where many hubs start in one process (the tests).
    freeze_startup_objects: bool = False

    @property
    def media_dir(self) -> Path:
        return self.data_dir / "media"

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "hub.sqlite3"

    def sqlalchemy_url(self) -> str:
        """The URL for SQLAlchemy, with PostgreSQL mapped to the psycopg 3 driver."""
        if not self.database_url:
            return f"sqlite+pysqlite:///{self.sqlite_path}"
        return sqlalchemy_url(self.database_url)

    def with_changes(self, **changes: object) -> HubSettings:
        return replace(self, **changes)  # type: ignore[arg-type]


def sqlalchemy_url(url: str) -> str:
    """Map a user-facing database URL to the SQLAlchemy driver URL the hub uses."""
    url = url.strip()
    scheme, sep, rest = url.partition("://")
    if not sep:
        raise HubError(f"{url!r} is not a database URL (expected postgresql://... or sqlite:///...)")
    scheme = scheme.lower()
    if scheme in {"postgresql", "postgres", "postgresql+psycopg"}:
        return f"postgresql+psycopg://{rest}"
    if scheme in {"sqlite", "sqlite+pysqlite"}:
        return f"sqlite+pysqlite://{rest}"
    raise HubError(f"unsupported database {scheme!r}: use postgresql://... or sqlite:///...")


def secure_data_dir(settings: HubSettings) -> None:
    """Create the data folder readable by the hub's user only (0700), and the SQLite file 0600
    before SQLite creates it (its -wal and -shm files take the database file's mode): password
    hashes and everyone's notes are in there. An existing folder or file is tightened too."""
    folder = settings.data_dir
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    with contextlib.suppress(OSError):  # not our folder (a mount point): leave it
        folder.chmod(0o700)
    if settings.database_url:
        return
    path = settings.sqlite_path
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    with contextlib.suppress(OSError):
        path.chmod(0o600)


def default_data_dir(home: str | None = None) -> Path:
    """``$COMPANION_HUB_DATA``, else ``HOME/hub`` for a portable home, else the platform folder."""
    env = os.environ.get(DATA_ENV, "").strip()
    if env:
        return Path(env).expanduser()
    if home:
        return Path(home).expanduser() / "hub"
    return Path(platformdirs.user_data_dir("companion-hub", "companion"))


def build_settings(data: str | None = None, database_url: str | None = None,
                   home: str | None = None, media_url: str | None = None) -> HubSettings:
    """Settings from the CLI options (``--data``, ``--database-url``, ``--media-url``) and the
    environment."""
    data_dir = Path(data).expanduser() if data else default_data_dir(home)
    url = database_url or os.environ.get(DATABASE_ENV, "").strip() or None
    if url:
        sqlalchemy_url(url)  # fail early with a readable message
    media = media_url or os.environ.get(MEDIA_URL_ENV, "").strip() or None
    if media and not media.startswith("s3://"):
        raise HubError(f"{media!r} is not a media URL: use s3://BUCKET/PREFIX")
    settings = HubSettings(data_dir=data_dir.resolve(), database_url=url, media_url=media)
    quota = os.environ.get(QUOTA_ENV, "").strip()
    if quota:
        if not quota.isdigit() or int(quota) < 1:
            raise HubError(f"{QUOTA_ENV} must be a whole number of megabytes (1 or more)")
        settings = settings.with_changes(quota_bytes_per_day=int(quota) * MB)
    return settings
