"""The player's logic without a window: skips, clamping, resume, saving and the 90% rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from companion.ui.player.backend import PlaybackState
from companion.ui.player.controller import PlayerController, format_speed, format_time, time_text
from tests.ui.player_helpers import CLIP, CLIP_SRT, CUES, FakeBackend


@pytest.fixture
def fake(qapp) -> FakeBackend:
    return FakeBackend(duration_ms=60_000)


@pytest.fixture
def controller(fake: FakeBackend) -> PlayerController:
    return PlayerController(fake, save_interval_ms=50)


def test_time_formatting() -> None:
    """Times read like a clock: m:ss, h:mm:ss past an hour; the label shows both times."""
    assert format_time(0) == "0:00"
    assert format_time(42_999) == "0:42"
    assert format_time(135_000) == "2:15"
    assert format_time(3_725_000) == "1:02:05"
    assert format_time(-5) == "0:00"
    assert time_text(42_000, 135_000) == "0:42 / 2:15"
    assert format_speed(1.25) == "1.25×" and format_speed(1.0) == "1×"


def test_open_resumes_and_autoplays(controller: PlayerController, fake: FakeBackend) -> None:
    """Opening with a saved position loads the video there and starts playing."""
    controller.open(CLIP, CLIP_SRT, resume_s=12.5)
    assert fake.loaded == (Path(CLIP), 12_500)
    assert controller.state() == PlaybackState.PLAYING
    assert controller.current_time_s() == 12.5
    assert controller.has_subtitles()


def test_resume_at_the_very_end_restarts(controller: PlayerController, fake: FakeBackend) -> None:
    """A saved position in the last second starts the video from the top instead."""
    controller.open(CLIP, resume_s=59.5, autoplay=False)
    assert controller.position_ms() == 0


def test_skips_are_ten_seconds_and_clamped(controller: PlayerController,
                                           fake: FakeBackend) -> None:
    """Back and forward move 10 s and never leave the video."""
    controller.open(CLIP, resume_s=30)
    controller.forward_10()
    assert controller.position_ms() == 40_000
    controller.back_10()
    controller.back_10()
    assert controller.position_ms() == 20_000
    controller.seek_s(4)
    controller.back_10()
    assert controller.position_ms() == 0
    controller.seek_ms(55_000)
    controller.forward_10()
    assert controller.position_ms() == 60_000
    controller.seek_ms(-1)
    assert controller.position_ms() == 0


def test_toggle_plays_and_pauses(controller: PlayerController) -> None:
    """Toggle alternates between playing and paused."""
    controller.open(CLIP, autoplay=False)
    controller.toggle()
    assert controller.is_playing()
    controller.toggle()
    assert controller.state() == PlaybackState.PAUSED


def test_watched_90_once(controller: PlayerController, fake: FakeBackend, qtbot) -> None:
    """watched_90 fires once, when 90% of the video is reached, not before."""
    controller.open(CLIP)
    seen: list[float] = []
    controller.watched_90.connect(seen.append)
    fake.move_to(53_999)
    assert seen == []
    fake.move_to(54_000)
    fake.move_to(58_000)
    assert seen == [54.0]


def test_end_counts_as_watched(controller: PlayerController, fake: FakeBackend, qtbot) -> None:
    """Reaching the end emits watched_90 (if not yet) and then ended."""
    controller.open(CLIP)
    order: list[str] = []
    controller.watched_90.connect(lambda _s: order.append("watched"))
    controller.ended.connect(lambda: order.append("ended"))
    fake.finish()
    assert order == ["watched", "ended"]


def test_reopen_reports_watched_again(controller: PlayerController, fake: FakeBackend) -> None:
    """A new opening (the next lesson) can be reported as watched again."""
    seen: list[float] = []
    controller.watched_90.connect(seen.append)
    controller.open(CLIP)
    fake.move_to(59_000)
    controller.open(CLIP)
    fake.move_to(59_000)
    assert len(seen) == 2


def test_position_saved_while_playing_and_on_pause(controller: PlayerController,
                                                  fake: FakeBackend, qtbot) -> None:
    """While playing the position is saved every interval; pause saves it once more."""
    saved: list[float] = []
    controller.position_saved_needed.connect(saved.append)
    controller.open(CLIP)
    fake.move_to(1_000)
    qtbot.waitUntil(lambda: saved == [1.0], timeout=2_000)
    fake.move_to(2_000)
    qtbot.waitUntil(lambda: saved == [1.0, 2.0], timeout=2_000)
    fake.move_to(2_500)
    controller.pause()
    assert saved[-1] == 2.5
    qtbot.wait(200)  # paused: no more saves of the same position
    assert saved == [1.0, 2.0, 2.5]


def test_close_saves_and_releases(controller: PlayerController, fake: FakeBackend) -> None:
    """Closing the lesson saves the position and frees the player."""
    saved: list[float] = []
    controller.position_saved_needed.connect(saved.append)
    controller.open(CLIP, resume_s=7)
    controller.close()
    assert saved == [7.0]
    assert fake.released


def test_volume_rate_mute(controller: PlayerController) -> None:
    """Volume and speed are clamped; raising the volume while muted unmutes."""
    changes: list[object] = []
    controller.rate_changed.connect(changes.append)
    controller.set_rate(3)
    assert controller.rate() == 2.0 and changes == [2.0]
    controller.set_rate(2.0)
    assert changes == [2.0]  # no change, no signal
    controller.set_muted(True)
    controller.set_volume(0)
    assert controller.is_muted()
    controller.set_volume(40)
    assert controller.volume() == 40 and not controller.is_muted()
    controller.toggle_mute()
    assert controller.is_muted()


def test_subtitles_on_by_default_and_toggle(controller: PlayerController,
                                            fake: FakeBackend) -> None:
    """Subtitles are shown by default; toggling hides the current cue and shows it again."""
    texts: list[str] = []
    controller.subtitle_changed.connect(texts.append)
    controller.open(CLIP, CLIP_SRT, resume_s=0.5)
    assert controller.subtitles_visible()
    assert controller.subtitle_text() == CUES[0]
    controller.toggle_subtitles()
    assert controller.subtitle_text() == ""
    fake.move_to(2_500)
    assert controller.subtitle_text() == ""
    controller.toggle_subtitles()
    assert controller.subtitle_text() == CUES[1]
    assert texts == [CUES[0], "", CUES[1]]


def test_missing_subtitle_file_is_no_subtitles(controller: PlayerController,
                                               tmp_path: Path) -> None:
    """A subtitle file that is gone just means no subtitles; the video still plays."""
    controller.open(CLIP, tmp_path / "gone.srt")
    assert not controller.has_subtitles()
    assert controller.is_playing()


def test_each_opening_starts_at_normal_speed(controller: PlayerController,
                                             fake: FakeBackend) -> None:
    """A speed chosen for one lesson does not carry over, silently, to the next one."""
    rates: list[float] = []
    controller.rate_changed.connect(rates.append)
    controller.open(CLIP, None, 0.0)
    controller.set_rate(1.5)
    controller.open(CLIP, None, 0.0)
    assert controller.rate() == 1.0 and fake.rate() == 1.0
    assert rates == [1.5, 1.0]  # the controls hear of it and show "1×" again
