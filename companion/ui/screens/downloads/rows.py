"""The parts of the downloads page: one offered pack, one download in the queue, a pack that is
ready, and the download settings. Each shows what it is given; the page does the rest."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time as clock_time

from PySide6.QtCore import QTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from companion.sync.offers import INSTALLED, NEW, UPDATE, OfferedPack
from companion.ui.i18n import language_name
from companion.ui.screens.downloads.items import QueueItem, State
from companion.ui.screens.downloads.settings import DEFAULT_HOURS, DownloadSettings, hours_text
from companion.ui.screens.downloads.wording import format_bytes, format_speed, format_time_left
from companion.ui.screens.widgets import big_button, heading, text_label
from companion.ui.theme import relative_min_width

PROGRESS_STEPS = 1000


def _fixed_button(text: str = "", *, primary: bool = False) -> QPushButton:
    button = big_button(text, primary=primary, height_em=2.0)
    button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
    relative_min_width(button, 7)  # follows a text size changed while the app runs
    return button


class _Row(QFrame):
    def __init__(self) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(16, 12, 16, 12)
        self.grid.setHorizontalSpacing(12)
        self.grid.setVerticalSpacing(4)
        self.grid.setColumnStretch(0, 1)


class OfferedRow(_Row):
    """A pack the hub offers: title, language, version, size, state and Download/Update."""

    download_clicked = Signal(object)  # OfferedPack

    def __init__(self, pack: OfferedPack) -> None:
        super().__init__()
        self.setObjectName("offeredRow")
        self.pack = pack
        self.title = heading(pack.title, 1.15)
        self.facts = text_label()
        self.state = text_label()
        self.button = _fixed_button(primary=False)
        self.button.clicked.connect(lambda: self.download_clicked.emit(self.pack))
        self.grid.addWidget(self.title, 0, 0)
        self.grid.addWidget(self.facts, 1, 0)
        self.grid.addWidget(self.state, 2, 0)
        self.grid.addWidget(self.button, 0, 1, 3, 1)
        self.show_pack(pack, queued=False)

    def show_pack(self, pack: OfferedPack, queued: bool) -> None:
        self.pack = pack
        size = format_bytes(pack.size)
        if pack.status in (NEW, UPDATE) and 0 < pack.bytes_needed < pack.size:
            size = self.tr("%1, still %2 to download").replace("%1", size).replace(
                "%2", format_bytes(pack.bytes_needed))
        self.facts.setText("  ·  ".join((
            language_name(pack.language),
            self.tr("version %1").replace("%1", pack.version), size)))
        if pack.status == NEW:
            state = self.tr("New")
        elif pack.status == UPDATE:
            state = self.tr("Update available (you have version %1)").replace(
                "%1", pack.installed_version or "?")
        elif pack.status == INSTALLED:
            state = self.tr("✓ On this computer")
        else:
            state = self.tr("You have a newer version (%1)").replace(
                "%1", pack.installed_version or "?")
        if queued:
            state = self.tr("%1 · in the download list").replace("%1", state)
        self.state.setText(state)
        # Queued already: no greyed-out button to wonder about, the state line says it.
        self.button.setVisible(pack.status in (NEW, UPDATE) and not queued)
        self.button.setText(self.tr("Update") if pack.status == UPDATE else self.tr("Download"))
        self.button.setAccessibleName(self.tr("%1: %2").replace(
            "%1", self.button.text()).replace("%2", pack.title))
        self.setAccessibleName(f"{pack.title}. {self.facts.text()}. {state}")


class QueueRow(_Row):
    """A download in the queue: progress bar, MB done of total, speed, time left, and
    Pause/Resume and Cancel."""

    def __init__(self, item: QueueItem, on_main: Callable[[QueueItem], None],
                 on_cancel: Callable[[QueueItem], None]) -> None:
        super().__init__()
        self.setObjectName("queueRow")
        self.item = item
        self.title = heading(item.pack.title, 1.15)
        self.bar = QProgressBar()
        self.bar.setRange(0, PROGRESS_STEPS)
        self.bar.setTextVisible(False)
        self.bar.setMinimumHeight(self.fontMetrics().height())
        self.line = text_label()
        self.line.setObjectName("queueLine")
        self.main_button = _fixed_button(primary=True)
        self.main_button.setObjectName("queueMainButton")
        self.main_button.clicked.connect(lambda: on_main(self.item))
        self.cancel_button = _fixed_button()
        self.cancel_button.setObjectName("queueCancelButton")
        self.cancel_button.clicked.connect(lambda: on_cancel(self.item))
        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        buttons.addWidget(self.main_button)
        buttons.addWidget(self.cancel_button)
        self.grid.addWidget(self.title, 0, 0)
        self.grid.addLayout(buttons, 0, 1)
        self.grid.addWidget(self.bar, 1, 0, 1, 2)
        self.grid.addWidget(self.line, 2, 0, 1, 2)
        self.show_item(item, hours="")

    def show_item(self, item: QueueItem, hours: str) -> None:
        """Show ``item`` as it is now; ``hours`` is the download window as people read it."""
        self.item = item
        self.bar.setValue(round(PROGRESS_STEPS * item.fraction))
        amount = self.tr("%1 of %2").replace("%1", format_bytes(item.done_bytes)).replace(
            "%2", format_bytes(item.total_bytes))
        state = item.state
        main = self.tr("Pause")
        if state == State.RUNNING:
            if item.bytes_per_s > 0:
                line = "  ·  ".join((amount, format_speed(item.bytes_per_s),
                                     format_time_left(item.eta_s)))
            else:
                line = self.tr("%1 · starting…").replace("%1", amount)
        elif state == State.STOPPING:
            line, main = self.tr("%1 · stopping…").replace("%1", amount), self.tr("Pause")
        elif state == State.QUEUED:
            line = self.tr("Waits for its turn")
        elif state == State.PAUSED:
            line = item.problem or self.tr("%1 · paused. What is downloaded stays.").replace(
                "%1", amount)
            main = self.tr("Resume")
        elif state == State.HOURS:
            line = self.tr("Waits for your download hours (%1).").replace("%1", hours)
            main = self.tr("Start now")
        elif state == State.WAITING:
            line, main = item.problem, self.tr("Try now")
        elif state == State.ASKING:
            line = self.tr("Waits for your answer: do you trust the trainer who made it?")
            main = self.tr("Answer…")
        else:
            line, main = item.problem, self.tr("Try again")
        self.line.setText(line)
        self.line.setToolTip(item.details)
        self.main_button.setText(main)
        self.main_button.setEnabled(state != State.STOPPING)
        # Waiting for its turn: only "Cancel"; an empty bar says nothing either.
        self.main_button.setVisible(state != State.QUEUED)
        self.bar.setVisible(state in (State.RUNNING, State.STOPPING) or item.done_bytes > 0)
        self.cancel_button.setText(self.tr("Cancel"))
        title = item.pack.title
        self.main_button.setAccessibleName(self.tr("%1: %2").replace("%1", main).replace(
            "%2", title))
        self.cancel_button.setAccessibleName(self.tr("Cancel the download of %1").replace(
            "%1", title))
        self.bar.setAccessibleName(self.tr("Download of %1").replace("%1", title))
        self.bar.setAccessibleDescription(line)


class ReadyRow(_Row):
    """"Ready: <title>" with a button to open it in the library."""

    def __init__(self, pack: OfferedPack, on_open: Callable[[str], None],
                 on_close: Callable[[str], None]) -> None:
        super().__init__()
        self.setObjectName("readyRow")
        self.pack = pack
        self.label = heading(self.tr("Ready: %1").replace("%1", pack.title), 1.15)
        self.open_button = _fixed_button(self.tr("Open in the library"), primary=True)
        self.open_button.setObjectName("openInLibraryButton")
        self.open_button.setMinimumWidth(self.open_button.sizeHint().width())
        self.open_button.clicked.connect(lambda: on_open(pack.pack_id))
        self.close_button = _fixed_button(self.tr("OK"))
        relative_min_width(self.close_button, 4)
        self.close_button.setAccessibleName(self.tr("Hide this message"))
        self.close_button.clicked.connect(lambda: on_close(pack.pack_id))
        self.grid.addWidget(self.label, 0, 0)
        self.grid.addWidget(self.open_button, 0, 1)
        self.grid.addWidget(self.close_button, 0, 2)


def _qtime(t: clock_time) -> QTime:
    return QTime(t.hour, t.minute)


def _clock_time(t: QTime) -> clock_time:
    return clock_time(t.hour(), t.minute())


class SettingsPanel(QFrame):
    """Speed cap, download hours and automatic downloads; ``changed(DownloadSettings)`` on
    every edit (applied at once, like the Settings window)."""

    changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("downloadSettings")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        box = QVBoxLayout(self)
        box.setContentsMargins(16, 12, 16, 12)
        box.setSpacing(10)
        self.title = heading("", 1.25)
        box.addWidget(self.title)

        row = QHBoxLayout()
        self.rate_check = QCheckBox()
        self.rate_check.setObjectName("rateCheck")
        self.rate_spin = QSpinBox()
        self.rate_spin.setObjectName("rateSpin")
        self.rate_spin.setRange(10, 100_000)
        self.rate_spin.setSingleStep(50)
        self.rate_spin.setValue(200)
        relative_min_width(self.rate_spin, 7)
        self.rate_unit = QLabel()
        row.addWidget(self.rate_check)
        row.addWidget(self.rate_spin)
        row.addWidget(self.rate_unit)
        row.addStretch(1)
        box.addLayout(row)
        self.rate_help = text_label()
        box.addWidget(self.rate_help)

        row = QHBoxLayout()
        self.hours_check = QCheckBox()
        self.hours_check.setObjectName("hoursCheck")
        self.start_edit, self.end_edit = QTimeEdit(), QTimeEdit()
        for edit in (self.start_edit, self.end_edit):
            edit.setDisplayFormat("HH:mm")
            relative_min_width(edit, 5)
        self.start_edit.setTime(_qtime(DEFAULT_HOURS[0]))
        self.end_edit.setTime(_qtime(DEFAULT_HOURS[1]))
        self.and_label = QLabel()
        row.addWidget(self.hours_check)
        row.addWidget(self.start_edit)
        row.addWidget(self.and_label)
        row.addWidget(self.end_edit)
        row.addStretch(1)
        box.addLayout(row)
        self.hours_help = text_label()
        box.addWidget(self.hours_help)

        self.auto_check = QCheckBox()
        self.auto_check.setObjectName("autoCheck")
        box.addWidget(self.auto_check)
        self.auto_help = text_label()
        box.addWidget(self.auto_help)

        self._loading = False
        for check in (self.rate_check, self.hours_check, self.auto_check):
            check.toggled.connect(self._edited)
        self.rate_spin.editingFinished.connect(self._edited)
        self.start_edit.editingFinished.connect(self._edited)
        self.end_edit.editingFinished.connect(self._edited)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Download settings"))
        self.rate_check.setText(self.tr("&Limit the speed to"))
        self.rate_spin.setAccessibleName(self.tr("Speed limit in kilobytes per second"))
        self.rate_unit.setText(self.tr("KB per second"))
        self.rate_help.setText(self.tr(
            "Leaves room on the shop's connection for the card terminal and the music."))
        self.hours_check.setText(self.tr("Only download &between"))
        self.and_label.setText(self.tr("and"))
        self.start_edit.setAccessibleName(self.tr("Download from"))
        self.end_edit.setAccessibleName(self.tr("Download until"))
        self.hours_help.setText(self.tr(
            "For example after closing time. Leave the computer on: a download stops at the "
            "end and goes on the next time."))
        self.auto_check.setText(self.tr("Download new packs and updates &automatically"))
        self.auto_help.setText(self.tr(
            "When your trainer offers something new, it is downloaded by itself (within the "
            "hours above)."))

    def show_settings(self, settings: DownloadSettings) -> None:
        self._loading = True
        try:
            self.rate_check.setChecked(settings.rate_kbps > 0)
            if settings.rate_kbps > 0:
                self.rate_spin.setValue(settings.rate_kbps)
            window = settings.window
            self.hours_check.setChecked(window is not None)
            if window is not None:
                self.start_edit.setTime(_qtime(window[0]))
                self.end_edit.setTime(_qtime(window[1]))
            self.auto_check.setChecked(settings.auto)
            self._enable()
        finally:
            self._loading = False

    def settings(self) -> DownloadSettings:
        start, end = _clock_time(self.start_edit.time()), _clock_time(self.end_edit.time())
        hours = hours_text(start, end) if self.hours_check.isChecked() and start != end else ""
        rate = self.rate_spin.value() if self.rate_check.isChecked() else 0
        return DownloadSettings(rate, hours, self.auto_check.isChecked())

    def _enable(self) -> None:
        self.rate_spin.setEnabled(self.rate_check.isChecked())
        for widget in (self.start_edit, self.end_edit):
            widget.setEnabled(self.hours_check.isChecked())

    def _edited(self, *_args: object) -> None:
        self._enable()
        if not self._loading:
            self.changed.emit(self.settings())
