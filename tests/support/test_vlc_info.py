"""libvlc from outside the player (companion.support.vlc_info): the version for the problem
report, and the headless play check of `companion media-check` (real libvlc, dummy output)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from companion.support import vlc_info

VIDEO = next((Path(__file__).resolve().parents[2] / "lessons").rglob("*.mp4"), None)


def _libvlc_or_skip() -> str:
    version = vlc_info.libvlc_version()
    if version is None:
        pytest.skip("libvlc is not installed")
    return version


def test_a_lesson_video_plays_with_dummy_output() -> None:
    version = _libvlc_or_skip()
    assert VIDEO is not None
    result = vlc_info.play_check(VIDEO, seconds=5)
    assert result.played and result.position_ms > 0 and result.error is None
    assert result.libvlc == version and result.library
    assert result.to_dict()["played"] is True


def test_a_file_that_is_not_a_video_does_not_play(tmp_path: Path) -> None:
    _libvlc_or_skip()
    junk = tmp_path / "lesson.mp4"
    junk.write_bytes(b"\x00" * 4096)
    result = vlc_info.play_check(junk, seconds=1)
    assert not result.played and result.error


def test_without_libvlc_the_check_says_so(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "vlc", None)  # import vlc raises ImportError
    assert vlc_info.libvlc_version() is None
    result = vlc_info.play_check(tmp_path / "x.mp4")
    assert not result.played and result.libvlc is None
    assert "could not load libvlc" in (result.error or "")


def test_media_check_command(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from companion import cli
    from tests.core.fake_library import add_pack

    version = _libvlc_or_skip()
    assert cli.main(["--home", str(home), "media-check"]) == 0
    assert version in capsys.readouterr().out
    assert cli.main(["--home", str(home), "media-check", "no-such-lesson"]) == 1
    from companion.services import build_services

    services = build_services(home)
    try:
        (lesson, *_) = add_pack(services.db, "p", 1)
        services.db.execute("UPDATE lessons SET video_sha256 = ?", ["cd" * 32])
    finally:
        services.close()
    assert cli.main(["--home", str(home), "media-check", lesson]) == 1
    assert "not on this PC" in capsys.readouterr().err
