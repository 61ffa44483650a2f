"""Shared test set-up: offscreen Qt, no real keyring, a fresh portable home per test."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
os.environ.pop("COMPANION_HOME", None)

REPO_ROOT = Path(__file__).resolve().parent.parent
LESSONS_DIR = REPO_ROOT / "lessons"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """An empty portable home folder for one test."""
    path = tmp_path / "home"
    path.mkdir()
    return path


@pytest.fixture(autouse=True)
def _no_log_file_left_open(monkeypatch: pytest.MonkeyPatch):
    """`companion ...` run in-process opens the home's log file and sets the exception hooks
    (companion.support.logs): undone after every test, so none writes into another's home."""
    import logging
    import sys
    import threading

    from companion.support.logs import close_logging

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    level = logging.getLogger().level
    yield
    close_logging()
    logging.getLogger().setLevel(level)
