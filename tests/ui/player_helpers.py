"""Shared pieces of the player tests: the real test clip, real backends, and a fake backend
whose clock the test moves by hand."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

import companion.ui.player  # noqa: F401  (applies the PySide6 signal refcount guard)
from companion.ui.player.backend import PlaybackState, PlayerBackend

DATA = Path(__file__).resolve().parent.parent / "data"
CLIP = DATA / "clip.mp4"
CLIP_SRT = DATA / "clip.srt"
CLIP_MS = 6000
CUES = ("First cue: welcome to the shop", "Second cue: open Instagram",
        "Third cue: post one photo\nwith two lines")
WAIT_MS = 10_000  # generous: CI machines are slow and shared


def make_backend(kind: str) -> PlayerBackend:
    """A real backend; the VLC one fails the test on CI when libvlc is missing."""
    if kind == "qt":
        from companion.ui.player.qt_backend import QtBackend

        return QtBackend()
    from companion.ui.player.vlc_backend import VlcBackend, VlcUnavailable

    try:
        return VlcBackend()
    except VlcUnavailable as exc:
        if os.environ.get("CI"):
            pytest.fail(f"libvlc must be installed on CI: {exc}")
        pytest.skip(f"libvlc not available here: {exc}")


def real_backend(kind: str) -> Iterator[PlayerBackend]:
    backend = make_backend(kind)
    yield backend
    backend.release()
    backend.deleteLater()
    QCoreApplication.processEvents()


class FakeBackend(PlayerBackend):
    """A backend without media: the test sets the position and the state."""

    name = "fake"

    def __init__(self, duration_ms: int = 60_000) -> None:
        super().__init__()
        self.fake_duration_ms = duration_ms
        self._position = 0
        self._duration = 0
        self.loaded: tuple[Path, int] | None = None
        self.released = False
        self.container: QWidget | None = None

    def _load_media(self, video_path: Path, start_ms: int) -> None:
        self.loaded = (video_path, start_ms)
        self._position = start_ms
        self._duration = self.fake_duration_ms
        self.duration_changed.emit(self._duration)
        self._set_state(PlaybackState.STOPPED)

    def play(self) -> None:
        if self._state == PlaybackState.ENDED:
            self.move_to(0)
        self._set_state(PlaybackState.PLAYING)

    def pause(self) -> None:
        if self._state == PlaybackState.PLAYING:
            self._set_state(PlaybackState.PAUSED)

    def stop(self) -> None:
        self._set_state(PlaybackState.STOPPED)

    def seek(self, position_ms: int) -> None:
        self.move_to(min(max(0, position_ms), self._duration))

    def position_ms(self) -> int:
        return self._position

    def duration_ms(self) -> int:
        return self._duration

    def _apply_rate(self, rate: float) -> None:
        pass

    def _apply_volume(self, volume: int) -> None:
        pass

    def _apply_muted(self, muted: bool) -> None:
        pass

    def attach_video_widget(self, container: QWidget) -> None:
        self.container = container

    def release(self) -> None:
        self.released = True
        self._set_state(PlaybackState.STOPPED)

    # -- test controls ---------------------------------------------------------------------
    def move_to(self, position_ms: int) -> None:
        """Pretend playback reached ``position_ms``."""
        self._position = position_ms
        self.position_changed.emit(position_ms)
        self._emit_subtitle(position_ms)

    def finish(self) -> None:
        self.move_to(self._duration)
        self._set_state(PlaybackState.ENDED)
