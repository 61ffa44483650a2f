"""Profiles: the first-run welcome, switching with a PIN, setting and removing a PIN."""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QDialog

from companion.core.changelog import all_changes
from companion.core.media_store import MediaStore
from companion.services import build_services
from companion.ui.dialogs.profile_form import ProfileDialog
from companion.ui.dialogs.profiles import PinDialog, ProfilePickerDialog
from companion.ui.main import Shell
from tests.ui.shell_fixtures import *  # noqa: F403


def _photo(path: Path) -> Path:
    image = QImage(1200, 900, QImage.Format.Format_RGB32)
    image.fill(QColor("#d08050"))
    image.save(str(path), "PNG")
    return path


def test_welcome_creates_the_first_profile(qtbot, home: Path, tmp_path: Path, look) -> None:
    """The welcome asks name, language, photo and motto; Start creates the profile."""
    services = build_services(home)
    languages: list[str] = []
    dialog = ProfileDialog(services, welcome=True, on_language=languages.append)
    qtbot.addWidget(dialog)
    dialog.show()
    assert "introduction your group will see" in dialog.form.motto_help.text()
    qtbot.keyClicks(dialog.form.name_edit, "Anna Peeters")
    dialog.form.language_combo.setCurrentIndex(dialog.form.language_combo.findData("nl"))
    assert dialog.form.set_photo_file(_photo(tmp_path / "anna.png"))
    qtbot.keyClicks(dialog.form.motto_edit, "Elke dag vers brood")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    profile = services.profiles.by_name("Anna Peeters")
    assert (profile.language, profile.motto) == ("nl", "Elke dag vers brood")
    assert languages[-1] == "nl"
    stored = MediaStore(services.locations.media_dir).path_for(profile.photo_sha256)
    assert hashlib.sha256(stored.read_bytes()).hexdigest() == profile.photo_sha256
    assert max(QImage(str(stored)).width(), QImage(str(stored)).height()) <= 512
    services.close()


def test_welcome_needs_a_name_and_refuses_a_broken_photo(qtbot, home: Path, tmp_path: Path,
                                                         look) -> None:
    """Without a name nothing is saved and the person is told why, in plain words."""
    services = build_services(home)
    dialog = ProfileDialog(services, welcome=True)
    qtbot.addWidget(dialog)
    dialog.show()
    broken = tmp_path / "not-a-photo.jpg"
    broken.write_bytes(b"garbage")
    assert not dialog.form.set_photo_file(broken)
    assert dialog.form.photo_error.isVisible()
    dialog.ok_button.click()
    assert dialog.isVisible() and dialog.error.isVisible()
    assert "type your name" in dialog.error.text()
    assert services.profiles.list() == []
    services.close()


def test_switching_to_a_profile_with_a_pin(shell: Shell, qtbot) -> None:
    """A wrong PIN is refused; the right one switches and starts the new person's session."""
    services = shell.ctx.services
    bert = services.profiles.create("Bert", language="en")
    services.profiles.set_pin(bert.id, "4321")
    picker = shell.window.menu_actions.switch_profile()
    assert isinstance(picker, ProfilePickerDialog)
    picker.select(bert.id)
    assert picker.pin_edit.isVisible()
    qtbot.keyClicks(picker.pin_edit, "1111")
    picker.ok_button.click()
    assert picker.isVisible() and "not right" in picker.error.text()
    assert shell.ctx.profile_id != bert.id
    picker.pin_edit.clear()
    qtbot.keyClicks(picker.pin_edit, "4321")
    qtbot.keyClick(picker.pin_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: shell.ctx.profile_id == bert.id)
    assert "Bert" in shell.window.windowTitle()
    events = [(c.profile_id, c.payload["event"]) for c in all_changes(services.db)
              if c.kind == "session"]
    anna = services.profiles.by_name("Anna").id
    assert events[-2:] == [(anna, "app_closed"), (bert.id, "app_opened")]


def test_set_change_and_remove_a_pin(shell: Shell, qtbot) -> None:
    """Setting needs the PIN twice; removing needs the current PIN."""
    services, pid = shell.ctx.services, shell.ctx.profile_id
    dialog = shell.window.menu_actions.change_pin(remove=False)
    assert isinstance(dialog, PinDialog)
    qtbot.keyClicks(dialog.new_edit, "2468")
    qtbot.keyClicks(dialog.repeat_edit, "2469")
    dialog.ok_button.click()
    assert "not the same" in dialog.error.text() and not services.profiles.get(pid).has_pin
    dialog.repeat_edit.clear()
    qtbot.keyClicks(dialog.repeat_edit, "2468")
    dialog.ok_button.click()
    assert services.profiles.get(pid).has_pin
    assert shell.window.menu_actions.remove_pin_action.isEnabled()
    remove = shell.window.menu_actions.change_pin(remove=True)
    qtbot.keyClicks(remove.current_edit, "0000")
    remove.ok_button.click()
    assert services.profiles.get(pid).has_pin
    remove.current_edit.clear()
    qtbot.keyClicks(remove.current_edit, "2468")
    remove.ok_button.click()
    assert not services.profiles.get(pid).has_pin


def test_new_profile_from_the_menu_switches_to_it(shell: Shell, qtbot) -> None:
    """A new profile made from the Profile menu becomes the current one."""
    dialog = shell.window.menu_actions.new_profile()
    assert isinstance(dialog, ProfileDialog)
    qtbot.keyClicks(dialog.form.name_edit, "Anna")
    dialog.ok_button.click()
    assert "already a profile called" in dialog.error.text()
    dialog.form.name_edit.clear()
    qtbot.keyClicks(dialog.form.name_edit, "Chris")
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: shell.ctx.profile.name == "Chris")


def test_edit_profile_keeps_unchanged_fields_out_of_the_change_log(shell: Shell) -> None:
    """Saving the profile with only the motto changed logs only the motto."""
    dialog = shell.window.menu_actions.edit_profile()
    dialog.form.motto_edit.setText("Bloemen maken mensen blij")
    dialog.ok_button.click()
    last = [c for c in all_changes(shell.ctx.services.db) if c.kind == "profile"][-1]
    assert last.payload == {"motto": "Bloemen maken mensen blij"}


def test_choosing_a_profile_with_a_pin_asks_for_it_before_any_error(shell: Shell,
                                                                    qtbot) -> None:
    """Enter on the list chooses the person: the PIN field gets the focus, and "not right"
    only comes after a PIN was typed."""
    services = shell.ctx.services
    bert = services.profiles.create("Bert", language="en")
    services.profiles.set_pin(bert.id, "4321")
    picker = shell.window.menu_actions.switch_profile()
    assert isinstance(picker, ProfilePickerDialog)
    picker.select(bert.id)
    picker.list.setFocus()
    qtbot.keyClick(picker.list, Qt.Key.Key_Return)
    assert picker.isVisible() and not picker.error.isVisible()
    assert picker.pin_edit.hasFocus() or picker.focusWidget() is picker.pin_edit
    qtbot.keyClicks(picker.pin_edit, "1111")
    qtbot.keyClick(picker.pin_edit, Qt.Key.Key_Return)
    assert picker.error.isVisible() and "not right" in picker.error.text()
    picker.reject()
