"""Keeping the "My groups" page usable at 1024x768 with the largest text: a compact tab picker
that stands in for the tab bar when the tabs' names do not fit side by side, a row of controls
whose last one goes under the others when they do not fit beside each other, and a table whose
most important column keeps a readable width while the figures shrink to their content and the
less needed columns step aside (long texts are cut short, whole in the tooltip) instead of the
page scrolling sideways. The trainer can show or hide any column from the header's menu."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPoint, QSize, Qt, QTimer
from PySide6.QtGui import QHelpEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHeaderView,
    QLayout,
    QMenu,
    QTableView,
    QTabWidget,
    QToolTip,
    QWidget,
)

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


class WrappingRow(QWidget):
    """``widgets`` side by side, the first one taking what is left, and ``last`` beside them
    when it fits, else on a line of its own under them (the tab picker beside the group and
    the period; "Only who needs help" beside the search field). The first widget must keep
    ``first_lines`` line heights of width before ``last`` may come beside it."""

    def __init__(self, widgets: Sequence[QWidget], last: QWidget, first_lines: float,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.widgets = list(widgets)
        self.last = last
        self.first_lines = first_lines
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        # The row says its own minimum (the narrower, two-line one): the grid's would be the
        # side-by-side sum and would keep the window from getting narrower.
        self.grid.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        for i, widget in enumerate(self.widgets):
            self.grid.addWidget(widget, 0, i)
        self.grid.setColumnStretch(0, 1)
        self.beside: bool | None = None
        self._place(True)

    def needed(self) -> int:
        """The width for all of them on one line."""
        first = self.widgets[0]
        shown = [w for w in (*self.widgets[1:], self.last) if not w.isHidden()]
        spacing = max(0, self.grid.horizontalSpacing())
        return (max(first.minimumSizeHint().width(),
                    round(first.fontMetrics().height() * self.first_lines))
                + sum(w.sizeHint().width() + spacing for w in shown))

    def _place(self, beside: bool) -> None:
        if beside == self.beside:
            return
        self.beside = beside
        self.grid.removeWidget(self.last)
        if beside:
            self.grid.addWidget(self.last, 0, len(self.widgets))
        else:
            self.grid.addWidget(self.last, 1, 0, 1, len(self.widgets),
                                Qt.AlignmentFlag.AlignLeft)
        self.updateGeometry()

    def fit(self) -> None:
        self._place(self.needed() <= self.width())

    def minimumSizeHint(self) -> QSize:
        spacing = max(0, self.grid.horizontalSpacing())
        line = (self.widgets[0].minimumSizeHint().width()
                + sum(w.sizeHint().width() + spacing for w in self.widgets[1:]
                      if not w.isHidden()))
        width = max(line, 0 if self.last.isHidden() else self.last.sizeHint().width())
        return QSize(width, self.grid.minimumSize().height())

    def sizeHint(self) -> QSize:
        return self.minimumSizeHint().expandedTo(self.grid.sizeHint())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit()

    def event(self, event: QEvent) -> bool:
        # A widget shown or hidden (the tab picker), or a new text size: measure again.
        if event.type() == QEvent.Type.LayoutRequest:
            self.fit()
        return super().event(event)


class FittingHeader(QHeaderView):
    """A table header whose cut titles ("Bekek…") show whole in a tooltip."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setSectionsClickable(True)
        self.setHighlightSections(True)

    def viewportEvent(self, event: QEvent) -> bool:
        model = self.model()
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent) \
                and model is not None:
            section = self.logicalIndexAt(event.pos())
            text = model.headerData(section, self.orientation()) if section >= 0 else None
            if text and self.sectionSize(section) < self.sectionSizeFromContents(
                    section).width():
                QToolTip.showText(event.globalPos(), str(text), self)
                return True
        return super().viewportEvent(event)


class FittingTableView(QTableView):
    """A table that tells its ColumnFitter when it (or its viewport: Qt hands the viewport's
    resize to the view's resizeEvent) changes size. An override and not an event filter: a
    filter on the viewport was called while the view was being torn down, and crashed."""

    fitter: ColumnFitter | None = None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHorizontalHeader(FittingHeader(self))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        # Another text size or language: the titles and cells have other widths. Only a
        # table measured before (a report is in); the first report measures it anyway.
        # Measured once the header and the cells have all taken the change.
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.LanguageChange) \
                and self.fitter is not None and (self.fitter.natural or self.fitter.stale):
            QTimer.singleShot(0, self, self._measure_again)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.fitter is not None and self.fitter.stale:
            self.fitter.measure()

    def _measure_again(self) -> None:
        if self.fitter is not None:
            self.fitter.measure()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.fitter is not None:
            self.fitter.fit()


