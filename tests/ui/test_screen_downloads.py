"""The downloads page against a real hub on loopback: the offer with its sizes, a download to
"installed", pause and resume reusing the partial file, the trust question, waiting for the
connection, and the download hours with automatic downloads on a clock the test moves."""

from __future__ import annotations

import errno
import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

import keyring
import pytest
from PySide6.QtWidgets import QApplication

from companion.core.errors import LibraryError, Reason
from companion.core.packs.keys import SigningKey
from companion.hub.settings import HubSettings
from companion.services import Services
from companion.sync.client import HubOffline
from companion.sync.offers import OfferedPack
from companion.sync.publish import publish_pack
from companion.sync.transfer_policy import RetryPolicy
from companion.ui.dialogs.connect import ConnectDialog
from companion.ui.main import Shell
from companion.ui.redraw import Redraw
from companion.ui.screens.downloads import DownloadsScreen
from companion.ui.screens.downloads.items import (
    QueueItem,
    State,
    load_queue,
    queue_from_json,
    queue_to_json,
)
from companion.ui.screens.downloads.settings import DownloadSettings, load_settings
from companion.ui.screens.downloads.wording import describe_problem, format_bytes, format_time_left
from tests.core.packs.pack_factory import make_key
from tests.hub.helpers import PASSWORD, LiveHub, start_hub
from tests.sync.conftest import MemoryKeyring
from tests.sync.test_publish import FAST_RETRY, MB, big_pack
from tests.ui.shell_fixtures import anna, look, look_parts, running_shell, shell_services  # noqa: F401

WAIT_MS = 15_000
QUICK = RetryPolicy(attempts=2, base_s=0.01, max_s=0.02)
SYNC = {"debounce_s": 0.1, "backoff_initial_s": 0.2, "backoff_max_s": 0.5, "period_s": 60.0}


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[LiveHub]:
    live = start_hub(HubSettings(data_dir=tmp_path / "hub", argon2_time_cost=1,
                                 argon2_memory_kib=1024, argon2_parallelism=1))
    yield live
    live.stop()


@pytest.fixture
def invite(hub: LiveHub) -> str:
    hub.add_trainer("tina")
    return hub.create_group("Bakkers", "tina").invite_code


@pytest.fixture
def app_shell(qapp, home: Path, shell_services: Services, anna: int,
              look) -> Iterator[Shell]:
    """The whole app for Anna, with an in-memory keyring for her login."""
    before = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    with running_shell(qapp, home, shell_services, anna, look, sync_options=SYNC) as built:
        yield built
    keyring.set_keyring(before)


def _connect(shell: Shell, qtbot, url: str, invite: str, user: str) -> None:
    dialog = shell.window.menu_actions.connect_group()
    assert isinstance(dialog, ConnectDialog)
    dialog.join_radio.setChecked(True)
    dialog.hub_edit.setText(url)
    dialog.invite_edit.setText(invite)
    dialog.user_edit.setText(user)
    dialog.password_edit.setText(PASSWORD)
    with qtbot.waitSignal(dialog.finished, timeout=WAIT_MS):
        dialog.accept()
    assert dialog.connected is not None


class Clock:
    """The wall clock of the hours window, moved by the test."""

    def __init__(self, hour: int, minute: int = 0) -> None:
        self.at = datetime(2026, 11, 23, hour, minute)

    def set(self, hour: int, minute: int = 0) -> None:
        self.at = self.at.replace(hour=hour, minute=minute)

    def __call__(self) -> datetime:
        return self.at


@dataclass
class Trainer:
    hub: LiveHub
    key: SigningKey
    token: str
    tmp: Path

    def publish(self, video_bytes: int, pack_id: str = "bakken-nl", version: str = "1.0"
                ) -> Path:
        pack = big_pack(self.tmp / f"{pack_id}-{version}", self.key, video_bytes,
                        pack_id=pack_id, version=version)
        publish_pack(self.hub.client(self.token), pack, "Bakkers", retry=FAST_RETRY)
        return pack


