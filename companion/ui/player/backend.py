"""The one small interface both video players (libvlc and QtMultimedia) implement.

A backend only plays media and reports what happens, always on the UI thread. Everything a
person decides (skip 10 s, resume, when a lesson counts as watched) lives in the controller, and
subtitles are drawn by the view from the cue the backend reports, so they look and behave the
same whichever player runs underneath.
"""

from __future__ import annotations

import enum
import logging
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from companion.core.subtitles import SubtitleTrack, read_srt

log = logging.getLogger(__name__)

#: Qt platforms with real native windows (a video player can draw into them).
EMBEDDABLE_PLATFORMS = frozenset({"xcb", "windows", "cocoa"})
MIN_RATE = 0.75
MAX_RATE = 2.0


class PlaybackState(enum.Enum):
    STOPPED = "stopped"
    PLAYING = "playing"
    PAUSED = "paused"
    ENDED = "ended"
    ERROR = "error"


def can_embed() -> bool:
    """True when the Qt platform gives real windows that a video player can draw into."""
    return QGuiApplication.platformName() in EMBEDDABLE_PLATFORMS


def clamp_rate(rate: float) -> float:
    """A playback speed the player accepts (0.75x to 2x)."""
    return min(MAX_RATE, max(MIN_RATE, float(rate)))


def clamp_volume(volume: int) -> int:
    """A volume from 0 to 100."""
    return min(100, max(0, int(volume)))


def load_subtitles(path: str | Path | None) -> SubtitleTrack:
    """The cues of a subtitle file; an absent or unreadable file gives an empty track."""
    if path is None:
        return SubtitleTrack()
    try:
        return SubtitleTrack(read_srt(path))
    except OSError as exc:
        log.warning("subtitles %s could not be read: %s", path, exc)
        return SubtitleTrack()


class PlayerBackend(QObject):
    """Plays one video at a time. Subclasses implement the ``_``-less abstract methods.

    Signals are emitted on the UI thread only. ``subtitle_changed`` carries the text the view
    must draw now ("" for none); it already respects ``set_subtitles_visible``.
    """

    position_changed = Signal(int)  # ms
    duration_changed = Signal(int)  # ms
    state_changed = Signal(object)  # PlaybackState
    ended = Signal()
    error = Signal(str)
    subtitle_changed = Signal(str)

    #: A short name for logs and the "which player" notice.
    name = "abstract"

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._state = PlaybackState.STOPPED
        self._subtitles = SubtitleTrack()
        self._subtitles_visible = True
        self._subtitle_text = ""
        self._rate = 1.0
        self._volume = 100
        self._muted = False

    # -- media -----------------------------------------------------------------------------
    def load(self, video_path: str | Path, subtitle_path: str | Path | None = None,
             start_ms: int = 0) -> None:
        """Open a video (paused at ``start_ms``, not playing) with optional SubRip subtitles."""
        self._subtitles = load_subtitles(subtitle_path)
        self._emit_subtitle(max(0, int(start_ms)))
        self._load_media(Path(video_path), max(0, int(start_ms)))

    def play(self) -> None:
        raise NotImplementedError

    def pause(self) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def seek(self, position_ms: int) -> None:
        """Jump to ``position_ms`` (clamped to the video)."""
        raise NotImplementedError

    def position_ms(self) -> int:
        raise NotImplementedError

    def duration_ms(self) -> int:
        """The length of the video, or 0 while unknown."""
        raise NotImplementedError

    def toggle(self) -> None:
        """Play when paused, stopped or ended; pause when playing."""
        if self._state == PlaybackState.PLAYING:
            self.pause()
        else:
            self.play()

    def state(self) -> PlaybackState:
        return self._state

    # -- settings ----------------------------------------------------------------------------
    def set_rate(self, rate: float) -> None:
        self._rate = clamp_rate(rate)
        self._apply_rate(self._rate)

    def rate(self) -> float:
        return self._rate

    def set_volume(self, volume: int) -> None:
        self._volume = clamp_volume(volume)
        self._apply_volume(self._volume)

    def volume(self) -> int:
        return self._volume

    def set_muted(self, muted: bool) -> None:
        self._muted = bool(muted)
        self._apply_muted(self._muted)

    def is_muted(self) -> bool:
        return self._muted

    def set_subtitles_visible(self, visible: bool) -> None:
        self._subtitles_visible = bool(visible)
        self._emit_subtitle(self.position_ms())

    def subtitles_visible(self) -> bool:
        return self._subtitles_visible

    def has_subtitles(self) -> bool:
        return bool(self._subtitles)

    def subtitle_text(self) -> str:
        """The subtitle text shown now ("" when none or hidden)."""
        return self._subtitle_text

    # -- video surface ---------------------------------------------------------------------
    def attach_video_widget(self, container: QWidget) -> None:
        """Show the video inside ``container`` (an empty widget the view owns)."""
        raise NotImplementedError

    def surface_is_native(self) -> bool:
        """True when the video is drawn by a native window that overlays must sit above."""
        return False

    def release(self) -> None:
        """Stop and free the player; the backend cannot be used afterwards."""
        raise NotImplementedError

    # -- for subclasses ----------------------------------------------------------------------
    def _load_media(self, video_path: Path, start_ms: int) -> None:
        raise NotImplementedError

    def _apply_rate(self, rate: float) -> None:
        raise NotImplementedError

    def _apply_volume(self, volume: int) -> None:
        raise NotImplementedError

    def _apply_muted(self, muted: bool) -> None:
        raise NotImplementedError

    def _set_state(self, state: PlaybackState) -> None:
        if state == self._state:
            return
        self._state = state
        self.state_changed.emit(state)
        if state == PlaybackState.ENDED:
            self.ended.emit()

    def _emit_subtitle(self, position_ms: int) -> None:
        text = self._subtitles.text_at(position_ms) if self._subtitles_visible else ""
        if text != self._subtitle_text:
            self._subtitle_text = text
            self.subtitle_changed.emit(text)
