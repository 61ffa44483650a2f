"""What the downloads page shows and says, without Qt widgets: the settings as stored, one
queued pack, numbers as people read them, problems in plain words, and the hub connection of a
download task."""

from __future__ import annotations

import contextlib
import enum
import errno
import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, fields
from datetime import time as clock_time
from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale

from companion.core.errors import LibraryError, PackTrustError, StorageError
from companion.core.packs.keys import PublicKey
from companion.core.packs.reader import BadSignatureError
from companion.core.preferences import Preferences
from companion.sync.client import HubAuthError, HubOffline, HubRefused, authorized_http
from companion.sync.credentials import CredentialError, CredentialStore, NotLoggedInError
from companion.sync.downloads import DownloadError
from companion.sync.offers import OfferedPack
from companion.sync.transfer_util import RetryPolicy, parse_hours_window, request_json

translate = QCoreApplication.translate  # the name pyside6-lupdate looks for
log = logging.getLogger(__name__)

PREF_RATE, PREF_HOURS, PREF_AUTO = "download_rate_kbps", "download_hours", "download_auto"
PREF_QUEUE = "download_queue"  # the queue kept across restarts (JSON, see queue_to_json)
QUEUE_FORMAT = 1
DEFAULT_HOURS = (clock_time(18, 0), clock_time(8, 0))  # after closing time, before opening
#: A dead link is "waiting for the connection" after about ten seconds, not after a minute.
UI_RETRY = RetryPolicy(attempts=5, base_s=0.5, max_s=8.0)


class State(enum.Enum):
    QUEUED = "queued"          # waits for its turn
    RUNNING = "running"
    STOPPING = "stopping"      # asked to pause or cancel; the worker stops after this chunk
    PAUSED = "paused"          # by the person; the partial files stay
    HOURS = "hours"            # waits for the download hours
    WAITING = "waiting"        # no connection (or another download busy): tries again later
    ASKING = "asking"          # the trust question waits for an answer
    FAILED = "failed"          # cannot go on by itself; "Try again" is possible


@dataclass
class DownloadSettings:
    rate_kbps: int = 0  # 0: no cap
    hours: str = ""     # "18:00-08:00", or "" for any time
    auto: bool = False

    @property
    def rate_bps(self) -> float | None:
        return self.rate_kbps * 1000.0 if self.rate_kbps > 0 else None

    @property
    def window(self) -> tuple[clock_time, clock_time] | None:
        """The daily window, or None when downloads may run at any time."""
        if not self.hours:
            return None
        try:
            start, end = parse_hours_window(self.hours)
        except ValueError:
            return None
        return None if start == end else (start, end)


def hours_text(start: clock_time, end: clock_time) -> str:
    """The stored form of a window: ``18:00-08:00``."""
    return f"{start.strftime('%H:%M')}-{end.strftime('%H:%M')}"


def load_settings(preferences: Preferences, profile_id: int) -> DownloadSettings:
    return DownloadSettings(preferences.get_int(PREF_RATE, profile_id),
                            preferences.get(PREF_HOURS, profile_id).strip(),
                            preferences.get_bool(PREF_AUTO, profile_id))


def save_settings(preferences: Preferences, profile_id: int, settings: DownloadSettings) -> None:
    preferences.set(PREF_RATE, max(0, settings.rate_kbps), profile_id)
    preferences.set(PREF_HOURS, settings.hours, profile_id)
    preferences.set(PREF_AUTO, settings.auto, profile_id)


@dataclass(eq=False)
class QueueItem:
    """One pack in the queue, with how far it got."""

    pack: OfferedPack
    state: State = State.QUEUED
    done_bytes: int = 0
    total_bytes: int = 0
    bytes_per_s: float = 0.0
    eta_s: float | None = None
    problem: str = ""           # plain words, when it waits or failed
    details: str = ""           # the technical text, for a trainer
    allow_unsigned: bool = False
    trust_fingerprint: str = ""  # the person said "trust this trainer": done before fetching
    signer: tuple[str, str] = ("", "")  # (name, fingerprint) while the question waits
    any_hours: bool = False      # "Start now": this one ignores the download hours

    @property
    def key(self) -> tuple[str, str]:
        return (self.pack.pack_id, self.pack.version)

    @property
    def fraction(self) -> float:
        return min(1.0, self.done_bytes / self.total_bytes) if self.total_bytes else 0.0


