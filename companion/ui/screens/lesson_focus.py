"""Where the keyboard focus goes inside a page that keeps it (the lesson): Tab and Shift+Tab go
round the page's own controls, and a focused control that disappears hands the focus to the next
one on the page, never to the sidebar."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget


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
