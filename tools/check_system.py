#!/usr/bin/env python3
"""Say which system libraries a fresh machine lacks, by Debian package name.

Run by ``make`` before anything else, with the system Python, so that a missing library is named
plainly instead of surfacing later as an obscure import error.
"""

from __future__ import annotations

import ctypes.util
import shutil
import sys

# (library name for ctypes.util.find_library, Debian package, what needs it, required?)
LIBRARIES = [
    ("GL", "libgl1", "Qt widgets", True),
    ("EGL", "libegl1", "Qt widgets", True),
    ("xkbcommon", "libxkbcommon0", "Qt widgets", True),
    ("fontconfig", "libfontconfig1", "Qt widgets", True),
    ("dbus-1", "libdbus-1-3", "Qt widgets", True),
    ("glib-2.0", "libglib2.0-0", "Qt widgets", True),
    ("pulse", "libpulse0", "QtMultimedia (the fallback player)", True),
    ("vlc", "libvlc5 vlc-plugin-base libvlc-bin", "the VLC video player", False),
    ("xcb-cursor", "libxcb-cursor0", "a real window (xcb)", False),
    ("xkbcommon-x11", "libxkbcommon-x11-0", "a real window (xcb)", False),
]


def main() -> int:
    if sys.version_info < (3, 11):  # noqa: UP036 - runs with whatever python3 the PC has
        print(f"error: Python 3.11 or newer is needed, this is {sys.version.split()[0]}",
              file=sys.stderr)
        return 1
    missing_required = []
    for lib, package, purpose, required in LIBRARIES:
        if ctypes.util.find_library(lib) is None:
            line = f"missing: lib{lib} for {purpose}: apt-get install {package}"
            if required:
                missing_required.append(package)
                print("error: " + line, file=sys.stderr)
            else:
                print("warning: " + line, file=sys.stderr)
    if shutil.which("git") is None:
        print("warning: git not found", file=sys.stderr)
    if missing_required:
        print(
            "error: install the missing packages first:\n  sudo apt-get install "
            "--no-install-recommends " + " ".join(missing_required),
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
