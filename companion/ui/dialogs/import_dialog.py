"""The import window: a progress bar with Cancel, the trust question for an unknown signer, and
what happened in plain words (technical details folded away)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QFont, QFontDatabase
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from companion.core.db import device_id
from companion.core.packs.keys import format_fingerprint
from companion.core.packs.models import ImportResult
from companion.sync.courier import StickInfo, stick_info
from companion.ui.context import AppContext
from companion.ui.courier import CourierBar
from companion.ui.dialogs.common import (
    DetailsBox,
    Dialog,
    heading_label,
    stack_if_too_wide,
    text_label,
)
from companion.ui.dialogs.import_flow import ImportFlow, ImportProblem, describe_result
from companion.ui.theme import icon, relative_min_width, screen_room

PROGRESS_STEPS = 1000


def _buttons(parent: QWidget, *names: str) -> tuple[QHBoxLayout, list[QPushButton]]:
    row = QHBoxLayout()
    row.addStretch(1)
    buttons = []
    for name in names:
        button = QPushButton(parent)
        button.setObjectName(name)
        row.addWidget(button)
        buttons.append(button)
    return row, buttons


class ImportDialog(Dialog):
    """Imports ``paths`` (more can be added while it runs) and shows how it goes."""

    def __init__(self, ctx: AppContext, paths: list[Path], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importDialog")
        self.flow = ImportFlow(ctx, [])
        self._current = ""
        self._signer = ("", "")
        self._lines: list[str] = []
        self._details: list[str] = []
        layout = QVBoxLayout(self)
        self.pages = QStackedWidget(self)
        layout.addWidget(self.pages)

        # -- busy
        self.busy_page = QWidget()
        busy = QVBoxLayout(self.busy_page)
        self.busy_title = heading_label(self.busy_page)
        self.busy_file = text_label(self.busy_page)
        self.bar = QProgressBar(self.busy_page)
        self.bar.setObjectName("importProgress")
        self.bar.setRange(0, 0)
        row, (self.cancel_button,) = _buttons(self.busy_page, "cancelButton")
        self.cancel_button.clicked.connect(self.flow.cancel)
        for widget in (self.busy_title, self.busy_file, self.bar):
            busy.addWidget(widget)
        busy.addStretch(1)
        busy.addLayout(row)
        self.pages.addWidget(self.busy_page)

        # -- the trust question
        self.trust_page = QWidget()
        trust = QVBoxLayout(self.trust_page)
        top = QHBoxLayout()
        self.trust_icon = QLabel(self.trust_page)
        self.trust_icon.setPixmap(icon("dialog-trust").pixmap(48, 48))
        self.trust_title = heading_label(self.trust_page)
        top.addWidget(self.trust_icon, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.trust_title, 1)
        self.trust_text = text_label(self.trust_page)
        self.fingerprint = QLabel(self.trust_page)
        self.fingerprint.setObjectName("fingerprintLabel")
        self.fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setPointSizeF(self.font().pointSizeF() * 1.2)
        mono.setWeight(QFont.Weight.Bold)
        self.fingerprint.setFont(mono)
        self.trust_hint = text_label(self.trust_page)
        row, (self.skip_button, self.once_button, self.trust_button) = _buttons(
            self.trust_page, "skipButton", "onceButton", "trustButton")
        self.trust_button.setDefault(True)
        self._trust_row = row
        self.skip_button.clicked.connect(self.flow.skip)
        self.once_button.clicked.connect(self.flow.import_once)
        self.trust_button.clicked.connect(self.flow.trust_signer)
        trust.addLayout(top)
        for widget in (self.trust_text, self.fingerprint, self.trust_hint):
            trust.addWidget(widget)
        trust.addStretch(1)
        trust.addLayout(row)
        self.pages.addWidget(self.trust_page)

        # -- what happened
        self.done_page = QWidget()
        done = QVBoxLayout(self.done_page)
        self.done_title = heading_label(self.done_page)
        self.done_text = text_label(self.done_page)
        self.done_text.setObjectName("importSummary")
        self.details = DetailsBox(self.done_page)
        # A folder with a courier folder (a USB stick dropped here): offered as in the window.
        self.courier_bar = CourierBar(ctx, self.done_page)
        row, (self.close_button,) = _buttons(self.done_page, "closeButton")
        self.close_button.clicked.connect(self.accept)
        for widget in (self.done_title, self.done_text, self.details, self.courier_bar):
            done.addWidget(widget)
        done.addStretch(1)
        done.addLayout(row)
        self.pages.addWidget(self.done_page)

        self.flow.pack_started.connect(self._pack_started)
        self.flow.progress.connect(self._progress)
        self.flow.trust_needed.connect(self._ask_trust)
        self.flow.pack_done.connect(self._pack_done)
        self.flow.pack_failed.connect(self._pack_failed)
        self.flow.finished.connect(self._finished)
        self.retranslate()
        relative_min_width(self, 30)
        self.add_paths(paths)

    def relayout(self) -> None:
        margins = self.layout().contentsMargins()
        room = screen_room(self).width() - margins.left() - margins.right() - 24
        stack_if_too_wide(self._trust_row, room)

    # -- public ------------------------------------------------------------------------------------
    def add_paths(self, paths: list[Path]) -> None:
        """Import these too (a second drop, or files handed over by a second start)."""
        self._offer_courier([Path(p) for p in paths])
        self.flow.add_paths([Path(p) for p in paths])
        if self.pages.currentWidget() is self.done_page and self.flow.idle:
            self.pages.setCurrentWidget(self.busy_page)
        self.flow.start()

    def _offer_courier(self, paths: list[Path]) -> None:
        """Look (off the UI thread: a stick may be slow to wake) for a courier folder in the
        folders given; the done page then offers the exchange or the delivery."""
        folders = [p for p in paths if p.is_dir()]
        if not folders:
            return
        device = device_id(self.courier_bar.ctx.services.db)

        def look(_task: object) -> list[StickInfo]:
            return [info for f in folders if (info := stick_info(f, device)) is not None]

        def found(sticks: list[StickInfo]) -> None:
            if sticks:
                self.courier_bar.show_sticks(sticks)

        self.courier_bar.ctx.tasks.run(look, on_done=found)

    @property
    def busy(self) -> bool:
        return not self.flow.idle

    # -- texts -------------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Import lessons"))
        self.busy_title.setText(self.tr("Importing lessons…"))
        self._show_current()
        self.bar.setAccessibleName(self.tr("Import progress"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.cancel_button.setAccessibleName(self.tr("Cancel the import"))
        name, fingerprint = self._signer
        if fingerprint:
            self.trust_title.setText(self.tr("Do you trust lessons from “%1”?").replace(
                "%1", name))
            self.trust_text.setText(self.tr(
                "This lesson pack was made by “%1”, but this computer does not know them yet. "
                "Every trainer has their own key. This is the fingerprint of theirs:").replace(
                "%1", name))
            self.fingerprint.setText(format_fingerprint(fingerprint))
            self.fingerprint.setAccessibleName(self.tr("Key fingerprint %1").replace(
                "%1", format_fingerprint(fingerprint)))
            self.trust_hint.setText(self.tr(
                "If your trainer gave you the same fingerprint (on paper or by e-mail), you can "
                "trust them: their next packs are then imported without this question."))
            self.trust_button.setText(self.tr("&Yes, trust %1").replace("%1", name))
            self.trust_button.setVisible(True)
            self.once_button.setText(self.tr("&Only this pack"))
        else:
            self.trust_title.setText(self.tr("This lesson pack is not signed"))
            self.trust_text.setText(self.tr(
                "Nobody can tell who made it, or whether someone changed it on the way. Import it "
                "only if you know where it comes from, for example from your trainer's own USB "
                "stick."))
            self.fingerprint.setText("")
            self.trust_hint.setText("")
            self.trust_button.setVisible(False)
            self.once_button.setText(self.tr("&Import anyway"))
        self.skip_button.setText(self.tr("&Don't import"))
        for button in (self.trust_button, self.once_button, self.skip_button):
            button.setAccessibleName(button.text().replace("&", ""))
        self.details.retranslate()
        self.courier_bar.retranslate()
        self.close_button.setText(self.tr("&Close"))
        self.close_button.setAccessibleName(self.tr("Close"))
        self._show_summary()

    def _show_current(self) -> None:
        count = self.flow.count
        if count > 1:
            self.busy_file.setText(self.tr("Pack %1 of %2: %3").replace(
                "%1", str(min(count, self._index + 1))).replace("%2", str(count)).replace(
                "%3", self._current))
        else:
            self.busy_file.setText(self._current)

    def _show_summary(self) -> None:
        ok = bool(self.flow.results) and not self.flow.problems
        failed_all = bool(self.flow.problems) and not self.flow.results
        if ok:
            self.done_title.setText(self.tr("Done!"))
        elif failed_all:
            self.done_title.setText(self.tr("The lessons were not imported"))
        else:
            self.done_title.setText(self.tr("Import finished"))
        self.done_text.setText("\n\n".join(self._lines))

    # -- flow events -------------------------------------------------------------------------------
    _index = 0

    def _pack_started(self, index: int, _count: int, name: str) -> None:
        self._index = index
        self._current = name
        self.bar.setRange(0, 0)
        self.cancel_button.setEnabled(True)
        self._show_current()
        self.pages.setCurrentWidget(self.busy_page)
        self.cancel_button.setFocus()

    def _progress(self, done: int, total: int) -> None:
        if total > 0:
            self.bar.setRange(0, PROGRESS_STEPS)
            self.bar.setValue(round(PROGRESS_STEPS * min(1.0, done / total)))

    def _ask_trust(self, name: str, fingerprint: str) -> None:
        self._signer = (name, fingerprint)
        self.retranslate()
        self.pages.setCurrentWidget(self._fit(self.trust_page))
        (self.trust_button if fingerprint else self.skip_button).setFocus()

    def _pack_done(self, _name: str, result: ImportResult) -> None:
        self._lines.append(describe_result(result))
        self._details.extend(f"{result.path.name}: {w}" for w in result.warnings)

    def _pack_failed(self, name: str, problem: ImportProblem) -> None:
        self._lines.append(f"{name}: {problem.message}")
        self._details.append(f"{name}: {problem.details}")

    def _finished(self) -> None:
        self._show_summary()
        self.details.set_details("\n".join(self._details))
        self.pages.setCurrentWidget(self._fit(self.done_page))
        self.close_button.setDefault(True)
        self.close_button.setFocus()

    def _fit(self, page: QWidget) -> QWidget:
        """Grow the window so that the page's longest button and text fit (never shrink),
        but never past the screen: buttons too wide side by side go under each other."""
        self.relayout()
        wanted = page.sizeHint().expandedTo(page.minimumSizeHint())
        margins = self.layout().contentsMargins()
        width = wanted.width() + margins.left() + margins.right()
        if width > self.width():
            self.resize(width, max(self.height(), self.sizeHint().height()))
        self.fit_to_screen()
        return page

    # -- closing ---------------------------------------------------------------------------------
    def reject(self) -> None:
        """Esc or the window's close button: stop an import that runs, close otherwise."""
        if self.busy:
            self.flow.cancel()
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.busy:
            self.flow.cancel()
            event.ignore()
            return
        super().closeEvent(event)
