"""The courier in the app: a USB stick with a ``companion-courier`` folder is noticed, and one
button exchanges with it (a shop PC) or delivers its bundles to the hub (an online PC).

Drives are listed with Qt's storage information (``QStorageInfo``), polled on a timer; the
listing and the look at each drive's folder run through the task runner, never on the UI
thread (a sleeping USB drive can take seconds to answer). The exchange writes much to the
library: it runs on the library lane; the delivery talks to the hub: the network lane.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QStorageInfo, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from companion.core.db import device_id
from companion.core.errors import CompanionError
from companion.core.packs.keys import PublicKey, format_fingerprint
from companion.sync import courier_keys
from companion.sync.client import HubError
from companion.sync.courier import ExchangeResult, StickInfo, Untrusted, exchange, stick_info
from companion.sync.courier_delivery import OK, REFUSED, Delivery, deliver_by_address
from companion.ui.context import AppContext
from companion.ui.dialogs.common import heading_label, stack_if_too_wide
from companion.ui.hub_errors import explain_hub_error
from companion.ui.redraw import Redraw

POLL_MS = 4000


def mounted_volumes() -> list[str]:
    """The roots of the drives the system has mounted and ready (run on a worker thread)."""
    return [v.rootPath() for v in QStorageInfo.mountedVolumes()
            if v.isValid() and v.isReady() and not v.isReadOnly()]


def _n(text: str, n: int) -> str:
    return text.replace("%1", str(n))


translate = QCoreApplication.translate  # the name pyside6-lupdate looks for


def summary_text(result: ExchangeResult) -> str:
    """"Sent 12 changes, received 40 and 1 new pack." in the person's language."""
    sent = translate("CourierBar", "Sent 1 change") if result.sent == 1 else \
        _n(translate("CourierBar", "Sent %1 changes"), result.sent)
    received = _n(translate("CourierBar", "received %1"), result.received)
    count = len(result.new_packs)
    packs = translate("CourierBar", "1 new pack") if count == 1 else \
        _n(translate("CourierBar", "%1 new packs"), count)
    return translate("CourierBar", "%1, %2 and %3.").replace("%1", sent).replace(
        "%2", received).replace("%3", packs)


