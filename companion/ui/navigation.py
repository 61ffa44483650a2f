"""How screens ask to go somewhere without knowing each other: they emit a request on the
navigator; the main window (the shell) owns the screens and routes the request."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget


class Navigator(QObject):
    home_requested = Signal()
    library_requested = Signal(str)              # pack id, or "" for all packs
    lesson_requested = Signal(str, list, float)  # lesson id, playlist of lesson ids after it,
    #                                              start second (-1: the saved position)
    search_requested = Signal(str)               # initial query
    notes_requested = Signal()                   # the page with all notes
    import_requested = Signal(list)              # .cpack paths to import (list of str);
    #                                              an empty list: ask the person for a file
    notice_requested = Signal(str)               # a quiet line in the status bar ("" clears)
    downloads_requested = Signal()               # the page with the packs the hub offers
    connect_requested = Signal()                 # the "Connect to your group" dialog
    notifications_requested = Signal()           # the Notifications page (the bell)
    group_requested = Signal()                   # the My group page
    discussion_requested = Signal(str, str)      # lesson id, comment id ("": the newest)
    edit_profile_requested = Signal()            # the "Edit my profile" dialog

    def home(self) -> None:
        self.home_requested.emit()

    def library(self, pack_id: str = "") -> None:
        self.library_requested.emit(pack_id)

    def lesson(self, lesson_id: str, playlist: list[str] | None = None,
               start_s: float = -1.0) -> None:
        self.lesson_requested.emit(lesson_id, list(playlist or []), float(start_s))

    def search(self, query: str = "") -> None:
        self.search_requested.emit(query)

    def notes(self) -> None:
        self.notes_requested.emit()

    def downloads(self) -> None:
        self.downloads_requested.emit()

    def connect_group(self) -> None:
        """Ask for the "Connect to your group" dialog (the shell owns it)."""
        self.connect_requested.emit()

    def notifications(self) -> None:
        self.notifications_requested.emit()

    def group(self) -> None:
        self.group_requested.emit()

    def edit_profile(self) -> None:
        self.edit_profile_requested.emit()

    def discussion(self, lesson_id: str, comment_id: str = "") -> None:
        """Open a lesson with its discussion shown, at ``comment_id`` when given."""
        self.discussion_requested.emit(lesson_id, comment_id)

    def import_packs(self, paths: list[str]) -> None:
        self.import_requested.emit([str(p) for p in paths])

    def notice(self, text: str) -> None:
        """Show one quiet line in the status bar (e.g. "Playing with the built-in player")."""
        self.notice_requested.emit(str(text))


class NavigationList(QListWidget):
    """The sidebar's list of places. It goes somewhere only when the person asks for it: a
    click, Enter, or moving through the list with the keys. Getting focus is not asking: focus
    lands here when Tab passes by or when a focused widget elsewhere disappears, and the item
    view then makes its first row current, which used to throw the person out of a lesson onto
    Home."""

    #: (screen key, whether to move the focus into that page). A click or Enter means "take me
    #: there"; stepping with the arrow keys keeps the focus in the list so the next step works.
    chosen = Signal(str, bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.itemClicked.connect(lambda item: self._choose(item, True))
        self.itemActivated.connect(lambda item: self._choose(item, True))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        before = self.currentRow()
        super().keyPressEvent(event)
        item = self.currentItem()
        if item is not None and self.currentRow() != before:
            self._choose(item, False)

    def _choose(self, item: QListWidgetItem | None, focus_page: bool) -> None:
        if item is not None:
            self.chosen.emit(str(item.data(Qt.ItemDataRole.UserRole)), focus_page)
