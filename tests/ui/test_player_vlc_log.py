"""VLC on a PC without a sound card: ALSA's and VLC's complaints go to the log, not stderr."""

from __future__ import annotations

import ctypes.util
import logging
import time
from pathlib import Path

import pytest

from companion.ui.player.vlc_backend import BASE_ARGS, VlcUnavailable, import_vlc, shared_instance

CLIP = Path(__file__).resolve().parent.parent / "data" / "clip.mp4"


@pytest.mark.skipif(Path("/dev/snd").exists() or not ctypes.util.find_library("asound"),
                    reason="needs alsa-lib and no sound card")
def test_alsa_and_vlc_messages_go_to_the_log(capfd, caplog) -> None:
    try:
        vlc = import_vlc()
        instance = shared_instance(vlc, (*BASE_ARGS, "--vout=dummy", "--aout=alsa"))
    except VlcUnavailable as exc:
        pytest.skip(str(exc))
    caplog.set_level(logging.DEBUG, logger="companion.ui.player.vlc_backend")
    player = instance.media_player_new()
    player.set_media(instance.media_new_path(str(CLIP)))
    player.play()
    deadline = time.monotonic() + 10
    while player.get_time() <= 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    player.stop()
    player.release()
    err = capfd.readouterr().err
    assert "ALSA lib" not in err and "alsa audio output" not in err
    messages = [r.getMessage() for r in caplog.records]
    assert any(m.startswith("alsa ") for m in messages)
    assert any(m.startswith("vlc: ") and "ALSA" in m for m in messages)
