"""Settings apply at once: language, text size, learning times, player; help dialogs open."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from companion.core.changelog import all_changes
from companion.ui.dialogs.help import AboutDialog, ShortcutsDialog
from companion.ui.dialogs.settings import SettingsDialog
from companion.ui.main import Shell
from tests.ui.shell_fixtures import *  # noqa: F403


def _settings(shell: Shell) -> SettingsDialog:
    dialog = shell.window.menu_actions.open_settings()
    assert isinstance(dialog, SettingsDialog)
    return dialog


def test_language_switches_live(shell: Shell, qtbot) -> None:
    """Choosing Nederlands retranslates the open window and its menus at once, and back."""
    dialog = _settings(shell)
    assert shell.window.menu_actions.file_menu.title() == "&File"
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("nl"))
    assert shell.ctx.profile.language == "nl"
    qtbot.waitUntil(lambda: shell.window.menu_actions.file_menu.title() == "&Bestand")
    assert dialog.windowTitle() == "Instellingen"
    assert shell.window.navigation.item(0).text() == "Start"
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("en"))
    qtbot.waitUntil(lambda: shell.window.menu_actions.file_menu.title() == "&File")
    dialog.language_combo.setCurrentIndex(0)  # follow the computer
    assert shell.ctx.profile.language is None


def test_text_size_scales_the_application_font(shell: Shell, look, qtbot) -> None:
    """150% makes the application font half as large again; Ctrl+0 brings it back."""
    base = QApplication.font().pointSizeF()
    dialog = _settings(shell)
    dialog.size_slider.setValue(150)
    assert QApplication.font().pointSizeF() == base * 1.5
    assert shell.ctx.services.preferences.get_int("text_scale", shell.ctx.profile_id) == 150
    assert "150" in dialog.size_value.text()
    dialog.close()
    shell.window.activateWindow()
    shell.window.menu_actions.reset_size_action.trigger()
    assert QApplication.font().pointSizeF() == base
    shell.window.menu_actions.larger_action.trigger()
    assert shell.window.menu_actions.settings.text_scale == 110


def test_session_recording_can_be_turned_off(shell: Shell) -> None:
    """Unticking "Keep track of when I learn" stops every session record."""
    dialog = _settings(shell)
    assert dialog.sessions_check.isChecked()
    dialog.sessions_check.click()
    assert not shell.ctx.profile.record_sessions
    before = len(all_changes(shell.ctx.services.db))
    shell.ctx.sessions.lesson_played(shell.ctx.profile_id, "sociale-media/les-0000", 0, 60)
    shell.ctx.sessions.app_closed(shell.ctx.profile_id)
    assert len(all_changes(shell.ctx.services.db)) == before


def test_player_choice_is_kept_for_the_pc(shell: Shell) -> None:
    """The player setting is one value for the whole PC (the lesson screen reads it)."""
    dialog = _settings(shell)
    dialog.player_combo.setCurrentIndex(dialog.player_combo.findData("qt"))
    assert shell.ctx.services.preferences.get("player") == "qt"


def test_dark_mode_follows_the_system(shell: Shell, look) -> None:
    """When the system turns dark, the palette turns dark; and light again."""
    hints = QApplication.styleHints()
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    window_color = QApplication.palette().color(QPalette.ColorRole.Window)
    assert window_color.lightness() < 80
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert QApplication.palette().color(QPalette.ColorRole.Window).lightness() > 200


def test_help_dialogs_open(shell: Shell) -> None:
    """F1 lists the shortcuts (with the lesson keys); About names the app and its version."""
    shortcuts = shell.window.menu_actions.show_shortcuts()
    assert isinstance(shortcuts, ShortcutsDialog)
    keys = [shortcuts.table.item(r, 0).text() for r in range(shortcuts.table.rowCount())]
    assert "Ctrl+O" in keys and "Space" in keys
    about = shell.window.menu_actions.show_about()
    assert isinstance(about, AboutDialog)
    assert "Version" in about.version.text()