@pytest.fixture
def trainer(hub: LiveHub, invite: str, tmp_path: Path) -> Trainer:
    return Trainer(hub, make_key(tmp_path / "keys", "tina"), hub.device("tina").token, tmp_path)


@pytest.fixture
def page(app_shell: Shell) -> Iterator[DownloadsScreen]:
    screen = app_shell.window.show_screen("downloads")
    assert isinstance(screen, DownloadsScreen)
    screen.queue.retry = QUICK
    yield screen


def connected(shell: Shell, qtbot, hub: LiveHub, invite: str,
              page: DownloadsScreen, trust: SigningKey | None = None) -> None:
    """Join the group from the app; the page then asks the hub what it offers."""
    if trust is not None:
        shell.ctx.services.trust.trust(trust.public_key)
    _connect(shell, qtbot, hub.url, invite, "anna")
    qtbot.waitUntil(lambda: page.queue.catalog_at is not None and not page.queue.refreshing,
                    timeout=WAIT_MS)


def test_not_connected_explains_and_opens_the_connect_dialog(app_shell: Shell,
                                                             page: DownloadsScreen) -> None:
    """Without a group: a calm explanation and a button to the "Connect" dialog; no list."""
    assert page.connect_box.isVisible() and page.connect_button.isVisible()
    assert "Connect this computer to your group" in page.connect_text.text()
    assert not page.settings_panel.isVisible() and not page.offered_heading.isVisible()
    page.connect_button.click()
    dialogs = [w for w in QApplication.topLevelWidgets()
               if isinstance(w, ConnectDialog) and w.isVisible()]
    assert len(dialogs) == 1


def test_offer_download_and_ready(app_shell: Shell, qtbot, hub: LiveHub,
                                  invite: str, trainer: Trainer,
                                  page: DownloadsScreen) -> None:
    """The offered pack shows with its size; Download installs it, the library hears of it,
    and "Ready" opens it in the library."""
    trainer.publish(400_000)
    connected(app_shell, qtbot, hub, invite, page, trust=trainer.key)
    assert not page.connect_box.isVisible()
    [row] = page.offered_rows
    pack = row.pack
    assert (pack.pack_id, pack.status) == ("bakken-nl", "new")
    assert format_bytes(pack.size) in row.facts.text() and "version 1.0" in row.facts.text()
    assert row.state.text() == "New" and row.button.text() == "Download"
    heard: list[Redraw] = []
    app_shell.ctx.bus.changed.connect(heard.append)

    row.button.click()
    qtbot.waitUntil(lambda: bool(page.queue.ready), timeout=WAIT_MS)
    assert any(c.packs for c in heard)
    titles = [p.title for p in app_shell.ctx.services.catalog.packs(app_shell.ctx.profile_id)]
    assert pack.title in titles
    assert page.queue.items == [] and not page.queue_heading.isVisible()
    assert page.offered_rows[0].state.text() == "✓ On this computer"
    assert not page.offered_rows[0].button.isVisible()
    ready = page.ready_list.itemAt(0).widget()
    assert ready.label.text() == f"Ready: {pack.title}"
    assert app_shell.window.notice_label.text() == f"Ready: {pack.title}"
    ready.open_button.click()
    assert app_shell.window.current_screen() == "library"


