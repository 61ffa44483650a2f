"""Picks the video player: libvlc when it works, else the built-in QtMultimedia player.

A shop PC without VLC (or with a broken install) must still play every lesson: any failure to
load or start libvlc falls back quietly, with one line the lesson screen can show.
"""

from __future__ import annotations

import logging
import os

from PySide6.QtCore import QCoreApplication, QObject

from companion.ui.player.backend import PlayerBackend

log = logging.getLogger(__name__)

ENV_VAR = "COMPANION_PLAYER"
CHOICES = ("auto", "vlc", "qt")


def _tr(text: str) -> str:
    return QCoreApplication.translate("PlayerFactory", text)


def _make_vlc(parent: QObject | None) -> PlayerBackend:
    # Imported here: importing the module is cheap, but a broken python-vlc must not stop the
    # app from starting, and the Qt fallback must not pay for it.
    from companion.ui.player.vlc_backend import VlcBackend

    return VlcBackend(parent)


def _make_qt(parent: QObject | None) -> PlayerBackend:
    from companion.ui.player.qt_backend import QtBackend

    return QtBackend(parent)


def create_backend(preferred: str = "auto",
                   parent: QObject | None = None) -> tuple[PlayerBackend, str | None]:
    """A ready player and a one-line notice for the person (None when all is as expected).

    ``preferred`` is "auto", "vlc" or "qt"; the ``COMPANION_PLAYER`` environment variable,
    when set to "vlc" or "qt", overrides it. Only the built-in player is tried when "qt" is
    asked for; "vlc" and "auto" fall back to it when libvlc is missing or fails to start.
    """
    choice = os.environ.get(ENV_VAR, "").strip().lower() or preferred
    if choice not in CHOICES:
        log.warning("unknown player %r (expected one of %s); using auto", choice, CHOICES)
        choice = "auto"
    if choice == "qt":
        return _make_qt(parent), None
    from companion.ui.player.vlc_backend import VlcUnavailable

    try:
        return _make_vlc(parent), None
    except VlcUnavailable as exc:
        log.info("VLC is not available, using the built-in player: %s", exc)
        reason = _tr("Playing with the built-in player (VLC not found).")
    except Exception:  # a broken libvlc must never take the lesson down with it
        log.exception("VLC failed to start, using the built-in player")
        reason = _tr("Playing with the built-in player (VLC did not start).")
    return _make_qt(parent), reason
