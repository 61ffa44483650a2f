"""Choosing the player: VLC when it works, the built-in player with a notice when it does not."""

from __future__ import annotations

import sys

import pytest

from companion.ui.player import factory
from companion.ui.player.factory import create_backend
from companion.ui.player.qt_backend import QtBackend
from companion.ui.player.widget import PlayerWidget
from tests.ui.player_helpers import CLIP, WAIT_MS, make_backend


@pytest.fixture(autouse=True)
def no_player_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(factory.ENV_VAR, raising=False)


def _vlc_import_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    # None in sys.modules makes "import vlc" raise ImportError, as on a PC without python-vlc.
    monkeypatch.setitem(sys.modules, "vlc", None)


def test_vlc_preferred_when_it_works(qapp) -> None:
    """With libvlc installed, auto gives the VLC player and no notice."""
    make_backend("vlc").release()  # skips (or fails on CI) when libvlc is missing
    backend, notice = create_backend()
    try:
        assert backend.name == "vlc"
        assert notice is None
    finally:
        backend.release()


def test_falls_back_to_qt_when_vlc_cannot_load(qapp, monkeypatch: pytest.MonkeyPatch) -> None:
    """When python-vlc cannot load libvlc, the built-in player is used, with one line saying so."""
    _vlc_import_fails(monkeypatch)
    backend, notice = create_backend()
    try:
        assert isinstance(backend, QtBackend)
        assert notice is not None and "VLC" in notice and "\n" not in notice
    finally:
        backend.release()


@pytest.mark.parametrize("error", [NotImplementedError("Cannot find libvlc lib"),
                                   OSError("libvlc.so.5: cannot open shared object file")])
def test_import_errors_of_python_vlc_fall_back(qapp, monkeypatch: pytest.MonkeyPatch,
                                               error: Exception) -> None:
    """python-vlc's own ways of failing (NotImplementedError, OSError) also fall back."""
    import builtins

    real_import = builtins.__import__

    def failing_import(name: str, *args, **kwargs):
        if name == "vlc":
            raise error
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", failing_import)
    backend, notice = create_backend()
    try:
        assert backend.name == "qt" and notice
    finally:
        backend.release()


def test_falls_back_when_libvlc_will_not_start(qapp, monkeypatch: pytest.MonkeyPatch) -> None:
    """vlc.Instance() returning None (libvlc without plugins) also falls back to Qt."""
    vlc = pytest.importorskip("vlc")
    from companion.ui.player import vlc_backend

    monkeypatch.setattr(vlc, "Instance", lambda *args, **kwargs: None)
    monkeypatch.setattr(vlc_backend, "_INSTANCES", {})  # as in a process that starts libvlc anew
    backend, notice = create_backend("vlc")
    try:
        assert backend.name == "qt"
        assert notice
    finally:
        backend.release()


def test_unexpected_vlc_failure_falls_back(qapp, monkeypatch: pytest.MonkeyPatch) -> None:
    """Any other exception while starting VLC still ends with a working player."""
    def broken(parent=None):
        raise RuntimeError("something odd inside libvlc")

    monkeypatch.setattr(factory, "_make_vlc", broken)
    backend, notice = create_backend()
    try:
        assert backend.name == "qt" and notice
    finally:
        backend.release()


def test_environment_variable_forces_a_player(qapp, monkeypatch: pytest.MonkeyPatch) -> None:
    """COMPANION_PLAYER=qt forces the built-in player, without a notice."""
    monkeypatch.setenv(factory.ENV_VAR, "qt")
    backend, notice = create_backend("vlc")
    try:
        assert backend.name == "qt" and notice is None
    finally:
        backend.release()
    monkeypatch.setenv(factory.ENV_VAR, "vlc")
    make_backend("vlc").release()
    backend, notice = create_backend("qt")
    try:
        assert backend.name == "vlc" and notice is None
    finally:
        backend.release()


def test_widget_without_vlc_plays_and_shows_the_notice(qtbot,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The player widget built without VLC plays the clip and shows the quiet notice."""
    _vlc_import_fails(monkeypatch)
    widget = PlayerWidget()
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    try:
        assert widget.controller.backend.name == "qt"
        assert "built-in player" in widget.notice()
        assert widget.notice_label.isVisible()
        widget.open(CLIP)
        qtbot.waitUntil(lambda: widget.current_time_s() > 0.3, timeout=WAIT_MS)
    finally:
        widget.shutdown()
