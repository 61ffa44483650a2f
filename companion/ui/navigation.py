"""How screens ask to go somewhere without knowing each other: they emit a request on the
navigator; the main window (the shell) owns the screens and routes the request."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


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

    def import_packs(self, paths: list[str]) -> None:
        self.import_requested.emit([str(p) for p in paths])

    def notice(self, text: str) -> None:
        """Show one quiet line in the status bar (e.g. "Playing with the built-in player")."""
        self.notice_requested.emit(str(text))
