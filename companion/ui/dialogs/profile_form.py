"""Who you are: the first-run welcome and the new/edit profile dialog share one form (name,
language, photo, life motto). The form's values are saved by :func:`save_profile`, outside the
widgets."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from companion.core.errors import ProfileError
from companion.core.media_store import MediaStore
from companion.core.profiles import MAX_MOTTO_LENGTH, MAX_NAME_LENGTH, Profile, Profiles
from companion.services import Services
from companion.ui.dialogs.common import (
    Dialog,
    error_label,
    form_label,
    heading_label,
    ok_cancel_box,
    text_label,
)
from companion.ui.dialogs.photo import PhotoError, avatar, store_photo
from companion.ui.i18n import (
    SUPPORTED_LANGUAGES,
    language_name,
    language_of_locale,
    system_language,
)

AVATAR_PX = 96


@dataclass
class ProfileValues:
    name: str
    language: str | None  # "nl", "en", or None: follow the computer
    motto: str
    photo_file: Path | None = None  # a new photo chosen in the form
    photo_sha256: str | None = None  # the photo already kept (editing)
    remove_photo: bool = False


def name_problem(profiles: Profiles, name: str, profile_id: int | None = None) -> str | None:
    """Why a name cannot be used, as a sentence for the person; None when it is fine."""
    cleaned = " ".join(name.split())
    if not cleaned:
        return QCoreApplication.translate("ProfileForm", "Please type your name.")
    if len(cleaned) > MAX_NAME_LENGTH:
        return QCoreApplication.translate(
            "ProfileForm", "That name is too long. Use at most %1 characters."
        ).replace("%1", str(MAX_NAME_LENGTH))
    other = profiles.find(cleaned)
    if other is not None and other.id != profile_id:
        return QCoreApplication.translate(
            "ProfileForm", "There is already a profile called “%1”. Choose another name, for "
            "example with your last name."
        ).replace("%1", cleaned)
    return None


def save_profile(services: Services, values: ProfileValues,
                 profile_id: int | None = None) -> Profile:
    """Create (``profile_id`` None) or update a profile from the form's values."""
    sha = values.photo_sha256
    if values.photo_file is not None:
        sha = store_photo(services.media, values.photo_file)
    elif values.remove_photo:
        sha = None
    if profile_id is None:
        return services.profiles.create(values.name, language=values.language,
                                        motto=values.motto, photo_sha256=sha)
    before = services.profiles.get(profile_id)
    name = " ".join(values.name.split())
    motto = values.motto.strip()
    # Only what changed: public fields travel to the group through the change log.
    return services.profiles.update(
        profile_id,
        name=name if name != before.name else None,
        language=(values.language or "") if values.language != before.language else None,
        motto=motto if motto != before.motto else None,
        photo_sha256=(sha or "") if sha != before.photo_sha256 else None,
    )


