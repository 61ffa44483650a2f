"""How screens ask to go somewhere without knowing each other: they emit a request on the
navigator; the main window (the shell) owns the screens and routes the request."""

from __future__ import annotations

from PySide6.QtCore import QObject, QSize, Qt, Signal
from PySide6.QtGui import QFontMetrics, QKeyEvent
from PySide6.QtWidgets import QApplication, QListWidget, QListWidgetItem, QWidget

from companion.ui.theme import FOCUS_RING_PX, focus_colour

#: The person's choice for the sidebar, per profile: "" (follow the window: icons only when it
#: is narrow for the text size), "icons" or "names".
SIDEBAR_PREF = "sidebar"
SIDEBAR_CHOICES = ("", "icons", "names")
#: What the screens need beside the sidebar, in line heights of the current text (about 55
#: average characters): at 1024 px wide that leaves the names at 100% and takes them at 200%.
CONTENT_LINES = 24


def sidebar_compact(window_width: int, names_width: int, line: int, choice: str) -> bool:
    """Whether the sidebar shows its icons alone: as the person chose, else when the screens
    would keep less than :data:`CONTENT_LINES` lines of width beside the sidebar with names.
    The rule measures the sidebar with its names whatever it shows now, so it cannot flip
    back and forth at one window width."""
    if choice == "icons":
        return True
    if choice == "names":
        return False
    return window_width - names_width < line * CONTENT_LINES


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
        self.compact = False
        self.names_width = 0  # the width with the names shown (measured in :meth:`fit`)
        self.compact_width = 0
        self.itemClicked.connect(lambda item: self._choose(item, True))
        self.itemActivated.connect(lambda item: self._choose(item, True))

    def set_labels(self, labels: dict[str, str]) -> None:
        """The places' names (``labels[key]``), said by screen readers in both looks."""
        for row in range(self.count()):
            item = self.item(row)
            label = labels[str(item.data(Qt.ItemDataRole.UserRole))]
            item.setData(Qt.ItemDataRole.AccessibleTextRole, label)
        self.fit()

    def label(self, row: int) -> str:
        return str(self.item(row).data(Qt.ItemDataRole.AccessibleTextRole) or "")

    def compact_for(self, window_width: int, choice: str) -> bool:
        """Whether a window this wide shows the icons alone, at the current text size."""
        line = QFontMetrics(QApplication.font()).height()
        return sidebar_compact(window_width, self.names_width, line, choice)

    def set_compact(self, compact: bool) -> None:
        if compact != self.compact:
            self.compact = compact
            self.fit()

    def fit(self) -> None:
        """Big rows and icons that grow with the text; as wide as the longest name, or as the
        icons when compact (the name then shows as the row's tooltip)."""
        metrics = QFontMetrics(QApplication.font())
        line = metrics.height()
        icon_px = round(line * 1.5)
        # Compact rows are lower too: six of them and the bell fit 768 px at 200% unscrolled.
        pad = round(line * (0.25 if self.compact else 0.45))
        self.setIconSize(QSize(icon_px, icon_px))
        self.setStyleSheet(
            "QListWidget#navigation { border: none; border-right: 1px solid palette(mid);"
            " background: palette(base); outline: 0; }"
            f"QListWidget#navigation::item {{ padding: {pad}px; margin: 2px 6px;"
            " border-radius: 6px; }"
            "QListWidget#navigation::item:selected { background: palette(highlight);"
            " color: palette(highlighted-text); }"
            # The keyboard focus must show here too (the rows' own focus frame is off).
            f"QListWidget#navigation:focus {{ border: {FOCUS_RING_PX}px solid"
            f" {focus_colour().name()}; border-radius: 6px; }}")
        labels = [self.label(row) for row in range(self.count())]
        widest = max((metrics.horizontalAdvance(t) for t in labels), default=line * 6)
        self.names_width = widest + icon_px + 4 * pad + line + 12
        for row, label in enumerate(labels):
            item = self.item(row)
            item.setText("" if self.compact else label)
            item.setToolTip(label if self.compact else "")
        # Compact: the icon, its padding, the row's margins and room for the focus ring.
        self.compact_width = icon_px + 2 * pad + 12 + 2 * FOCUS_RING_PX + 4
        self.setFixedWidth(self.compact_width if self.compact else self.names_width)
        self.updateGeometries()

    def updateGeometries(self) -> None:
        super().updateGeometries()
        if self.compact:  # a window too low for the rows: room for the scroll bar as well
            bar = self.verticalScrollBar()
            extra = bar.sizeHint().width() if bar.maximum() > 0 else 0
            self.setFixedWidth(self.compact_width + extra)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        before = self.currentRow()
        super().keyPressEvent(event)
        item = self.currentItem()
        if item is not None and self.currentRow() != before:
            self._choose(item, False)

    def _choose(self, item: QListWidgetItem | None, focus_page: bool) -> None:
        if item is not None:
            self.chosen.emit(str(item.data(Qt.ItemDataRole.UserRole)), focus_page)
