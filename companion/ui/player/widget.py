"""The player as the lesson screen shows it: the video with its subtitles, and the controls.

The widget only wires a ``PlayerController`` to the control bar, the keyboard and the subtitle
overlay; what a key or a click does is the controller's business.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QCloseEvent, QFont, QKeySequence, QMouseEvent, QResizeEvent, QShortcut
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from companion.ui.player.backend import PlaybackState, PlayerBackend
from companion.ui.player.controller import PlayerController
from companion.ui.player.controls import ControlBar
from companion.ui.player.fullscreen import FullScreenSwitch


class SubtitleOverlay(QLabel):
    """The current cue, drawn over the bottom of the video."""

    def __init__(self, parent: QWidget, native: bool) -> None:
        super().__init__(parent)
        self.setObjectName("subtitleOverlay")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        if native:
            # The video is a native window (libvlc's or QVideoWidget's): only a native window
            # stacked above it is seen, and a native window cannot be see-through.
            self.setAttribute(Qt.WidgetAttribute.WA_DontCreateNativeAncestors, True)
            self.setAttribute(Qt.WidgetAttribute.WA_NativeWindow, True)
            background = "rgb(16, 16, 16)"
        else:
            background = "rgba(0, 0, 0, 170)"
        self.setStyleSheet(
            f"#subtitleOverlay {{ color: white; background-color: {background};"
            " border-radius: 4px; padding: 4px 12px; }"
        )
        self.hide()


class VideoArea(QWidget):
    """A black area holding the backend's video surface, with the subtitles on top."""

    double_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(self.backgroundRole(), Qt.GlobalColor.black)
        self.setPalette(palette)
        self.setMinimumSize(320, 180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.surface = QWidget(self)
        self.surface.setAutoFillBackground(True)
        self.surface.setPalette(palette)
        self.overlay: SubtitleOverlay | None = None

    def install_overlay(self, native: bool) -> SubtitleOverlay:
        self.overlay = SubtitleOverlay(self, native)
        self._place()
        return self.overlay

    def show_subtitle(self, text: str) -> None:
        if self.overlay is None:
            return
        self.overlay.setText(text)
        self.overlay.setVisible(bool(text))
        if text:
            self._place()
            self.overlay.raise_()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place()

    def _place(self) -> None:
        self.surface.setGeometry(self.rect())
        overlay = self.overlay
        if overlay is None:
            return
        width, height = self.width(), self.height()
        font = QFont(self.font())
        # Big enough to read from a step back in a shop; grows with the app's text size, but
        # never so big that three lines cover the picture of a small video (large text).
        font.setPixelSize(max(12, min(max(round(self.fontInfo().pixelSize() * 1.4),
                                          round(height / 20)), round(height / 10))))
        overlay.setFont(font)
        max_width = round(width * 0.9)
        overlay.setWordWrap(False)  # the one-line width first: short cues stay on one line
        natural = overlay.sizeHint().width()
        overlay.setWordWrap(natural > max_width)
        overlay.setFixedWidth(min(max_width, natural))
        text_height = overlay.heightForWidth(overlay.width()) if natural > max_width else -1
        overlay.setFixedHeight(text_height if text_height > 0 else overlay.sizeHint().height())
        overlay.move((width - overlay.width()) // 2,
                     height - overlay.height() - max(8, round(height * 0.05)))

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        self.double_clicked.emit()
        event.accept()


class PlayerWidget(QWidget):
    """The video player of a lesson.

    Signals for the lesson screen: ``position_saved_needed(seconds)`` every few seconds while
    playing and on pause, end and close; ``watched_90(seconds)`` once when 90% is reached;
    ``ended()``; ``error(message)``; ``full_screen_changed(on)``.
    """

    position_saved_needed = Signal(float)
    watched_90 = Signal(float)
    ended = Signal()
    error = Signal(str)
    full_screen_changed = Signal(bool)

    def __init__(self, backend: PlayerBackend | None = None, notice: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if backend is None:
            from companion.ui.player.factory import create_backend

            backend, notice = create_backend(parent=self)
        else:
            backend.setParent(self)
        self.controller = PlayerController(backend, self)
        self._notice = notice or ""
        self._full_screen = FullScreenSwitch(self, on_left=lambda: self._full_screen_changed(False))
        self._shut_down = False

        self.video_area = VideoArea(self)
        self.controls = ControlBar(self)
        self.notice_label = QLabel(self)
        self.notice_label.setTextFormat(Qt.TextFormat.PlainText)
        self.notice_label.setWordWrap(True)
        self.notice_label.setEnabled(False)  # drawn in the quiet, greyed text colour
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.video_area, 1)
        layout.addWidget(self.controls)
        layout.addWidget(self.notice_label)
        self._show_notice(self._notice)

        backend.attach_video_widget(self.video_area.surface)
        self.overlay = self.video_area.install_overlay(backend.surface_is_native())
        self._connect()
        self._make_shortcuts()
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._sync_controls()
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)

    # -- public API ------------------------------------------------------------------------
    def open(self, video_path: str | Path, subtitle_path: str | Path | None = None,
             resume_s: float = 0.0, autoplay: bool = True) -> None:
        """Play a lesson video from its saved position; subtitles are shown when it has them."""
        self._show_notice(self._notice)
        self.controller.open(video_path, subtitle_path, resume_s, autoplay)
        self._sync_controls()

    def current_time_s(self) -> float:
        """The video time now, in seconds (for the notes' "insert time" button)."""
        return self.controller.current_time_s()

    def duration_s(self) -> float:
        return self.controller.duration_s()

    def seek_s(self, seconds: float) -> None:
        """Jump to a time in seconds (a timestamp clicked in the notes)."""
        self.controller.seek_s(seconds)

    def notice(self) -> str:
        """The quiet line under the video ("" when none)."""
        return self.notice_label.text() if not self.notice_label.isHidden() else ""

    def is_full_screen(self) -> bool:
        return self._full_screen.active()

    def set_full_screen(self, on: bool) -> None:
        """Fill the screen with the video and its controls, or go back to the normal window."""
        if on == self.is_full_screen():
            return
        if on:
            self._full_screen.enter()
        else:
            self._full_screen.leave()
        self._full_screen_changed(on)
        self.setFocus()

    def _full_screen_changed(self, on: bool) -> None:
        self._escape.setEnabled(on)
        self.controls.show_full_screen(on)
        self.full_screen_changed.emit(on)

    def toggle_full_screen(self) -> None:
        self.set_full_screen(not self.is_full_screen())

    def stop(self) -> None:
        """Stop playing and save the position (leaving the lesson; open() plays again)."""
        self.controller.stop()
        self.controller.save_position()

    def shutdown(self) -> None:
        """Save the position and free the player for good (the window closes)."""
        if self._shut_down:
            return
        self._shut_down = True
        if self.is_full_screen():
            self.set_full_screen(False)
        self.controller.close()

    # -- wiring ----------------------------------------------------------------------------
    def _connect(self) -> None:
        c, bar = self.controller, self.controls
        c.position_changed.connect(self._on_time)
        c.duration_changed.connect(self._on_time)
        c.state_changed.connect(self._on_state)
        c.subtitle_changed.connect(self.video_area.show_subtitle)
        c.rate_changed.connect(bar.show_rate)
        c.volume_changed.connect(bar.show_volume)
        c.muted_changed.connect(bar.show_muted)
        c.subtitles_visible_changed.connect(lambda _: self._sync_subtitles())
        c.position_saved_needed.connect(self.position_saved_needed)
        c.watched_90.connect(self.watched_90)
        c.ended.connect(self.ended)
        c.error.connect(self._on_error)
        bar.play_pause_clicked.connect(c.toggle)
        bar.back_clicked.connect(c.back_10)
        bar.forward_clicked.connect(c.forward_10)
        bar.seek_requested.connect(c.seek_ms)
        bar.rate_chosen.connect(c.set_rate)
        bar.volume_chosen.connect(c.set_volume)
        bar.mute_clicked.connect(c.toggle_mute)
        bar.subtitles_clicked.connect(c.toggle_subtitles)
        bar.full_screen_clicked.connect(self.toggle_full_screen)
        self.video_area.double_clicked.connect(self.toggle_full_screen)

    def _make_shortcuts(self) -> None:
        c = self.controller
        keys = [
            (Qt.Key.Key_Space, c.toggle),
            (Qt.Key.Key_Left, c.back_10),
            (Qt.Key.Key_Right, c.forward_10),
            (Qt.Key.Key_F, self.toggle_full_screen),
            (Qt.Key.Key_M, c.toggle_mute),
            (Qt.Key.Key_C, c.toggle_subtitles),
        ]
        self._shortcuts = []
        for key, slot in keys:
            shortcut = QShortcut(QKeySequence(key), self)
            # Only while the player (or one of its buttons) has focus: typing in the notes
            # beside it must not pause the video.
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
            self._shortcuts.append(shortcut)
        self._escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        self._escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._escape.activated.connect(lambda: self.set_full_screen(False))
        self._escape.setEnabled(False)

    def _sync_controls(self) -> None:
        c = self.controller
        self.controls.show_playing(c.is_playing())
        self.controls.show_time(c.position_ms(), c.duration_ms())
        self.controls.show_rate(c.rate())
        self.controls.show_volume(c.volume())
        self.controls.show_muted(c.is_muted())
        self._sync_subtitles()
        self.video_area.show_subtitle(c.subtitle_text())

    def _sync_subtitles(self) -> None:
        c = self.controller
        self.controls.show_subtitles(c.subtitles_visible(), c.has_subtitles())

    def _on_time(self, _value: int = 0) -> None:
        self.controls.show_time(self.controller.position_ms(), self.controller.duration_ms())

    def _on_state(self, state: PlaybackState) -> None:
        self.controls.show_playing(state == PlaybackState.PLAYING)
        self._on_time()

    def _on_error(self, message: str) -> None:
        self._show_notice(message)
        self.error.emit(message)

    def _show_notice(self, text: str) -> None:
        self.notice_label.setText(text)
        self.notice_label.setVisible(bool(text))

    # -- events ----------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)
