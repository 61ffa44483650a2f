"""The settings of the social loop: breaks only (with the times), keep in the tray, start at
login (an XDG autostart entry here)."""

from __future__ import annotations

from pathlib import Path

from companion.core import autostart
from companion.core.notifications import BREAKS_ONLY_PREF, BREAKS_PREF, quiet_hours
from companion.ui.dialogs.notify_settings import NotifySettings
from companion.ui.social_ui import KEEP_IN_TRAY_PREF
from tests.ui.screen_fixtures import ctx, nav, profile_id, services  # noqa: F401


def test_breaks_tray_and_start_at_login(qtbot, ctx, services, profile_id, tmp_path: Path,
                                        monkeypatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    box = NotifySettings(ctx, tray_available=True)
    qtbot.addWidget(box)
    box.show()
    assert box.breaks_edit.text() == "00:00-09:30, 12:00-14:00, 18:00-24:00"
    assert not box.breaks_edit.isEnabled()
    box.breaks_check.setChecked(True)
    assert services.preferences.get_bool(BREAKS_ONLY_PREF, profile_id)
    box.breaks_edit.setText("07:00-08:30, 13:00-13:30")
    box.breaks_edit.editingFinished.emit()
    assert quiet_hours(services.preferences, profile_id).breaks == ((420, 510), (780, 810))
    box.breaks_edit.setText("lunch")  # not understood: the times that count are shown
    box.breaks_edit.editingFinished.emit()
    assert box.breaks_edit.text() == "00:00-09:30, 12:00-14:00, 18:00-24:00"
    assert services.preferences.get(BREAKS_PREF, profile_id) == "lunch"
    box.tray_check.setChecked(True)
    assert services.preferences.get_bool(KEEP_IN_TRAY_PREF)
    box.login_check.setChecked(True)
    assert autostart.is_enabled() and "--tray" in (
        tmp_path / "config" / "autostart" / "companion.desktop").read_text(encoding="utf-8")
    box.login_check.setChecked(False)
    assert not autostart.is_enabled()


def test_no_tray_no_tray_option(qtbot, ctx) -> None:
    box = NotifySettings(ctx, tray_available=False)
    qtbot.addWidget(box)
    box.show()
    assert not box.tray_check.isVisible() and box.login_check.isVisible()
