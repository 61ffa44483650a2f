"""Reproducible builds: the same sources give the same bytes."""

from __future__ import annotations

import time
from pathlib import Path

from companion.core.packs.build import build_pack
from tests.core.packs.pack_factory import write_source


def test_rebuilding_unchanged_sources_gives_identical_bytes(tmp_path: Path) -> None:
    """Building the same sources twice gives the same .cpack, so PCs see no needless update."""
    source = write_source(tmp_path / "src")
    first = build_pack(source, tmp_path / "a").path.read_bytes()
    time.sleep(1.1)
    second = build_pack(source, tmp_path / "b").path.read_bytes()
    assert first == second


def test_source_date_epoch_sets_the_creation_date(tmp_path: Path, monkeypatch) -> None:
    """SOURCE_DATE_EPOCH, the convention for reproducible builds, fixes the pack's date."""
    import zipfile

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    path = build_pack(write_source(tmp_path / "src"), tmp_path / "out").path
    with zipfile.ZipFile(path) as zf:
        assert b'"created_at": "2023-11-14T22:13:20+00:00"' in zf.read("manifest.json")
