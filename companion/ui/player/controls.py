"""The player's control bar: a passive view. It shows what it is told and reports clicks; the
PlayerWidget connects it to the controller."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QActionGroup, QPalette
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QProxyStyle,
    QSizePolicy,
    QSlider,
    QStyle,
    QStyleOption,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from companion.ui.player.controller import SPEEDS, format_speed, time_text
from companion.ui.player.icons import player_icon

ICON_SIZE = 30
BUTTON_SIZE = 46


class _JumpToClickStyle(QProxyStyle):
    """A click on the seek bar jumps there (instead of moving one page)."""

    def styleHint(self, hint: QStyle.StyleHint, option: QStyleOption | None = None,
                  widget: QWidget | None = None, return_data: object = None) -> int:
        if hint == QStyle.StyleHint.SH_Slider_AbsoluteSetButtons:
            return Qt.MouseButton.LeftButton.value
        return super().styleHint(hint, option, widget, return_data)


class SeekSlider(QSlider):
    """The seek bar: reports a wanted position; ignores position updates while dragged."""

    seek_requested = Signal(int)  # ms

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        # No base style given: a QProxyStyle takes ownership of its base, and the app's style
        # would then be deleted twice at exit (a segfault). Without one it follows the app's.
        self._style = _JumpToClickStyle()
        self._style.setParent(self)
        self.setStyle(self._style)
        self.setRange(0, 0)
        self.setSingleStep(5_000)
        self.setPageStep(10_000)
        self.setMinimumHeight(28)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._showing = False
        self.sliderReleased.connect(lambda: self.seek_requested.emit(self.value()))
        self.valueChanged.connect(self._on_value_changed)

    def show_position(self, position_ms: int, duration_ms: int) -> None:
        if self.isSliderDown():
            return
        self._showing = True
        try:
            if self.maximum() != duration_ms:
                self.setRange(0, max(0, duration_ms))
            self.setValue(position_ms)
        finally:
            self._showing = False

    def _on_value_changed(self, value: int) -> None:
        # Keyboard steps and wheel turns on the bar itself; drags are sent on release.
        if not self._showing and not self.isSliderDown():
            self.seek_requested.emit(value)


def _tool_button(parent: QWidget, checkable: bool = False) -> QToolButton:
    button = QToolButton(parent)
    button.setIconSize(QSize(ICON_SIZE, ICON_SIZE))
    button.setMinimumSize(BUTTON_SIZE, BUTTON_SIZE)
    button.setAutoRaise(True)
    button.setCheckable(checkable)
    button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    return button


class ControlBar(QWidget):
    play_pause_clicked = Signal()
    back_clicked = Signal()
    forward_clicked = Signal()
    seek_requested = Signal(int)  # ms
    rate_chosen = Signal(float)
    volume_chosen = Signal(int)
    mute_clicked = Signal()
    subtitles_clicked = Signal()
    full_screen_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._playing = False
        self._muted = False
        self._full_screen = False
        self._rate = 1.0
        self._position_ms = 0
        self._duration_ms = 0

        self.seek_slider = SeekSlider(self)
        self.time_label = QLabel(self)
        self.time_label.setTextFormat(Qt.TextFormat.PlainText)
        self.time_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.play_button = _tool_button(self)
        self.back_button = _tool_button(self)
        self.forward_button = _tool_button(self)
        self.speed_button = _tool_button(self)
        self.speed_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.speed_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.speed_menu = QMenu(self.speed_button)
        self.speed_group = QActionGroup(self)
        self.speed_actions = {}
        for speed in SPEEDS:
            action = self.speed_menu.addAction(format_speed(speed))
            action.setCheckable(True)
            action.setChecked(speed == 1.0)
            action.triggered.connect(lambda _=False, s=speed: self.rate_chosen.emit(s))
            self.speed_group.addAction(action)
            self.speed_actions[speed] = action
        self.speed_button.setMenu(self.speed_menu)
        self.subtitles_button = _tool_button(self, checkable=True)
        self.subtitles_button.setChecked(True)
        self.mute_button = _tool_button(self)
        self.volume_slider = QSlider(Qt.Orientation.Horizontal, self)
        self.volume_slider.setRange(0, 100)
        self.volume_slider.setValue(100)
        self.volume_slider.setFixedWidth(120)
        self.volume_slider.setMinimumHeight(28)
        self.full_screen_button = _tool_button(self)

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.seek_slider, 1)
        top.addWidget(self.time_label)
        bottom = QHBoxLayout()
        bottom.setContentsMargins(0, 0, 0, 0)
        bottom.setSpacing(4)
        for button in (self.back_button, self.play_button, self.forward_button):
            bottom.addWidget(button)
        bottom.addStretch(1)
        bottom.addWidget(self.speed_button)
        bottom.addWidget(self.subtitles_button)
        bottom.addSpacing(8)
        bottom.addWidget(self.mute_button)
        bottom.addWidget(self.volume_slider)
        bottom.addSpacing(8)
        bottom.addWidget(self.full_screen_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 6)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addLayout(bottom)

        self.play_button.clicked.connect(self.play_pause_clicked)
        self.back_button.clicked.connect(self.back_clicked)
        self.forward_button.clicked.connect(self.forward_clicked)
        self.seek_slider.seek_requested.connect(self.seek_requested)
        self.seek_slider.sliderMoved.connect(self._preview)
        self.volume_slider.valueChanged.connect(self.volume_chosen)
        self.mute_button.clicked.connect(self.mute_clicked)
        self.subtitles_button.clicked.connect(self.subtitles_clicked)
        self.full_screen_button.clicked.connect(self.full_screen_clicked)
        self.retranslate()

    # -- what the widget tells it ----------------------------------------------------------
    def show_playing(self, playing: bool) -> None:
        self._playing = playing
        self._refresh_play()

    def show_time(self, position_ms: int, duration_ms: int) -> None:
        self._position_ms, self._duration_ms = position_ms, duration_ms
        self.seek_slider.show_position(position_ms, duration_ms)
        if not self.seek_slider.isSliderDown():
            self.time_label.setText(time_text(position_ms, duration_ms))

    def show_rate(self, rate: float) -> None:
        self._rate = rate
        if rate in self.speed_actions:
            self.speed_actions[rate].setChecked(True)
        self.speed_button.setText(format_speed(rate))

    def show_volume(self, volume: int) -> None:
        if self.volume_slider.value() != volume:
            self.volume_slider.blockSignals(True)
            self.volume_slider.setValue(volume)
            self.volume_slider.blockSignals(False)

    def show_muted(self, muted: bool) -> None:
        self._muted = muted
        self._refresh_mute()

    def show_subtitles(self, visible: bool, available: bool) -> None:
        self.subtitles_button.setChecked(visible)
        self.subtitles_button.setEnabled(available)
        self._refresh_subtitles()

    def show_full_screen(self, on: bool) -> None:
        self._full_screen = on
        self._refresh_full_screen()

    # -- texts and icons -------------------------------------------------------------------
    def retranslate(self) -> None:
        self._refresh_play()
        self._refresh_mute()
        self._refresh_subtitles()
        self._refresh_full_screen()
        self._set_texts(self.back_button, "back-10", self.tr("Back 10 seconds"),
                        self.tr("Left arrow"))
        self._set_texts(self.forward_button, "forward-10", self.tr("Forward 10 seconds"),
                        self.tr("Right arrow"))
        self._set_texts(self.speed_button, "speed", self.tr("Playback speed"), None)
        self.speed_button.setText(format_speed(self._rate))
        self.speed_actions[1.0].setText(self.tr("Normal (1×)"))
        self.seek_slider.setToolTip(self.tr("Position in the video: click or drag to jump"))
        self.seek_slider.setAccessibleName(self.tr("Position in the video"))
        self.volume_slider.setToolTip(self.tr("Volume"))
        self.volume_slider.setAccessibleName(self.tr("Volume"))
        self.time_label.setAccessibleName(self.tr("Time played and length"))
        self.time_label.setText(time_text(self._position_ms, self._duration_ms))

    def _set_texts(self, button: QToolButton, icon: str, label: str, key: str | None) -> None:
        color = self.palette().color(QPalette.ColorRole.ButtonText)
        button.setIcon(player_icon(icon, color, ICON_SIZE))
        button.setAccessibleName(label)
        button.setToolTip(self.tr("%1 (%2)").replace("%1", label).replace("%2", key)
                          if key else label)

    def _refresh_play(self) -> None:
        if self._playing:
            self._set_texts(self.play_button, "pause", self.tr("Pause"), self.tr("Space"))
        else:
            self._set_texts(self.play_button, "play", self.tr("Play"), self.tr("Space"))

    def _refresh_mute(self) -> None:
        if self._muted:
            self._set_texts(self.mute_button, "volume-muted", self.tr("Sound on"), "M")
        else:
            self._set_texts(self.mute_button, "volume", self.tr("Sound off"), "M")

    def _refresh_subtitles(self) -> None:
        if not self.subtitles_button.isEnabled():
            label = self.tr("No subtitles for this video")
        elif self.subtitles_button.isChecked():
            label = self.tr("Hide subtitles")
        else:
            label = self.tr("Show subtitles")
        self._set_texts(self.subtitles_button, "subtitles", label, "C")
        self.subtitles_button.setAccessibleName(self.tr("Subtitles"))

    def _refresh_full_screen(self) -> None:
        if self._full_screen:
            self._set_texts(self.full_screen_button, "fullscreen-exit",
                            self.tr("Leave full screen"), "Esc")
        else:
            self._set_texts(self.full_screen_button, "fullscreen", self.tr("Full screen"), "F")

    def _preview(self, value: int) -> None:
        self.time_label.setText(time_text(value, self._duration_ms))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        elif event.type() == QEvent.Type.PaletteChange:
            self.retranslate()  # icons follow a light/dark switch
        super().changeEvent(event)
