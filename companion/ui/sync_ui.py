"""The app's side of sync: one engine for the current profile, its state in plain words.

The engine (``companion.sync.engine.SyncEngine``) runs on its own thread with its own library
connection and reports each state change from there; :class:`SyncController` hands that report
over to the UI thread through a queued signal (never touching a widget from the engine's
thread), announces what a sync brought in on the change bus, and tells the engine about local
changes so they leave a few seconds after they were made.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import sqlite_utils
from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from companion.core.changelog import count_pending
from companion.sync import engine as sync_engine
from companion.sync.engine import SyncEngine, SyncStatus
from companion.sync.state import Connection
from companion.ui.context import AppContext
from companion.ui.hub_errors import hub_error_text
from companion.ui.redraw import Redraw


class SyncController(QObject):
    """Keeps the current profile in sync; ``status_changed(SyncStatus)`` on the UI thread."""

    status_changed = Signal(object)
    _reported = Signal(object)  # emitted on the engine's thread, delivered on the UI thread

    #: How often the "2 min ago" text is redone.
    TICK_MS = 30_000

    def __init__(self, ctx: AppContext, connect: Callable[[], sqlite_utils.Database],
                 parent: QObject | None = None,
                 **engine_options: Any) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._connect = connect
        self._options = engine_options
        self.engine: SyncEngine | None = None
        self.status = SyncStatus(sync_engine.SIGNED_OUT)
        #: Whether the hub answers: fed by the sync's rounds and the downloads alike.
        self.connection = Connection()
        self._seen_rounds = 0
        self._reported.connect(self._on_report)
        ctx.bus.changed.connect(self._on_changed)
        self._tick = QTimer(self)
        self._tick.setInterval(self.TICK_MS)
        self._tick.timeout.connect(lambda: self.status_changed.emit(self.status))

    # -- control -----------------------------------------------------------------------------
    def start(self) -> None:
        """Sync the current profile when it is connected to a hub (else show that it is not)."""
        self._restart()
        self._tick.start()
        self._watch_network()

    def _watch_network(self) -> None:
        """Try at once when the system says the network is back (NetworkManager on Linux,
        the Network List Manager on Windows). Where the system cannot tell, the engine's
        backoff and periodic rounds find the connection by themselves."""
        try:
            from PySide6.QtNetwork import QNetworkInformation

            if not QNetworkInformation.loadDefaultBackend():
                return
            info = QNetworkInformation.instance()
        except (ImportError, RuntimeError):
            return
        if info is None:
            return
        online = QNetworkInformation.Reachability.Online

        def changed(reachability: QNetworkInformation.Reachability) -> None:
            if reachability == online:
                self.connection_returned()

        info.reachabilityChanged.connect(changed)

    def connection_returned(self) -> None:
        """The network is back: sync now rather than when the backoff ends."""
        if self.engine is not None:
            self.engine.connection_returned()

    def is_connected(self) -> bool:
        return self.login() is not None

    def login(self) -> Any:
        """The current profile's hub login (non-secret part), or None."""
        return self.ctx.services.credentials.login(self.ctx.profile_id)

    def window_activated(self) -> None:
        """The window came to the front: fetch what is new at once (not while offline)."""
        if self.engine is not None:
            self.engine.window_activated()

    def sync_now(self) -> None:
        if self.engine is not None:
            self.engine.sync_now()

    def connected(self) -> None:
        """A login was just saved for the current profile: start syncing at once."""
        self._restart()
        self.sync_now()

    def disconnected(self) -> None:
        """The current profile's login was removed."""
        self._restart()

    def shutdown(self) -> None:
        self._tick.stop()
        self._stop_engine()

    def shutdown_engine(self) -> None:
        """Stop syncing now (before the login is removed); :meth:`disconnected` follows."""
        self._stop_engine()

    # -- engine ------------------------------------------------------------------------------
    def _restart(self) -> None:
        self._stop_engine()
        profile_id = self.ctx.profile_id
        if self.login() is None:
            self._set_status(SyncStatus(sync_engine.SIGNED_OUT,
                                        pending=count_pending(self.ctx.services.db, profile_id)))
            return
        self.engine = SyncEngine(self._connect, profile_id, self.ctx.services.credentials,
                                 on_status=self._reported.emit, connection=self.connection,
                                 media=self.ctx.services.media, **self._options)
        self._seen_rounds = 0
        self.engine.start()

    def _stop_engine(self) -> None:
        engine, self.engine = self.engine, None
        if engine is not None:
            engine.stop()

    def _on_report(self, status: SyncStatus) -> None:
        engine = self.engine
        if engine is None:  # a late report from an engine that was stopped
            return
        result = engine.last_result
        if engine.rounds != self._seen_rounds:
            self._seen_rounds = engine.rounds
            if result is not None and (result.pulled or result.pushed or result.refused
                                       or result.people_changed):
                # Notes, progress and comments from the other PCs and the group; comments
                # that were waiting are sent now.
                self.ctx.announce(Redraw(progress=True, notes=True, sync=True,
                                          from_hub=True))
        self._set_status(status)

    def _set_status(self, status: SyncStatus) -> None:
        self.status = status
        self.status_changed.emit(status)

    def _on_changed(self, changes: Redraw) -> None:
        if changes.profile and (self.engine is None
                                or self.engine.profile_id != self.ctx.profile_id):
            self._restart()  # another person: their own login (or none)
            return
        if changes.from_hub or not (changes.progress or changes.notes or changes.sync):
            return
        if self.engine is not None:
            self.engine.local_change()
        elif self.status.phase == sync_engine.SIGNED_OUT:
            self._set_status(SyncStatus(sync_engine.SIGNED_OUT, pending=count_pending(
                self.ctx.services.db, self.ctx.profile_id)))