# -- the queue across restarts --------------------------------------------------------------------
# The PC is switched off at closing time with a download half done: the partial files stay in the
# media store, and this keeps the queue itself (which packs, in which order, paused or not, how far
# they got), so the next start goes on by itself. Kept per profile with the other settings.

_OFFERED_FIELDS = {f.name: f.type for f in fields(OfferedPack)}


def queue_to_json(entries: Iterable[tuple[QueueItem, bool]],
                  declined: Iterable[tuple[str, str]]) -> str:
    """``entries`` are (item, paused) pairs in queue order; ``declined`` the packs the person
    took out of the queue (automatic downloads leave them out, after a restart too)."""
    return json.dumps({
        "format": QUEUE_FORMAT,
        "items": [{"pack": asdict(item.pack), "paused": paused, "done": item.done_bytes,
                   "total": item.total_bytes, "any_hours": item.any_hours}
                  for item, paused in entries],
        "declined": sorted([p, v] for p, v in declined),
    }, sort_keys=True)


def _offered_from(data: Any) -> OfferedPack:
    if not isinstance(data, dict) or set(data) != set(_OFFERED_FIELDS):
        raise ValueError("not a pack of the queue")
    pack = OfferedPack(**{**data, "group_ids": tuple(int(g) for g in data["group_ids"]),
                          "group_names": tuple(str(g) for g in data["group_names"])})
    text = (pack.pack_id, pack.version, pack.title, pack.language, pack.manifest_sha256)
    numbers = (pack.size, pack.files, pack.bytes_needed)
    if not all(isinstance(t, str) and t for t in text) or not pack.group_ids \
            or not all(isinstance(n, int) and n >= 0 for n in numbers):
        raise ValueError("a pack of the queue lacks its name, version or group")
    return pack


def queue_from_json(text: str) -> tuple[list[QueueItem], set[tuple[str, str]]]:
    """The queue as :func:`queue_to_json` wrote it. What cannot be read is left out (and
    logged): a damaged setting costs at worst a pack to queue again, never the start."""
    if not text.strip():
        return [], set()
    try:
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("format") != QUEUE_FORMAT:
            raise ValueError("an unknown format")
        entries, declined = data.get("items", []), data.get("declined", [])
        if not isinstance(entries, list) or not isinstance(declined, list):
            raise ValueError("items or declined is not a list")
    except ValueError as exc:
        log.warning("the kept download queue cannot be read (%s); starting with none", exc)
        return [], set()
    items: list[QueueItem] = []
    for entry in entries:
        try:
            pack = _offered_from(entry["pack"])
            done, total = int(entry.get("done", 0)), int(entry.get("total", 0))
        except (KeyError, TypeError, ValueError) as exc:
            log.warning("a pack of the kept download queue cannot be read: %s", exc)
            continue
        if any(i.key == (pack.pack_id, pack.version) for i in items):
            continue
        if total <= 0:  # never started: the whole pack, what is here already counted done
            total, done = pack.size, max(done, pack.size - pack.bytes_needed)
        items.append(QueueItem(pack, state=State.PAUSED if entry.get("paused") is True
                               else State.QUEUED, done_bytes=min(max(0, done), total),
                               total_bytes=total, any_hours=entry.get("any_hours") is True))
    kept = {(str(d[0]), str(d[1])) for d in declined
            if isinstance(d, list) and len(d) == 2 and all(isinstance(x, str) for x in d)}
    return items, kept


def load_queue(preferences: Preferences, profile_id: int,
               ) -> tuple[list[QueueItem], set[tuple[str, str]]]:
    return queue_from_json(preferences.get(PREF_QUEUE, profile_id))


# -- numbers as people read them ------------------------------------------------------------------

def format_bytes(n: float) -> str:
    """``850 KB``, ``12.3 MB``, ``1.2 GB`` (decimal units, with the language's decimal mark)."""
    locale = QLocale()
    if n < 1_000_000:
        return translate("DownloadQueue", "%1 KB").replace("%1", locale.toString(
            max(0, round(n / 1000))))
    if n < 1_000_000_000:
        return translate("DownloadQueue", "%1 MB").replace("%1", locale.toString(
            n / 1e6, "f", 1))
    return translate("DownloadQueue", "%1 GB").replace("%1", locale.toString(n / 1e9, "f", 2))


