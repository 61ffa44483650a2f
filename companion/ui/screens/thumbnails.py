"""Lesson thumbnails: a frame at about 10% of the video, made with QtMultimedia (silent, no
window), scaled, cached as ``thumbnails_dir/<sha>.png`` and in memory.

Made lazily: only rows that get painted ask for one, newest request first, one video decoded at a
time, so the list stays smooth while thumbnails fill in. Disk work (reading and writing PNGs)
runs through the task helper; decoding runs inside QMediaPlayer's own threads.
"""

from __future__ import annotations

import logging
import os
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtMultimedia import QMediaPlayer, QVideoFrame, QVideoSink

from companion.ui.tasks import TaskContext, TaskRunner

log = logging.getLogger(__name__)

THUMB_WIDTH = 320
SEEK_FRACTION = 0.10
GRAB_TIMEOUT_MS = 8000
MAX_WANTED = 48  # requests kept waiting (rows scrolled past are dropped first)
MEMORY_CACHE = 400


class FrameGrabber(QObject):
    """Grabs one frame of one video and reports it with ``done(image)`` (a null QImage when it
    could not). The player has no audio output, so nothing is ever heard."""

    done = Signal(QImage)

    def __init__(self, video: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._player = QMediaPlayer(self)
        self._sink = QVideoSink(self)
        self._player.setVideoSink(self._sink)
        self._target_ms = 0
        self._frames = 0
        self._finished = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(lambda: self._finish(QImage()))
        self._player.mediaStatusChanged.connect(self._on_status)
        self._player.errorOccurred.connect(lambda *_: self._finish(QImage()))
        self._sink.videoFrameChanged.connect(self._on_frame)
        self._video = video

    def start(self) -> None:
        self._timer.start(GRAB_TIMEOUT_MS)
        self._player.setSource(QUrl.fromLocalFile(str(self._video)))

    def _on_status(self, status: QMediaPlayer.MediaStatus) -> None:
        if status == QMediaPlayer.MediaStatus.LoadedMedia and not self._frames:
            self._target_ms = int(self._player.duration() * SEEK_FRACTION)
            if self._target_ms > 0 and self._player.isSeekable():
                self._player.setPosition(self._target_ms)
            self._player.play()
        elif status in (QMediaPlayer.MediaStatus.InvalidMedia,
                        QMediaPlayer.MediaStatus.EndOfMedia):
            self._finish(QImage())

    def _on_frame(self, frame: QVideoFrame) -> None:
        if self._finished or not frame.isValid():
            return
        self._frames += 1
        at_ms = frame.startTime() // 1000 if frame.startTime() >= 0 else -1
        # Some files deliver the first frame before the seek lands: wait a few frames for it.
        if at_ms < self._target_ms - 400 and self._frames < 12:
            return
        self._finish(frame.toImage())

    def _finish(self, image: QImage) -> None:
        if self._finished:
            return
        self._finished = True
        self._timer.stop()
        self._player.stop()
        self._player.setSource(QUrl())  # before anything is destroyed (see PLATFORM-NOTES)
        self.done.emit(image)

    def release(self) -> None:
        self._finish(QImage())


def _thumb_path(folder: Path, sha: str) -> Path:
    return folder / f"{sha}.png"


def _read_png(path: Path) -> QImage | None:
    if not path.is_file():
        return None
    image = QImage(str(path))
    return None if image.isNull() else image


def _write_png(image: QImage, path: Path) -> QImage:
    """Scale and store a thumbnail atomically; returns the scaled image."""
    small = image.scaledToWidth(THUMB_WIDTH, Qt.TransformationMode.SmoothTransformation) \
        if image.width() > THUMB_WIDTH else image
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    if small.save(str(tmp), "PNG"):
        os.replace(tmp, path)
    return small


class ThumbnailProvider(QObject):
    """``get(sha, video_path)`` returns a cached pixmap or None and asks for one in the
    background; ``ready(sha)`` says when it is there."""

    ready = Signal(str)

    def __init__(self, folder: Path, tasks: TaskRunner, parent: QObject | None = None,
                 max_active: int = 1) -> None:
        super().__init__(parent)
        self.folder = Path(folder)
        self._tasks = tasks
        self._max_active = max_active
        self._cache: OrderedDict[str, QPixmap] = OrderedDict()
        self._wanted: OrderedDict[str, Path] = OrderedDict()
        self._busy: set[str] = set()
        self._failed: set[str] = set()
        self._grabbers: dict[str, FrameGrabber] = {}
        self._closed = False

    def get(self, sha: str | None, video: Callable[[], Path | None]) -> QPixmap | None:
        """The thumbnail of video ``sha`` if ready; otherwise ask for it (``video`` gives the
        file, called only when needed) and return None."""
        if not sha:
            return None
        pixmap = self._cache.get(sha)
        if pixmap is not None:
            self._cache.move_to_end(sha)
            return pixmap
        if sha in self._failed or sha in self._busy or self._closed:
            return None
        if sha not in self._wanted:
            path = video()
            if path is None:
                self._failed.add(sha)
                return None
            self._wanted[sha] = path
        self._wanted.move_to_end(sha)  # newest request first: the rows on screen now
        while len(self._wanted) > MAX_WANTED:
            self._wanted.popitem(last=False)
        QTimer.singleShot(0, self._pump)
        return None

    def pending(self) -> int:
        return len(self._wanted) + len(self._busy)

    def _pump(self) -> None:
        while not self._closed and self._wanted and len(self._busy) < self._max_active:
            sha, video = self._wanted.popitem(last=True)
            self._busy.add(sha)
            png = _thumb_path(self.folder, sha)
            if self._tasks.run(
                    lambda _ctx, p=png: _read_png(p),
                    on_done=lambda image, s=sha, v=video: self._from_disk(s, v, image),
                    on_error=lambda _exc, s=sha: self._fail(s)).cancelled:
                self.close()  # the task runner has shut down: the app is closing

    def _from_disk(self, sha: str, video: Path, image: QImage | None) -> None:
        if self._closed:
            return
        if image is not None:
            self._store(sha, image)
            return
        grabber = FrameGrabber(video, self)
        self._grabbers[sha] = grabber
        grabber.done.connect(lambda frame, s=sha: self._grabbed(s, frame))
        grabber.start()

    def _grabbed(self, sha: str, frame: QImage) -> None:
        grabber = self._grabbers.pop(sha, None)
        if grabber is not None:
            grabber.deleteLater()
        if self._closed:
            return
        if frame.isNull():
            self._fail(sha)
            return
        frame = frame.copy()  # detach from the decoder's buffer before crossing threads
        path = _thumb_path(self.folder, sha)

        def save(_ctx: TaskContext) -> QImage:
            return _write_png(frame, path)

        if self._tasks.run(save, on_done=lambda image: self._store(sha, image),
                           on_error=lambda _exc: self._fail(sha)).cancelled:
            self.close()  # the task runner has shut down: the app is closing

    def _store(self, sha: str, image: QImage) -> None:
        self._busy.discard(sha)
        if self._closed:
            return
        self._cache[sha] = QPixmap.fromImage(image)
        while len(self._cache) > MEMORY_CACHE:
            self._cache.popitem(last=False)
        self.ready.emit(sha)
        self._pump()

    def _fail(self, sha: str) -> None:
        log.info("no thumbnail for %s", sha)
        self._busy.discard(sha)
        self._failed.add(sha)
        self._pump()

    def close(self) -> None:
        """Stop making thumbnails (on the way out)."""
        self._closed = True
        self._wanted.clear()
        for grabber in list(self._grabbers.values()):
            grabber.release()
        self._grabbers.clear()
