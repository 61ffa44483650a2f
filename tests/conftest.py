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