#: The narrowest a column gets (a figure, or the start of a word and "…").
MIN_COLUMN = 48


class ColumnFitter(QObject):
    """Fits a table's columns to its width. The first column (a learner's name, a lesson's
    title) is the one the trainer reads: it keeps ``readable`` average characters (or its
    whole text, when shorter) before any other column is given room. The other columns get at
    most ``cap`` of the width; while they do not fit, the columns named in ``optional`` are
    hidden, first one first, then the figures shrink to their content (their titles are cut
    short, whole in the tooltip), then the widest texts are cut to one common width. A column
    the trainer shows or hides from the header's menu stays so."""

    def __init__(self, view: FittingTableView, optional: Sequence[int],
                 cap: float = 0.45, readable: int = 20) -> None:
        super().__init__(view)
        self.view = view
        self.optional = list(optional)
        self.cap = cap
        self.readable = readable
        self.natural: dict[int, int] = {}  # content or title, whichever is wider
        self.content: dict[int, int] = {}  # the cells alone
        self.stale = False  # to measure when the table shows
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
        """The width each column would like (once per report: measuring costs time). A table
        that has never been shown measures its titles too narrow: it measures when it shows."""
        if not self.view.isVisible():
            self.stale = True
            return
        self.stale = False
        header = self.view.horizontalHeader()
        model = self.view.model()
        columns = range(model.columnCount() if model is not None else 0)
        self.content = {c: self.view.sizeHintForColumn(c) for c in columns}
        self.natural = {c: max(self.content[c], header.sectionSizeHint(c)) for c in columns}
        self.fit()

    def fit(self) -> None:
        if not self.natural:
            return
        header = self.view.horizontalHeader()
        room = self.view.viewport().width()
        readable = self.view.fontMetrics().averageCharWidth() * self.readable
        width, shown = fit_columns(self.natural, self.content, room, self.optional,
                                   self.chosen, readable, self.cap)
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


def fit_columns(natural: dict[int, int], content: dict[int, int], room: int,
                optional: Sequence[int], chosen: dict[int, bool], readable: int,
                cap: float = 0.45) -> tuple[dict[int, int], dict[int, bool]]:
    """The width of each column and whether it shows (see :class:`ColumnFitter`); column 0
    is the one that matters most. Plain numbers in and out, so the rule is tested alone."""
    if not natural:
        return {}, {}
    first = min(natural)
    most = max(80, int(room * cap))
    width = {c: min(w, most) for c, w in natural.items()}
    # The name or title: readable (or whole, when shorter) before anything else.
    width[first] = min(natural[first], max(most, readable))
    shown = {c: chosen.get(c, True) for c in width}
    shown[first] = True

    def total() -> int:
        return sum(width[c] for c in width if shown[c])

    for c in optional:
        if total() <= room:
            break
        if c in shown and c not in chosen:
            shown[c] = False
    others = [c for c in width if shown[c] and c != first]
    # The figures down to their content: a title such as "Viewers" is cut ("Vie…", whole in
    # the header's tooltip) before a single cell is.
    least = {c: max(MIN_COLUMN, min(width[c], content.get(c, width[c]))) for c in others}
    slack = sum(width[c] - least[c] for c in others)
    if total() > room and slack > 0:
        over = min(total() - room, slack)
        for c in others:
            width[c] -= -(-over * (width[c] - least[c]) // slack)  # rounded up: it fits
    # Still too wide: the widest of the other columns are cut short to one common width, so
    # that the narrow figures keep theirs (shrinking all alike cut a title to "L…").
    if total() > room:
        squeeze = level(sorted(width[c] for c in others), room - width[first])
        for c in others:
            width[c] = max(MIN_COLUMN, min(width[c], squeeze))
    if total() > room:  # a very narrow table: the first column gives way last
        width[first] = max(MIN_COLUMN, width[first] - (total() - room))
    elif width[first] < natural[first]:  # room to spare goes to the name first
        width[first] = min(natural[first], width[first] + room - total())
    return width, shown


def level(widths: list[int], room: int) -> int:
    """The widest a column may be so that ``widths`` (sorted) fit in ``room`` together."""
    rest = room
    for i, w in enumerate(widths):
        share = rest // (len(widths) - i)
        if w > share:
            return share
        rest -= w
    return max(widths, default=room)
