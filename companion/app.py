"""Starting the desktop app. The services it runs on are built in :mod:`companion.services`."""

from __future__ import annotations

import os
from pathlib import Path


def run_gui(
    home: str | os.PathLike[str] | None = None,
    profile: str | None = None,
    files: list[str] | None = None,
) -> int:
    """Start the desktop app (imports Qt only here, so the CLI stays light)."""
    from companion.ui.main import run  # the only place outside companion/ui that loads the UI

    return run(home=home, profile=profile, files=[Path(f) for f in files or []])