class ProfileForm(QWidget):
    """Name, language, photo and motto. ``language_chosen`` fires as the language changes, so
    the welcome can show itself in that language at once."""

    language_chosen = Signal(str)

    def __init__(self, media: MediaStore, *, allow_system_language: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._media = media
        self._photo_file: Path | None = None
        self._photo_sha: str | None = None
        self._photo_removed = False
        layout = QFormLayout(self)
        layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("nameEdit")
        self.name_edit.setMaxLength(MAX_NAME_LENGTH)
        self.name_label = form_label(self)
        self.name_label.setBuddy(self.name_edit)
        layout.addRow(self.name_label, self.name_edit)

        self.language_combo = QComboBox(self)
        self.language_combo.setObjectName("languageCombo")
        self._allow_system = allow_system_language
        if allow_system_language:
            self.language_combo.addItem("", None)
        for code in SUPPORTED_LANGUAGES:
            self.language_combo.addItem(language_name(code), code)
        self.language_combo.currentIndexChanged.connect(self._language_changed)
        self.language_label = form_label(self)
        self.language_label.setBuddy(self.language_combo)
        layout.addRow(self.language_label, self.language_combo)

        photo_row = QHBoxLayout()
        self.photo_preview = QLabel(self)
        self.photo_preview.setFixedSize(AVATAR_PX, AVATAR_PX)
        photo_row.addWidget(self.photo_preview)
        buttons = QVBoxLayout()
        self.photo_button = QPushButton(self)
        self.photo_button.setObjectName("photoButton")
        self.photo_button.clicked.connect(self._choose_photo)
        self.remove_photo_button = QPushButton(self)
        self.remove_photo_button.setObjectName("removePhotoButton")
        self.remove_photo_button.clicked.connect(self._remove_photo)
        buttons.addWidget(self.photo_button)
        buttons.addWidget(self.remove_photo_button)
        buttons.addStretch(1)
        photo_row.addLayout(buttons)
        photo_row.addStretch(1)
        self.photo_label = form_label(self)
        self.photo_label.setBuddy(self.photo_button)
        layout.addRow(self.photo_label, photo_row)
        self.photo_error = text_label(self)
        self.photo_error.setVisible(False)
        layout.addRow("", self.photo_error)

        self.motto_edit = QLineEdit(self)
        self.motto_edit.setObjectName("mottoEdit")
        self.motto_edit.setMaxLength(MAX_MOTTO_LENGTH)
        self.motto_label = form_label(self)
        self.motto_label.setBuddy(self.motto_edit)
        layout.addRow(self.motto_label, self.motto_edit)
        self.motto_help = text_label(self)
        layout.addRow("", self.motto_help)
        self.name_edit.textChanged.connect(lambda _t: self._update_preview())
        self.retranslate()
        self._update_preview()

    def retranslate(self) -> None:
        self.name_label.setText(self.tr("Your &name"))
        self.name_edit.setPlaceholderText(self.tr("For example: Anna Peeters"))
        self.name_edit.setAccessibleName(self.tr("Your name"))
        self.language_label.setText(self.tr("&Language"))
        self.language_combo.setAccessibleName(self.tr("Language"))
        if self._allow_system:
            self.language_combo.setItemText(0, self.tr("Same as the computer"))
        self.photo_label.setText(self.tr("Your photo"))
        self.photo_button.setText(self.tr("Choose a &photo…"))
        self.photo_button.setAccessibleName(self.tr("Choose a photo"))
        self.remove_photo_button.setText(self.tr("No photo"))
        self.remove_photo_button.setAccessibleName(self.tr("Remove the photo"))
        self.photo_preview.setAccessibleName(self.tr("Your photo"))
        self.motto_label.setText(self.tr("Your life &motto"))
        self.motto_edit.setPlaceholderText(
            self.tr("For example: Fresh bread every day, and a smile for free"))
        self.motto_edit.setAccessibleName(self.tr("Your life motto"))
        self.motto_help.setText(self.tr(
            "A short line about yourself. Your photo and motto are the introduction your group "
            "will see: people talk more easily when they know who is on the other side. Both "
            "are optional, and you can change them later."))
        if self.photo_error.isVisible():
            self.photo_error.setText(self.tr("That file is not a picture this app can read. "
                                             "Try a JPEG or PNG photo."))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- values --------------------------------------------------------------------------------
    def set_values(self, profile: Profile | None, language: str | None = None) -> None:
        """Fill the form from a profile (or a new one in ``language``)."""
        self.name_edit.setText(profile.name if profile else "")
        self.motto_edit.setText(profile.motto if profile else "")
        self._photo_sha = profile.photo_sha256 if profile else None
        chosen = profile.language if profile else language
        index = self.language_combo.findData(chosen)
        if index < 0:
            index = self.language_combo.findData(None if self._allow_system
                                                 else system_language())
        self.language_combo.setCurrentIndex(max(0, index))
        self._update_preview()

    def values(self) -> ProfileValues:
        return ProfileValues(
            name=self.name_edit.text(), language=self.language_combo.currentData(),
            motto=self.motto_edit.text(), photo_file=self._photo_file,
            photo_sha256=None if self._photo_removed else self._photo_sha,
            remove_photo=self._photo_removed,
        )

    def set_photo_file(self, path: Path | str) -> bool:
        """Use the picture at ``path``; False (and a message) when it cannot be read."""
        from companion.ui.dialogs.photo import photo_bytes

        try:
            photo_bytes(path)
        except PhotoError:
            self.photo_error.setVisible(True)
            self.retranslate()
            return False
        self.photo_error.setVisible(False)
        self._photo_file = Path(path)
        self._photo_removed = False
        self._update_preview()
        return True

    # -- internals -----------------------------------------------------------------------------
    def _language_changed(self, _index: int) -> None:
        code = self.language_combo.currentData()
        self.language_chosen.emit(code or "")

    def _choose_photo(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, self.tr("Choose a photo"), str(Path.home()),
            self.tr("Pictures (*.jpg *.jpeg *.png *.webp *.bmp)"))
        if path:
            self.set_photo_file(path)

    def _remove_photo(self) -> None:
        self._photo_file = None
        self._photo_removed = True
        self._update_preview()

    def _update_preview(self) -> None:
        name = self.name_edit.text()
        if self._photo_file is not None:
            from PySide6.QtGui import QPixmap

            pixmap = QPixmap(str(self._photo_file)).scaled(
                AVATAR_PX, AVATAR_PX, Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation)
        else:
            sha = None if self._photo_removed else self._photo_sha
            pixmap = avatar(self._media, sha, name, AVATAR_PX)
        self.photo_preview.setPixmap(pixmap)
        has_photo = self._photo_file is not None or (self._photo_sha and not self._photo_removed)
        self.remove_photo_button.setEnabled(bool(has_photo))


class ProfileDialog(Dialog):
    """The first-run welcome (``welcome=True``), a new profile, or editing one.

    After ``exec()`` returns Accepted, :attr:`profile` is the saved profile."""

    def __init__(self, services: Services, profile: Profile | None = None, *,
                 welcome: bool = False, on_language: Callable[[str], None] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcomeDialog" if welcome else "profileDialog")
        self._services = services
        self._editing = profile
        self._welcome = welcome
        self.profile: Profile | None = None
        layout = self.scrolling_layout()
        layout.setSpacing(12)
        self.title = heading_label(self, 1.6 if welcome else 1.3)
        layout.addWidget(self.title)
        self.intro = text_label(self)
        layout.addWidget(self.intro)
        self.form = ProfileForm(services.media,
                                allow_system_language=not welcome, parent=self)
        # The welcome starts in the language the app speaks now (the computer's, at first).
        self.form.set_values(profile, language_of_locale(QLocale().name()) if welcome else None)
        if on_language is not None:
            self.form.language_chosen.connect(lambda code: on_language(code))
        layout.addWidget(self.form)
        self.error = error_label(self)
        self.error.setObjectName("profileError")
        layout.addWidget(self.error)
        box, self.ok_button, self.cancel_button = ok_cancel_box(self)
        layout.addWidget(box)
        self.form.name_edit.setFocus()
        self.retranslate()
        self.resize(self.sizeHint().expandedTo(self.fontMetrics().size(0, "M" * 48)))

    def retranslate(self) -> None:
        if self._welcome:
            self.setWindowTitle(self.tr("Welcome"))
            self.title.setText(self.tr("Welcome! Let's get you started."))
            self.intro.setText(self.tr(
                "Your lessons and notes are kept on this computer, so they also work without "
                "internet. First tell us who you are. Only your name is needed."))
            self.ok_button.setText(self.tr("&Start"))
            self.cancel_button.setText(self.tr("&Quit"))
        elif self._editing is None:
            self.setWindowTitle(self.tr("New profile"))
            self.title.setText(self.tr("A profile for someone else on this computer"))
            self.intro.setText(self.tr(
                "Everyone who learns on this computer gets their own profile, with their own "
                "progress and private notes."))
            self.ok_button.setText(self.tr("&Create profile"))
            self.cancel_button.setText(self.tr("Cancel"))
        else:
            self.setWindowTitle(self.tr("My profile"))
            self.title.setText(self.tr("My profile"))
            self.intro.setText(self.tr("Change your name, photo or life motto."))
            self.ok_button.setText(self.tr("&Save"))
            self.cancel_button.setText(self.tr("Cancel"))
        self.ok_button.setAccessibleName(self.ok_button.text().replace("&", ""))
        self.cancel_button.setAccessibleName(self.cancel_button.text().replace("&", ""))

    def accept(self) -> None:
        values = self.form.values()
        editing_id = self._editing.id if self._editing else None
        problem = name_problem(self._services.profiles, values.name, editing_id)
        if problem is None:
            try:
                self.profile = save_profile(self._services, values, editing_id)
            except (ProfileError, PhotoError, OSError) as exc:
                problem = self.tr("This could not be saved: %1").replace("%1", str(exc))
        if problem is not None:
            self.error.setText(problem)
            self.error.setVisible(True)
            self.form.name_edit.setFocus()
            return
        super().accept()
