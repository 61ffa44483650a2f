"""The built-in player (QtMultimedia with the FFmpeg it ships): the fallback where libvlc is
missing or will not start.

QtMultimedia does not draw external SubRip files; like the VLC backend, this one reports the
current cue and the view draws it. Frames are painted by a plain widget rather than a
QVideoWidget: QVideoWidget's native window sits above every sibling and hid the subtitles.

Commands reach the QMediaPlayer through queued signal connections to its C++ slots, never by
calling them from Python: FFmpeg's worker threads ask the Python wrappers of these objects a
question (which needs Python's lock) while holding a Qt connection lock, and a direct call such
as ``stop()`` made from Python holds Python's lock while waiting for that Qt lock; the two
threads then wait for each other forever (seen about once in a hundred stops). A queued call runs
from the event loop, where Python's lock is free. The backend keeps its own state at once, as
before; the player follows within the same turn of the event loop.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, QRectF, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer, QtAudio, QVideoFrame, QVideoSink
from PySide6.QtWidgets import QVBoxLayout, QWidget

from companion.ui.player.backend import PlaybackState, PlayerBackend

log = logging.getLogger(__name__)

POLL_INTERVAL_MS = 200

_Status = QMediaPlayer.MediaStatus
_QtState = QMediaPlayer.PlaybackState


class FrameView(QWidget):
    """Paints the video frames itself (no native window), so the subtitle overlay can be drawn
    over the picture, see-through, like over any other widget."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self._frame = QVideoFrame()
        self._options = QVideoFrame.PaintOptions()
        self._options.aspectRatioMode = Qt.AspectRatioMode.KeepAspectRatio
        self._options.backgroundColor = Qt.GlobalColor.black

    def show_frame(self, frame: QVideoFrame) -> None:
        self._frame = frame
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), Qt.GlobalColor.black)
        if self._frame.isValid():
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
            self._frame.paint(painter, QRectF(self.rect()), self._options)
        painter.end()


