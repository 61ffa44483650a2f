"""The bell, the tray icon and its balloons (issue 11): the unread count after every sync, one
balloon per new bundle, or one digest at the next break when the person wants quiet while the
shop is busy. Where the system has no tray the app says nothing and does without.

Only drawing happens on the UI thread: the notifications are derived by the sync engine on its
own thread while it applies a pull, and counting them and marking balloons as shown run on the
task runner's quick lane (never behind an import or a download), whose answer comes back to
draw the bell.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QFont, QIcon, QPainter
from PySide6.QtWidgets import (
    QApplication,
    QBoxLayout,
    QMainWindow,
    QMenu,
    QSystemTrayIcon,
    QToolButton,
    QWidget,
)

from companion.core.notifications import Alert, Notification, Notifications, quiet_hours
from companion.sync import engine as sync_engine
from companion.ui.context import AppContext
from companion.ui.navigation import Navigator
from companion.ui.screens.notifications import notification_title
from companion.ui.tasks import TaskContext
from companion.ui.theme import app_icon, icon

if TYPE_CHECKING:
    from companion.ui.sync_ui import SyncController

log = logging.getLogger(__name__)

KEEP_IN_TRAY_PREF = "keep_in_tray"
START_AT_LOGIN_PREF = "start_at_login"


def icon_with_count(base: QIcon, count: int, size: int = 64) -> QIcon:
    """``base`` with a red dot holding ``count`` (nothing when 0; "9+" past 9)."""
    pixmap = base.pixmap(size, size)
    if count <= 0:
        return QIcon(pixmap)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    d = size * 0.55
    painter.setBrush(QColor("#c0392b"))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(int(size - d), 0, int(d), int(d))
    font = QFont()
    font.setBold(True)
    font.setPixelSize(int(d * 0.62))
    painter.setFont(font)
    painter.setPen(QColor("white"))
    painter.drawText(int(size - d), 0, int(d), int(d), Qt.AlignmentFlag.AlignCenter,
                     "9+" if count > 9 else str(count))
    painter.end()
    return QIcon(pixmap)


@dataclass(frozen=True)
class SocialState:
    """What a refresh learnt off the UI thread: the unread count and the balloons due now."""

    unread: int
    alerts: list[Alert] = field(default_factory=list)
    shown: dict[int, Notification] = field(default_factory=dict)


def collect_social(services: object, profile_id: int, now: datetime) -> SocialState:
    """Count the unread bundles and take the balloons due now (marking them as shown). Runs
    on a worker with that worker's own services."""
    store = Notifications(services.db)  # type: ignore[attr-defined]
    quiet = quiet_hours(services.preferences, profile_id)  # type: ignore[attr-defined]
    alerts = store.due_alerts(profile_id, now, quiet)
    shown = ({n.id: n for n in store.list(profile_id, unread_only=True)} if alerts else {})
    return SocialState(store.unread_count(profile_id), alerts, shown)


