"""Full screen for the player without moving it to another window.

libvlc draws into the native window it was given when playback started; reparenting the player
into a window of its own would leave libvlc drawing into a window that is gone (a black
picture, and a hang when the player stops). So the player stays where it is: its window goes
full screen and everything in that window around the player is hidden, then shown again.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QMargins, QObject, Qt
from PySide6.QtWidgets import QLayout, QWidget


class FullScreenSwitch(QObject):
    def __init__(self, widget: QWidget, on_left: object = None) -> None:
        super().__init__(widget)
        self._widget = widget
        self._on_left = on_left  # called when the window manager ends full screen by itself
        self._hidden: list[QWidget] = []
        self._layouts: list[tuple[QLayout, QMargins, int]] = []
        self._window: QWidget | None = None
        self._window_state = Qt.WindowState.WindowNoState

    def active(self) -> bool:
        return self._window is not None

    def enter(self) -> None:
        if self._window is not None:
            return
        window = self._widget.window()
        child = self._widget
        while child is not window:
            parent = child.parentWidget()
            if parent is None:
                break
            for sibling in parent.findChildren(QWidget, options=Qt.FindChildOption
                                               .FindDirectChildrenOnly):
                if sibling is not child and not sibling.isWindow() and not sibling.isHidden():
                    sibling.hide()
                    self._hidden.append(sibling)
            layout = parent.layout()
            if layout is not None:
                self._layouts.append((layout, layout.contentsMargins(), layout.spacing()))
                layout.setContentsMargins(0, 0, 0, 0)
                layout.setSpacing(0)
            child = parent
        self._window = window
        self._window_state = window.windowState()
        window.installEventFilter(self)
        window.showFullScreen()
        window.activateWindow()

    def leave(self) -> None:
        window = self._window
        if window is None:
            return
        self._window = None
        window.removeEventFilter(self)
        for layout, margins, spacing in reversed(self._layouts):
            layout.setContentsMargins(margins)
            layout.setSpacing(spacing)
        for widget in reversed(self._hidden):
            widget.show()
        self._hidden.clear()
        self._layouts.clear()
        if window.isFullScreen():
            window.setWindowState(self._window_state & ~Qt.WindowState.WindowFullScreen)
            window.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() == QEvent.Type.WindowStateChange \
                and not self._window.isFullScreen() and not self._window.isMinimized():
            self.leave()
            if callable(self._on_left):
                self._on_left()
        return False
