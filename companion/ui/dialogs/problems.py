"""Help > "Save a problem report…", and the plain dialog an uncaught error brings up.

Both build on companion.support (the log file and the report builder, no Qt): here only the
file dialog, the task and the messages. An error in any thread is written to the log first
(companion.support.logs); the dialog then tells the person, in plain words, that something went
wrong and where the log is, instead of the app failing silently (on Windows it has no console).
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import (
    QDir,
    QObject,
    QStandardPaths,
    Qt,
    QtMsgType,
    Signal,
    Slot,
    qInstallMessageHandler,
    qVersion,
)
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from companion.support import logs
from companion.support.report import ReportResult, build_report, default_report_name
from companion.ui.context import AppContext
from companion.ui.tasks import TaskContext

log = logging.getLogger(__name__)


def default_report_path() -> Path:
    folder = QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.DocumentsLocation) or QDir.homePath()
    return Path(folder) / default_report_name()


class ProblemReports(QObject):
    """Saves the report on the library lane and says where it went (or why it could not)."""

    saved = Signal(object)  # the ReportResult, for tests
    failed = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.parent_widget = parent
        self.message: QMessageBox | None = None  # the last message shown, for tests

    def ask_and_save(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self.parent_widget, self.tr("Save a problem report"), str(default_report_path()),
            self.tr("Zip files (*.zip)"))
        if path:
            if not path.lower().endswith(".zip"):
                path += ".zip"
            self.save_to(Path(path))

    def save_to(self, path: Path) -> None:
        qt = qVersion()

        def work(task: TaskContext) -> ReportResult:
            return build_report(path, task.services, extra_versions={"qt": qt})

        self.ctx.tasks.run_library(work, on_done=self._done, on_error=self._failed)

    def _done(self, result: ReportResult) -> None:
        text = self.tr("The problem report is saved as:\n%1\n\nGive this file to your trainer. "
                       "It holds no notes, comments or passwords.").replace("%1", str(result.path))
        self._show(QMessageBox.Icon.Information, text)
        self.saved.emit(result)

    def _failed(self, exc: BaseException) -> None:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        log.warning("problem report not saved: %s", reason)
        self._show(QMessageBox.Icon.Warning,
                   self.tr("The problem report could not be saved: %1").replace("%1", reason))
        self.failed.emit(reason)

    def _show(self, kind: QMessageBox.Icon, text: str) -> None:
        box = QMessageBox(kind, self.tr("Problem report"), text, QMessageBox.StandardButton.Ok,
                          self.parent_widget)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.open()
        self.message = box


class UncaughtErrors(QObject):
    """The uncaught-exception listener of companion.support.logs, shown as one plain dialog.

    ``report`` may be called from any thread: the signal takes it to the UI thread. While a
    dialog is open, further errors only go to the log (no pile of dialogs)."""

    raised = Signal(str)

    def __init__(self, parent: QWidget, log_file: Path | None,
                 save_report: ProblemReports | None = None) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.log_file = log_file
        self.save_report = save_report
        self.dialog: QMessageBox | None = None
        self.raised.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def report(self, summary: str) -> None:
        self.raised.emit(summary)

    @Slot(str)
    def _show(self, summary: str) -> None:
        if self.dialog is not None and self.dialog.isVisible():
            return
        where = str(self.log_file) if self.log_file else self.tr("(no log file)")
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Something went wrong"),
                          self.tr("Something went wrong in the app. You can keep working; if it "
                                  "happens again, save a problem report for your trainer "
                                  "(Help menu)."), QMessageBox.StandardButton.Close,
                          self.parent_widget)
        box.setDetailedText(f"{summary}\n\n{self.tr('Log file:')} {where}")
        if self.save_report is not None:
            button = box.addButton(self.tr("Save a problem report…"),
                                   QMessageBox.ButtonRole.ActionRole)
            button.clicked.connect(self.save_report.ask_and_save)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.open()
        self.dialog = box


_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING, QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def route_qt_messages() -> None:
    """Qt's own warnings (a missing plugin, a bad style sheet) go to the log as well, and on to
    the terminal as before where there is one (a Windows app has none: sys.stderr is None)."""
    qt_log = logging.getLogger("qt")

    def handler(kind: QtMsgType, _context: object, message: str) -> None:
        qt_log.log(_QT_LEVELS.get(kind, logging.WARNING), "%s", message)
        if sys.stderr is not None:
            print(message, file=sys.stderr)

    qInstallMessageHandler(handler)


def show_uncaught_errors(parent: QWidget, reports: ProblemReports | None,
                         log_dir: Path) -> UncaughtErrors:
    """From now on an uncaught exception (any thread) also opens the plain dialog; Qt's own
    messages go to the log. Call once the main window exists."""
    errors = UncaughtErrors(parent, log_dir / logs.LOG_NAME, reports)
    logs.install_excepthooks(errors.report)
    route_qt_messages()
    return errors