def format_speed(bytes_per_s: float) -> str:
    if bytes_per_s >= 1_000_000:
        return translate("DownloadQueue", "%1 MB/s").replace(
            "%1", QLocale().toString(bytes_per_s / 1e6, "f", 1))
    return translate("DownloadQueue", "%1 KB/s").replace(
        "%1", QLocale().toString(max(0, round(bytes_per_s / 1000))))


def format_time_left(seconds: float | None) -> str:
    if seconds is None:
        return translate("DownloadQueue", "working out the time left")
    if seconds < 60:
        return translate("DownloadQueue", "less than a minute left")
    minutes = round(seconds / 60)
    if minutes < 60:
        return translate("DownloadQueue", "about %1 min left").replace("%1", str(minutes))
    hours, minutes = divmod(minutes, 60)
    return translate("DownloadQueue", "about %1 h %2 min left").replace(
        "%1", str(hours)).replace("%2", f"{minutes:02d}")


# -- problems in plain words ----------------------------------------------------------------------

def _is_disk_full(exc: BaseException) -> bool:
    return isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)


def describe_problem(exc: BaseException) -> tuple[State, str]:
    """What the queue does after ``exc`` and the sentence the person reads."""
    if isinstance(exc, HubOffline):
        return State.WAITING, translate(
            "DownloadQueue", "Waiting for the connection. The download goes on by itself "
            "when it is back; nothing is lost.")
    if isinstance(exc, LibraryError) and ("another download" in str(exc)
                                          or "another pack import" in str(exc)):
        return State.WAITING, translate(
            "DownloadQueue", "Another download or import is busy on this computer. This one "
            "tries again in a minute.")
    if isinstance(exc, StorageError) or _is_disk_full(exc):
        return State.PAUSED, translate(
            "DownloadQueue", "There is not enough room on this computer. Free some space, "
            "then press Resume: it goes on from where it stopped.")
    if isinstance(exc, BadSignatureError):
        return State.FAILED, translate(
            "DownloadQueue", "This pack was changed after the trainer signed it, so it is not "
            "safe. Tell your trainer.")
    if isinstance(exc, HubAuthError | NotLoggedInError):
        return State.FAILED, translate(
            "DownloadQueue", "The server no longer accepts this computer's login. Connect "
            "again: Group › Connect to your group.")
    if isinstance(exc, CredentialError):
        return State.FAILED, translate(
            "DownloadQueue", "The login of this computer cannot be read. Connect again: "
            "Group › Connect to your group.")
    if isinstance(exc, DownloadError):
        return State.FAILED, translate(
            "DownloadQueue", "The server's copy of this pack is damaged. Tell your trainer.")
    if isinstance(exc, HubRefused) and exc.status == 404:
        return State.FAILED, translate(
            "DownloadQueue", "The server no longer offers this pack.")
    if isinstance(exc, PackTrustError):
        return State.FAILED, translate(
            "DownloadQueue", "This pack is signed by someone else than the version you have. "
            "Ask your trainer before you install it.")
    return State.FAILED, translate(
        "DownloadQueue", "Something went wrong. Try again later; if it keeps happening, the "
        "details can help your trainer.")


# -- the work, on a network thread ----------------------------------------------------------------

@contextlib.contextmanager
def open_hub(services: Any, config_dir: str, profile_id: int) -> Iterator[Any]:
    """An authorized httpx client for the profile's hub login (as ``companion pack``)."""
    store = CredentialStore(services.db, config_dir)
    login = store.login(profile_id)
    if login is None:
        raise NotLoggedInError("this profile is not connected to a hub")
    with authorized_http(login.hub_url, store.token(profile_id), ca_file=login.ca_file) as http:
        yield http


def trust_offered_signer(http: Any, services: Any, pack: OfferedPack, fingerprint: str,
                         retry: RetryPolicy) -> None:
    """Trust the key that signed ``pack``, only if it is the one the person was shown."""
    data = request_json(http, "GET", f"/v1/groups/{pack.group_ids[0]}/packs/{pack.pack_id}"
                        "/manifest", retry, params={"version": pack.version})
    signature = data.get("signature")
    _reader, signer = services.packs.check_download(
        str(data["manifest"]).encode("utf-8"),
        str(signature).encode("utf-8") if signature else None, True, pack.pack_id)
    if signer is None or signer.fingerprint != fingerprint:
        raise PackTrustError("the pack's signer changed since the question was asked",
                             pack.pack_id)
    services.trust.trust(PublicKey(signer.name, signer.public_key))
