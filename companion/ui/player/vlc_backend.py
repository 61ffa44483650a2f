"""The libvlc player (python-vlc), embedded into a native widget of the window.

libvlc reports events on its own threads; this backend never registers a libvlc callback and
instead polls the player from a QTimer on the UI thread, so no Qt object is ever touched from a
VLC thread. Subtitles are not handed to libvlc (and its file autodetection is off): the view
draws them, the same way as with the QtMultimedia player.

Starting is watched closely: libvlc shows the first frame some 20 to 90 ms after ``play()`` but
its clock (``get_time``) first moves only about 0.4 s later. So from ``play()`` until that clock
moves, the player is polled every ``START_POLL_INTERVAL_MS``; once the video output exists (the
first frame is up) the position is counted on from a monotonic clock, and libvlc's own time takes
over as soon as it reports one (never stepping back a little at the hand-over).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QWidget

from companion.ui.player.backend import PlaybackState, PlayerBackend, can_embed

log = logging.getLogger(__name__)

POLL_INTERVAL_MS = 200
#: While playback starts: how often to look, and for how long at most.
START_POLL_INTERVAL_MS = 30
START_WATCH_S = 3.0
#: Audio-only media never get a video output: counted as started this long after "Playing".
NO_VOUT_GRACE_S = 0.25

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


#: One libvlc instance per set of options, kept for the life of the process. Starting libvlc
#: loads its plugin bank and threads: doing that once is quicker for every lesson opened after
#: the first, and creating and releasing instances over and over is the least exercised (and,
#: with libvlc 3, the least reliable) way to use the library.
_INSTANCES: dict[tuple[str, ...], Any] = {}


def shared_instance(vlc: ModuleType, args: tuple[str, ...]) -> Any:
    """The process's libvlc instance for these options; VlcUnavailable when it cannot start."""
    instance = _INSTANCES.get(args)
    if instance is not None:
        return instance
    try:
        instance = vlc.Instance(list(args))
    except (OSError, NameError, AttributeError) as exc:
        raise VlcUnavailable(f"libvlc failed to start: {exc}") from exc
    if instance is None:  # libvlc without its plugins returns NULL
        raise VlcUnavailable("libvlc failed to start (are the VLC plugins installed?)")
    _INSTANCES[args] = instance
    route_logs(vlc, instance)
    return instance


# -- VLC's and ALSA's messages go to our log, not to the terminal ---------------------------------
# On a PC without a sound card alsa-lib prints its complaints to stderr each time VLC probes
# it (thousands of lines a day); libvlc's own messages are silenced by --quiet. Both end up in
# the Python log instead, at debug level: there when a trainer looks, quiet otherwise.

_KEEP_ALIVE: list[Any] = []  # ctypes callbacks must outlive every call libvlc makes to them


def route_logs(vlc: ModuleType, instance: Any) -> None:
    """Send ``instance``'s log and alsa-lib's error messages to this module's logger."""
    try:
        _route_alsa()
    except (OSError, AttributeError):  # no alsa-lib (Windows, macOS): nothing to silence
        pass
    try:
        _route_vlc(vlc, instance)
    except (OSError, AttributeError, TypeError):
        log.debug("the VLC log stays with VLC", exc_info=True)


def _route_alsa() -> None:
    if any(kind == "alsa" for kind, _cb in _KEEP_ALIVE):
        return
    alsa = ctypes.CDLL(ctypes.util.find_library("asound") or "libasound.so.2")
    # alsa-lib's handler is variadic; the fixed arguments are all that can be read from here.
    handler_type = ctypes.CFUNCTYPE(None, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                                    ctypes.c_int, ctypes.c_char_p)

    def handler(file: bytes | None, line: int, function: bytes | None, err: int,
                fmt: bytes | None) -> None:
        log.debug("alsa %s:%d %s: %s (error %d)", _text(file), line, _text(function),
                  _text(fmt), err)

    callback = handler_type(handler)
    alsa.snd_lib_error_set_handler(callback)
    _KEEP_ALIVE.append(("alsa", callback))


