"""Keeping the "My groups" page usable at 1024x768 with the largest text: a compact tab picker
that stands in for the tab bar when the tabs' names do not fit side by side, and a table whose
less needed columns step aside (and long texts are cut short, whole in the tooltip) instead of
the page scrolling sideways. The trainer can show or hide any column from the header's menu."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPoint, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QComboBox, QMenu, QTableView, QTabWidget

translate = QCoreApplication.translate  # the name pyside6-lupdate looks for


class TabPicker(QComboBox):
    """A list of the tabs' names, shown instead of the tab bar when the names need more room
    than the page has (Qt's scroll arrows hid half of the tabs behind a sideways scroll)."""

    def __init__(self, tabs: QTabWidget) -> None:
        super().__init__()
        self.setObjectName("groupsTabPicker")
        self.tabs = tabs
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.hide()
        tabs.currentChanged.connect(self._tab_changed)
        self.currentIndexChanged.connect(self._picked)
        tabs.installEventFilter(self)

    def refill(self) -> None:
        """Takes the tabs' names again (after a change of language)."""
        self.blockSignals(True)
        self.clear()
        for i in range(self.tabs.count()):
            self.addItem(self.tabs.tabText(i))
        self.setCurrentIndex(self.tabs.currentIndex())
        self.blockSignals(False)
        self.fit()

    def fits(self) -> bool:
        bar = self.tabs.tabBar()
        needed = sum(bar.tabSizeHint(i).width() for i in range(bar.count()))
        return needed <= self.tabs.width()

    def fit(self) -> None:
        compact = not self.fits()
        self.tabs.tabBar().setVisible(not compact)
        self.setVisible(compact)

    def _tab_changed(self, index: int) -> None:
        if self.currentIndex() != index:
            self.blockSignals(True)
            self.setCurrentIndex(index)
            self.blockSignals(False)

    def _picked(self, index: int) -> None:
        if index >= 0:
            self.tabs.setCurrentIndex(index)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.tabs and event.type() in (QEvent.Type.Resize,
                                                     QEvent.Type.FontChange):
            self.fit()
        return False


class FittingTableView(QTableView):
    """A table that tells its ColumnFitter when it (or its viewport: Qt hands the viewport's
    resize to the view's resizeEvent) changes size. An override and not an event filter: a
    filter on the viewport was called while the view was being torn down, and crashed."""

    fitter: ColumnFitter | None = None

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.fitter is not None:
            self.fitter.fit()


class ColumnFitter(QObject):
    """Fits a table's columns to its width: each column at most ``cap`` of the width (the text
    is cut short with "…"), and the columns named in ``optional`` hidden, first one first, while
    the rest does not fit. A column the trainer shows or hides from the header's menu stays so."""

    def __init__(self, view: FittingTableView, optional: Sequence[int],
                 cap: float = 0.45) -> None:
        super().__init__(view)
        self.view = view
        self.optional = list(optional)
        self.cap = cap
        self.natural: dict[int, int] = {}
        self.chosen: dict[int, bool] = {}  # column -> shown, as the trainer chose
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = view.horizontalHeader()
        # Left-aligned, a cut header reads "Afgewe…" instead of losing both of its ends.
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setTextElideMode(Qt.TextElideMode.ElideRight)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._menu)
        view.fitter = self

    def measure(self) -> None:
        """The width each column would like (once per report: measuring costs time)."""
        header = self.view.horizontalHeader()
        model = self.view.model()
        self.natural = {
            c: max(self.view.sizeHintForColumn(c), header.sectionSizeHint(c))
            for c in range(model.columnCount() if model is not None else 0)
        }
        self.fit()

    def fit(self) -> None:
        if not self.natural:
            return
        header = self.view.horizontalHeader()
        room = self.view.viewport().width()
        cap = max(80, int(room * self.cap))
        width = {c: min(w, cap) for c, w in self.natural.items()}
        shown = {c: self.chosen.get(c, True) for c in width}
        for c in self.optional:
            if sum(width[x] for x in width if shown[x]) <= room:
                break
            if c in shown and c not in self.chosen:
                shown[c] = False
        # Still too wide: the widest columns are cut short to one common width, so that the
        # narrow figures keep theirs (shrinking all alike cut a lesson's title to "L…").
        squeeze = level(sorted(width[x] for x in width if shown[x]), room)
        width = {c: max(48, min(w, squeeze)) for c, w in width.items()}
        for c, w in width.items():
            header.setSectionHidden(c, not shown[c])
            header.resizeSection(c, w)

    def _menu(self, pos: QPoint) -> None:
        self.menu(pos).popup(self.view.horizontalHeader().mapToGlobal(pos))

    def menu(self, pos: QPoint | None = None) -> QMenu:
        """The header's menu: every column with a tick when it is shown."""
        header = self.view.horizontalHeader()
        model = self.view.model()
        menu = QMenu(self.view)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.addSection(translate("GroupsPage", "Columns"))
        for c in range(1, model.columnCount()):  # the name always stays
            action = menu.addAction(str(model.headerData(c, Qt.Orientation.Horizontal)))
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(c))
            action.toggled.connect(lambda on, c=c: self.choose(c, on))
        return menu

    def choose(self, column: int, shown: bool) -> None:
        self.chosen[column] = shown
        self.fit()


def level(widths: list[int], room: int) -> int:
    """The widest a column may be so that ``widths`` (sorted) fit in ``room`` together."""
    rest = room
    for i, w in enumerate(widths):
        share = rest // (len(widths) - i)
        if w > share:
            return share
        rest -= w
    return max(widths, default=room)
