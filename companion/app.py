"""The composition root: builds the services once and hands them to the CLI or the app.

Nothing else constructs services; screens and commands receive what they need from here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from companion.core.catalog import Catalog
from companion.core.comments import CommentsStore
from companion.core.db import open_database
from companion.core.notes import NotesStore
from companion.core.packs.manager import PackManager
from companion.core.paths import Locations, resolve_locations
from companion.core.preferences import Preferences
from companion.core.profiles import Profiles
from companion.core.progress import ProgressStore
from companion.core.search import Search
from companion.core.trust import TrustStore


@dataclass
class Services:
    locations: Locations
    db: sqlite_utils.Database
    profiles: Profiles
    catalog: Catalog
    progress: ProgressStore
    notes: NotesStore
    search: Search
    preferences: Preferences
    comments: CommentsStore
    trust: TrustStore
    packs: PackManager

    def close(self) -> None:
        self.db.close()


def build_services(home: str | os.PathLike[str] | None = None) -> Services:
    """Open the library in ``home`` (or the platform folders) and build every service on it."""
    locations = resolve_locations(home).ensure()
    db = open_database(locations.database_path)
    catalog = Catalog(db)
    trust = TrustStore(db)
    packs = PackManager(db, locations, trust)
    packs.recover()  # an import killed last time leaves files only; tidy them before use
    return Services(
        locations=locations,
        db=db,
        profiles=Profiles(db),
        catalog=catalog,
        progress=ProgressStore(db, catalog),
        notes=NotesStore(db),
        search=Search(db),
        preferences=Preferences(db),
        comments=CommentsStore(db),
        trust=trust,
        packs=packs,
    )


def run_gui(
    home: str | os.PathLike[str] | None = None,
    profile: str | None = None,
    files: list[str] | None = None,
) -> int:
    """Start the desktop app (imports Qt only here, so the CLI stays light)."""
    from companion.ui.main import run  # the only place outside companion/ui that loads the UI

    return run(home=home, profile=profile, files=[Path(f) for f in files or []])