class QtBackend(PlayerBackend):
    name = "qt"

    # Commands for the player, queued to its C++ slots (see the module's docstring).
    _cmd_play = Signal()
    _cmd_pause = Signal()
    _cmd_stop = Signal()
    _cmd_seek = Signal("qint64")
    _cmd_source = Signal(QUrl)
    _cmd_rate = Signal(float)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # Everything is parented to this backend: parentless audio outputs and sinks crashed
        # at exit on this platform.
        self._player = QMediaPlayer(self)
        queued = Qt.ConnectionType.QueuedConnection
        self._cmd_play.connect(self._player.play, queued)
        self._cmd_pause.connect(self._player.pause, queued)
        self._cmd_stop.connect(self._player.stop, queued)
        self._cmd_seek.connect(self._player.setPosition, queued)
        self._cmd_source.connect(self._player.setSource, queued)
        self._cmd_rate.connect(self._player.setPlaybackRate, queued)
        self._audio = QAudioOutput(self)
        self._sink = QVideoSink(self)  # the frames; a FrameView paints them once attached
        self._player.setAudioOutput(self._audio)
        self._player.setVideoOutput(self._sink)
        self._view: FrameView | None = None
        self._has_media = False
        self._position = 0
        self._duration = 0
        self._pending_start_ms: int | None = None
        self._released = False
        self._player.positionChanged.connect(self._on_position)
        self._player.durationChanged.connect(self._on_duration)
        self._player.playbackStateChanged.connect(self._on_playback_state)
        self._player.mediaStatusChanged.connect(self._on_media_status)
        self._player.errorOccurred.connect(self._on_error)
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_INTERVAL_MS)
        self._timer.timeout.connect(lambda: self._on_position(self._player.position()))

    # -- media -----------------------------------------------------------------------------
    def _load_media(self, video_path: Path, start_ms: int) -> None:
        self._check_alive()
        self._cmd_stop.emit()
        self._duration = 0
        self.duration_changed.emit(0)
        self._set_position(start_ms)
        self._set_state(PlaybackState.STOPPED)
        if not video_path.is_file():
            self._has_media = False
            self._cmd_source.emit(QUrl())
            self._fail(self.tr("The video file is missing: %1").replace("%1", str(video_path)))
            return
        self._has_media = True
        self._pending_start_ms = start_ms or None
        self._cmd_source.emit(QUrl.fromLocalFile(str(video_path.resolve())))

    def play(self) -> None:
        self._check_alive()
        if not self._has_media or self._state == PlaybackState.ERROR:
            return
        if self._state == PlaybackState.ENDED:
            self._pending_start_ms = self._pending_start_ms or 0
        if self._pending_start_ms is not None and self._player.isSeekable():
            self._cmd_seek.emit(self._pending_start_ms)
            self._pending_start_ms = None
        self._cmd_play.emit()
        self._set_state(PlaybackState.PLAYING)
        self._timer.start()

    def pause(self) -> None:
        self._check_alive()
        if self._state == PlaybackState.PLAYING:
            self._cmd_pause.emit()
            self._set_state(PlaybackState.PAUSED)
            self._timer.stop()

    def stop(self) -> None:
        self._check_alive()
        resume_ms = self._position if self._state != PlaybackState.ENDED else 0
        self._cmd_stop.emit()
        self._timer.stop()
        if self._has_media:
            self._pending_start_ms = resume_ms
            self._set_position(resume_ms)
        if self._state != PlaybackState.ERROR:
            self._set_state(PlaybackState.STOPPED)

    def seek(self, position_ms: int) -> None:
        self._check_alive()
        target = max(0, int(position_ms))
        if self._duration > 0:
            target = min(target, self._duration)
        if self._state in (PlaybackState.PLAYING, PlaybackState.PAUSED) \
                and self._player.isSeekable():
            self._cmd_seek.emit(target)
        else:
            self._pending_start_ms = target
        self._set_position(target)

    def position_ms(self) -> int:
        return self._position

    def duration_ms(self) -> int:
        return self._duration

    # -- settings --------------------------------------------------------------------------
    def _apply_rate(self, rate: float) -> None:
        self._cmd_rate.emit(rate)

    def _apply_volume(self, volume: int) -> None:
        # The slider is in perceived loudness; QAudioOutput wants a linear factor.
        linear = QtAudio.convertVolume(volume / 100, QtAudio.VolumeScale.LogarithmicVolumeScale,
                                       QtAudio.VolumeScale.LinearVolumeScale)
        self._audio.setVolume(linear)

    def _apply_muted(self, muted: bool) -> None:
        self._audio.setMuted(muted)

    # -- surface ---------------------------------------------------------------------------
    def attach_video_widget(self, container: QWidget) -> None:
        self._check_alive()
        if self._view is None:
            self._view = FrameView(container)
            self._sink.videoFrameChanged.connect(self._view.show_frame)
        else:
            self._view.setParent(container)
        layout = container.layout() or QVBoxLayout(container)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._view)
        self._view.show()

    def release(self) -> None:
        if self._released:
            return
        self._released = True
        self._timer.stop()
        self._cmd_stop.emit()
        self._cmd_source.emit(QUrl())  # before any of these objects is destroyed
        self._has_media = False
        if self._view is not None:
            self._view.show_frame(QVideoFrame())

    # -- QMediaPlayer signals ----------------------------------------------------------------
    def _on_position(self, position_ms: int) -> None:
        if self._state in (PlaybackState.PLAYING, PlaybackState.PAUSED):
            self._set_position(int(position_ms))

    def _on_duration(self, duration_ms: int) -> None:
        if duration_ms > 0 and duration_ms != self._duration:
            self._duration = int(duration_ms)
            self.duration_changed.emit(self._duration)

    def _on_playback_state(self, state: QMediaPlayer.PlaybackState) -> None:
        if state == _QtState.PlayingState:
            self._set_state(PlaybackState.PLAYING)
        elif state == _QtState.PausedState:
            self._set_state(PlaybackState.PAUSED)
        elif self._player.mediaStatus() == _Status.EndOfMedia:
            self._finish()
        # Any other stop either came from stop() (state already set) or precedes the
        # EndOfMedia or error report that follows at once: do not flash "stopped" before it.

    def _on_media_status(self, status: QMediaPlayer.MediaStatus) -> None:
        if status == _Status.EndOfMedia:
            self._finish()
        elif status == _Status.InvalidMedia:
            self._fail(self.tr("This video cannot be played."))
        elif status == _Status.LoadedMedia and self._pending_start_ms \
                and self._player.isSeekable():
            self._cmd_seek.emit(self._pending_start_ms)
            self._pending_start_ms = None

    def _on_error(self, _error: QMediaPlayer.Error, message: str) -> None:
        if _error != QMediaPlayer.Error.NoError:
            log.warning("qt player: %s", message)
            self._fail(self.tr("This video cannot be played."))

    def _finish(self) -> None:
        if self._state == PlaybackState.ENDED:
            return
        self._timer.stop()
        self._pending_start_ms = 0
        self._set_position(self._duration or self._player.position())
        self._set_state(PlaybackState.ENDED)

    def _set_position(self, position_ms: int) -> None:
        if position_ms != self._position:
            self._position = position_ms
            self.position_changed.emit(position_ms)
        self._emit_subtitle(position_ms)

    def _fail(self, message: str) -> None:
        if self._state == PlaybackState.ERROR:
            return
        self._timer.stop()
        self._set_state(PlaybackState.ERROR)
        self.error.emit(message)

    def _check_alive(self) -> None:
        if self._released:
            raise RuntimeError("this player was released")
