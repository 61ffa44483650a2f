"""libvlc seen from outside the player: its version (for the problem report) and a short
playback check with dummy outputs (``companion media-check``, the frozen app's CI smoke test).
No Qt: python-vlc only, in a libvlc instance of its own."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

HEADLESS_ARGS = ("--quiet", "--no-video-title-show", "--no-spu", "--no-osd", "--no-stats",
                 "--vout=dummy", "--aout=dummy")


def libvlc_version() -> str | None:
    """libvlc's version string, or None when python-vlc cannot load libvlc."""
    try:
        import vlc

        version = vlc.libvlc_get_version()
    except (ImportError, OSError, NotImplementedError, AttributeError, NameError):
        return None
    return version.decode("utf-8", "replace") if isinstance(version, bytes) else str(version)


def libvlc_library() -> str | None:
    """The path of the libvlc python-vlc loaded, where it can tell."""
    try:
        import vlc

        return getattr(vlc.dll, "_name", None)
    except (ImportError, OSError, NotImplementedError, AttributeError, NameError):
        return None


@dataclass(frozen=True)
class PlayCheck:
    """What a headless play of one file showed."""

    libvlc: str | None
    file: str
    played: bool  # the clock moved: frames were decoded
    position_ms: int
    state: str
    error: str | None = None
    library: str | None = None  # the libvlc file loaded (the bundled one in a frozen app)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def play_check(path: Path, seconds: float = 2.0) -> PlayCheck:
    """Play ``path`` with libvlc's dummy audio and video outputs for up to ``seconds``.

    ``played`` is true once libvlc's clock has moved past zero: the file was opened and decoded
    by the plugins this libvlc has (the frozen app's own, in a PyInstaller build)."""
    version = libvlc_version()
    if version is None:
        return PlayCheck(None, str(path), False, 0, "none", "python-vlc could not load libvlc")
    import vlc

    instance = vlc.Instance(list(HEADLESS_ARGS))
    if instance is None:
        return PlayCheck(version, str(path), False, 0, "none",
                         "libvlc did not start (are its plugins there?)")
    player = instance.media_player_new()
    try:
        player.set_media(instance.media_new_path(str(path)))
        player.play()
        deadline = time.monotonic() + seconds
        position = 0
        while time.monotonic() < deadline:
            position = max(position, player.get_time() or 0)
            state = player.get_state()
            if state in (vlc.State.Error, vlc.State.Ended) or position > 300:
                break
            time.sleep(0.05)
        state = player.get_state()
        error = None if position > 0 else "libvlc could not play the file"
        return PlayCheck(version, str(path), position > 0, position,
                         str(state).rsplit(".", 1)[-1], error, libvlc_library())
    finally:
        player.stop()
        player.release()
        instance.release()
