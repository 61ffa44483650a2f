"""The libvlc player (python-vlc), embedded into a native widget of the window.

libvlc reports events on its own threads; this backend never registers a libvlc callback and
instead polls the player from a QTimer on the UI thread, so no Qt object is ever touched from a
VLC thread. Subtitles are not handed to libvlc (and its file autodetection is off): the view
draws them, the same way as with the QtMultimedia player.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QWidget

from companion.ui.player.backend import PlaybackState, PlayerBackend, can_embed

log = logging.getLogger(__name__)

POLL_INTERVAL_MS = 200

BASE_ARGS = (
    "--quiet",
    "--no-disable-screensaver",  # no dbus inhibit call, and no noise about it on Xvfb
    "--no-video-title-show",  # no file name painted over the first seconds of a lesson
    "--no-sub-autodetect-file",  # lesson.srt sits beside lesson.mp4: the overlay shows it
    "--no-spu",
    "--no-osd",
    "--no-stats",
)
HEADLESS_ARGS = ("--vout=dummy", "--aout=dummy")


class VlcUnavailable(RuntimeError):
    """libvlc is not installed, or is installed without its plugins, or would not start."""


def import_vlc() -> ModuleType:
    """The python-vlc module, or VlcUnavailable when libvlc cannot be loaded."""
    try:
        import vlc
    except (ImportError, OSError, NotImplementedError) as exc:
        # python-vlc raises NotImplementedError("Cannot find libvlc lib") when libvlc is absent.
        raise VlcUnavailable(f"python-vlc could not load libvlc: {exc}") from exc
    return vlc


class VlcBackend(PlayerBackend):
    name = "vlc"

    def __init__(self, parent: QObject | None = None, *, headless: bool | None = None) -> None:
        super().__init__(parent)
        self._vlc = import_vlc()
        self._embed = can_embed() if headless is None else not headless
        args = list(BASE_ARGS) + ([] if self._embed else list(HEADLESS_ARGS))
        try:
            instance = self._vlc.Instance(args)
        except (OSError, NameError, AttributeError) as exc:
            raise VlcUnavailable(f"libvlc failed to start: {exc}") from exc
        if instance is None:  # libvlc without its plugins returns NULL
            raise VlcUnavailable("libvlc failed to start (are the VLC plugins installed?)")
        self._instance: Any = instance
        self._player: Any = instance.media_player_new()
        if self._player is None:
            instance.release()
            raise VlcUnavailable("libvlc could not create a media player")
        self._player.video_set_key_input(False)  # keys and clicks belong to the Qt window
        self._player.video_set_mouse_input(False)
        self._media: Any = None
        self._media_path: Path | None = None
        self._start_ms = 0
        self._position = 0
        self._duration = 0
        self._intent: PlaybackState | None = None
        self._ignore_before_ms: int | None = None
        self._container: QWidget | None = None
        self._released = False
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_INTERVAL_MS)
        self._timer.timeout.connect(self._poll)

    # -- media -----------------------------------------------------------------------------
    def _load_media(self, video_path: Path, start_ms: int) -> None:
        self._check_alive()
        self._player.stop()
        self._media_path = video_path
        self._start_ms = start_ms
        self._intent = None
        self._duration = 0
        self.duration_changed.emit(0)
        self._update_position(start_ms)
        self._set_state(PlaybackState.STOPPED)
        if not video_path.is_file():
            self._fail(self.tr("The video file is missing: %1").replace("%1", str(video_path)))
            return
        self._prepare_media(start_ms)
        # Read the length from the file now, so the seek bar is right before the first play.
        self._media.parse_with_options(self._vlc.MediaParseFlag.local, 2000)
        self._timer.start()

    def _prepare_media(self, start_ms: int) -> None:
        assert self._media_path is not None
        media = self._instance.media_new_path(str(self._media_path))
        if start_ms > 0:
            media.add_option(f":start-time={start_ms / 1000:.3f}")
        if self._embed and self._container is None:
            media.add_option(":no-video")  # never let libvlc open a window of its own
        if self._media is not None:
            self._media.release()
        self._media = media
        self._player.set_media(media)

    def play(self) -> None:
        self._check_alive()
        if self._media is None or self._state == PlaybackState.ERROR:
            return
        if self._state in (PlaybackState.STOPPED, PlaybackState.ENDED):
            start = self._start_ms if self._state == PlaybackState.STOPPED else 0
            if self._state == PlaybackState.ENDED and self._start_ms < self._duration:
                start = self._start_ms  # a seek after the end chose where to start again
            self._prepare_media(start)
            self._update_position(start)
            # libvlc reports 0 for a moment before it has jumped to :start-time.
            self._ignore_before_ms = start - 1000 if start > 1000 else None
        if self._state == PlaybackState.PAUSED:
            self._player.set_pause(0)
        else:
            self._player.play()
        self._intent = PlaybackState.PLAYING
        self._set_state(PlaybackState.PLAYING)
        self._timer.start()

    def pause(self) -> None:
        self._check_alive()
        if self._state != PlaybackState.PLAYING:
            return
        self._player.set_pause(1)
        self._intent = PlaybackState.PAUSED
        self._set_state(PlaybackState.PAUSED)
        self._timer.start()

    def stop(self) -> None:
        self._check_alive()
        self._start_ms = self._position if self._state != PlaybackState.ENDED else 0
        self._player.stop()
        self._intent = None
        if self._state != PlaybackState.ERROR:
            self._set_state(PlaybackState.STOPPED)

    def seek(self, position_ms: int) -> None:
        self._check_alive()
        target = max(0, int(position_ms))
        if self._duration > 0:
            target = min(target, self._duration)
        if self._state in (PlaybackState.PLAYING, PlaybackState.PAUSED):
            self._player.set_time(target)
            self._ignore_before_ms = None
        else:
            self._start_ms = target  # applied when playing starts again
        self._update_position(target)

    def position_ms(self) -> int:
        return self._position

    def duration_ms(self) -> int:
        return self._duration

    # -- settings --------------------------------------------------------------------------
    def _apply_rate(self, rate: float) -> None:
        if not self._released:
            self._player.set_rate(rate)

    def _apply_volume(self, volume: int) -> None:
        if not self._released:
            self._player.audio_set_volume(volume)

    def _apply_muted(self, muted: bool) -> None:
        if not self._released:
            self._player.audio_set_mute(muted)

    # -- surface ---------------------------------------------------------------------------
    def attach_video_widget(self, container: QWidget) -> None:
        self._check_alive()
        self._container = container
        if not self._embed:
            return  # offscreen: --vout=dummy decodes without drawing
        container.setAttribute(Qt.WidgetAttribute.WA_NativeWindow, True)
        container.setAttribute(Qt.WidgetAttribute.WA_DontCreateNativeAncestors, True)
        handle = int(container.winId())
        if sys.platform.startswith("win"):
            self._player.set_hwnd(handle)
        elif sys.platform == "darwin":
            self._player.set_nsobject(handle)
        else:
            self._player.set_xwindow(handle)

    def surface_is_native(self) -> bool:
        return self._embed

    def release(self) -> None:
        if self._released:
            return
        self._released = True
        self._timer.stop()
        self._player.stop()
        self._player.release()
        if self._media is not None:
            self._media.release()
        self._instance.release()
        self._media = None

    # -- polling ---------------------------------------------------------------------------
    def _poll(self) -> None:
        if self._released:
            return
        if self._duration <= 0:
            length = self._player.get_length() if self._state != PlaybackState.STOPPED else -1
            if length <= 0 and self._media is not None:
                length = self._media.get_duration()
            if length > 0:
                self._duration = int(length)
                self.duration_changed.emit(self._duration)
        state = self._map_state(self._player.get_state())
        if state in (PlaybackState.ENDED, PlaybackState.ERROR) or state == self._intent:
            self._intent = None
        elif self._intent is not None or state is None:
            state = None  # libvlc has not caught up with the last command yet
        if state == PlaybackState.ENDED and self._duration <= 0:
            state = PlaybackState.ERROR  # libvlc "ends" a file it cannot read at once
        if state == PlaybackState.ENDED:
            self._start_ms = 0
            self._update_position(self._duration or self._position)
            self._timer.stop()
            self._set_state(state)
            return
        if state == PlaybackState.ERROR:
            self._timer.stop()
            self._fail(self.tr("This video cannot be played."))
            return
        if state is not None:
            if state == PlaybackState.PLAYING and self._state != PlaybackState.PLAYING:
                self._reapply_settings()
            self._set_state(state)
        if self._state in (PlaybackState.PLAYING, PlaybackState.PAUSED):
            time_ms = self._player.get_time()
            if self._ignore_before_ms is not None and 0 <= time_ms < self._ignore_before_ms:
                time_ms = -1
            elif time_ms >= 0:
                self._ignore_before_ms = None
            if time_ms >= 0:
                self._update_position(int(time_ms))
        elif self._duration > 0 and self._intent is None:
            self._timer.stop()  # paused or stopped: nothing changes until the next command

    def _map_state(self, vlc_state: Any) -> PlaybackState | None:
        s = self._vlc.State
        return {
            s.Playing: PlaybackState.PLAYING,
            s.Paused: PlaybackState.PAUSED,
            s.Stopped: PlaybackState.STOPPED,
            s.Ended: PlaybackState.ENDED,
            s.Error: PlaybackState.ERROR,
        }.get(vlc_state)  # NothingSpecial, Opening, Buffering: in between

    def _reapply_settings(self) -> None:
        # libvlc creates its audio output when playback starts and may drop earlier settings.
        self._player.set_rate(self._rate)
        self._player.audio_set_volume(self._volume)
        self._player.audio_set_mute(self._muted)

    def _update_position(self, position_ms: int) -> None:
        if position_ms != self._position:
            self._position = position_ms
            self.position_changed.emit(position_ms)
        self._emit_subtitle(position_ms)

    def _fail(self, message: str) -> None:
        log.warning("vlc: %s (%s)", message, self._media_path)
        self._set_state(PlaybackState.ERROR)
        self.error.emit(message)

    def _check_alive(self) -> None:
        if self._released:
            raise RuntimeError("this player was released")
