"""What the player does when a person uses it, kept out of the widgets so it can be tested alone.

The controller drives any ``PlayerBackend``: it clamps seeks and skips, resumes at a saved
position, asks for the position to be saved every few seconds and on pause or close, and says
once per opening when the lesson counts as watched (90%, the same rule as the core's progress).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from companion.ui.player.backend import PlaybackState, PlayerBackend, clamp_rate, clamp_volume

SKIP_MS = 10_000
SAVE_INTERVAL_MS = 5_000
WATCHED_FRACTION = 0.9  # same rule as companion.core.catalog.DONE_FRACTION
SPEEDS = (0.75, 1.0, 1.25, 1.5, 2.0)
#: A saved position this close to the end starts the lesson again from the beginning.
RESTART_MARGIN_MS = 1_000


def format_time(ms: int) -> str:
    """``m:ss`` (``h:mm:ss`` from an hour on) for a time in milliseconds."""
    total = max(0, int(ms)) // 1000
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{seconds:02d}"
    return f"{minutes}:{seconds:02d}"


def time_text(position_ms: int, duration_ms: int) -> str:
    """The seek bar's label, e.g. ``0:42 / 2:15``."""
    return f"{format_time(position_ms)} / {format_time(duration_ms)}"


def format_speed(rate: float) -> str:
    """``1.25×`` for a playback rate (no trailing zeros)."""
    return f"{rate:g}×"


