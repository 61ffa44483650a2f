"""The status bar and the downloads tell the same story about the connection."""

from __future__ import annotations

from dataclasses import replace

from companion.sync import engine as sync_engine
from companion.sync.downloads import DownloadProgress
from companion.ui.main import Shell
from companion.ui.screens.downloads import DownloadsScreen
from companion.ui.screens.downloads.items import State
from tests.hub.helpers import LiveHub
from tests.ui.shell_fixtures import anna, look, look_parts, shell_services  # noqa: F401
from tests.ui.test_screen_downloads import (  # noqa: F401
    WAIT_MS,
    Trainer,
    app_shell,
    connected,
    hub,
    invite,
    page,
    trainer,
)


def test_a_download_that_cannot_reach_the_hub_makes_the_status_bar_offline(
        app_shell: Shell, qtbot, hub: LiveHub, invite: str,
        trainer: Trainer, page: DownloadsScreen) -> None:
    """Up to date, then the hub goes away: when the download waits for the connection the
    status bar says Offline too (the sync's next period is a minute away)."""
    trainer.publish(200_000)
    connected(app_shell, qtbot, hub, invite, page, trust=trainer.key)
    sync = app_shell.sync
    qtbot.waitUntil(lambda: sync.status.phase == sync_engine.UP_TO_DATE, timeout=WAIT_MS)
    hub.stop()
    page.offered_rows[0].button.click()
    [item] = page.queue.items
    qtbot.waitUntil(lambda: item.state == State.WAITING, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: sync.status.phase == sync_engine.OFFLINE, timeout=WAIT_MS)
    assert app_shell.window.sync_label.text().startswith("Offline")
    assert sync.connection.online is False


def test_the_bar_goes_on_from_where_it_stood_when_the_hub_returns(
        app_shell: Shell, qtbot, hub: LiveHub, invite: str,
        trainer: Trainer, page: DownloadsScreen) -> None:
    """A queued pack counts the whole pack (what is here already is done), and a report
    lower than what the bar shows (a part fetched again) does not move it back."""
    trainer.publish(200_000)
    connected(app_shell, qtbot, hub, invite, page, trust=trainer.key)
    offered = replace(page.queue.offered[0], bytes_needed=page.queue.offered[0].size // 2)
    hub.stop()  # it stays queued, then waits: the test feeds the progress itself
    item = page.queue.enqueue(offered, pump=False)
    assert (item.done_bytes, item.total_bytes) == (offered.size - offered.size // 2,
                                                   offered.size)
    page.queue._running = item
    try:
        report = DownloadProgress(offered.size - 1000, offered.size, 0.0, None, 1, 2, None)
        page.queue._progress(item, report)
        page.queue._progress(item, replace(report, done_bytes=1000))
        assert item.done_bytes == offered.size - 1000
    finally:
        page.queue._running = None