def minutes_ago(last_success: float | None, now: float | None = None) -> int | None:
    """Whole minutes since the last good sync (None when there was none)."""
    if last_success is None:
        return None
    return int(max(0.0, (now if now is not None else time.time()) - last_success) // 60)


translate = QCoreApplication.translate  # the name pyside6-lupdate looks for


def _waiting(pending: int) -> str:
    if pending == 1:
        return translate("SyncStatus", "1 change waiting")
    return translate("SyncStatus", "%1 changes waiting").replace("%1", str(pending))


def _refused_what(kind: str) -> str:
    return {
        "note": translate("SyncStatus", "A note"),
        "comment": translate("SyncStatus", "A comment"),
        "progress": translate("SyncStatus", "Progress on a lesson"),
        "quiz_attempt": translate("SyncStatus", "A quiz answer"),
        "profile": translate("SyncStatus", "Your profile"),
        "session": translate("SyncStatus", "A learning session"),
    }.get(kind, translate("SyncStatus", "A change"))


def status_text(status: SyncStatus, now: float | None = None) -> tuple[str, str]:
    """The status bar's line and its tooltip, in the app's language."""
    phase = status.phase
    tip = ""
    if phase == sync_engine.SIGNED_OUT:
        text = translate("SyncStatus", "Not connected to a group")
        tip = translate("SyncStatus", "Everything is kept on this computer. To share progress "
                                      "and comments: Group › Connect to your group.")
    elif phase == sync_engine.OFFLINE:
        text = translate("SyncStatus", "Offline")
        if status.pending:
            text = f"{text} · {_waiting(status.pending)}"
        tip = translate("SyncStatus", "Nothing is lost: what waits is sent as soon as the "
                                      "connection is back.")
    elif phase == sync_engine.SYNCING:
        text = translate("SyncStatus", "Syncing…")
    elif phase == sync_engine.UP_TO_DATE:
        minutes = minutes_ago(status.last_success, now)
        if minutes is None:
            text = translate("SyncStatus", "Up to date")
        elif minutes == 0:
            text = translate("SyncStatus", "Up to date · just now")
        else:
            text = translate("SyncStatus", "Up to date · %1 min ago").replace("%1", str(minutes))
    elif phase == sync_engine.LOGIN_NEEDED:
        text = translate("SyncStatus", "Log in again to sync")
        tip = translate("SyncStatus", "The server no longer accepts this computer's login: "
                                      "Group › Connect to your group.")
        if status.pending:
            text = f"{text} · {_waiting(status.pending)}"
    else:
        text = translate("SyncStatus", "Not synced")
        if status.pending:
            text = f"{text} · {_waiting(status.pending)}"
        tip = hub_error_text(status.code)  # never the hub's English inside a Dutch sentence
    if status.refused:
        count = len(status.refused)
        text += " · " + (translate("SyncStatus", "1 change refused") if count == 1 else
                         translate("SyncStatus", "%1 changes refused").replace("%1", str(count)))
        refusals = "\n".join(f"• {_refused_what(r.kind)}: {hub_error_text(r.code)}"
                             for r in status.refused[:10])
        tip = "\n".join(x for x in (tip, translate("SyncStatus", "Refused by the server:"),
                                    refusals) if x)
    return text, tip
