"""Choosing who is learning (with the PIN when a profile has one), and setting or removing a
PIN. A PIN keeps colleagues on a shared shop PC out of each other's notes; it is not a safe."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from companion.core.profiles import Profile
from companion.services import Services
from companion.ui.dialogs.common import (
    Dialog,
    add_button,
    error_label,
    form_label,
    heading_label,
    ok_cancel_box,
    text_label,
)
from companion.ui.dialogs.photo import avatar

PIN_PATTERN = r"[0-9]{0,8}"
MIN_PIN, MAX_PIN = 4, 8
AVATAR_PX = 40


def pin_edit(parent: QWidget, object_name: str) -> QLineEdit:
    """A field for 4 to 8 digits, shown as dots."""
    edit = QLineEdit(parent)
    edit.setObjectName(object_name)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setMaxLength(MAX_PIN)
    edit.setValidator(QRegularExpressionValidator(PIN_PATTERN, edit))
    edit.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
    return edit


class ProfilePickerDialog(Dialog):
    """Who is learning now? A list of the profiles; a PIN field when the chosen one has a PIN.

    After Accepted, :attr:`chosen_id` is the profile to use."""

    def __init__(self, services: Services, current_id: int | None = None, *,
                 at_start: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("profilePicker")
        self._services = services
        self._at_start = at_start
        self.chosen_id: int | None = None
        self.wants_new_profile = False
        layout = QVBoxLayout(self)
        self.title = heading_label(self)
        layout.addWidget(self.title)
        self.list = QListWidget(self)
        self.list.setObjectName("profileList")
        self.list.setIconSize(QSize(AVATAR_PX, AVATAR_PX))
        self.list.setSpacing(2)
        for profile in services.profiles.list():
            item = QListWidgetItem(QIcon(avatar(services.media, profile.photo_sha256, profile.name,
                                                AVATAR_PX)), profile.name)
            item.setData(Qt.ItemDataRole.UserRole, profile.id)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, profile.name)
            self.list.addItem(item)
            if profile.id == current_id:
                self.list.setCurrentItem(item)
        if self.list.currentItem() is None and self.list.count():
            self.list.setCurrentRow(0)
        self.list.currentItemChanged.connect(lambda *_: self._selection_changed())
        self.list.itemActivated.connect(lambda _item: self.accept())
        layout.addWidget(self.list)
        form = QFormLayout()
        self.pin_edit = pin_edit(self, "pinEdit")
        self.pin_label = form_label(self)
        self.pin_label.setBuddy(self.pin_edit)
        form.addRow(self.pin_label, self.pin_edit)
        layout.addLayout(form)
        self.error = error_label(self)
        layout.addWidget(self.error)
        box, self.ok_button, self.cancel_button = ok_cancel_box(self)
        self.new_button = add_button(box, QDialogButtonBox.ButtonRole.ActionRole, "newButton")
        self.new_button.clicked.connect(self._new_profile)
        layout.addWidget(box)
        self.retranslate()
        self._selection_changed()
        self.list.setFocus()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Who is learning?"))
        self.title.setText(self.tr("Who is learning now?"))
        self.list.setAccessibleName(self.tr("Profiles on this computer"))
        self.pin_label.setText(self.tr("&PIN"))
        self.pin_edit.setAccessibleName(self.tr("PIN of the chosen profile"))
        self.pin_edit.setPlaceholderText(self.tr("4 to 8 digits"))
        self.ok_button.setText(self.tr("&Open"))
        self.new_button.setText(self.tr("&New profile…"))
        self.cancel_button.setText(self.tr("&Quit") if self._at_start else self.tr("Cancel"))
        for button in (self.ok_button, self.new_button, self.cancel_button):
            button.setAccessibleName(button.text().replace("&", "").rstrip("…"))

    def selected_profile(self) -> Profile | None:
        item = self.list.currentItem()
        if item is None:
            return None
        return self._services.profiles.get(int(item.data(Qt.ItemDataRole.UserRole)))

    def select(self, profile_id: int) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole) == profile_id:
                self.list.setCurrentRow(row)

    def _selection_changed(self) -> None:
        profile = self.selected_profile()
        needs_pin = bool(profile and profile.has_pin)
        self.pin_label.setVisible(needs_pin)
        self.pin_edit.setVisible(needs_pin)
        self.pin_edit.clear()
        self.error.setVisible(False)
        self.ok_button.setEnabled(profile is not None)
        if needs_pin:
            self.pin_edit.setFocus()

    def _new_profile(self) -> None:
        self.wants_new_profile = True
        self.done(2)

    def accept(self) -> None:
        profile = self.selected_profile()
        if profile is None:
            return
        if profile.has_pin and not self.pin_edit.text():
            # Enter on the list (or a double-click) chose the person: now the PIN, without
            # saying a PIN nobody typed is wrong.
            self.error.setVisible(False)
            self.pin_edit.setFocus()
            return
        if profile.has_pin and not self._services.profiles.check_pin(profile.id,
                                                                   self.pin_edit.text()):
            self.error.setText(self.tr("That PIN is not right. Try again."))
            self.error.setVisible(True)
            self.pin_edit.selectAll()
            self.pin_edit.setFocus()
            return
        self.chosen_id = profile.id
        super().accept()


class PinDialog(Dialog):
    """Set a new PIN (``remove=False``) or remove it; asks the current PIN first if there is
    one."""

    def __init__(self, services: Services, profile_id: int, *, remove: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pinDialog")
        self._services = services
        self._profile = services.profiles.get(profile_id)
        self._remove = remove
        layout = QVBoxLayout(self)
        self.title = heading_label(self)
        layout.addWidget(self.title)
        self.intro = text_label(self)
        layout.addWidget(self.intro)
        form = QFormLayout()
        self.current_edit = pin_edit(self, "currentPinEdit")
        self.current_label = form_label(self)
        self.current_label.setBuddy(self.current_edit)
        if self._profile.has_pin:
            form.addRow(self.current_label, self.current_edit)
        else:
            self.current_edit.hide()
            self.current_label.hide()
        self.new_edit = pin_edit(self, "newPinEdit")
        self.new_label = form_label(self)
        self.new_label.setBuddy(self.new_edit)
        self.repeat_edit = pin_edit(self, "repeatPinEdit")
        self.repeat_label = form_label(self)
        self.repeat_label.setBuddy(self.repeat_edit)
        if not remove:
            form.addRow(self.new_label, self.new_edit)
            form.addRow(self.repeat_label, self.repeat_edit)
        else:
            for widget in (self.new_edit, self.new_label, self.repeat_edit, self.repeat_label):
                widget.hide()
        layout.addLayout(form)
        self.error = error_label(self)
        layout.addWidget(self.error)
        box, self.ok_button, self.cancel_button = ok_cancel_box(self)
        layout.addWidget(box)
        self.retranslate()

    def retranslate(self) -> None:
        if self._remove:
            self.setWindowTitle(self.tr("Remove PIN"))
            self.title.setText(self.tr("Remove the PIN"))
            self.intro.setText(self.tr("Anyone on this computer can then open your profile."))
            self.ok_button.setText(self.tr("&Remove PIN"))
        else:
            self.setWindowTitle(self.tr("Set PIN"))
            self.title.setText(self.tr("Protect your profile with a PIN"))
            self.intro.setText(self.tr(
                "On a shared computer a PIN keeps your notes and progress to yourself. Choose "
                "4 to 8 digits that you will remember."))
            self.ok_button.setText(self.tr("&Save PIN"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.current_label.setText(self.tr("&Current PIN"))
        self.current_edit.setAccessibleName(self.tr("Current PIN"))
        self.new_label.setText(self.tr("&New PIN"))
        self.new_edit.setAccessibleName(self.tr("New PIN"))
        self.repeat_label.setText(self.tr("&Repeat the new PIN"))
        self.repeat_edit.setAccessibleName(self.tr("Repeat the new PIN"))
        for button in (self.ok_button, self.cancel_button):
            button.setAccessibleName(button.text().replace("&", ""))

    def _fail(self, message: str, field: QLineEdit) -> None:
        self.error.setText(message)
        self.error.setVisible(True)
        field.selectAll()
        field.setFocus()

    def accept(self) -> None:
        profiles = self._services.profiles
        if self._profile.has_pin and not profiles.check_pin(self._profile.id,
                                                            self.current_edit.text()):
            self._fail(self.tr("The current PIN is not right."), self.current_edit)
            return
        if self._remove:
            profiles.set_pin(self._profile.id, None)
            super().accept()
            return
        pin = self.new_edit.text()
        if not (pin.isdigit() and MIN_PIN <= len(pin) <= MAX_PIN):
            self._fail(self.tr("A PIN has 4 to 8 digits."), self.new_edit)
            return
        if pin != self.repeat_edit.text():
            self._fail(self.tr("The two PINs are not the same. Type them again."),
                       self.repeat_edit)
            return
        profiles.set_pin(self._profile.id, pin)
        super().accept()
