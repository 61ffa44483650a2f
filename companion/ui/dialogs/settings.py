"""Settings, applied the moment they change (no OK to forget): language, text size, whether
learning sessions are recorded, and which video player to use.

The dialog only writes the choice and announces ``Redraw(settings=True)``; the shell applies
the language and text size from there, like any other change (docs/architecture.md, "changes
announce themselves")."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QSlider,
    QWidget,
)

from companion.ui.context import AppContext
from companion.ui.dialogs.common import (
    Dialog,
    add_button,
    form_label,
    heading_label,
    text_label,
)
from companion.ui.i18n import SUPPORTED_LANGUAGES, language_name
from companion.ui.redraw import Redraw
from companion.ui.theme import (
    MAX_TEXT_SCALE,
    MIN_TEXT_SCALE,
    TEXT_SCALE_STEP,
    clamp_text_scale,
    relative_font,
    relative_min_width,
)

PLAYERS = ("auto", "vlc", "qt")


class SettingsModel:
    """What the settings dialog reads and writes, without a window."""

    def __init__(self, ctx: AppContext) -> None:
        self._ctx = ctx

    @property
    def language(self) -> str | None:
        return self._ctx.profile.language

    def set_language(self, code: str | None) -> None:
        self._ctx.services.profiles.update(self._ctx.profile_id, language=code or "")
        self._ctx.announce(Redraw(settings=True))

    @property
    def text_scale(self) -> int:
        return self._ctx.services.preferences.get_int("text_scale", self._ctx.profile_id)

    def set_text_scale(self, percent: int) -> None:
        self._ctx.services.preferences.set("text_scale", clamp_text_scale(percent),
                                           self._ctx.profile_id)
        self._ctx.announce(Redraw(settings=True))

    @property
    def record_sessions(self) -> bool:
        return self._ctx.profile.record_sessions

    def set_record_sessions(self, on: bool) -> None:
        self._ctx.services.profiles.update(self._ctx.profile_id, record_sessions=on)
        self._ctx.announce(Redraw(settings=True))

    @property
    def player(self) -> str:
        value = self._ctx.services.preferences.get("player")
        return value if value in PLAYERS else "auto"

    def set_player(self, player: str) -> None:
        self._ctx.services.preferences.set("player", player if player in PLAYERS else "auto")
        self._ctx.announce(Redraw(settings=True))


class SettingsDialog(Dialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.model = SettingsModel(ctx)
        layout = self.scrolling_layout()
        self.title = heading_label(self)
        layout.addWidget(self.title)
        form = QFormLayout()
        form.setVerticalSpacing(self.fontMetrics().height() // 2)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        self.language_combo = QComboBox(self)
        self.language_combo.setObjectName("languageCombo")
        self.language_combo.addItem("", None)
        for code in SUPPORTED_LANGUAGES:
            self.language_combo.addItem(language_name(code), code)
        self.language_combo.setCurrentIndex(
            max(0, self.language_combo.findData(self.model.language)))
        self.language_combo.currentIndexChanged.connect(
            lambda _i: self.model.set_language(self.language_combo.currentData()))
        self.language_label = form_label(self)
        self.language_label.setBuddy(self.language_combo)
        form.addRow(self.language_label, self.language_combo)

        size_row = QHBoxLayout()
        self.size_slider = QSlider(Qt.Orientation.Horizontal, self)
        self.size_slider.setObjectName("textSizeSlider")
        self.size_slider.setRange(MIN_TEXT_SCALE, MAX_TEXT_SCALE)
        self.size_slider.setSingleStep(TEXT_SCALE_STEP)
        self.size_slider.setPageStep(TEXT_SCALE_STEP * 2)
        self.size_slider.setTickInterval(TEXT_SCALE_STEP * 2)
        self.size_slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.size_slider.setTracking(False)  # the whole app re-measures: only once let go
        self.size_slider.setValue(self.model.text_scale)
        self.size_slider.valueChanged.connect(self._text_scale_changed)
        self.size_slider.sliderMoved.connect(self._show_scale)
        self.size_value = QLabel(self)
        relative_min_width(self.size_value, 3.6)  # "200 %" without the label jumping
        small, large = QLabel("A", self), QLabel("A", self)
        relative_font(large, 1.6)
        for label in (small, large):
            label.setAccessibleName(" ")  # decoration: the slider has the name
        size_row.addWidget(small)
        size_row.addWidget(self.size_slider, 1)
        size_row.addWidget(large)
        size_row.addSpacing(self.fontMetrics().height() // 2)
        size_row.addWidget(self.size_value)
        self.size_label = form_label(self)
        self.size_label.setBuddy(self.size_slider)
        form.addRow(self.size_label, size_row)

        self.sessions_check = QCheckBox(self)
        self.sessions_check.setObjectName("recordSessionsCheck")
        self.sessions_check.setChecked(self.model.record_sessions)
        self.sessions_check.toggled.connect(self.model.set_record_sessions)
        self.sessions_label = form_label(self)
        form.addRow(self.sessions_label, self.sessions_check)
        self.sessions_help = text_label(self)
        form.addRow("", self.sessions_help)

        self.player_combo = QComboBox(self)
        self.player_combo.setObjectName("playerCombo")
        for player in PLAYERS:
            self.player_combo.addItem("", player)
        self.player_combo.setCurrentIndex(max(0, self.player_combo.findData(self.model.player)))
        self.player_combo.currentIndexChanged.connect(
            lambda _i: self.model.set_player(self.player_combo.currentData()))
        self.player_label = form_label(self)
        self.player_label.setBuddy(self.player_combo)
        form.addRow(self.player_label, self.player_combo)
        self.player_help = text_label(self)
        form.addRow("", self.player_help)
        layout.addLayout(form)

        box = QDialogButtonBox(self)
        self.close_button = add_button(box, QDialogButtonBox.ButtonRole.RejectRole,
                                       "closeButton")
        self.close_button.setDefault(True)
        box.rejected.connect(self.reject)
        layout.addWidget(box)
        self.retranslate()
        relative_min_width(self, 30)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Settings"))
        self.title.setText(self.tr("Settings"))
        self.language_label.setText(self.tr("&Language"))
        self.language_combo.setAccessibleName(self.tr("Language"))
        self.language_combo.setItemText(0, self.tr("Same as the computer"))
        self.size_label.setText(self.tr("&Text size"))
        self.size_slider.setAccessibleName(self.tr("Text size"))
        self._show_scale(self.size_slider.value())
        self.sessions_label.setText(self.tr("Learning times"))
        self.sessions_check.setText(self.tr("&Keep track of when I learn"))
        self.sessions_check.setAccessibleName(self.tr("Keep track of when I learn"))
        self.sessions_help.setText(self.tr(
            "Only when you open the app and which lessons you watch, with the time of day, so "
            "your trainer can see when people like to learn. Your notes are never part of it."))
        self.player_label.setText(self.tr("&Video player"))
        self.player_combo.setAccessibleName(self.tr("Video player"))
        self.player_combo.setItemText(0, self.tr("Automatic (recommended)"))
        self.player_combo.setItemText(1, self.tr("VLC"))
        self.player_combo.setItemText(2, self.tr("Built-in player"))
        self.player_help.setText(self.tr(
            "Change this only when videos do not play well. It counts from the next lesson "
            "you open."))
        self.close_button.setText(self.tr("&Close"))
        self.close_button.setAccessibleName(self.tr("Close"))

    def _show_scale(self, value: int) -> None:
        self.size_value.setText(self.tr("%1 %").replace("%1", str(value)))

    def _text_scale_changed(self, value: int) -> None:
        snapped = round(value / TEXT_SCALE_STEP) * TEXT_SCALE_STEP
        if snapped != value:
            self.size_slider.setValue(snapped)
            return
        self._show_scale(value)
        self.model.set_text_scale(value)