def test_pause_keeps_the_part_and_resume_finishes_from_it(
        app_shell: Shell, qtbot, hub: LiveHub, invite: str,
        trainer: Trainer, page: DownloadsScreen) -> None:
    """Capped at 1,000 KB/s a 3 MB pack is slow enough to pause once a part of its video is
    in; the partial file stays, and Resume (cap off) fetches only the rest."""
    trainer.publish(3 * MB)
    connected(app_shell, qtbot, hub, invite, page, trust=trainer.key)
    panel = page.settings_panel
    panel.rate_spin.setValue(1000)
    panel.rate_check.setChecked(True)
    assert load_settings(app_shell.ctx.services.preferences,
                         app_shell.ctx.profile_id).rate_kbps == 1000
    page.offered_rows[0].button.click()
    [item] = page.queue.items
    [row] = page.queue_rows
    qtbot.waitUntil(lambda: item.done_bytes > 600_000, timeout=WAIT_MS)  # the small files
    assert row.main_button.text() == "Pause"  # are 60 KB: this is in the video
    window = app_shell.window
    window.show_screen("home")  # the status bar tells, whatever page is shown
    activity = window.download_button
    qtbot.waitUntil(lambda: activity.isVisible(), timeout=WAIT_MS)
    assert activity.text().startswith(f"Downloading “{item.pack.title}” · ")
    assert activity.text().endswith("%")
    activity.click()
    assert window.current_screen() == "downloads"
    row.main_button.click()
    qtbot.waitUntil(lambda: item.state == State.PAUSED, timeout=WAIT_MS)
    assert not activity.isVisible()  # paused: nothing going on
    assert page.queue.running is None and page.queue.items == [item]
    assert row.main_button.text() == "Resume" and "paused" in row.line.text()
    parts = app_shell.ctx.services.packs.store.tmp_dir.glob("*.part")
    assert max(p.stat().st_size for p in parts) > 0

    panel.rate_check.setChecked(False)
    row.main_button.click()
    qtbot.waitUntil(lambda: bool(page.queue.results), timeout=WAIT_MS)
    [result] = page.queue.results
    assert result.bytes_resumed > 0
    assert result.bytes_fetched + result.bytes_resumed >= 3 * MB > result.bytes_fetched
    assert result.result.status == "installed"


def test_unknown_trainer_is_asked_first(app_shell: Shell, qtbot, hub: LiveHub,
                                        invite: str, trainer: Trainer,
                                        page: DownloadsScreen) -> None:
    """A trainer this PC does not know: the import's question comes before any byte, and
    "Yes, trust" trusts that key and downloads."""
    trainer.publish(200_000)
    connected(app_shell, qtbot, hub, invite, page)
    page.offered_rows[0].button.click()
    qtbot.waitUntil(lambda: page.trust_dialog is not None, timeout=WAIT_MS)
    dialog = page.trust_dialog
    assert dialog.title.text() == "Do you trust lessons from “tina”?"
    assert page.queue.items[0].state == State.ASKING
    assert page.queue.items[0].done_bytes == 0
    dialog.trust_button.click()
    qtbot.waitUntil(lambda: bool(page.queue.ready), timeout=WAIT_MS)
    assert app_shell.ctx.services.trust.is_trusted(trainer.key.public_key.fingerprint)


def test_offline_hub_is_said_plainly_and_the_item_waits(
        app_shell: Shell, qtbot, hub: LiveHub, invite: str,
        trainer: Trainer, page: DownloadsScreen) -> None:
    """The server goes away: "waiting for the connection", the pack stays in the queue, and
    a new look at the offer says the server cannot be reached."""
    trainer.publish(200_000)
    connected(app_shell, qtbot, hub, invite, page, trust=trainer.key)
    hub.stop()
    page.offered_rows[0].button.click()
    [item] = page.queue.items
    qtbot.waitUntil(lambda: item.state == State.WAITING, timeout=WAIT_MS)
    [row] = page.queue_rows
    assert row.line.text().startswith("Waiting for the connection.")
    assert row.main_button.text() == "Try now" and page.queue.items == [item]
    assert app_shell.window.download_button.text() == "Downloads wait for the connection"
    page.refresh_button.click()
    qtbot.waitUntil(lambda: not page.queue.refreshing, timeout=WAIT_MS)
    assert page.status.text().startswith("The server cannot be reached right now.")
    assert len(page.offered_rows) == 1  # what was known stays on the page


