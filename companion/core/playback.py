"""Which files a lesson plays: its video from the media store, and the subtitle file in the
language the person reads (the pack's own language first). Plain functions the lesson page, the
library and the search use alike."""

from __future__ import annotations

from pathlib import Path

from companion.core.catalog import Lesson
from companion.core.media_store import MediaStore


def media_path(store: MediaStore, sha256: str | None) -> Path | None:
    """The stored file of ``sha256``, or None when there is none (no video, not downloaded)."""
    if not sha256:
        return None
    try:
        path = store.path_for(sha256)
    except ValueError:
        return None
    return path if path.is_file() else None


def subtitle_sha(lesson: Lesson, *languages: str | None) -> str | None:
    """The subtitle file of a lesson in the first of ``languages`` it has (``nl`` matches
    ``nl-BE``), else its first subtitle file, else None."""
    subs = [s for s in lesson.subtitles if s.get("sha256")]
    for language in languages:
        if not language:
            continue
        base = language.split("-")[0].lower()
        for sub in subs:
            if str(sub.get("language", "")).split("-")[0].lower() == base:
                return str(sub["sha256"])
    return str(subs[0]["sha256"]) if subs else None


def video_file(store: MediaStore, lesson: Lesson) -> Path | None:
    """The lesson's video here, or None (no video, or not downloaded yet)."""
    return media_path(store, lesson.video_sha256)


def subtitle_file(store: MediaStore, lesson: Lesson, *languages: str | None) -> Path | None:
    """The lesson's subtitles here in the first of ``languages`` it has (see
    :func:`subtitle_sha`), or None when it has none or they are not downloaded."""
    return media_path(store, subtitle_sha(lesson, *languages))
