"""The lesson video player: one small interface, a libvlc and a QtMultimedia backend, and the
widget the lesson screen embeds.

Use ``PlayerWidget(*create_backend())`` (or just ``PlayerWidget()``), then ``open(...)``.
"""

from __future__ import annotations

from companion.ui.player.backend import PlaybackState, PlayerBackend
from companion.ui.player.controller import PlayerController
from companion.ui.player.factory import create_backend
from companion.ui.player.widget import PlayerWidget

__all__ = [
    "PlaybackState",
    "PlayerBackend",
    "PlayerController",
    "PlayerWidget",
    "create_backend",
]