class PlayerController(QObject):
    position_changed = Signal(int)  # ms
    duration_changed = Signal(int)  # ms
    state_changed = Signal(object)  # PlaybackState
    subtitle_changed = Signal(str)  # the text to draw now, "" for none
    rate_changed = Signal(float)
    volume_changed = Signal(int)
    muted_changed = Signal(bool)
    subtitles_visible_changed = Signal(bool)
    #: The position in seconds to store: every few seconds while playing, on pause, stop,
    #: end and close.
    position_saved_needed = Signal(float)
    #: 90% of the video was reached (once per opening); carries the position in seconds.
    watched_90 = Signal(float)
    ended = Signal()
    error = Signal(str)

    def __init__(self, backend: PlayerBackend, parent: QObject | None = None, *,
                 save_interval_ms: int = SAVE_INTERVAL_MS) -> None:
        super().__init__(parent)
        self._backend = backend
        self._opened = False
        self._start_ms = 0
        self._watched_reported = False
        self._last_saved_ms: int | None = None
        self._save_timer = QTimer(self)
        self._save_timer.setInterval(save_interval_ms)
        self._save_timer.timeout.connect(self.save_position)
        backend.position_changed.connect(self._on_position)
        backend.duration_changed.connect(self._on_duration)
        backend.state_changed.connect(self._on_state)
        backend.subtitle_changed.connect(self.subtitle_changed)
        backend.error.connect(self.error)

    @property
    def backend(self) -> PlayerBackend:
        return self._backend

    # -- opening ---------------------------------------------------------------------------
    def open(self, video_path: str | Path, subtitle_path: str | Path | None = None,
             resume_s: float = 0.0, autoplay: bool = True) -> None:
        """Open a lesson video at its saved position (seconds) and start it unless told not to."""
        if self._opened:
            self.save_position()
        self._opened = True
        self._watched_reported = False
        self._last_saved_ms = None
        self._start_ms = max(0, round(resume_s * 1000)) if resume_s == resume_s else 0
        self._backend.load(video_path, subtitle_path, self._start_ms)
        if autoplay and self._backend.state() != PlaybackState.ERROR:
            self._backend.play()

    def has_subtitles(self) -> bool:
        return self._backend.has_subtitles()

    # -- transport -------------------------------------------------------------------------
    def play(self) -> None:
        self._backend.play()

    def pause(self) -> None:
        self._backend.pause()

    def toggle(self) -> None:
        self._backend.toggle()

    def stop(self) -> None:
        self._backend.stop()

    def state(self) -> PlaybackState:
        return self._backend.state()

    def is_playing(self) -> bool:
        return self._backend.state() == PlaybackState.PLAYING

    def seek_ms(self, position_ms: int) -> None:
        """Jump to a position, kept inside the video."""
        target = max(0, int(position_ms))
        duration = self._backend.duration_ms()
        if duration > 0:
            target = min(target, duration)
        self._backend.seek(target)

    def seek_s(self, seconds: float) -> None:
        """Jump to a time in seconds (a timestamp clicked in the notes)."""
        self.seek_ms(round(seconds * 1000))

    def skip(self, delta_ms: int) -> None:
        self.seek_ms(self._backend.position_ms() + delta_ms)

    def back_10(self) -> None:
        self.skip(-SKIP_MS)

    def forward_10(self) -> None:
        self.skip(SKIP_MS)

    def position_ms(self) -> int:
        return self._backend.position_ms()

    def duration_ms(self) -> int:
        return self._backend.duration_ms()

    def current_time_s(self) -> float:
        return self._backend.position_ms() / 1000

    def duration_s(self) -> float:
        return self._backend.duration_ms() / 1000

    # -- settings --------------------------------------------------------------------------
    def set_rate(self, rate: float) -> None:
        rate = clamp_rate(rate)
        if rate != self._backend.rate():
            self._backend.set_rate(rate)
            self.rate_changed.emit(rate)

    def rate(self) -> float:
        return self._backend.rate()

    def set_volume(self, volume: int) -> None:
        volume = clamp_volume(volume)
        if volume > 0 and self._backend.is_muted():
            self.set_muted(False)  # moving the volume up is a clear wish to hear it
        if volume != self._backend.volume():
            self._backend.set_volume(volume)
            self.volume_changed.emit(volume)

    def volume(self) -> int:
        return self._backend.volume()

    def set_muted(self, muted: bool) -> None:
        if bool(muted) != self._backend.is_muted():
            self._backend.set_muted(bool(muted))
            self.muted_changed.emit(bool(muted))

    def toggle_mute(self) -> None:
        self.set_muted(not self._backend.is_muted())

    def is_muted(self) -> bool:
        return self._backend.is_muted()

    def set_subtitles_visible(self, visible: bool) -> None:
        if bool(visible) != self._backend.subtitles_visible():
            self._backend.set_subtitles_visible(bool(visible))
            self.subtitles_visible_changed.emit(bool(visible))

    def toggle_subtitles(self) -> None:
        self.set_subtitles_visible(not self._backend.subtitles_visible())

    def subtitles_visible(self) -> bool:
        return self._backend.subtitles_visible()

    def subtitle_text(self) -> str:
        return self._backend.subtitle_text()

    # -- saving ----------------------------------------------------------------------------
    def save_position(self) -> None:
        """Ask for the current position to be stored (skipped when unchanged since last time)."""
        if not self._opened or self._backend.state() == PlaybackState.ERROR:
            return
        position = self._backend.position_ms()
        if position != self._last_saved_ms:
            self._last_saved_ms = position
            self.position_saved_needed.emit(position / 1000)

    def close(self) -> None:
        """Save the position and free the player (when the lesson screen closes)."""
        self._save_timer.stop()
        self.save_position()
        self._opened = False
        self._backend.release()

    # -- backend reports ---------------------------------------------------------------------
    def _on_position(self, position_ms: int) -> None:
        self.position_changed.emit(position_ms)
        self._check_watched(position_ms)

    def _on_duration(self, duration_ms: int) -> None:
        self.duration_changed.emit(duration_ms)
        if duration_ms > 0 and self._start_ms >= duration_ms - RESTART_MARGIN_MS:
            # Resuming a finished video would end it at once: start it from the top instead.
            self._start_ms = 0
            self._backend.seek(0)

    def _on_state(self, state: PlaybackState) -> None:
        if state == PlaybackState.PLAYING:
            self._save_timer.start()
        else:
            self._save_timer.stop()
        if state == PlaybackState.ENDED:
            self._check_watched(self._backend.duration_ms(), at_end=True)
        if state in (PlaybackState.PAUSED, PlaybackState.STOPPED, PlaybackState.ENDED):
            self.save_position()
        self.state_changed.emit(state)
        if state == PlaybackState.ENDED:
            self.ended.emit()

    def _check_watched(self, position_ms: int, at_end: bool = False) -> None:
        if self._watched_reported or not self._opened:
            return
        duration = self._backend.duration_ms()
        if at_end or (duration > 0 and position_ms >= WATCHED_FRACTION * duration):
            self._watched_reported = True
            self.watched_90.emit(position_ms / 1000)
