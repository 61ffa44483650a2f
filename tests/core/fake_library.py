"""Fill a library database with packs and lessons directly, for tests and benchmarks that do
not need real media."""

from __future__ import annotations

import hashlib
import json

import sqlite_utils

from companion.core.db import now_local, write_transaction

WORDS = (
    "instagram facebook whatsapp bakker bloemist winkel klanten verhaal foto video reels "
    "openingsuren doelgroep contentplan bereik netwerk zwakke banden meten volgers berichten "
    "catalogus etalage seizoen actie korting vraag antwoord reactie delen opslaan"
).split()


def text(seed: int, n: int) -> str:
    return " ".join(WORDS[(seed * 7 + i * 13) % len(WORDS)] for i in range(n))


def add_pack(
    db: sqlite_utils.Database, pack_id: str, lessons: int, *, title: str | None = None,
    duration_s: float = 120.0, quiz: list[dict] | None = None,
) -> list[str]:
    """Insert one pack with ``lessons`` lessons; returns the lesson ids in order."""
    now = now_local()
    ids = []
    with write_transaction(db):
        db.execute(
            "INSERT INTO packs(id, title, version, language, author, description,"
            " manifest_sha256, manifest, installed_at, updated_at)"
            " VALUES (?, ?, '1.0', 'nl', 'Test', '', ?, '{}', ?, ?)",
            [pack_id, title or pack_id, hashlib.sha256(pack_id.encode()).hexdigest(), now, now],
        )
        for i in range(lessons):
            lesson_id = f"{pack_id}/les-{i:04d}"
            ids.append(lesson_id)
            db.execute(
                "INSERT INTO lessons(id, pack_id, lesson_key, position, title, summary,"
                " duration_s, subtitles, subtitle_text, trainer_notes, quiz, tags)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [lesson_id, pack_id, f"les-{i:04d}", i, f"Les {i}: {text(i, 3)}",
                 text(i + 1, 12), duration_s,
                 json.dumps([{"language": "nl", "sha256": "0" * 64}]), text(i + 2, 80),
                 "Notities", json.dumps(quiz or []), json.dumps(["test"])],
            )
    return ids
