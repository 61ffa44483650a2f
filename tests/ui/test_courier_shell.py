"""The courier in the window and in the Import dialog: a stick the watcher sees is offered in
the strip above the screens; a stick's folder dropped on the window is offered after its
import."""

from __future__ import annotations

from pathlib import Path

from companion.sync.courier import stick_info
from companion.ui.dialogs.import_dialog import ImportDialog
from companion.ui.main import Shell
from tests.hub.helpers import LiveHub
from tests.ui.shell_fixtures import *  # noqa: F403
from tests.ui.shell_fixtures import WAIT_MS
from tests.ui.test_courier import live_hub, logged_in, ring  # noqa: F401 - fixtures by name


def test_watcher_runs_in_the_window_and_its_sticks_reach_the_strip(
        shell: Shell, live_hub: LiveHub, ring, tmp_path: Path, qtbot) -> None:
    """The window starts the watcher (and stops it when it closes); a stick it reports is
    offered to a profile that can exchange, and not at all to one that cannot."""
    window = shell.window
    assert window.courier is not None and window.courier._timer.isActive()
    stick = tmp_path / "stick"
    (stick / "companion-courier").mkdir(parents=True)
    info = stick_info(stick, "other")
    window.courier.sticks_changed.emit([info])
    assert window.courier_bar.stick == info and window.courier_bar.isHidden()  # no keys yet
    logged_in(shell.ctx, live_hub)
    window.courier.sticks_changed.emit([info])
    assert not window.courier_bar.isHidden()
    assert window.courier_bar.exchange_button.isVisibleTo(window.courier_bar)
    window.courier.sticks_changed.emit([])
    assert window.courier_bar.isHidden()
    window.close()
    assert not window.courier._timer.isActive()


def test_a_sticks_folder_dropped_on_the_window_is_offered_in_the_import_dialog(
        shell: Shell, live_hub: LiveHub, ring, tmp_path: Path, qtbot) -> None:
    logged_in(shell.ctx, live_hub)
    stick = tmp_path / "stick"
    (stick / "companion-courier").mkdir(parents=True)
    shell.nav.import_packs([str(stick)])
    dialog = shell.window._import_dialog
    assert isinstance(dialog, ImportDialog)
    qtbot.waitUntil(lambda: dialog.pages.currentWidget() is dialog.done_page, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: dialog.courier_bar.stick is not None, timeout=WAIT_MS)
    assert dialog.courier_bar.exchange_button.isVisibleTo(dialog)
    with qtbot.waitSignal(dialog.courier_bar.done, timeout=WAIT_MS):
        dialog.courier_bar.exchange_button.click()
    assert dialog.courier_bar.result.text().startswith("Sent ")
    assert list((stick / "companion-courier").glob("*/*.bundle"))
