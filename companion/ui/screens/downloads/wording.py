"""What the downloads page says: numbers as people read them, and problems in plain words with
what the queue does next."""

from __future__ import annotations

import errno

from PySide6.QtCore import QCoreApplication, QLocale

from companion.core.errors import LibraryError, PackTrustError, Reason, StorageError
from companion.core.packs.reader import BadSignatureError
from companion.sync.client import HubAuthError, HubOffline, HubRefused
from companion.sync.credentials import CredentialError, NotLoggedInError
from companion.sync.downloads import DownloadError
from companion.ui.screens.downloads.items import State

translate = QCoreApplication.translate  # the name pyside6-lupdate looks for


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
    if isinstance(exc, LibraryError) and exc.reason in (Reason.DOWNLOAD_BUSY,
                                                        Reason.PACKS_BUSY):
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
