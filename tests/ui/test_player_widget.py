"""The player widget: keyboard, controls, subtitle overlay and full screen."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QVBoxLayout, QWidget

from companion.ui.player.backend import PlaybackState
from companion.ui.player.widget import PlayerWidget
from tests.ui.player_helpers import CLIP, CLIP_SRT, CUES, WAIT_MS, FakeBackend, make_backend


@pytest.fixture
def fake(qapp) -> FakeBackend:
    return FakeBackend(duration_ms=135_000)


@pytest.fixture
def player(fake: FakeBackend, qtbot) -> Iterator[PlayerWidget]:
    host = QWidget()
    QVBoxLayout(host).addWidget(widget := PlayerWidget(fake))
    qtbot.addWidget(host)
    host.resize(800, 500)
    host.show()
    qtbot.waitExposed(host)
    widget.open(CLIP, CLIP_SRT, resume_s=42, autoplay=False)
    widget.setFocus()
    yield widget
    widget.shutdown()


def _key(qtbot, player: PlayerWidget, key: Qt.Key) -> None:
    target = player.window().focusWidget() or player
    qtbot.keyClick(target, key)


def test_keyboard_drives_the_player(player: PlayerWidget, fake: FakeBackend, qtbot) -> None:
    """Space, Left/Right, M and C act on the player while it has focus."""
    c = player.controller
    _key(qtbot, player, Qt.Key.Key_Space)
    assert c.state() == PlaybackState.PLAYING
    _key(qtbot, player, Qt.Key.Key_Right)
    assert c.position_ms() == 52_000
    _key(qtbot, player, Qt.Key.Key_Left)
    _key(qtbot, player, Qt.Key.Key_Left)
    assert c.position_ms() == 32_000
    _key(qtbot, player, Qt.Key.Key_M)
    assert c.is_muted()
    _key(qtbot, player, Qt.Key.Key_C)
    assert not c.subtitles_visible()
    _key(qtbot, player, Qt.Key.Key_Space)
    assert c.state() == PlaybackState.PAUSED


def test_keys_work_when_a_control_has_focus(player: PlayerWidget, qtbot) -> None:
    """After clicking a button, Space still toggles playback instead of re-clicking it."""
    player.controls.mute_button.setFocus()
    qtbot.keyClick(player.controls.mute_button, Qt.Key.Key_Space)
    assert player.controller.is_playing()
    assert not player.controller.is_muted()


def test_keys_do_nothing_outside_the_player(player: PlayerWidget, qtbot) -> None:
    """Typing elsewhere in the window (the notes) does not pause or skip the video."""
    from PySide6.QtWidgets import QPlainTextEdit

    notes = QPlainTextEdit(player.parentWidget())
    player.parentWidget().layout().addWidget(notes)
    notes.show()
    notes.setFocus()
    qtbot.keyClick(notes, Qt.Key.Key_Space)
    qtbot.keyClick(notes, Qt.Key.Key_Right)
    assert player.controller.state() == PlaybackState.STOPPED
    assert player.controller.position_ms() == 42_000
    assert notes.toPlainText() == " "


def test_time_label_and_buttons(player: PlayerWidget, fake: FakeBackend, qtbot) -> None:
    """The time reads "0:42 / 2:15"; the buttons play, skip and pick a speed."""
    bar = player.controls
    assert bar.time_label.text() == "0:42 / 2:15"
    qtbot.mouseClick(bar.play_button, Qt.MouseButton.LeftButton)
    assert player.controller.is_playing()
    assert bar.play_button.accessibleName() == "Pause"
    qtbot.mouseClick(bar.back_button, Qt.MouseButton.LeftButton)
    assert bar.time_label.text() == "0:32 / 2:15"
    bar.speed_actions[1.5].trigger()
    assert player.controller.rate() == 1.5
    assert bar.speed_button.text() == "1.5×"
    bar.volume_slider.setValue(30)
    assert player.controller.volume() == 30


def test_every_control_is_named(player: PlayerWidget) -> None:
    """Every button and slider has an accessible name and a tooltip."""
    controls = player.controls.findChildren(QAbstractButton)
    controls += [player.controls.seek_slider, player.controls.volume_slider]
    assert len(controls) >= 8
    for control in controls:
        assert control.accessibleName(), control
        assert control.toolTip(), control


def test_public_time_api(player: PlayerWidget, fake: FakeBackend) -> None:
    """current_time_s() and seek_s() serve the notes' timestamps."""
    assert player.current_time_s() == 42.0
    player.seek_s(75.5)
    assert player.current_time_s() == 75.5
    assert player.duration_s() == 135.0


