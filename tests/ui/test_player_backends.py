"""Both real players (libvlc with dummy outputs, and QtMultimedia) play the real test clip."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from companion.ui.player.backend import PlaybackState, PlayerBackend
from tests.ui.player_helpers import CLIP, CLIP_MS, CLIP_SRT, CUES, WAIT_MS, real_backend


@pytest.fixture(params=["vlc", "qt"])
def backend(request: pytest.FixtureRequest, qapp) -> Iterator[PlayerBackend]:
    yield from real_backend(request.param)


def test_time_advances_while_playing(backend: PlayerBackend, qtbot) -> None:
    """Playing the clip reports its length and a position that moves forward."""
    backend.load(CLIP)
    backend.play()
    qtbot.waitUntil(lambda: backend.position_ms() > 400, timeout=WAIT_MS)
    assert backend.state() == PlaybackState.PLAYING
    assert abs(backend.duration_ms() - CLIP_MS) < 200
    first = backend.position_ms()
    qtbot.waitUntil(lambda: backend.position_ms() > first + 300, timeout=WAIT_MS)


def test_pause_holds_position_and_play_resumes(backend: PlayerBackend, qtbot) -> None:
    """Paused, the position stays put; playing again carries on from there."""
    backend.load(CLIP)
    backend.play()
    qtbot.waitUntil(lambda: backend.position_ms() > 300, timeout=WAIT_MS)
    backend.pause()
    assert backend.state() == PlaybackState.PAUSED
    qtbot.wait(300)  # let a late report from the player arrive before reading
    held = backend.position_ms()
    qtbot.wait(600)
    assert abs(backend.position_ms() - held) < 100
    backend.play()
    qtbot.waitUntil(lambda: backend.position_ms() > held + 200, timeout=WAIT_MS)


def test_seek_lands(backend: PlayerBackend, qtbot) -> None:
    """A seek while playing lands at the wanted time and playback goes on from there."""
    backend.load(CLIP)
    backend.play()
    qtbot.waitUntil(lambda: backend.position_ms() > 0, timeout=WAIT_MS)
    backend.seek(4000)
    assert backend.position_ms() == 4000
    qtbot.waitUntil(lambda: backend.position_ms() > 4100, timeout=WAIT_MS)
    assert backend.position_ms() < CLIP_MS


def test_end_reached_emits_ended(backend: PlayerBackend, qtbot) -> None:
    """Near the end, playback reaches the end: ended() fires and the state says so."""
    backend.load(CLIP, start_ms=4500)
    with qtbot.waitSignal(backend.ended, timeout=WAIT_MS):
        backend.play()
    assert backend.state() == PlaybackState.ENDED
    assert backend.position_ms() == backend.duration_ms()


def test_play_after_end_starts_again(backend: PlayerBackend, qtbot) -> None:
    """Play after the end starts the clip again from the beginning."""
    backend.load(CLIP, start_ms=5200)
    with qtbot.waitSignal(backend.ended, timeout=WAIT_MS):
        backend.play()
    backend.play()
    qtbot.waitUntil(lambda: backend.state() == PlaybackState.PLAYING
                    and 0 < backend.position_ms() < 3000, timeout=WAIT_MS)


def test_resume_from_start_position(backend: PlayerBackend, qtbot) -> None:
    """Loaded at 3 s, playback starts there: no report from before that point."""
    seen: list[int] = []
    backend.position_changed.connect(seen.append)
    backend.load(CLIP, start_ms=3000)
    assert backend.position_ms() == 3000
    backend.play()
    qtbot.waitUntil(lambda: backend.position_ms() > 3300, timeout=WAIT_MS)
    assert min(seen) >= 2900


def test_rate_speeds_up_and_is_clamped(backend: PlayerBackend, qtbot) -> None:
    """At 2x the last 5 s of the clip play in well under 5 s; rates outside 0.75-2 clamp."""
    backend.set_rate(5.0)
    assert backend.rate() == 2.0
    backend.set_rate(0.1)
    assert backend.rate() == 0.75
    backend.set_rate(2.0)
    backend.load(CLIP, start_ms=1000)
    started = time.monotonic()
    with qtbot.waitSignal(backend.ended, timeout=WAIT_MS):
        backend.play()
    assert time.monotonic() - started < 4.0  # 2.5 s at 2x plus start-up; 1x would take 5 s


def test_mute_and_volume(backend: PlayerBackend, qtbot) -> None:
    """Mute and volume are kept while playing and clamped to 0-100."""
    backend.load(CLIP)
    backend.set_muted(True)
    backend.set_volume(150)
    backend.play()
    qtbot.waitUntil(lambda: backend.position_ms() > 300, timeout=WAIT_MS)
    assert backend.is_muted() is True
    assert backend.volume() == 100
    backend.set_volume(-5)
    assert backend.volume() == 0
    backend.set_muted(False)
    assert backend.is_muted() is False
    assert backend.state() == PlaybackState.PLAYING


def test_subtitle_cues_follow_time_and_toggle(backend: PlayerBackend, qtbot) -> None:
    """The subtitle text follows the clip's cues, and hiding subtitles blanks it at once."""
    backend.load(CLIP, CLIP_SRT)
    backend.play()
    qtbot.waitUntil(lambda: backend.subtitle_text() == CUES[0], timeout=WAIT_MS)
    backend.pause()
    backend.seek(2500)
    assert backend.subtitle_text() == CUES[1]
    backend.seek(2000)  # between two cues
    assert backend.subtitle_text() == ""
    backend.seek(4500)
    assert backend.subtitle_text() == CUES[2]
    backend.set_subtitles_visible(False)
    assert backend.subtitle_text() == ""
    backend.seek(2500)
    assert backend.subtitle_text() == ""
    backend.set_subtitles_visible(True)
    assert backend.subtitle_text() == CUES[1]


def test_missing_file_reports_error(backend: PlayerBackend, qtbot, tmp_path) -> None:
    """A missing video gives an error state and message, not an exception."""
    with qtbot.waitSignal(backend.error, timeout=WAIT_MS) as blocker:
        backend.load(tmp_path / "gone.mp4")
    assert "gone.mp4" in blocker.args[0]
    assert backend.state() == PlaybackState.ERROR
    backend.play()  # nothing happens, nothing breaks
    assert backend.state() == PlaybackState.ERROR


def test_broken_file_reports_error(backend: PlayerBackend, qtbot, tmp_path) -> None:
    """A file that is not a video ends in the error state when played."""
    bad = tmp_path / "bad.mp4"
    bad.write_bytes(b"this is not a video" * 100)
    backend.load(bad)
    with qtbot.waitSignal(backend.error, timeout=WAIT_MS):
        backend.play()
    assert backend.state() == PlaybackState.ERROR
