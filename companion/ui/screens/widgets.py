"""The building blocks of the pages: fonts relative to the app's text size, titles, wrapping
labels, big buttons, pages that scroll, and lists that open on one click or Enter."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFrame,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from companion.ui.theme import apply_relative_sizes, relative_font, relative_min_height


def scaled(widget: QWidget, factor: float = 1.0, *, bold: bool = False) -> QWidget:
    """Give ``widget`` a font ``factor`` times the application font (kept when it changes)."""
    return relative_font(widget, factor, bold=bold)


def refresh_sizes(root: QWidget) -> None:
    """Re-apply relative fonts and heights under ``root`` after the app's text size changed."""
    apply_relative_sizes(root)


def heading(text: str, factor: float = 1.5, parent: QWidget | None = None) -> QLabel:
    """A bold title line, ``factor`` times the normal text size."""
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    scaled(label, factor, bold=True)
    return label


def text_label(text: str = "", parent: QWidget | None = None, factor: float = 1.0) -> QLabel:
    """A wrapping plain-text label (content is never read as HTML)."""
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    if factor != 1.0:
        scaled(label, factor)
    return label


def big_button(text: str, accessible: str | None = None, parent: QWidget | None = None,
               *, primary: bool = False, height_em: float = 2.4) -> QPushButton:
    """A button with a large click target (``height_em`` lines of text high). Its text is its
    accessible name unless ``accessible`` says more."""
    button = QPushButton(text, parent)
    if accessible:
        button.setAccessibleName(accessible)
    if primary:
        button.setDefault(True)
        scaled(button, 1.15, bold=True)
    relative_min_height(button, height_em)
    button.setCursor(Qt.CursorShape.PointingHandCursor)
    button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
    return button


class VerticalScroll(QScrollArea):
    """``content`` that scrolls up and down when it is taller than the room it gets (the
    lesson's end and quiz below the video at the largest text), instead of its controls being
    squeezed over one another. It wraps to its width, takes no Tab stop of its own, and keeps
    the focused control in sight (Tab onto a button below the fold)."""

    def __init__(self, content: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setWidget(content)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._follow_focus)

    def _follow_focus(self, _old: QWidget | None, new: QWidget | None) -> None:
        content = self.widget()
        if new is not None and content is not None and content.isAncestorOf(new):
            self.ensureWidgetVisible(new)


def scrolling_page(page: QWidget, spacing: int) -> QVBoxLayout:
    """Give ``page`` a body that scrolls when it is longer than the window (large text, long
    lists), with the pages' margins; returns the body's layout to fill."""
    outer = QVBoxLayout(page)
    outer.setContentsMargins(0, 0, 0, 0)
    scroll = QScrollArea(page)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    outer.addWidget(scroll)
    body = QWidget()
    scroll.setWidget(body)
    layout = QVBoxLayout(body)
    layout.setContentsMargins(32, 24, 32, 24)
    layout.setSpacing(spacing)
    return layout


def open_on_click_or_enter(view: QAbstractItemView,
                           handler: Callable[[QModelIndex], None]) -> None:
    """Call ``handler`` on a single click or on Enter, once (a double-click is also a click)."""
    last: dict[str, object] = {"row": None, "at": 0.0}

    def fire(index: QModelIndex) -> None:
        now = time.monotonic()
        key = (index.row(), index.parent().row(), index.parent().parent().row())
        if last["row"] == key and now - float(last["at"]) < 0.6:  # type: ignore[arg-type]
            return
        last["row"], last["at"] = key, now
        handler(index)

    view.clicked.connect(fire)
    view.activated.connect(fire)