class BellButton(QToolButton):
    """The header's bell: the number of unread notifications; a click opens the page."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("bellButton")
        self.setAutoRaise(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        # The count is drawn on the icon, and said beside it for those who read numbers
        # better than dots.
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.count = 0
        self.set_count(0)

    def _fit(self) -> None:
        line = self.fontMetrics().height()
        self.setIconSize(QSize(round(line * 1.5), round(line * 1.5)))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit()

    def set_count(self, count: int) -> None:
        self.count = count
        self.setIcon(icon_with_count(icon("nav-bell"), count))
        self.setText(str(count) if count else "")
        self._fit()
        label = (self.tr("Notifications: %n unread", "", count) if count
                 else self.tr("Notifications: nothing new"))
        self.setToolTip(label)
        self.setAccessibleName(label)


class SocialController(QObject):
    """Keeps the bell and the tray up to date and shows the balloons."""

    unread_changed = Signal(int)
    refreshed = Signal(object)         # the alerts of one finished refresh (for tests)
    open_requested = Signal()          # the tray's "Open" or a click on a balloon
    quit_requested = Signal()

    #: How often held balloons are looked at (a break may start between two syncs).
    TICK_MS = 60_000

    def __init__(self, ctx: AppContext, parent: QObject | None = None, *,
                 clock: Callable[[], datetime] = datetime.now,
                 tray_available: bool | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.clock = clock
        self.unread = 0
        self.quitting = False
        self.bell: BellButton | None = None
        self._busy = False
        self._again = False
        self.window: QMainWindow | None = None
        available = (QSystemTrayIcon.isSystemTrayAvailable() if tray_available is None
                     else tray_available)
        self.tray: QSystemTrayIcon | None = None
        if available:
            self.tray = QSystemTrayIcon(app_icon(), self)
            menu = QMenu()
            self._open = QAction(menu)
            self._open.triggered.connect(self.open_requested.emit)
            self._quit = QAction(menu)
            self._quit.triggered.connect(self.quit_requested.emit)
            menu.addAction(self._open)
            menu.addAction(self._quit)
            self._menu = menu
            self.tray.setContextMenu(menu)
            self.tray.activated.connect(self._activated)
            self.tray.messageClicked.connect(self.open_requested.emit)
            self.tray.show()
        self.timer = QTimer(self)
        self.timer.setInterval(self.TICK_MS)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()
        self.retranslate()

    def retranslate(self) -> None:
        if self.tray is not None:
            self._open.setText(self.tr("Open"))
            self._quit.setText(self.tr("Quit"))
            self._update_tray()

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger,
                      QSystemTrayIcon.ActivationReason.DoubleClick):
            self.open_requested.emit()

    def _update_tray(self) -> None:
        if self.tray is None:
            return
        self.tray.setIcon(icon_with_count(app_icon(), self.unread))
        self.tray.setToolTip(self.tr("Course companion: %n new", "", self.unread)
                             if self.unread else self.tr("Course companion"))

    def refresh(self) -> None:
        """Count again and show what is due. The work runs on the quick lane; while one
        refresh is under way, a second request runs once it is done (never two at once, so a
        balloon is never shown twice)."""
        if self._busy:
            self._again = True
            return
        self._busy = True
        pid = self.ctx.profile_id
        now = self.clock()

        def work(task: TaskContext) -> SocialState:
            assert task.services is not None
            return collect_social(task.services, pid, now)

        if self.ctx.tasks.run_quick(work, on_done=self._show, on_error=self._failed).cancelled:
            self._busy = False  # the runner is closed: the app is ending

    def _failed(self, exc: BaseException) -> None:
        log.warning("counting the notifications failed: %s", exc)
        self._done()

    def _done(self) -> None:
        self._busy = False
        if self._again:
            self._again = False
            self.refresh()

    def _show(self, state: SocialState) -> None:
        if state.unread != self.unread:
            self.unread = state.unread
            self.unread_changed.emit(state.unread)
            self._update_tray()
        if self.tray is not None:
            for alert in state.alerts:
                self.tray.showMessage(self.tr("Course companion"),
                                      self.alert_text(alert, state.shown),
                                      QSystemTrayIcon.MessageIcon.Information, 8000)
        self.refreshed.emit(state.alerts)
        self._done()

    def alert_text(self, alert: Alert, shown: dict[int, Notification]) -> str:
        """The balloon's words in the person's language."""
        if alert.digest:
            count = sum(shown[i].count for i in alert.notification_ids if i in shown)
            return self.tr("%n new from your group while you were busy", "", count)
        n = shown.get(alert.notification_ids[0])
        return notification_title(n) if n is not None else alert.text

    def attach_sync(self, controller: SyncController) -> None:
        """Count again after every round that brought the library up to date."""
        controller.status_changed.connect(
            lambda status: self.refresh() if status.phase == sync_engine.UP_TO_DATE else None)

    def hide_instead_of_close(self) -> bool:
        """The window is closing: True when it only hides into the tray (the person chose to
        keep the app running there), False when it really closes."""
        if self.quitting or not self.keep_in_tray() or self.window is None:
            return False
        self.window.hide()
        return True

    def keep_in_tray(self) -> bool:
        """Closing the window leaves the app in the tray (only where there is a tray)."""
        return self.tray is not None and self.ctx.services.preferences.get_bool(
            KEEP_IN_TRAY_PREF)


def install_social(window: QMainWindow, ctx: AppContext, nav: Navigator, place: QBoxLayout,
                   **options: object) -> SocialController:
    """Put the bell on top of ``place`` (the sidebar), keep it and the tray up to date, and
    route the tray's Open and Quit. The shell calls :meth:`SocialController.
    attach_sync` once the sync exists and :meth:`SocialController.hide_instead_of_close` when
    the window closes."""
    social = SocialController(ctx, window, **options)  # type: ignore[arg-type]
    bell = BellButton(window)
    bell.clicked.connect(nav.notifications)
    place.insertWidget(0, bell, 0, Qt.AlignmentFlag.AlignLeft)
    social.bell = bell
    social.unread_changed.connect(bell.set_count)
    social.window = window

    def bring_forward() -> None:
        window.showNormal()
        window.raise_()
        window.activateWindow()

    def quit_app() -> None:
        social.quitting = True
        window.close()
        app = QApplication.instance()
        if app is not None:
            app.quit()

    social.open_requested.connect(bring_forward)
    social.quit_requested.connect(quit_app)
    # Read here or elsewhere, or another person took over the PC: count again.
    ctx.bus.changed.connect(
        lambda changes: social.refresh() if changes.sync or changes.profile else None)
    social.refresh()
    return social