def test_position_saved_on_pause_and_shutdown(player: PlayerWidget, fake: FakeBackend) -> None:
    """The widget relays save requests: on pause and when the lesson closes."""
    saved: list[float] = []
    player.position_saved_needed.connect(saved.append)
    player.controller.play()
    fake.move_to(50_000)
    player.controller.pause()
    fake.move_to(51_000)
    player.shutdown()
    assert saved == [50.0, 51.0]
    assert fake.released


def test_full_screen_and_back(player: PlayerWidget, qtbot) -> None:
    """F fills the screen with the player alone (in its own window); Esc restores the window."""
    from PySide6.QtWidgets import QLabel

    host = player.window()
    beside = QLabel("notes", host)
    host.layout().addWidget(beside)
    beside.show()
    _key(qtbot, player, Qt.Key.Key_F)
    assert player.is_full_screen()
    assert host.isFullScreen()
    assert not beside.isVisible() and player.isVisible()
    assert player.parentWidget() is host  # never moved: libvlc keeps its window
    qtbot.waitUntil(player.isActiveWindow, timeout=WAIT_MS)
    qtbot.keyClick(player, Qt.Key.Key_Escape)
    assert not player.is_full_screen()
    assert not host.isFullScreen()
    assert beside.isVisible()
    assert player.controls.full_screen_button.accessibleName() == "Full screen"


@pytest.mark.parametrize("kind", ["vlc", "qt"])
def test_overlay_shows_and_hides_subtitles(kind: str, qtbot) -> None:
    """With a real player the overlay shows each cue at its time, and C hides and shows it."""
    widget = PlayerWidget(make_backend(kind))
    qtbot.addWidget(widget)
    widget.resize(640, 420)
    widget.show()
    qtbot.waitExposed(widget)
    try:
        widget.open(CLIP, CLIP_SRT)
        overlay = widget.overlay
        qtbot.waitUntil(lambda: overlay.isVisible() and overlay.text() == CUES[0],
                        timeout=WAIT_MS)
        widget.setFocus()
        qtbot.keyClick(widget, Qt.Key.Key_C)
        assert not overlay.isVisible()
        assert not widget.controls.subtitles_button.isChecked()
        qtbot.keyClick(widget, Qt.Key.Key_C)
        widget.controller.pause()
        widget.seek_s(2.5)
        assert overlay.isVisible() and overlay.text() == CUES[1]
        widget.seek_s(2.0)
        assert not overlay.isVisible()
        widget.controller.play()
        qtbot.waitUntil(lambda: overlay.text() == CUES[1] and overlay.isVisible(),
                        timeout=WAIT_MS)
        assert widget.controls.time_label.text().endswith("/ 0:06")
    finally:
        widget.shutdown()


def test_click_on_seek_bar_jumps_there(player: PlayerWidget, qtbot) -> None:
    """A click on the seek bar jumps to that point, not one page step."""
    from PySide6.QtCore import QPoint

    slider = player.controls.seek_slider
    qtbot.mouseClick(slider, Qt.MouseButton.LeftButton,
                     pos=QPoint(slider.width() * 3 // 4, slider.height() // 2))
    assert 85_000 < player.controller.position_ms() < 115_000
