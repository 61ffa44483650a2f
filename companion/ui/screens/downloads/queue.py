"""The downloads page's logic, without a window (docs/architecture.md, passive views): what the
hub offers, a queue that fetches one pack at a time, pause and resume, the "only between these
hours" window, automatic downloads, and every problem in plain words.

The work itself is :mod:`companion.sync.downloads` (the same calls as ``companion pack
download``), run through ``ctx.tasks.run_network``: its own threads and library connections, so
an hour-long download never makes a search wait. Pausing sets the task's cancel flag; the
partial files stay, and resuming simply starts the pack again from where its files stopped.

The queue is kept per profile (``download_queue`` in the preferences) whenever it changes and
when the window closes, so a PC switched off in the middle of a download goes on with it at the
next start, from its partial files, without anyone queueing it again.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from companion.core.errors import CompanionError, PackTrustError
from companion.core.packs.models import INSTALLED as IMPORT_INSTALLED
from companion.core.packs.models import UPDATED as IMPORT_UPDATED
from companion.core.packs.models import ImportResult
from companion.core.packs.reader import BadSignatureError, UnsignedPackError
from companion.sync import engine as sync_engine
from companion.sync.client import HubOffline
from companion.sync.downloads import (
    DownloadCancelled,
    Downloader,
    DownloadProgress,
    DownloadResult,
)
from companion.sync.hub_login import open_hub
from companion.sync.offers import (
    INSTALLED,
    NEW,
    UPDATE,
    OfferedPack,
    pack_catalog,
    trust_offered_signer,
)
from companion.sync.state import Connection
from companion.sync.transfer_policy import RetryPolicy, in_hours_window
from companion.ui.context import AppContext
from companion.ui.redraw import Redraw
from companion.ui.screens.downloads.items import (
    PREF_QUEUE,
    QueueItem,
    State,
    load_queue,
    queue_to_json,
)
from companion.ui.screens.downloads.settings import (
    UI_RETRY,
    DownloadSettings,
    load_settings,
    save_settings,
)
from companion.ui.screens.downloads.wording import describe_problem
from companion.ui.tasks import Cancelled, TaskContext, TaskHandle

translate = QCoreApplication.translate  # the name pyside6-lupdate looks for
log = logging.getLogger(__name__)


class DownloadQueue(QObject):
    """The offered packs and the queue of one profile. The page listens to ``changed`` (the
    queue or a download's progress), ``catalog_changed``, ``trust_needed(item)`` and
    ``pack_ready(pack, ImportResult)``.

    ``now`` is the wall clock for the hours window (injectable: tests never wait for 18:00);
    ``tick()`` runs every minute and is what the timer calls.
    """

    changed = Signal()
    catalog_changed = Signal()
    trust_needed = Signal(object)
    pack_ready = Signal(object, object)

    TICK_MS = 60_000
    STALE_S = 10 * 60        # the page refreshes the offer when shown after this long
    AUTO_CHECK_S = 60 * 60   # with automatic downloads: ask the hub once an hour

    def __init__(self, ctx: AppContext, *,
                 now: Callable[[], datetime] = datetime.now,
                 retry: RetryPolicy = UI_RETRY, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.now = now
        self.retry = retry
        self.items: list[QueueItem] = []
        self.offered: list[OfferedPack] = []
        self.catalog_at: datetime | None = None
        self.catalog_problem = ""
        self.refreshing = False
        self.ready: list[tuple[OfferedPack, ImportResult]] = []
        self.results: list[DownloadResult] = []
        self.settings = load_settings(ctx.services.preferences, ctx.profile_id)
        self._profile_id = ctx.profile_id
        self.items, self._declined = load_queue(ctx.services.preferences, ctx.profile_id)
        self._saved = ""
        self._running: QueueItem | None = None
        self._handle: TaskHandle | None = None
        self._downloader: list[Downloader] = []  # set by the worker, for a new speed cap
        self._stop_requested = False
        self._stop_as: State | None = None       # what a stopping download becomes
        self._catalog_handle: TaskHandle | None = None
        self._closed = False
        #: The app's one "does the hub answer?" (the sync controller's); what the downloads
        #: find out goes there, so the status bar and the sync know it at once.
        self.connection: Connection | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(self.TICK_MS)
        self.timer.timeout.connect(self.tick)
        ctx.bus.changed.connect(self._on_changed)

    # -- state -------------------------------------------------------------------------------------
    def _changed(self) -> None:
        """The queue changed: keep it (if it really did) and tell the page."""
        self.save()
        self.changed.emit()

    def save(self) -> None:
        """Keep the queue for the next start: a running download as queued (it goes on), one
        being paused as paused, one being taken out not at all. Nothing after the window
        closed: the download stopping then is not a pause."""
        if self._closed:
            return
        entries = []
        for item in self.items:
            stopping = item is self._running and self._stop_requested
            if stopping and self._stop_as is None:
                continue
            paused = item.state == State.PAUSED or (stopping and self._stop_as == State.PAUSED)
            entries.append((item, paused))
        text = queue_to_json(entries, self._declined)
        if text == self._saved:
            return
        try:
            self.ctx.services.preferences.set(PREF_QUEUE, text, self._profile_id)
        except (sqlite3.Error, OSError, CompanionError):  # a full disk: the download goes on
            log.exception("the download queue could not be kept")
            return
        self._saved = text

    def is_connected(self) -> bool:
        return self.ctx.services.credentials.login(self.ctx.profile_id) is not None

    def in_hours(self) -> bool:
        window = self.settings.window
        return window is None or in_hours_window(self.now(), *window)

    def item_for(self, pack_id: str, version: str) -> QueueItem | None:
        return next((i for i in self.items if i.key == (pack_id, version)), None)

    @property
    def running(self) -> QueueItem | None:
        return self._running

    def catalog_is_stale(self, max_age_s: float | None = None) -> bool:
        if self.catalog_at is None:
            return True
        age = (self.now() - self.catalog_at).total_seconds()
        return age >= (self.STALE_S if max_age_s is None else max_age_s)

    # -- the offer -------------------------------------------------------------------------------
    def refresh_catalog(self) -> bool:
        """Ask the hub what it offers (in the background). False when not connected or busy."""
        if self._closed or self.refreshing or not self.is_connected():
            return False
        self.refreshing = True
        profile_id, retry = self.ctx.profile_id, self.retry

        def work(task: TaskContext) -> list[OfferedPack]:
            with open_hub(task.services.credentials, profile_id) as http:
                return pack_catalog(http, task.services.packs, retry)

        self._catalog_handle = self.ctx.tasks.run_network(
            work, on_done=lambda offered: self._catalog_done(profile_id, offered),
            on_error=lambda exc: self._catalog_failed(profile_id, exc))
        self.catalog_changed.emit()
        return True

    def _catalog_done(self, profile_id: int, offered: list[OfferedPack]) -> None:
        self.refreshing = False
        if profile_id != self.ctx.profile_id or self._closed:
            return
        self._contact(None)
        self.offered = list(offered)
        self.catalog_at = self.now()
        self.catalog_problem = ""
        self.catalog_changed.emit()
        self.queue_new_packs()

    def _catalog_failed(self, profile_id: int, exc: BaseException) -> None:
        self.refreshing = False
        if profile_id != self.ctx.profile_id or self._closed:
            return
        _state, self.catalog_problem = describe_problem(exc)
        self._contact(exc)
        if isinstance(exc, HubOffline):
            self.catalog_problem = translate(
                "DownloadQueue", "The server cannot be reached right now. What is shown "
                "below may be out of date.") if self.offered else translate(
                "DownloadQueue", "The server cannot be reached right now. Try again when "
                "the connection is back.")
        self.catalog_changed.emit()

    def queue_new_packs(self) -> list[QueueItem]:
        """With automatic downloads on, inside the hours: queue every new pack and update
        (except the ones the person took out of the queue)."""
        if not (self.settings.auto and self.in_hours()):
            return []
        added = []
        for pack in self.offered:
            if pack.status in (NEW, UPDATE) and (pack.pack_id, pack.version) not in \
                    self._declined and self.item_for(pack.pack_id, pack.version) is None:
                added.append(self.enqueue(pack, pump=False))
        if added:
            self._pump()
        return added

    # -- the queue -------------------------------------------------------------------------------
    def enqueue(self, pack: OfferedPack, *, pump: bool = True) -> QueueItem:
        """Add ``pack`` at the end of the queue (or return it if it is there already)."""
        item = self.item_for(pack.pack_id, pack.version)
        if item is None:
            # The whole pack, as the download counts it: what is here already is done.
            item = QueueItem(pack, total_bytes=pack.size,
                             done_bytes=max(0, pack.size - pack.bytes_needed))
            self.items.append(item)
            self._declined.discard(item.key)
        if pump:
            self._pump()
        self._changed()
        return item

    def pause(self, item: QueueItem) -> None:
        """Stop for now; the partial files stay."""
        if item is self._running:
            self._stop(State.PAUSED)
        elif item.state in (State.QUEUED, State.HOURS, State.WAITING):
            item.state = State.PAUSED
            item.problem = ""
        self._changed()

    def resume(self, item: QueueItem) -> None:
        """Go on (a waiting one tries again now; outside the hours this means "start now")."""
        if item not in self.items or item is self._running:
            return
        if item.state == State.HOURS or (item.state == State.PAUSED and not self.in_hours()):
            item.any_hours = True
        item.state = State.QUEUED
        item.problem = item.details = ""
        for other in self.items:  # the person is here: try the waiting ones again too
            if other.state == State.WAITING:
                other.state = State.QUEUED
        self._pump()
        self._changed()

    def remove(self, item: QueueItem) -> None:
        """Take out of the queue (automatic downloads leave it out too)."""
        self._declined.add(item.key)
        if item is self._running:
            self._stop(None)
        elif item in self.items:
            self.items.remove(item)
            self._pump()
        self._changed()

    def dismiss_ready(self, pack_id: str) -> None:
        self.ready = [(p, r) for p, r in self.ready if p.pack_id != pack_id]
        self._changed()

    # -- answers to the trust question -----------------------------------------------------------
    def trust_signer(self, item: QueueItem) -> None:
        """Trust this trainer from now on (checked against the fingerprint shown), download."""
        if item.state != State.ASKING:
            return
        item.trust_fingerprint = item.signer[1]
        self._answered(item)

    def download_once(self, item: QueueItem) -> None:
        """Download this pack without trusting its signer for later ones."""
        if item.state != State.ASKING:
            return
        item.allow_unsigned = True
        self._answered(item)

    def _answered(self, item: QueueItem) -> None:
        item.state = State.QUEUED
        item.problem = ""
        self._pump()
        self._changed()

    # -- settings and time -----------------------------------------------------------------------
    def set_settings(self, settings: DownloadSettings) -> None:
        self.settings = settings
        save_settings(self.ctx.services.preferences, self.ctx.profile_id, settings)
        for downloader in self._downloader:
            downloader.set_rate_limit(settings.rate_bps)
        self.tick()

    def start(self) -> None:
        """Begin the minute checks (and do the first one at once)."""
        self.timer.start()
        self.tick()

    def tick(self) -> None:
        """The minute check: the hours window opens or closes, waiting ones try again, and
        automatic downloads ask the hub what is new."""
        if self._closed:
            return
        inside = self.in_hours()
        running = self._running
        if running is not None and not inside and not running.any_hours \
                and running.state == State.RUNNING:
            self._stop(State.HOURS)  # the end of the window: it goes on tomorrow evening
        for item in self.items:
            if item.state == State.WAITING or (item.state == State.HOURS and inside):
                item.state = State.QUEUED
        if self.settings.auto and inside and self.is_connected() \
                and self.catalog_is_stale(self.AUTO_CHECK_S):
            self.refresh_catalog()
        self._pump()
        self._changed()

    def connection_changed(self, status: Any) -> None:
        """The sync's state (from the status bar): reconnected, or a login came or went."""
        if status.phase == sync_engine.UP_TO_DATE and self._running is None and any(
                i.state in (State.WAITING, State.QUEUED) for i in self.items):
            self.tick()  # back online, or connected again: the queue goes on
        elif status.phase == sync_engine.SIGNED_OUT:
            self.offered = []
            self.catalog_at = None
            self.catalog_changed.emit()

    def _contact(self, error: BaseException | None) -> None:
        """Tell the connection state what this contact with the hub found."""
        if self.connection is None:
            return
        if error is None:
            self.connection.reached("downloads")
        elif isinstance(error, HubOffline):
            self.connection.lost("downloads", str(error))

    def shutdown(self) -> None:
        """The window closes: pause what runs (its partial files stay for next time, and the
        kept queue starts it again then)."""
        if not self._closed:
            self.save()
        self._closed = True
        self.timer.stop()
        if self._handle is not None:
            self._handle.cancel()
        if self._catalog_handle is not None:
            self._catalog_handle.cancel()

    # -- running ---------------------------------------------------------------------------------
    def _pump(self) -> None:
        """Start the next queued pack, if nothing runs and nothing waits for the connection."""
        if self._closed or self._running is not None or not self.is_connected():
            return  # without a login a kept queue waits; connecting starts it
        inside = self.in_hours()
        for item in self.items:
            if item.state == State.QUEUED and not inside and not item.any_hours:
                item.state = State.HOURS
        if any(i.state == State.WAITING for i in self.items):
            return  # the link is down: the minute check tries again
        nxt = next((i for i in self.items if i.state == State.QUEUED), None)
        if nxt is not None:
            self._start(nxt)

    def _start(self, item: QueueItem) -> None:
        item.state = State.RUNNING
        item.problem = item.details = ""
        item.bytes_per_s, item.eta_s = 0.0, None
        self._running = item
        pack, rate, retry = item.pack, self.settings.rate_bps, self.retry
        allow_unsigned, fingerprint = item.allow_unsigned, item.trust_fingerprint
        profile_id = self.ctx.profile_id
        holder = self._downloader

        def work(task: TaskContext) -> DownloadResult:
            with open_hub(task.services.credentials, profile_id) as http:
                if fingerprint:
                    trust_offered_signer(http, task.services.packs, task.services.trust, pack,
                                         fingerprint, retry)
                downloader = Downloader(http, task.services.packs, rate_limit_bps=rate,
                                        retry=retry)
                holder.append(downloader)
                try:
                    return downloader.download_pack(
                        pack.group_ids[0], pack.pack_id, pack.version,
                        allow_unsigned=allow_unsigned, progress=task.progress,
                        cancel=lambda: task.cancelled)
                finally:
                    holder.remove(downloader)

        self._handle = self.ctx.tasks.run_network(
            work, on_done=lambda result: self._finished(item, result=result),
            on_error=lambda exc: self._finished(item, error=exc),
            on_progress=lambda p: self._progress(item, p))

    def _stop(self, becomes: State | None) -> None:
        """Ask the running download to stop; it becomes ``becomes`` (None: leaves the
        queue)."""
        if self._running is None or self._handle is None:
            return
        self._stop_requested, self._stop_as = True, becomes
        self._running.state = State.STOPPING
        self._handle.cancel()

    def _progress(self, item: QueueItem, p: DownloadProgress) -> None:
        if item is not self._running:
            return
        if p.total_bytes == item.total_bytes:  # a part fetched again never moves the bar back
            item.done_bytes = max(item.done_bytes, p.done_bytes)
        else:
            item.done_bytes, item.total_bytes = p.done_bytes, p.total_bytes
        item.bytes_per_s, item.eta_s = p.bytes_per_s, p.eta_s
        self.changed.emit()  # ten times a second: shown, not stored

    def _finished(self, item: QueueItem, result: DownloadResult | None = None,
                  error: BaseException | None = None) -> None:
        stopping, becomes = self._stop_requested, self._stop_as
        self._running = self._handle = None
        self._stop_requested, self._stop_as = False, None
        item.trust_fingerprint = ""
        if result is not None or error is not None:
            self._contact(None if result is not None else error)
        if result is not None:
            self._installed(item, result)
        elif stopping:  # paused, cancelled or the end of the hours, whatever else happened
            if becomes is None:
                if item in self.items:
                    self.items.remove(item)
            else:
                item.state = becomes
        elif isinstance(error, DownloadCancelled | Cancelled):
            item.state = State.PAUSED  # the window closed
        elif isinstance(error, UnsignedPackError | PackTrustError) \
                and not isinstance(error, BadSignatureError) \
                and (isinstance(error, UnsignedPackError) or error.fingerprint) \
                and not item.allow_unsigned:
            item.state = State.ASKING
            item.signer = (error.signer_name or "", "" if isinstance(error, UnsignedPackError)
                           else error.fingerprint or "")
            self.trust_needed.emit(item)
        elif error is not None:
            item.state, item.problem = describe_problem(error)
            item.details = f"{type(error).__name__}: {error}"
        self._pump()
        self._changed()

    def _installed(self, item: QueueItem, result: DownloadResult) -> None:
        if item in self.items:
            self.items.remove(item)
        self.results.append(result)
        imported = result.result
        self.offered = [replace(p, status=INSTALLED, bytes_needed=0,
                                installed_version=p.version)
                        if (p.pack_id, p.version) == item.key else p for p in self.offered]
        self.ready = [(p, r) for p, r in self.ready if p.pack_id != item.pack.pack_id]
        self.ready.insert(0, (item.pack, imported))
        del self.ready[3:]
        if imported.status in (IMPORT_INSTALLED, IMPORT_UPDATED):
            self.ctx.announce(Redraw(packs=True))
        self.catalog_changed.emit()
        self.pack_ready.emit(item.pack, imported)

    # -- another person ---------------------------------------------------------------------------
    def _on_changed(self, changes: Redraw) -> None:
        if not changes.profile or self.ctx.profile_id == self._profile_id:
            return
        # Logins and settings are per person: the next one starts from their own.
        self.save()  # the previous person's queue, with what runs as queued
        self._profile_id = self.ctx.profile_id
        if self._running is not None:
            self._stop(None)
        stopping = [i for i in self.items if i is self._running]
        kept, self._declined = load_queue(self.ctx.services.preferences, self._profile_id)
        self.items = stopping + [i for i in kept if all(i.key != s.key for s in stopping)]
        self._saved = ""
        self.offered, self.ready, self.catalog_at, self.catalog_problem = [], [], None, ""
        self.settings = load_settings(self.ctx.services.preferences, self._profile_id)
        self.catalog_changed.emit()
        self._changed()
