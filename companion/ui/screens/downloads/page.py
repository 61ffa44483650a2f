"""Downloads: the packs the hub offers to my groups, the queue with its progress, and when and
how fast downloads may run. Without a connection to a group: what it is for, and the button
that connects.

The logic is :class:`~companion.ui.screens.downloads.queue.DownloadQueue`; this page only shows
it and passes the clicks on.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from companion.core.packs.models import ImportResult
from companion.sync.offers import OfferedPack
from companion.ui.context import AppContext
from companion.ui.dialogs.download_trust import ONCE, TRUST, DownloadTrustDialog
from companion.ui.navigation import Navigator
from companion.ui.screens.base import Screen
from companion.ui.screens.downloads.items import QueueItem, State
from companion.ui.screens.downloads.queue import DownloadQueue
from companion.ui.screens.downloads.rows import OfferedRow, QueueRow, ReadyRow, SettingsPanel
from companion.ui.screens.widgets import big_button, heading, scrolling_page, text_label


def _clear(layout: QVBoxLayout) -> None:
    while layout.count():
        widget = layout.takeAt(0).widget()
        if widget is not None:
            widget.setParent(None)
            widget.deleteLater()


class DownloadsScreen(Screen):
    """The downloads page. The shell calls :meth:`attach_sync` once the sync exists and
    :meth:`window_closing` when the window closes."""

    WATCHES = ("packs", "profile")

    #: One line for the status bar, whatever page is shown: what the downloads are doing
    #: ("Downloading “Bakken” · 45%"), or "" when there is nothing to say.
    activity_changed = Signal(str)

    def __init__(self, ctx: AppContext, nav: Navigator, parent: QWidget | None = None, *,
                 queue: DownloadQueue | None = None) -> None:
        super().__init__(ctx, nav, parent)
        self.setObjectName("downloadsScreen")
        self.queue = queue or DownloadQueue(ctx, parent=self)
        self.sync: Any = None
        self.trust_dialog: DownloadTrustDialog | None = None
        self._connected: bool | None = None
        self.offered_rows: list[OfferedRow] = []
        self.queue_rows: list[QueueRow] = []
        self._ready_shown: list[OfferedPack] = []
        self._activity = ""

        layout = scrolling_page(self, spacing=12)

        top = QHBoxLayout()
        self.heading = heading("", 1.6)
        top.addWidget(self.heading, 1)
        self.refresh_button = big_button("", height_em=2.0)
        self.refresh_button.setObjectName("refreshButton")
        self.refresh_button.clicked.connect(self.queue.refresh_catalog)
        top.addWidget(self.refresh_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)
        self.status = text_label()
        self.status.setObjectName("downloadsStatus")
        layout.addWidget(self.status)

        # -- not connected
        self.connect_box = QWidget()
        box = QVBoxLayout(self.connect_box)
        box.setContentsMargins(0, 8, 0, 8)
        box.setSpacing(16)
        self.connect_text = text_label(factor=1.1)
        box.addWidget(self.connect_text)
        self.connect_button = big_button("", primary=True)
        self.connect_button.setObjectName("connectButton")
        self.connect_button.clicked.connect(self.nav.connect_group)
        box.addWidget(self.connect_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.connect_box)

        # -- ready, the queue, the offer
        self.ready_list = QVBoxLayout()
        self.ready_list.setSpacing(8)
        layout.addLayout(self.ready_list)
        self.queue_heading = heading("", 1.25)
        layout.addWidget(self.queue_heading)
        self.queue_list = QVBoxLayout()
        self.queue_list.setSpacing(8)
        layout.addLayout(self.queue_list)
        self.offered_heading = heading("", 1.25)
        layout.addWidget(self.offered_heading)
        self.offered_empty = text_label()
        layout.addWidget(self.offered_empty)
        self.offered_list = QVBoxLayout()
        self.offered_list.setSpacing(8)
        layout.addLayout(self.offered_list)
        layout.addSpacing(8)
        self.settings_panel = SettingsPanel()
        self.settings_panel.show_settings(self.queue.settings)
        self.settings_panel.changed.connect(self.queue.set_settings)
        layout.addWidget(self.settings_panel)
        layout.addStretch(1)

        self.queue.changed.connect(self._show_queue)
        self.queue.catalog_changed.connect(self._show_catalog)
        self.queue.trust_needed.connect(self._trust_needed)
        self.queue.pack_ready.connect(self._pack_ready)
        self.retranslate()
        self.queue.start()

    # -- wiring from the shell -------------------------------------------------------------------
    def attach_sync(self, controller: Any) -> None:
        """The sync controller: where the login is kept, and when the connection comes back."""
        self.sync = controller
        self.queue.connection = getattr(controller, "connection", None)
        controller.status_changed.connect(self._sync_status)
        self._show_connection()

    def window_closing(self) -> None:
        self.queue.shutdown()

    # -- texts -----------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.heading.setText(self.tr("Downloads"))
        self.refresh_button.setText(self.tr("Check for new packs"))
        self.connect_text.setText(self.tr(
            "Your trainer can send new lesson packs over the internet. Connect this computer "
            "to your group once; after that, new packs show up here and you can download "
            "them, also at night when the shop is closed."))
        self.connect_button.setText(self.tr("Connect to your group…"))
        self.queue_heading.setText(self.tr("Downloading"))
        self.offered_heading.setText(self.tr("Offered to your group"))
        self.offered_empty.setText(self.tr("Your trainer has not offered any packs yet."))
        self.settings_panel.retranslate()
        self._show_status()
        self._show_queue()
        self._show_activity(force=True)

    # -- drawing ---------------------------------------------------------------------------------
    def reload(self) -> None:
        """Shown (or the packs changed): redraw, and ask the hub again if the offer is old."""
        self._show_connection()
        if self.queue.is_connected() and self.queue.catalog_is_stale():
            self.queue.refresh_catalog()

    def _sync_status(self, status: Any) -> None:
        self.queue.connection_changed(status)
        self._show_connection()

    def _show_connection(self) -> None:
        connected = self.queue.is_connected()
        if connected == self._connected:
            return
        self._connected = connected
        self.connect_box.setVisible(not connected)
        self.refresh_button.setVisible(connected)
        self.settings_panel.setVisible(connected)
        if connected and self.isVisible() and self.queue.catalog_is_stale():
            self.queue.refresh_catalog()
        self._show_catalog()

    def _show_status(self) -> None:
        q = self.queue
        if not q.is_connected():
            text = ""
        elif q.refreshing:
            text = self.tr("Asking the server what is new…")
        elif q.catalog_problem:
            text = q.catalog_problem
        elif q.catalog_at is not None:
            text = self.tr("Checked at %1.").replace("%1", q.catalog_at.strftime("%H:%M"))
        else:
            text = ""
        self.status.setText(text)
        self.status.setVisible(bool(text))
        self.refresh_button.setEnabled(not q.refreshing)

    def _show_catalog(self) -> None:
        self._show_status()
        connected = bool(self._connected)
        offered = self.queue.offered if connected else []
        _clear(self.offered_list)
        self.offered_rows = []
        for pack in offered:
            row = OfferedRow(pack)
            row.download_clicked.connect(self._download)
            self.offered_list.addWidget(row)
            self.offered_rows.append(row)
        known = self.queue.catalog_at is not None
        self.offered_heading.setVisible(connected and (bool(offered) or known))
        self.offered_empty.setVisible(connected and known and not offered)
        self._show_queue()

    def _show_queue(self) -> None:
        q = self.queue
        items = q.items if self._connected else []
        if [r.item for r in self.queue_rows] != items:
            _clear(self.queue_list)
            self.queue_rows = []
            for item in items:
                row = QueueRow(item, self._main_clicked, q.remove)
                self.queue_list.addWidget(row)
                self.queue_rows.append(row)
        hours = self.settings_hours()
        for row in self.queue_rows:
            row.show_item(row.item, hours)
        self.queue_heading.setVisible(bool(items))
        queued = {i.key for i in q.items}
        for row in self.offered_rows:
            row.show_pack(row.pack, (row.pack.pack_id, row.pack.version) in queued)
        ready = [pack for pack, _result in q.ready] if self._connected else []
        if ready != self._ready_shown:
            self._ready_shown = ready
            _clear(self.ready_list)
            for pack in ready:
                self.ready_list.addWidget(ReadyRow(pack, self._open_in_library,
                                                   q.dismiss_ready))

        self._show_activity()

    def activity_text(self) -> str:
        q = self.queue
        if not self._connected:
            return ""
        running = q.running
        if running is not None and running.state == State.RUNNING:
            return self.tr("Downloading “%1” · %2%").replace("%1", running.pack.title).replace(
                "%2", str(int(running.fraction * 100)))
        if any(i.state == State.WAITING for i in q.items):
            return self.tr("Downloads wait for the connection")
        if any(i.state == State.HOURS for i in q.items):
            return self.tr("Downloads wait for your download hours")
        return ""

    def _show_activity(self, force: bool = False) -> None:
        text = self.activity_text()
        if force or text != self._activity:
            self._activity = text
            self.activity_changed.emit(text)

    def settings_hours(self) -> str:
        window = self.queue.settings.window
        if window is None:
            return ""
        return self.tr("%1 to %2").replace("%1", window[0].strftime("%H:%M")).replace(
            "%2", window[1].strftime("%H:%M"))

    # -- actions ---------------------------------------------------------------------------------
    def _download(self, pack: OfferedPack) -> None:
        self.queue.enqueue(pack)

    def _main_clicked(self, item: QueueItem) -> None:
        """The row's first button: Pause, Resume, Start now, Try again or Answer."""
        if item.state in (State.RUNNING, State.QUEUED):
            self.queue.pause(item)
        elif item.state == State.ASKING:
            self.ask_trust(item)
        else:
            self.queue.resume(item)

    def _open_in_library(self, pack_id: str) -> None:
        self.queue.dismiss_ready(pack_id)
        self.nav.library(pack_id)

    def _trust_needed(self, item: QueueItem) -> None:
        if self.isVisible():
            self.ask_trust(item)
        else:
            self.nav.notice(self.tr("“%1” waits for your answer on the Downloads page.")
                            .replace("%1", item.pack.title))

    def ask_trust(self, item: QueueItem) -> DownloadTrustDialog | None:
        """The import's trust question for ``item`` (opened, not blocking)."""
        if self.trust_dialog is not None and self.trust_dialog.isVisible():
            return self.trust_dialog
        name, fingerprint = item.signer
        dialog = DownloadTrustDialog(item.pack.title, name, fingerprint, self.window())
        dialog.setWindowModality(Qt.WindowModality.WindowModal)

        def answered(answer: int) -> None:
            self.trust_dialog = None
            if answer == TRUST:
                self.queue.trust_signer(item)
            elif answer == ONCE:
                self.queue.download_once(item)
            elif answer != 0:
                self.queue.remove(item)
            dialog.deleteLater()

        dialog.finished.connect(answered)
        self.trust_dialog = dialog
        dialog.open()
        return dialog

    def _pack_ready(self, pack: OfferedPack, result: ImportResult) -> None:
        self.nav.notice(self.tr("Ready: %1").replace("%1", pack.title))
