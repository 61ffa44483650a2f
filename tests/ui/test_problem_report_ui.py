"""Help > "Save a problem report…" (file dialog, library lane, a message with the path) and the
plain dialog an uncaught error brings up, from any thread, one at a time."""

from __future__ import annotations

import logging
import threading
import zipfile
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from companion.support import logs
from companion.ui.dialogs import problems
from companion.ui.main import Shell
from tests.ui.shell_fixtures import *  # noqa: F403


def test_the_help_menu_saves_a_problem_report(shell: Shell, qtbot, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    actions = shell.window.menu_actions
    assert actions.problem_report_action in actions.help_menu.actions()
    assert actions.problem_report_action.text() == "Save a &problem report…"
    logs.setup_logging(shell.ctx.services.locations.log_dir)
    logging.getLogger("companion.test").warning("something to see in the report")
    asked: list[str] = []

    def save_dialog(_parent, _title, suggested, _filter):
        asked.append(suggested)
        return str(tmp_path / "for-the-trainer"), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_dialog)
    with qtbot.waitSignal(actions.problems.saved, timeout=20_000) as saved:
        actions.problem_report_action.trigger()
    assert asked and Path(asked[0]).name.startswith("companion-problem-report-")
    out = tmp_path / "for-the-trainer.zip"  # the .zip is added
    assert saved.args[0].path == out
    with zipfile.ZipFile(out) as archive:
        assert "report.json" in archive.namelist()
        assert "something to see" in archive.read("logs/companion.log").decode()
        assert '"qt": "6.' in archive.read("report.json").decode()
    message = actions.problems.message
    assert message is not None and message.isVisible()
    assert str(out) in message.text()


def test_a_report_that_cannot_be_saved_says_why(shell: Shell, qtbot, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    reports = shell.window.menu_actions.problems
    with qtbot.waitSignal(reports.failed, timeout=20_000):
        reports.save_to(blocker / "report.zip")
    assert reports.message is not None and "could not be saved" in reports.message.text()


def test_cancelling_the_file_dialog_saves_nothing(shell: Shell, monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: ("", ""))
    shell.window.menu_actions.problem_report_action.trigger()
    assert shell.window.menu_actions.problems.message is None


def test_an_uncaught_error_in_a_thread_opens_one_plain_dialog(
        shell: Shell, qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(threading, "excepthook", lambda args: None)  # not pytest's own
    log_dir = shell.ctx.services.locations.log_dir
    logs.setup_logging(log_dir)
    monkeypatch.setattr(problems, "route_qt_messages", lambda: None)  # keep Qt's handler
    errors = problems.show_uncaught_errors(shell.window, shell.window.menu_actions.problems,
                                           log_dir)

    def broken() -> None:
        raise KeyError("lesson-7")

    for _ in range(2):  # the second one only goes to the log while the dialog is open
        worker = threading.Thread(target=broken)
        worker.start()
        worker.join()
    qtbot.waitUntil(lambda: errors.dialog is not None and errors.dialog.isVisible())
    dialog = errors.dialog
    assert dialog.windowTitle() == "Something went wrong"
    assert "KeyError: 'lesson-7'" in dialog.detailedText()
    assert str(log_dir / logs.LOG_NAME) in dialog.detailedText()
    qtbot.wait(50)
    assert [w for w in shell.window.findChildren(QMessageBox) if w.isVisible()] == [dialog]
    assert (log_dir / logs.LOG_NAME).read_text(encoding="utf-8").count("KeyError") >= 2
    save = next(b for b in dialog.buttons() if "problem report" in b.text())
    assert save is not None
