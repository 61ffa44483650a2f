"""Fixtures of the screen tests: real services on a small library, the app context with a real
task runner, a Navigator whose requests are recorded, and a real lesson with the test clip."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import companion.ui.player  # noqa: F401  (applies the PySide6 signal refcount guard)
from companion.core.db import now_local, write_transaction
from companion.core.media_store import MediaStore
from companion.services import Services, build_services
from companion.ui.context import AppContext
from companion.ui.navigation import Navigator
from companion.ui.redraw import ChangeBus
from companion.ui.tasks import TaskRunner

DATA = Path(__file__).resolve().parent.parent / "data"
CLIP = DATA / "clip.mp4"
CLIP_SRT = DATA / "clip.srt"
WAIT_MS = 15_000  # generous: shared CI machines are slow

QUIZ = [
    {"question": "Where do you post a photo?", "choices": ["Instagram", "A fax", "The till"],
     "answer": 0, "explanation": "Instagram is made for photos."},
    {"question": "How often?", "choices": ["Never", "A few times a week"], "answer": 1,
     "explanation": "Regularly, but not all day."},
]


@dataclass
class NavLog:
    """Every request a screen made of the Navigator."""

    lessons: list[tuple[str, list[str], float]] = field(default_factory=list)
    libraries: list[str] = field(default_factory=list)
    imports: list[list[str]] = field(default_factory=list)
    homes: int = 0


@pytest.fixture
def services(home: Path) -> Iterator[Services]:
    svc = build_services(home=home)
    yield svc
    svc.close()


@pytest.fixture
def profile_id(services: Services) -> int:
    profile = services.profiles.create("Anna", language="nl", motto="Elke dag vers")
    services.profiles.switch(profile.id)
    return profile.id


@pytest.fixture
def ctx(services: Services, profile_id: int, home: Path, qapp) -> Iterator[AppContext]:
    tasks = TaskRunner(services_factory=lambda: build_services(home=home))
    context = AppContext(services, tasks, ChangeBus(), profile_id)
    yield context
    tasks.shutdown()


@pytest.fixture
def nav(qapp) -> tuple[Navigator, NavLog]:
    navigator = Navigator()
    log = NavLog()
    navigator.lesson_requested.connect(lambda i, p, s: log.lessons.append((i, list(p), s)))
    navigator.library_requested.connect(log.libraries.append)
    navigator.import_requested.connect(log.imports.append)

    def went_home() -> None:
        log.homes += 1

    navigator.home_requested.connect(went_home)
    return navigator, log


def store_file(services: Services, source: Path) -> str:
    """Put ``source`` into the media store under its SHA-256 and return it."""
    sha = hashlib.sha256(source.read_bytes()).hexdigest()
    target = MediaStore(services.locations.media_dir).path_for(sha)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    with write_transaction(services.db):
        services.db.execute("INSERT OR IGNORE INTO media(sha256, size, added_at) VALUES (?, ?, ?)",
                            [sha, source.stat().st_size, now_local()])
    return sha


def add_clip_pack(services: Services, pack_id: str = "echt", lessons: int = 2,
                  quiz: list[dict] | None = None, title: str = "Echte lessen") -> list[str]:
    """A pack whose lessons all play tests/data/clip.mp4 (6 s) with clip.srt in Dutch."""
    video = store_file(services, CLIP)
    subs = store_file(services, CLIP_SRT)
    now = now_local()
    ids = []
    with write_transaction(services.db):
        services.db.execute(
            "INSERT INTO packs(id, title, version, language, author, description,"
            " manifest_sha256, manifest, installed_at, updated_at)"
            " VALUES (?, ?, '1.0', 'nl', 'Test', '', ?, '{}', ?, ?)",
            [pack_id, title, hashlib.sha256(pack_id.encode()).hexdigest(), now, now])
        for i in range(lessons):
            lesson_id = f"{pack_id}/clip-{i}"
            ids.append(lesson_id)
            services.db.execute(
                "INSERT INTO lessons(id, pack_id, lesson_key, position, title, summary,"
                " video_sha256, duration_s, subtitles, subtitle_text, trainer_notes, quiz,"
                " tags) VALUES (?, ?, ?, ?, ?, ?, ?, 6.0, ?, '', ?, ?, '[]')",
                [lesson_id, pack_id, f"clip-{i}", i, f"Clip {i}: een foto posten",
                 "Een korte les om te testen.", video,
                 json.dumps([{"language": "nl", "sha256": subs}]),
                 "# Tip\n\nPost **één** foto per dag. ![x](https://example.com/x.png)",
                 json.dumps(quiz if i == 0 and quiz is not None else [])])
    return ids
