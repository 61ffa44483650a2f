"""Where the keyboard focus goes inside a page that keeps it (the lesson): Tab and Shift+Tab go
round the page's own controls, and a focused control that disappears hands the focus to the next
one on the page, never to the sidebar."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QStackedWidget, QTabWidget, QWidget


def is_tab_stop(widget: QWidget) -> bool:
    """Tab can reach ``widget`` now (shown, enabled, takes focus from Tab)."""
    return (widget.isVisible() and widget.isEnabled() and widget.focusProxy() is None
            and bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus))


def widgets_in_order(root: QWidget) -> list[QWidget]:
    """``root``'s widgets in the order they were made and laid out.

    Not Qt's own focus chain: walking that from Python passes through every widget of the
    window (the menus too), and PySide then lost track of the menus ("already deleted" on the
    next language change)."""
    return root.findChildren(QWidget)


def tab_stops(root: QWidget, regions: list[QWidget]) -> list[QWidget]:
    """The tab stops of ``root``, region by region (each region in its own order)."""
    every = widgets_in_order(root)
    ordered: list[QWidget] = []
    for region in regions:
        ordered += [w for w in every if w is region or region.isAncestorOf(w)]
    return [w for w in ordered if is_tab_stop(w)]


def next_stop(root: QWidget, stops: list[QWidget], focus: QWidget | None,
              forward: bool) -> QWidget | None:
    """The stop after (or before) ``focus``, going round; for a focus that is no stop (just
    hidden, or outside), the first stop after its place among ``root``'s widgets."""
    if not stops:
        return None
    step = 1 if forward else -1
    if focus in stops:
        return stops[(stops.index(focus) + step) % len(stops)]
    every = widgets_in_order(root)
    if focus in every:
        at = every.index(focus)
        for i in range(1, len(every)):
            candidate = every[(at + step * i) % len(every)]
            if candidate in stops:
                return candidate
    return stops[0] if forward else stops[-1]


class FocusKeeper:
    """The keyboard focus of a page made of a stack (the lesson's player, end and quiz) and
    tabs beside it (notes, trainer, discussion).

    Switching the stack moves the focus on purpose when it was on the part that goes away (to
    the new part's first control, through ``focus_page(index)``); focus in the tabs stays, the
    person is typing there. Tab and Shift+Tab go round the stack's part, the open tab's page
    and the tab titles, never out to the sidebar."""

    def __init__(self, root: QWidget, stack: QStackedWidget, tabs: QTabWidget,
                 focus_page: Callable[[int], None]) -> None:
        self.root, self.stack, self.tabs, self._focus_page = root, stack, tabs, focus_page

    def show_page(self, index: int) -> None:
        focus = QApplication.focusWidget()
        on_stack = focus is None or focus is self.root or self.stack.isAncestorOf(focus)
        self.stack.setCurrentIndex(index)
        if on_stack and self.root.isVisible():
            self._focus_page(index)

    def order(self) -> list[QWidget]:
        """The widgets Tab visits, in order: the stack's part, the open tab's page, the tab
        titles. Only what can be reached now."""
        regions: list[QWidget] = [self.stack]
        if self.tabs.currentWidget() is not None:
            regions.append(self.tabs.currentWidget())
        regions.append(self.tabs.tabBar())
        return tab_stops(self.root, regions)

    def step(self, forward: bool) -> bool:
        """Move the focus to the next (or previous) stop; False when there is none (the root
        is hidden), for Qt's own handling. Qt also asks this when the focused widget is hidden
        (the video ended, a quiz button went away): the focus then stays on the page."""
        if not self.root.isVisible():
            return False
        target = next_stop(self.root, self.order(), QApplication.focusWidget(), forward)
        if target is None:
            return False
        target.setFocus(Qt.FocusReason.TabFocusReason if forward
                        else Qt.FocusReason.BacktabFocusReason)
        return True
