"""Which video and which subtitle file a lesson plays (companion.core.playback)."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import pytest

from companion.core.catalog import Lesson
from companion.core.media_store import MediaStore
from companion.core.playback import media_path, subtitle_file, subtitle_sha, video_file


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _lesson(video: str | None, subtitles: list[dict[str, str]]) -> Lesson:
    return Lesson(id="p/l", pack_id="p", key="l", position=1, title="Les", summary="",
                  video_sha256=video, duration_s=60.0, subtitles_json=json.dumps(subtitles),
                  tags_json="[]")


@pytest.fixture
def store(tmp_path: Path) -> MediaStore:
    return MediaStore(tmp_path / "media")


def _put(store: MediaStore, data: bytes) -> str:
    sha = _sha(data)
    store.ingest(io.BytesIO(data), sha, len(data))
    return sha


SUBS = [{"language": "nl-BE", "path": "a.nl.srt", "sha256": "a" * 64},
        {"language": "en", "path": "a.en.srt", "sha256": "b" * 64}]


@pytest.mark.parametrize(("languages", "expected"), [
    (("nl",), "a" * 64),                 # nl matches nl-BE
    (("EN-gb",), "b" * 64),              # case and region do not matter
    ((None, "", "en"), "b" * 64),        # no language yet: the next one
    (("de", "en"), "b" * 64),            # the first the lesson has
    (("de",), "a" * 64),                 # none of them: the first file
    ((), "a" * 64),
])
def test_subtitle_language_choice(languages: tuple, expected: str) -> None:
    assert subtitle_sha(_lesson(None, SUBS), *languages) == expected


def test_no_subtitles_or_none_with_a_hash() -> None:
    assert subtitle_sha(_lesson(None, []), "nl") is None
    assert subtitle_sha(_lesson(None, [{"language": "nl", "path": "x.srt"}]), "nl") is None


def test_files_only_when_stored(store: MediaStore) -> None:
    video = _put(store, b"video bytes")
    srt = _put(store, b"1\n00:00:00,000 --> 00:00:01,000\nHallo\n")
    lesson = _lesson(video, [{"language": "en", "path": "x.en.srt", "sha256": "c" * 64},
                             {"language": "nl", "path": "x.nl.srt", "sha256": srt}])
    assert video_file(store, lesson) == store.path_for(video)
    assert subtitle_file(store, lesson, "nl") == store.path_for(srt)
    assert subtitle_file(store, lesson, "en") is None  # listed, but not downloaded
    assert video_file(store, _lesson(None, [])) is None  # a lesson without a video


def test_bad_or_missing_hash_is_no_file(store: MediaStore) -> None:
    assert media_path(store, None) is None and media_path(store, "") is None
    assert media_path(store, "../../etc/passwd") is None
    assert media_path(store, "d" * 64) is None