class StickWatcher(QObject):
    """Looks for courier folders on the mounted drives (and folders the person picked) every
    few seconds; ``sticks_changed(list[StickInfo])`` when what it sees changes."""

    sticks_changed = Signal(object)

    def __init__(self, ctx: AppContext, volumes: Callable[[], list[str]] = mounted_volumes,
                 period_ms: int = POLL_MS, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._volumes = volumes
        self._picked: list[Path] = []
        self._busy = False
        self._stopped = False
        self.sticks: list[StickInfo] = []
        self._timer = QTimer(self)
        self._timer.setInterval(period_ms)
        self._timer.timeout.connect(self.poll)

    def start(self) -> None:
        self._stopped = False
        self._timer.start()
        self.poll()

    def stop(self) -> None:
        """No more looking; a look still under way is ignored when it comes back (the window
        may be gone by then)."""
        self._stopped = True
        self._timer.stop()

    def add_folder(self, path: str | Path) -> None:
        """A folder the person picked (a stick the system does not list, a network share)."""
        if Path(path) not in self._picked:
            self._picked.append(Path(path))
        self.poll()

    def poll(self) -> None:
        if self._busy or self._stopped:
            return
        self._busy = True
        device = device_id(self.ctx.services.db)
        picked = list(self._picked)
        volumes = self._volumes

        def scan(_task: Any) -> list[StickInfo]:
            found: list[StickInfo] = []
            for root in [*picked, *map(Path, volumes())]:
                info = stick_info(root, device)
                if info is not None and all(f.folder != info.folder for f in found):
                    found.append(info)
            return found

        if self.ctx.tasks.run(scan, on_done=self._found, on_error=self._failed).cancelled:
            self._busy = False  # the task runner is closed: the app is ending

    def _found(self, sticks: list[StickInfo]) -> None:
        self._busy = False
        if self._stopped:
            return
        if sticks != self.sticks:
            self.sticks = sticks
            self.sticks_changed.emit(sticks)

    def _failed(self, _exc: BaseException) -> None:
        self._busy = False


class CourierBar(QFrame):
    """The strip that offers what a stick allows: "Exchange with this stick" (this profile has
    courier keys) and "Deliver 14 bundles to the hub" (the stick carries bundles not delivered
    yet; each names its hub, so no login is needed); then progress, then the plain summary."""

    done = Signal(object)  # ExchangeResult or the list of deliveries, once a run ends

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("courierBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.ctx = ctx
        self.stick: StickInfo | None = None
        self._running = False
        self._message = ""
        layout = QVBoxLayout(self)
        self.title = heading_label(self, 1.15)
        self.title.setObjectName("courierTitle")
        row = QHBoxLayout()
        self.exchange_button = QPushButton(self)
        self.exchange_button.setObjectName("courierExchange")
        self.exchange_button.clicked.connect(self.exchange)
        self.deliver_button = QPushButton(self)
        self.deliver_button.setObjectName("courierDeliver")
        self.deliver_button.clicked.connect(self.deliver)
        row.addWidget(self.exchange_button)
        row.addWidget(self.deliver_button)
        row.addStretch(1)
        self._row = row
        self.progress = QProgressBar(self)
        self.progress.setObjectName("courierProgress")
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.result = QLabel(self)
        self.result.setObjectName("courierResult")
        self.result.setWordWrap(True)
        self.result.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.title)
        layout.addLayout(row)
        layout.addWidget(self.progress)
        layout.addWidget(self.result)
        # A bound method, not a lambda: Qt drops the connection when the strip is deleted.
        ctx.bus.changed.connect(self._on_redraw)
        self.retranslate()
        self.hide()

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Buttons under each other when side by side they would not fit (the largest text,
        a 1024 px screen, Dutch)."""
        margins = self.layout().contentsMargins()
        stack_if_too_wide(self._row, self.width() - margins.left() - margins.right())
        super().resizeEvent(event)

    # -- what the stick allows -----------------------------------------------------------------
    def can_exchange(self) -> bool:
        return courier_keys.state(self.ctx.services.db, self.ctx.profile_id) is not None

    def can_deliver(self) -> bool:
        # No login needed: each bundle names its hub (whose key is checked before sending);
        # this profile's login only serves bundles of older apps that name none.
        return True

    def show_sticks(self, sticks: list[StickInfo]) -> None:
        """The watcher saw these; the first one is offered (a shop PC has one stick in)."""
        if self._running:
            return
        stick = sticks[0] if sticks else None
        if stick is None or self.stick is None or stick.folder != self.stick.folder:
            self._message = ""  # what was said was about another stick
        self.stick = stick
        self._update()

    def _on_redraw(self, _redraw: Redraw) -> None:
        self._update()  # a login or logout changes what the stick allows

    def _update(self) -> None:
        stick = self.stick
        exchange_ok = stick is not None and self.can_exchange()
        deliver_ok = stick is not None and stick.undelivered > 0 and self.can_deliver()
        self.exchange_button.setVisible(exchange_ok)
        self.deliver_button.setVisible(deliver_ok)
        self.retranslate()
        self.setVisible(stick is not None and (exchange_ok or deliver_ok or bool(self._message)))

    def retranslate(self) -> None:
        stick = self.stick
        where = str(stick.folder.parent) if stick is not None else ""
        self.title.setText(self.tr("A stick to exchange with is here: %1").replace("%1", where))
        self.exchange_button.setText(self.tr("Exchange with this stick"))
        n = stick.undelivered if stick is not None else 0
        self.deliver_button.setText(self.tr("Deliver 1 bundle to the hub") if n == 1 else
                                    _n(self.tr("Deliver %1 bundles to the hub"), n))
        self.result.setText(self._message)
        self.result.setVisible(bool(self._message))

    # -- running -------------------------------------------------------------------------------
    def _start(self, text: str) -> None:
        self._running = True
        self._message = text
        self.exchange_button.setEnabled(False)
        self.deliver_button.setEnabled(False)
        self.progress.setRange(0, 0)
        self.progress.show()
        self.retranslate()

    def _finish(self, message: str) -> None:
        self._running = False
        self._message = message
        self.exchange_button.setEnabled(True)
        self.deliver_button.setEnabled(True)
        self.progress.hide()
        self._update()

    def exchange(self) -> None:
        """Take in the stick's answer for this profile and write its next bundle."""
        if self.stick is None or self._running:
            return
        folder, profile_id = self.stick.folder, self.ctx.profile_id
        self._start(self.tr("Exchanging with the stick. Leave it in until this is done."))

        def work(task: Any) -> ExchangeResult:
            svc = task.services
            return exchange(svc.credentials, svc.packs, profile_id, folder)

        self.ctx.tasks.run_library(work, on_done=self._exchanged, on_error=self._failed)

    def _alive(self) -> bool:
        """False once the strip is gone (its dialog closed while the work went on): the work's
        result then only reaches the change bus."""
        return shiboken6.isValid(self)

    def _exchanged(self, result: ExchangeResult) -> None:
        # What the answer brought is like a sync's: redraw, and nothing new to send.
        self.ctx.announce(Redraw(packs=True, progress=True, notes=True, profile=True,
                                 sync=True, from_hub=True))
        if not self._alive():
            return
        text = summary_text(result)
        refused, waiting = len(result.refused), len(result.pack_problems)
        if refused:
            text += " " + (self.tr("The hub refused 1 change.") if refused == 1 else
                           _n(self.tr("The hub refused %1 changes."), refused))
        if waiting:
            text += " " + (self.tr("1 pack could not be installed yet.") if waiting == 1 else
                           _n(self.tr("%1 packs could not be installed yet."), waiting))
        if result.answer_problem:
            text += " " + self.tr("The stick's answer for this PC could not be used.")
        self._finish(text)
        trusted = [u for u in result.untrusted if self.ask_trust(u)]
        for signer in trusted:
            self.ctx.services.trust.trust(PublicKey(signer.name, signer.public_key))
        self.done.emit(result)
        if trusted:
            self.exchange()  # the answer waited on the stick: now its packs go in

    def ask_trust(self, signer: Untrusted) -> bool:
        """The import's question, for a pack that came on the stick."""
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Trust this trainer?"),
                          self.tr("Do you trust lessons from “%1”?").replace("%1", signer.name),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                          self)
        box.setInformativeText(self.tr(
            "The stick brought a lesson pack made by “%1”, but this computer does not know "
            "them yet. This is the fingerprint of their key: %2. If your trainer gave you the "
            "same fingerprint, you can trust them.").replace("%1", signer.name).replace(
            "%2", format_fingerprint(signer.fingerprint)))
        box.setDefaultButton(QMessageBox.StandardButton.No)
        return box.exec() == QMessageBox.StandardButton.Yes

    def deliver(self) -> None:
        """Deliver every bundle on the stick to the hub it names; write the answers back."""
        login = self.ctx.services.credentials.login(self.ctx.profile_id)
        if self.stick is None or self._running:
            return
        fallback = login.hub_url if login is not None else None
        ca_files = {login.hub_url: login.ca_file} if login is not None else None
        folder = self.stick.folder
        self._start(self.tr("Delivering to the hub. Leave the stick in until this is done."))
        total = self.stick.bundles

        def work(task: Any) -> list[Delivery]:
            seen: list[Delivery] = []

            def one(result: Delivery) -> None:
                seen.append(result)
                task.progress((len(seen), total))

            return deliver_by_address(folder, fallback, ca_files, one)

        self.ctx.tasks.run_network(work, on_done=self._delivered, on_error=self._failed,
                                   on_progress=self._delivering)

    def _delivering(self, value: tuple[int, int]) -> None:
        if not self._alive():
            return
        done, total = value
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)

    def _delivered(self, results: list[Delivery]) -> None:
        if not self._alive():
            return
        ok = sum(r.outcome == OK for r in results)
        refused = sum(r.outcome == REFUSED for r in results)
        text = self.tr("Delivered 1 bundle.") if ok == 1 else \
            _n(self.tr("Delivered %1 bundles."), ok)
        if refused:
            text += " " + (self.tr("1 bundle was refused by the hub.") if refused == 1 else
                           _n(self.tr("%1 bundles were refused by the hub."), refused))
        self._finish(text)
        self.done.emit(results)

    def _failed(self, exc: BaseException) -> None:
        if not self._alive():
            return
        if isinstance(exc, HubError):
            text = explain_hub_error(exc)
        elif isinstance(exc, CompanionError):
            text = str(exc)
        else:
            text = self.tr("Something went wrong; nothing was changed.")
        self._finish(text)
        self.done.emit(exc)
