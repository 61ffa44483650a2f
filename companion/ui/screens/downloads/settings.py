"""The download settings as stored per profile: a bandwidth cap, the daily download hours and
whether new packs download by themselves."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time as clock_time

from companion.core.preferences import Preferences
from companion.sync.transfer_policy import RetryPolicy, parse_hours_window

PREF_RATE, PREF_HOURS, PREF_AUTO = "download_rate_kbps", "download_hours", "download_auto"
DEFAULT_HOURS = (clock_time(18, 0), clock_time(8, 0))  # after closing time, before opening
#: A dead link is "waiting for the connection" after about ten seconds, not after a minute.
UI_RETRY = RetryPolicy(attempts=5, base_s=0.5, max_s=8.0)


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
