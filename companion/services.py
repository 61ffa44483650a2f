"""The composition root: builds the services once and hands them to the CLI or the app.

Nothing else constructs services; screens and commands receive what they need from here. This
module imports no UI (``tests/test_architecture.py`` checks it): the CLI, the tools and the
tests build services without a display. Starting the app is :mod:`companion.app`'s job.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import sqlite_utils

from companion.core.catalog import Catalog
from companion.core.comments import CommentsStore
from companion.core.db import open_database
from companion.core.media_store import MediaStore
from companion.core.notes import NotesStore
from companion.core.packs.manager import PackManager
from companion.core.paths import Locations, resolve_locations
from companion.core.preferences import Preferences
from companion.core.profiles import Profiles
from companion.core.progress import ProgressStore
from companion.core.search import Search
from companion.core.trust import TrustStore
from companion.sync.credentials import CredentialStore


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
    #: The content-addressed media files (the pack manager stores into this same instance).
    media: MediaStore
    #: The hub logins of the profiles (keyring, or a token file in the config folder).
    credentials: CredentialStore

    def close(self) -> None:
        self.db.close()


def build_services(home: str | os.PathLike[str] | None = None) -> Services:
    """Open the library in ``home`` (or the platform folders) and build every service on it."""
    locations = resolve_locations(home).ensure()
    db = open_database(locations.database_path)
    catalog = Catalog(db)
    trust = TrustStore(db)
    media = MediaStore(locations.media_dir)
    packs = PackManager(db, locations, trust, media)
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
        media=media,
        credentials=CredentialStore(db, locations.config_dir),
    )

