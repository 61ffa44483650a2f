"""The background runner of the sync: :class:`SyncEngine` runs sync rounds
(:func:`companion.sync.rounds.sync_round`) on a plain thread for the app: at start, shortly
after local changes, periodically, and at once when told the connection is back; with
exponential backoff and jitter while the hub cannot be reached; and reports a
:class:`SyncStatus` through a callback.
"""

from __future__ import annotations

import logging
import math
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlite_utils

from companion.core.changelog import count_pending
from companion.core.media_store import MediaStore
from companion.sync import courier_keys, people, state
from companion.sync.client import (
    HubAuthError,
    HubClient,
    HubError,
    HubOffline,
    HubRefused,
    HubServerError,
)
from companion.sync.credentials import CredentialError, CredentialStore, HubLogin
from companion.sync.rounds import RoundResult, sync_round

log = logging.getLogger(__name__)

SIGNED_OUT, OFFLINE, SYNCING, UP_TO_DATE, ERROR, LOGIN_NEEDED = (
    "signed_out", "offline", "syncing", "up_to_date", "error", "login_needed")


@dataclass(frozen=True)
class SyncStatus:
    """What the status bar shows. ``last_success`` is wall-clock time, for "2 min ago" only."""

    phase: str
    pending: int = 0
    last_success: float | None = None
    message: str = ""
    refused: tuple[state.Refusal, ...] = ()
    code: str = ""  # the hub's stable error code (or the client's): the UI words it itself
    unread: int | None = None  # unread notifications after a round (None: not counted now)

    def text(self, now: float | None = None) -> str:
        """The status line in plain words (the UI translates from ``phase`` and numbers)."""
        waiting = f"{self.pending} change{'s' * (self.pending != 1)} waiting"
        if self.phase == OFFLINE:
            return f"Offline · {waiting}" if self.pending else "Offline"
        if self.phase == SYNCING:
            return "Syncing..."
        if self.phase == SIGNED_OUT:
            return "Not connected to a group"
        if self.phase == UP_TO_DATE:
            if self.last_success is None:
                return "Up to date"
            ago = max(0.0, (now if now is not None else time.time()) - self.last_success)
            when = "just now" if ago < 60 else f"{int(ago // 60)} min ago"
            return f"Up to date · {when}"
        return self.message + (f" · {waiting}" if self.pending else "")


ClientFactory = Callable[[HubLogin, str], HubClient]


def default_client(login: HubLogin, token: str) -> HubClient:
    return HubClient(login.hub_url, token, ca_file=login.ca_file)