def _route_vlc(vlc: ModuleType, instance: Any) -> None:
    libc_name = ctypes.util.find_library("c") or ctypes.util.find_library("msvcrt")
    libc = ctypes.CDLL(libc_name)
    vsnprintf = getattr(libc, "vsnprintf", None) or libc._vsnprintf
    vsnprintf.argtypes = (ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_void_p)
    vsnprintf.restype = ctypes.c_int
    levels = {4: logging.INFO, 3: logging.DEBUG}  # libvlc: error 4, warning 3, notice 2, debug 0

    def handler(_data: Any, level: int, _ctx: Any, fmt: bytes, args: Any) -> None:
        python_level = levels.get(level)
        if python_level is None or not log.isEnabledFor(python_level):
            return
        buffer = ctypes.create_string_buffer(1024)
        vsnprintf(buffer, len(buffer), fmt, args)
        log.log(python_level, "vlc: %s", _text(buffer.value))

    callback = vlc.CallbackDecorators.LogCb(handler)
    instance.log_set(callback, None)
    _KEEP_ALIVE.append(("vlc", callback))


def _text(raw: bytes | None) -> str:
    return (raw or b"").decode("utf-8", "replace")


class VlcBackend(PlayerBackend):
    name = "vlc"

    def __init__(self, parent: QObject | None = None, *, headless: bool | None = None) -> None:
        super().__init__(parent)
        self._vlc = import_vlc()
        self._embed = can_embed() if headless is None else not headless
        args = tuple(BASE_ARGS) + (() if self._embed else HEADLESS_ARGS)
        instance = shared_instance(self._vlc, args)
        self._instance: Any = instance
        self._player: Any = instance.media_player_new()
        if self._player is None:
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
        # Starting: when play() began (perf_counter), when the first frame was seen (the
        # position is counted on from there until libvlc's clock moves), and where from.
        self._starting_since: float | None = None
        self._playing_seen_at: float | None = None
        self._estimate_from: tuple[float, int] | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_INTERVAL_MS)
        self._timer.timeout.connect(self._poll)

    # -- media -----------------------------------------------------------------------------
    def _load_media(self, video_path: Path, start_ms: int) -> None:
        self._check_alive()
        self._player.stop()
        self._end_start_watch()
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
            self._begin_start_watch()
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
        self._end_start_watch()
        self._intent = PlaybackState.PAUSED
        self._set_state(PlaybackState.PAUSED)
        self._timer.start()

    def stop(self) -> None:
        self._check_alive()
        self._start_ms = self._position if self._state != PlaybackState.ENDED else 0
        self._player.stop()
        self._end_start_watch()
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
            self._end_start_watch()  # set_time reads back at once
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
        self._media = None  # the libvlc instance stays: it is shared for the process's life

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
        if state in (PlaybackState.ENDED, PlaybackState.ERROR):
            self._end_start_watch()
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
            if self._starting_since is not None:
                self._watch_start(time_ms)
            elif time_ms >= 0:
                self._update_position(int(time_ms))
        elif self._duration > 0 and self._intent is None:
            self._timer.stop()  # paused or stopped: nothing changes until the next command

    # -- starting ----------------------------------------------------------------------------
    def _begin_start_watch(self) -> None:
        self._starting_since = time.perf_counter()
        self._playing_seen_at = None
        self._estimate_from = None
        self._timer.setInterval(START_POLL_INTERVAL_MS)

    def _end_start_watch(self) -> None:
        self._starting_since = self._playing_seen_at = self._estimate_from = None
        self._timer.setInterval(POLL_INTERVAL_MS)

    def _watch_start(self, time_ms: int) -> None:
        """One look while playback starts. ``time_ms`` is libvlc's time (-1: none yet)."""
        assert self._starting_since is not None
        now = time.perf_counter()
        if self._estimate_from is not None and time_ms > self._estimate_from[1]:
            # libvlc's clock moved: it takes over; a reading a little behind the count so far
            # is skipped rather than stepping back.
            self._end_start_watch()
            if time_ms >= self._position:
                self._update_position(int(time_ms))
            return
        if now - self._starting_since > START_WATCH_S:
            self._end_start_watch()
            if time_ms >= 0:
                self._update_position(int(time_ms))
            return
        if self._player.get_state() != self._vlc.State.Playing:
            return
        if self._playing_seen_at is None:
            self._playing_seen_at = now
        if self._estimate_from is None:
            has_frame = self._player.has_vout() > 0
            if not has_frame and now - self._playing_seen_at < NO_VOUT_GRACE_S:
                return
            # The first frame is up: count on from here, from where libvlc said it started.
            self._estimate_from = (now, max(self._position, time_ms))
            return
        since, base = self._estimate_from
        estimate = base + int((now - since) * 1000 * self._rate)
        if self._duration > 0:
            estimate = min(estimate, self._duration)
        self._update_position(estimate)

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
