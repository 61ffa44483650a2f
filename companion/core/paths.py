"""Where the companion keeps its files: platform folders, or one portable home.

A portable home (``--home DIR`` or ``COMPANION_HOME``) puts everything under one folder:
that is how a USB-stick install works and how tests isolate themselves.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "companion"
APP_AUTHOR = "companion"
HOME_ENV = "COMPANION_HOME"


@dataclass(frozen=True)
class Locations:
    """All folders the app writes to. Create them with :meth:`ensure`."""

    data_dir: Path
    cache_dir: Path
    config_dir: Path
    log_dir: Path
    portable: bool = False

    @property
    def database_path(self) -> Path:
        return self.data_dir / "library.sqlite3"

    @property
    def media_dir(self) -> Path:
        return self.data_dir / "media"

    @property
    def thumbnails_dir(self) -> Path:
        return self.cache_dir / "thumbnails"

    @property
    def downloads_dir(self) -> Path:
        return self.cache_dir / "downloads"

    def ensure(self) -> Locations:
        for d in (self.data_dir, self.cache_dir, self.config_dir, self.log_dir, self.media_dir):
            d.mkdir(parents=True, exist_ok=True)
        return self


def portable_locations(home: Path) -> Locations:
    home = Path(home).expanduser().resolve()
    return Locations(
        data_dir=home / "data",
        cache_dir=home / "cache",
        config_dir=home / "config",
        log_dir=home / "logs",
        portable=True,
    )


def resolve_locations(home: str | os.PathLike[str] | None = None) -> Locations:
    """The folders to use: ``home`` if given, else ``$COMPANION_HOME``, else platform folders."""
    if home is None:
        env = os.environ.get(HOME_ENV, "").strip()
        home = env or None
    if home is not None:
        return portable_locations(Path(home))
    return Locations(
        data_dir=Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR)),
        cache_dir=Path(platformdirs.user_cache_dir(APP_NAME, APP_AUTHOR)),
        config_dir=Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR)),
        log_dir=Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR)),
    )


def resources_dir() -> Path:
    """The app's ``resources`` (icons, compiled translations), wherever this copy runs from.

    Inside a frozen (PyInstaller) app: ``_MEIPASS/resources``. Installed from the wheel:
    ``companion/resources`` in site-packages. In a source checkout (also an editable install):
    ``resources/`` at the top of the tree.
    """
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    package = Path(__file__).resolve().parents[1]
    installed = package / "resources"
    if installed.is_dir():
        return installed
    return package.parent / "resources"