class SyncEngine:
    """Keeps one profile in sync on a background thread; no Qt, no shared connection.

    ``connect`` opens a new library connection: the engine uses its own on its own thread, so
    its transactions never interleave with the app's; it reads ``credentials`` through that
    connection too (:meth:`CredentialStore.on`). ``on_status`` is called on the engine's
    thread; a UI hands it over to its main thread (the one way of running background work).
    """

    def __init__(self, connect: Callable[[], sqlite_utils.Database], profile_id: int,
                 credentials: CredentialStore,
                 on_status: Callable[[SyncStatus], None] | None = None, *,
                 client_factory: ClientFactory = default_client, period_s: float = 60.0,
                 debounce_s: float = 3.0, backoff_initial_s: float = 2.0,
                 backoff_max_s: float = 300.0, jitter: Callable[[], float] = random.random,
                 connection: state.Connection | None = None,
                 media: MediaStore | None = None,
                 ) -> None:
        self._connect = connect
        self._media = media  # where the photos of my groups' people go (None: not fetched)
        self.profile_id = profile_id
        self._credentials = credentials
        self._on_status = on_status
        self._client_factory = client_factory
        self.period_s = period_s
        self.debounce_s = debounce_s
        self.backoff_initial_s = backoff_initial_s
        self.backoff_max_s = backoff_max_s
        self._jitter = jitter
        self._cond = threading.Condition()
        # Monotonic times of the next round: the timer (period or backoff; 0 at start) and the
        # earliest one asked for (sync now, a local change). Kept apart so a request made during
        # a round is not overwritten when the round sets its timer.
        self._timer_due = 0.0
        self._asked_due = math.inf
        self._failures = 0
        self._stopping = False
        self._recount = False
        self._new_client = False
        self._lost = False
        self._last_round = -math.inf  # monotonic end of the last round
        # Shared with the downloads: their failed contact means the hub is gone for us too.
        self.connection = connection or state.Connection()
        self.connection.subscribe(self._connection_news)
        self._thread: threading.Thread | None = None
        self.status = SyncStatus(SIGNED_OUT)
        self.rounds = 0
        self.last_result: RoundResult | None = None
        self._courier_checked = False
        self._members_at = -math.inf  # monotonic time of the last members fetch
        self._members_missing: set[int] = set()
        self._photo_tried: str | None = None

    # -- control (any thread) -------------------------------------------------------------------

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="companion-sync",
                                            daemon=True)
            self._thread.start()

    def stop(self, timeout_s: float = 10.0) -> None:
        self.connection.unsubscribe(self._connection_news)
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        if self._thread is not None:
            self._thread.join(timeout_s)
            self._thread = None

    def sync_now(self) -> None:
        """"Sync now" in the menu, or after logging in: at once, forgetting any backoff."""
        self._schedule(0.0, reset_backoff=True)

    def window_activated(self, min_gap_s: float = 10.0) -> None:
        """The window came to the front: fetch what is new at once, so a reply written a
        minute ago is there. Not while the hub is unreachable (the backoff's retries find it),
        nor again within ``min_gap_s`` of the last round (switching windows back and forth)."""
        with self._cond:
            if self._failures or time.monotonic() - self._last_round < min_gap_s:
                return
        self._schedule(0.0)

    def connection_returned(self) -> None:
        """The system reports the network is back: try at once, on fresh connections (pooled
        ones died with the old network)."""
        with self._cond:
            self._new_client = True
        self._schedule(0.0, reset_backoff=True)

    def _connection_news(self, online: bool, source: str) -> None:
        """Another part of the app (the downloads) reached the hub or lost it."""
        if source == "sync":
            return
        if online:
            if self.status.phase in (OFFLINE, ERROR):
                self.connection_returned()
            return
        with self._cond:
            # Offline now, not at the next round: and the backoff's retries are what find the
            # hub again (the downloads go on when the sync says it is back).
            self._lost = True
            if self._failures == 0:
                self._failures = 1
                self._timer_due = time.monotonic() + self.backoff_s(1)
            self._asked_due = math.inf
            self._cond.notify_all()

    def local_change(self) -> None:
        """Something was written locally: sync shortly (changes typed together travel together).

        While the hub is unreachable the backoff is kept (no hammering), but the status is
        recounted so "N changes waiting" stays true.
        """
        with self._cond:
            self._recount = True
            if self._failures == 0:
                self._asked_due = min(self._asked_due, time.monotonic() + self.debounce_s)
            self._cond.notify_all()

    def _schedule(self, delay_s: float, *, reset_backoff: bool = False) -> None:
        with self._cond:
            if reset_backoff:
                self._failures = 0
            self._asked_due = min(self._asked_due, time.monotonic() + delay_s)
            self._cond.notify_all()

    def backoff_s(self, failures: int) -> float:
        """Exponential backoff with jitter: half fixed, half random, so PCs that lost the hub
        together do not all come back in the same second."""
        delay = min(self.backoff_max_s, self.backoff_initial_s * 2 ** max(0, failures - 1))
        return delay / 2 + self._jitter() * delay / 2

    # -- the thread -----------------------------------------------------------------------------

    def _publish(self, status: SyncStatus) -> None:
        self.status = status
        if self._on_status is not None:
            try:
                self._on_status(status)
            except Exception:  # a broken listener must not stop the sync
                log.exception("sync status listener failed")

    def _run(self) -> None:
        db = self._connect()
        store = self._credentials.on(db)
        client: HubClient | None = None
        client_key: tuple[Any, ...] | None = None
        try:
            while True:
                with self._cond:
                    while not self._stopping and not self._recount and not self._lost \
                            and time.monotonic() < self._next_due():
                        self._cond.wait(min(self._next_due() - time.monotonic(), 3600.0))
                    if self._stopping:
                        return
                    lost, self._lost = self._lost, False
                if lost:
                    if self.status.phase not in (SIGNED_OUT, LOGIN_NEEDED):
                        self._publish(SyncStatus(OFFLINE, count_pending(db, self.profile_id),
                                                 self.status.last_success))
                    continue
                with self._cond:
                    recount_only = self._recount and time.monotonic() < self._next_due()
                    self._recount = False
                    if not recount_only:
                        self._asked_due = math.inf
                if recount_only:
                    # Where "N changes waiting" is shown, keep N true; up to date, the round
                    # after the debounce will report.
                    if self.status.phase not in (UP_TO_DATE, SYNCING):
                        self._publish(_with_pending(self.status,
                                                    count_pending(db, self.profile_id)))
                    continue
                login = store.login(self.profile_id)
                if login is None:
                    self._publish(SyncStatus(SIGNED_OUT, count_pending(db, self.profile_id)))
                    self._wait_for_trigger()
                    continue
                try:
                    token = store.token(self.profile_id)
                    key = (login.hub_url, login.ca_file, token)
                    with self._cond:
                        fresh, self._new_client = self._new_client, False
                    if client is None or key != client_key or fresh:
                        if client is not None:
                            client.close()
                        client, client_key = self._client_factory(login, token), key
                except (CredentialError, HubError) as exc:
                    self._publish(SyncStatus(LOGIN_NEEDED, count_pending(db, self.profile_id),
                                             login_success(login), str(exc)))
                    self._wait_for_trigger()
                    continue
                self._round(db, client, login)
        finally:
            if client is not None:
                client.close()
            db.close()

    def _next_due(self) -> float:
        return min(self._timer_due, self._asked_due)

    def _wait_for_trigger(self) -> None:
        """No timer: nothing will change until someone logs in or presses "Sync now"."""
        with self._cond:
            self._timer_due = math.inf

    def _round(self, db: sqlite_utils.Database, client: HubClient, login: HubLogin) -> None:
        previous = self.status.last_success or login_success(login)
        self._publish(SyncStatus(SYNCING, count_pending(db, self.profile_id), previous))
        delay: float | None
        try:
            result = sync_round(db, self.profile_id, client, login.account_id)
        except HubAuthError as exc:
            self._publish(SyncStatus(LOGIN_NEEDED, count_pending(db, self.profile_id), previous,
                                     exc.message, code=exc.code))
            self._wait_for_trigger()
            return
        except HubOffline as exc:
            self._failures += 1
            self.connection.lost("sync", str(exc))
            status = SyncStatus(OFFLINE, count_pending(db, self.profile_id), previous)
            delay = self.backoff_s(self._failures)
        except (HubServerError, HubRefused) as exc:
            self._failures += 1
            status = SyncStatus(ERROR, count_pending(db, self.profile_id), previous, exc.message,
                                code=exc.code if isinstance(exc, HubRefused) else "server_error")
            delay = self.backoff_s(self._failures)
            if isinstance(exc, HubRefused) and exc.retry_after_s:
                delay = max(delay, exc.retry_after_s)
        except Exception as exc:  # keep the thread alive; say what happened
            log.exception("sync round failed")
            self._failures += 1
            status = SyncStatus(ERROR, count_pending(db, self.profile_id), previous,
                                f"sync failed: {exc}", code="unexpected")
            delay = self.backoff_s(self._failures)
        else:
            if not self._courier_checked:
                # A device logged in before the courier existed gets its keys now (once).
                self._courier_checked = True
                courier_keys.try_register(self._credentials.on(db), self.profile_id, client)
            self._failures = 0
            self.connection.reached("sync")
            self._refresh_members(db, client, result)
            self.last_result = result
            status = SyncStatus(UP_TO_DATE, result.pending, time.time(), "",
                                tuple(result.refused), unread=result.unread)
            delay = self.period_s
        self.rounds += 1
        with self._cond:
            self._last_round = time.monotonic()
            self._timer_due = time.monotonic() + delay
            self._lost = False  # what this round found out is newer than any report during it
        self._publish(status)


    def _refresh_members(self, db: sqlite_utils.Database, client: HubClient,
                         result: RoundResult) -> None:
        """The group's members and trainers as part of an online round (when due): My group,
        the trainer badges and the trainer's announcement groups are there without opening
        a page; so are their photos, and mine goes up. A failure keeps the list from last
        time and does not fail the round."""
        now = time.monotonic()
        # A new photo of mine goes up at the next round, not at the next period (tried once
        # per photo here; a refused one waits for the period like the rest).
        photo = (people.photo_to_send(db, self._media, self.profile_id)
                 if self._media is not None else None)
        new_photo = photo is not None and photo != self._photo_tried
        self._photo_tried = photo
        if not new_photo and not people.members_due(
                db, self.profile_id, last_fetch=self._members_at, now=now,
                pulled=result.pulled, known_unknown=self._members_missing):
            return
        try:
            result.people_changed = people.sync_group_members(client, db, self.profile_id)
            if self._media is not None and people.sync_photos(client, db, self._media,
                                                              self.profile_id):
                result.people_changed = True
        except HubError as exc:
            log.info("could not fetch the group's members: %s", exc)
            return
        except Exception:  # never let the members stop the sync
            log.exception("fetching the group's members failed")
            return
        self._members_at = now
        self._members_missing = people.unknown_people(db, self.profile_id)


def _with_pending(status: SyncStatus, pending: int) -> SyncStatus:
    return SyncStatus(status.phase, pending, status.last_success, status.message,
                      code=status.code)


def login_success(login: HubLogin) -> float | None:
    """The stored time of the last successful round, as epoch seconds (None if never)."""
    if not login.last_success_at:
        return None
    try:
        return datetime.fromisoformat(login.last_success_at).timestamp()
    except ValueError:
        return None
