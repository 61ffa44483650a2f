"""PyInstaller runtime hook: make python-vlc use the libvlc and plugins bundled with the app.

It runs in the frozen app before the app's own code, so before any ``import vlc``. python-vlc
reads ``PYTHON_VLC_LIB_PATH`` (the libvlc file to load) and ``PYTHON_VLC_MODULE_PATH`` (the
plugins folder) when it is imported; libvlc itself reads ``VLC_PLUGIN_PATH``. The spec puts the
libvlc libraries at the top of the bundle and the plugins under ``vlc/plugins``. libvlc then
finds the bundled libvlccore by itself: on Linux the bootloader restarts the app with the bundle
on ``LD_LIBRARY_PATH``, and Windows looks in the folder of the DLL being loaded.

Nothing is set when the bundle has no libvlc (a build made without VLC): python-vlc then looks
for a system VLC as usual, and without one the app plays through Qt Multimedia. A libvlc the
person names in ``PYTHON_VLC_LIB_PATH`` is left alone, so another one can still be tried.
"""

from __future__ import annotations

import os
import sys
from collections.abc import MutableMapping
from pathlib import Path

#: The libvlc file python-vlc loads, per platform.
LIBVLC_NAMES = {"linux": "libvlc.so.5", "win32": "libvlc.dll", "darwin": "libvlc.dylib"}
PLUGINS_SUBDIR = Path("vlc") / "plugins"


def _libvlc_name(platform: str) -> str:
    for prefix, name in LIBVLC_NAMES.items():
        if platform.startswith(prefix):
            return name
    return LIBVLC_NAMES["linux"]  # the BSDs and other Unixes name it as Linux does


def bundled_vlc_env(bundle_dir: Path, platform: str = sys.platform) -> dict[str, str]:
    """The variables that point python-vlc and libvlc at the copy inside ``bundle_dir``.

    Empty when the bundle holds no libvlc. The plugin variables are only given when the plugins
    folder is there too: python-vlc exits the process on a plugin path that does not exist.
    """
    libvlc = bundle_dir / _libvlc_name(platform)
    if not libvlc.is_file():
        return {}
    env = {"PYTHON_VLC_LIB_PATH": str(libvlc)}
    plugins = bundle_dir / PLUGINS_SUBDIR
    if plugins.is_dir():
        env["PYTHON_VLC_MODULE_PATH"] = str(plugins)
        env["VLC_PLUGIN_PATH"] = str(plugins)
    return env


def configure_bundled_vlc(
    bundle_dir: Path,
    environ: MutableMapping[str, str] | None = None,
    platform: str = sys.platform,
) -> dict[str, str]:
    """Set the bundled-VLC variables in ``environ`` (``os.environ`` by default).

    Returns the variables actually set. One the environment already has is kept as it is, and
    when the person named a libvlc of their own nothing is set: the bundled plugins would not
    match another libvlc's version.
    """
    target = os.environ if environ is None else environ
    applied: dict[str, str] = {}
    if target.get("PYTHON_VLC_LIB_PATH"):
        return applied
    for key, value in bundled_vlc_env(bundle_dir, platform).items():
        if target.get(key):
            continue
        target[key] = value
        applied[key] = value
    return applied


def _run_in_frozen_app() -> None:
    bundle = getattr(sys, "_MEIPASS", None)
    if not getattr(sys, "frozen", False) or not bundle:
        return
    configure_bundled_vlc(Path(bundle))


_run_in_frozen_app()