def test_hours_window_and_automatic_downloads(app_shell: Shell, qtbot, hub: LiveHub,
                                              invite: str, trainer: Trainer,
                                              page: DownloadsScreen) -> None:
    """With "only 18:00-08:00" and "automatically": nothing at noon, and a pack chosen by
    hand waits until the minute check at 18:30; a pack published later is found and fetched
    by itself at 23:00; still running at 08:00 it pauses itself, and goes on at 18:00."""
    clock = Clock(12)
    page.queue.now = clock
    trainer.publish(200_000)
    connected(app_shell, qtbot, hub, invite, page, trust=trainer.key)
    panel = page.settings_panel
    panel.start_edit.setTime(panel.start_edit.time().fromString("18:00", "HH:mm"))
    panel.end_edit.setTime(panel.end_edit.time().fromString("08:00", "HH:mm"))
    panel.hours_check.setChecked(True)
    panel.auto_check.setChecked(True)
    stored = load_settings(app_shell.ctx.services.preferences, app_shell.ctx.profile_id)
    assert stored == DownloadSettings(0, "18:00-08:00", True)
    assert page.queue.items == []  # noon: outside the window

    page.offered_rows[0].button.click()  # by hand at noon: it waits for the hours
    [item] = page.queue.items
    assert item.state == State.HOURS
    assert page.queue_rows[0].line.text() == "Waits for your download hours (18:00 to 08:00)."

    clock.set(18, 30)
    page.queue.tick()
    qtbot.waitUntil(lambda: bool(page.queue.ready), timeout=WAIT_MS)

    trainer.publish(3 * MB, pack_id="bakken-en")
    page.queue.set_settings(DownloadSettings(1000, "18:00-08:00", True))
    clock.set(23, 0)  # over an hour since the last look: the minute check asks the hub
    page.queue.tick()
    qtbot.waitUntil(lambda: page.queue.running is not None  # fetched more than was here
                    and page.queue.running.done_bytes > page.queue.running.pack.size
                    - page.queue.running.pack.bytes_needed, timeout=WAIT_MS)
    running = page.queue.running
    assert running.pack.pack_id == "bakken-en"
    clock.set(8, 0)
    page.queue.tick()
    qtbot.waitUntil(lambda: running.state == State.HOURS, timeout=WAIT_MS)
    page.queue.set_settings(DownloadSettings(0, "18:00-08:00", True))
    page.queue.tick()
    assert running.state == State.HOURS  # still morning
    clock.set(18, 0)
    page.queue.tick()
    qtbot.waitUntil(lambda: len(page.queue.results) == 2, timeout=WAIT_MS)
    assert page.queue.results[-1].bytes_resumed > 0


def test_numbers_and_problems_in_plain_words() -> None:
    """Sizes, time left and the common failures read as a shopkeeper would say them."""
    assert format_bytes(850_000) == "850 KB" and format_bytes(12_345_678) == "12.3 MB"
    assert format_time_left(None) == "working out the time left"
    assert format_time_left(30) == "less than a minute left"
    assert format_time_left(150) == "about 2 min left"
    assert format_time_left(3 * 3600 + 5 * 60) == "about 3 h 05 min left"
    assert describe_problem(HubOffline("gone"))[0] == State.WAITING
    for reason in (Reason.DOWNLOAD_BUSY, Reason.PACKS_BUSY):  # by reason, not by words
        state, text = describe_problem(LibraryError("reworded", reason))
        assert state == State.WAITING and "Another download or import" in text
    assert describe_problem(LibraryError("another download is running"))[0] == State.FAILED
    state, text = describe_problem(OSError(errno.ENOSPC, "No space left on device"))
    assert state == State.PAUSED and "not enough room" in text
    assert DownloadSettings(0, "18:00-18:00").window is None  # the whole day
    assert DownloadSettings(0, "nonsense").window is None


