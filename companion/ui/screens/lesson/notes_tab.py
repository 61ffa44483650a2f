"""The lesson's "Notes" tab: the person's own notes beside the video, the "Insert time" button and
the quiet "saved" line. The page owns the player; this tab asks it for the time and the seek."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from companion.ui.screens.lesson.notes_editor import NotesAutosave, NotesEdit
from companion.ui.screens.widgets import big_button, text_label
from companion.ui.theme import relative_min_height

translate = QCoreApplication.translate  # the name pyside6-lupdate looks for

# The texts kept their "LessonScreen" context when the tab left the page: the translations
# already made for them stay valid.
_CONTEXT = "LessonScreen"


class NotesTab(QWidget):
    """``insert_time_requested`` when the button is pressed (the page knows the video time),
    ``time_clicked(seconds)`` for a time clicked in the notes, ``saved`` after each save."""

    insert_time_requested = Signal()
    time_clicked = Signal(float)
    saved = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        box = QVBoxLayout(self)
        box.setContentsMargins(6, 6, 6, 6)
        row = QHBoxLayout()
        self.insert_time_button = big_button("", height_em=2.0)
        self.insert_time_button.clicked.connect(self.insert_time_requested)
        row.addWidget(self.insert_time_button)
        row.addStretch(1)
        self.saved_label = QLabel()  # one short line, never wrapped
        row.addWidget(self.saved_label)
        box.addLayout(row)
        self.notes_edit = NotesEdit()
        self.notes_edit.time_clicked.connect(self.time_clicked)
        relative_min_height(self.notes_edit, 2.0)  # short, below the video at large text
        box.addWidget(self.notes_edit, 1)
        self.privacy = text_label()
        self.privacy.setEnabled(False)  # quiet, greyed
        box.addWidget(self.privacy)

        self.autosave = NotesAutosave(self.notes_edit.toPlainText, lambda _text: None, self)
        self.autosave.state_changed.connect(self._show_save_state)
        self.notes_edit.textChanged.connect(self._edited)
        self.notes_edit.focus_lost.connect(self.autosave.flush)
        self._loading = False
        self._open = False  # edits before a lesson is opened have nowhere to go

    def retranslate(self) -> None:
        self.insert_time_button.setText(translate(_CONTEXT, "Insert time (Ctrl+T)"))
        self.insert_time_button.setAccessibleName(
            translate(_CONTEXT, "Insert the current video time in your notes"))
        self.notes_edit.setPlaceholderText(translate(
            _CONTEXT,
            "Type your notes here. They are kept automatically.\n"
            "Press “Insert time” to mark the moment in the video; click a time to jump "
            "back to it."))
        self.notes_edit.setAccessibleName(translate(_CONTEXT, "My notes for this lesson"))
        self.privacy.setText(translate(_CONTEXT, "Only you can see your notes."))
        self._show_save_state("saved" if not self.autosave.dirty else "editing")

    def load(self, text: str, save: Callable[[str], None]) -> None:
        """Show a lesson's notes ``text``; later edits are kept with ``save(text)``."""
        self._loading = True
        try:
            self.notes_edit.setPlainText(text)
        finally:
            self._loading = False
        self._open = True
        self.autosave.reset(save)
        self._show_save_state("saved")

    def close_lesson(self) -> None:
        """The lesson was left: keep what was typed, and take no edits until the next one."""
        self.autosave.flush()
        self._open = False

    def insert_time(self, seconds: float) -> None:
        self.notes_edit.insert_time(seconds)

    def _edited(self) -> None:
        if not self._loading and self._open:
            self.autosave.edited()

    def _show_save_state(self, state: str) -> None:
        text = {"saved": translate(_CONTEXT, "✓ Saved"),
                "editing": translate(_CONTEXT, "Saving…"),
                "failed": translate(_CONTEXT, "Not saved yet: trying again")}.get(state, "")
        self.saved_label.setText(text)
        if state == "saved" and self._open and self.autosave.saves:
            self.saved.emit()
