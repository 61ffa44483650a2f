"""A download's progress across a stop and a new start: the same total, never backwards."""

from __future__ import annotations

from pathlib import Path

import pytest

from companion.services import Services
from companion.sync.downloads import DownloadCancelled, Downloader, DownloadProgress
from tests.sync.test_downloads import pc, published  # noqa: F401  (pc: the learner's PC)
from tests.sync.test_publish import (  # noqa: F401 - the two fixtures are used by name
    FAST_RETRY,
    MB,
    Setup,
    proxy_factory_fixture,
    setup_fixture,
)


def test_progress_goes_on_from_where_it_was_with_the_same_total(
        setup: Setup, pc: Services, tmp_path: Path) -> None:
    """Stopped after the small files and part of the video, then started again (the hub was
    back): the bar goes on from where it stood and "of 6.9 MB" stays 6.9 MB, although the
    files already in are not fetched again."""
    published(setup, tmp_path, 4 * MB)
    first_seen: list[DownloadProgress] = []
    first = Downloader(setup.learner(), pc.packs, retry=FAST_RETRY)
    with pytest.raises(DownloadCancelled):
        first.download_pack(setup.group_id, "bakken-nl", progress=first_seen.append,
                            cancel=lambda: first.bytes_received >= 2 * MB)
    assert first_seen[-1].files_done >= 1  # some files are in the store already
    second_seen: list[DownloadProgress] = []
    second = Downloader(setup.learner(), pc.packs, retry=FAST_RETRY)
    second.download_pack(setup.group_id, "bakken-nl", progress=second_seen.append)
    assert {p.total_bytes for p in first_seen + second_seen} == {first_seen[0].total_bytes}
    assert second_seen[0].done_bytes >= first_seen[-1].done_bytes
    assert second_seen[0].files_done >= first_seen[-1].files_done
    assert second_seen[-1].done_bytes == second_seen[-1].total_bytes
