"""The settings of the social loop (issue 11): "notify me only in my breaks" and when those
are, keep running in the tray when the window closes (only where there is a tray), and start
at login (``core/autostart.py``). Part of the settings dialog."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QCheckBox, QFormLayout, QLineEdit, QSystemTrayIcon, QWidget

from companion.core import autostart
from companion.core.notifications import (
    BREAKS_ONLY_PREF,
    BREAKS_PREF,
    DEFAULT_BREAKS,
    QuietHours,
)
from companion.ui.context import AppContext
from companion.ui.dialogs.common import form_label, text_label
from companion.ui.social_ui import KEEP_IN_TRAY_PREF

log = logging.getLogger(__name__)


def breaks_text(quiet: QuietHours) -> str:
    """``"before 9:30, 12:00-14:00, after 18:00"`` style, as typed back: ``HH:MM-HH:MM``."""
    return ", ".join(f"{a // 60:02d}:{a % 60:02d}-{b // 60:02d}:{b % 60:02d}"
                     for a, b in quiet.breaks)


class NotifySettings(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None,
                 tray_available: bool | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        prefs, pid = ctx.services.preferences, ctx.profile_id
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.label = form_label(self)
        self.breaks_check = QCheckBox(self)
        self.breaks_check.setChecked(prefs.get_bool(BREAKS_ONLY_PREF, pid))
        self.breaks_check.toggled.connect(self._breaks_only)
        form.addRow(self.label, self.breaks_check)
        self.breaks_edit = QLineEdit(self)
        self.breaks_edit.setText(breaks_text(QuietHours.parse(prefs.get(BREAKS_PREF, pid))))
        self.breaks_edit.editingFinished.connect(self._breaks_changed)
        self.breaks_edit.setEnabled(self.breaks_check.isChecked())
        form.addRow("", self.breaks_edit)
        self.breaks_help = text_label(self)
        form.addRow("", self.breaks_help)
        available = (QSystemTrayIcon.isSystemTrayAvailable() if tray_available is None
                     else tray_available)
        self.tray_check = QCheckBox(self)
        self.tray_check.setChecked(prefs.get_bool(KEEP_IN_TRAY_PREF))
        self.tray_check.toggled.connect(lambda on: prefs.set(KEEP_IN_TRAY_PREF, on))
        self.tray_check.setVisible(available)  # no tray: the app does without, silently
        form.addRow("", self.tray_check)
        self.login_check = QCheckBox(self)
        self.login_check.setChecked(autostart.is_enabled())
        self.login_check.toggled.connect(self._start_at_login)
        form.addRow("", self.login_check)
        self.retranslate()

    def retranslate(self) -> None:
        self.label.setText(self.tr("Notifications"))
        # Check boxes do not wrap: short texts, the explanation in the label below.
        self.breaks_check.setText(self.tr("&Only in my breaks"))
        self.breaks_edit.setAccessibleName(self.tr("My breaks"))
        self.breaks_help.setText(self.tr(
            "When the shop is busy, news from your group waits and comes together at your "
            "next break. Breaks as from-to times, for example %1.").replace(
                "%1", breaks_text(QuietHours.parse(DEFAULT_BREAKS))))
        self.tray_check.setText(self.tr("Stay in the &tray when closed"))
        self.login_check.setText(self.tr("&Start at login"))

    def _breaks_only(self, on: bool) -> None:
        self.ctx.services.preferences.set(BREAKS_ONLY_PREF, on, self.ctx.profile_id)
        self.breaks_edit.setEnabled(on)

    def _breaks_changed(self) -> None:
        text = self.breaks_edit.text().replace(" ", "")
        quiet = QuietHours.parse(text)
        if text and quiet == QuietHours.parse(DEFAULT_BREAKS) and text != DEFAULT_BREAKS:
            # Not understood: show what counts instead of keeping a text that does nothing.
            self.breaks_edit.setText(breaks_text(quiet))
        self.ctx.services.preferences.set(BREAKS_PREF, text, self.ctx.profile_id)

    def _start_at_login(self, on: bool) -> None:
        home = self.ctx.services.locations
        try:
            autostart.set_enabled(on, home=str(home.data_dir.parent) if home.portable else None)
        except OSError:
            log.warning("start at login could not be changed", exc_info=True)
            self.login_check.blockSignals(True)
            self.login_check.setChecked(autostart.is_enabled())
            self.login_check.blockSignals(False)
