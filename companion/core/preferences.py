"""Per-PC and per-person preferences, kept in the library's settings table as plain values
(never pickled). Unknown or broken values fall back to the default."""

from __future__ import annotations

import sqlite_utils

from companion.core.db import get_setting, set_setting, write_transaction

DEFAULTS: dict[str, str] = {
    "text_scale": "100",          # percent, 100 to 200
    "subtitles": "1",             # subtitles on by default
    "volume": "80",
    "break_minutes": "5",
    "player": "auto",             # auto, vlc or qt
    "download_rate_kbps": "0",    # bandwidth cap for pack downloads, kilobytes/s; 0: none
    "download_hours": "",         # "18:00-08:00": download only then; "": any time
    "download_auto": "0",         # queue new packs and updates by themselves
}
INT_RANGES = {"text_scale": (100, 200), "volume": (0, 100), "break_minutes": (1, 60),
              "download_rate_kbps": (0, 1_000_000)}


class Preferences:
    """Preferences of one profile (``profile_id``), or of the PC when it is None."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self._db = db

    @staticmethod
    def _key(name: str, profile_id: int | None) -> str:
        return f"pref:{profile_id}:{name}" if profile_id is not None else f"pref:pc:{name}"

    def get(self, name: str, profile_id: int | None = None) -> str:
        value = get_setting(self._db, self._key(name, profile_id))
        return DEFAULTS.get(name, "") if value is None else value

    def get_int(self, name: str, profile_id: int | None = None) -> int:
        low, high = INT_RANGES.get(name, (-(2**31), 2**31))
        try:
            value = int(self.get(name, profile_id))
        except ValueError:
            value = int(DEFAULTS.get(name, "0"))
        return max(low, min(high, value))

    def get_bool(self, name: str, profile_id: int | None = None) -> bool:
        return self.get(name, profile_id) not in ("0", "", "false")

    def set(self, name: str, value: str | int | bool, profile_id: int | None = None) -> None:
        if isinstance(value, bool):
            value = "1" if value else "0"
        if name in INT_RANGES:
            low, high = INT_RANGES[name]
            value = str(max(low, min(high, int(value))))
        with write_transaction(self._db):
            set_setting(self._db, self._key(name, profile_id), str(value))