def test_the_queue_goes_on_after_a_restart(qapp, qtbot, home: Path, shell_services: Services,
                                           anna: int, look, hub: LiveHub, invite: str,
                                           trainer: Trainer) -> None:
    """The PC is switched off with one pack paused and another half downloaded: at the next
    start both are in the queue as they were, the half-done one goes on by itself from its
    partial file, and the paused one waits for Resume."""
    before = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    try:
        trainer.publish(3 * MB, pack_id="bakken-nl")
        trainer.publish(3 * MB, pack_id="bakken-en")
        with running_shell(qapp, home, shell_services, anna, look, sync_options=SYNC) as shell:
            page = shell.window.show_screen("downloads")
            page.queue.retry = QUICK
            connected(shell, qtbot, hub, invite, page, trust=trainer.key)
            page.queue.set_settings(DownloadSettings(1000, "", False))
            en, nl = page.offered_rows  # sorted by pack id
            nl.button.click()
            [paused] = page.queue.items
            qtbot.waitUntil(lambda: paused.done_bytes > 600_000, timeout=WAIT_MS)
            page.queue.pause(paused)
            qtbot.waitUntil(lambda: paused.state == State.PAUSED, timeout=WAIT_MS)
            en.button.click()
            running = page.queue.items[1]
            qtbot.waitUntil(lambda: running.done_bytes > 600_000, timeout=WAIT_MS)
            paused_at = paused.done_bytes
        # closed in the middle of "bakken-en"

        with running_shell(qapp, home, shell_services, anna, look, sync_options=SYNC) as shell:
            page = shell.window.show_screen("downloads")
            page.queue.retry = QUICK
            nl_item, en_item = page.queue.items
            assert (nl_item.pack.pack_id, en_item.pack.pack_id) == ("bakken-nl", "bakken-en")
            assert nl_item.state == State.PAUSED and nl_item.done_bytes == paused_at
            assert page.queue.running is en_item  # on its own, nobody pressed anything
            page.queue.set_settings(DownloadSettings(0, "", False))
            qtbot.waitUntil(lambda: len(page.queue.results) == 1, timeout=WAIT_MS)
            assert page.queue.results[0].pack_id == "bakken-en"
            assert page.queue.results[0].bytes_resumed > 600_000
            assert nl_item.state == State.PAUSED and page.queue.running is None
            page.queue.resume(nl_item)
            qtbot.waitUntil(lambda: len(page.queue.results) == 2, timeout=WAIT_MS)
            assert page.queue.results[1].bytes_resumed >= paused_at - 100_000
            assert page.queue.items == []
        assert load_queue(shell_services.preferences, anna) == ([], set())
    finally:
        keyring.set_keyring(before)


def test_a_kept_queue_that_cannot_be_read_costs_nothing_but_itself() -> None:
    """The queue as kept: a round trip keeps order, pause, progress and the packs taken out;
    damaged text, unknown formats and bad entries are left out without an error."""
    pack = OfferedPack("bakken-nl", "1.0", "Bakken", "nl", 3_000_000, 4, "a" * 64, True,
                       "2026-11-23T10:00:00Z", (1,), ("Bakkers",), "new", None, 2_500_000)
    other = replace(pack, pack_id="bakken-en", title="Baking")
    items = [QueueItem(pack, done_bytes=1_000_000, total_bytes=2_500_000),
             QueueItem(other, any_hours=True)]
    text = queue_to_json([(items[0], True), (items[1], False)], {("kassa", "2")})
    back, declined = queue_from_json(text)
    assert [(i.pack, i.state, i.done_bytes, i.total_bytes, i.any_hours) for i in back] == [
        (pack, State.PAUSED, 1_000_000, 2_500_000, False),
        (other, State.QUEUED, 500_000, 3_000_000, True)]  # the pack's size; 0.5 MB here
    assert declined == {("kassa", "2")}

    data = json.loads(text)
    data["items"].insert(0, {"pack": {"pack_id": "x"}})         # not a pack
    data["items"].append(data["items"][1])                       # the same pack twice
    data["items"].append({"pack": {**data["items"][1]["pack"], "group_ids": []}})  # no group
    data["declined"].append("not a pair")
    back, declined = queue_from_json(json.dumps(data))
    assert [i.pack.pack_id for i in back] == ["bakken-nl", "bakken-en"]
    assert declined == {("kassa", "2")}
    for damaged in ("", "{", "[]", '{"format": 99, "items": []}', '{"format": 1, "items": 5}'):
        assert queue_from_json(damaged) == ([], set())
