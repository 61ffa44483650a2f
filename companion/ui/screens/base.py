"""The base class of the app's pages: refresh on a change, but only when shown."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QTimer
from PySide6.QtWidgets import QWidget

from companion.ui.context import AppContext
from companion.ui.navigation import Navigator
from companion.ui.redraw import Redraw
from companion.ui.screens.hooks import ScreenHooks


class Screen(ScreenHooks):
    """A page of the app. Subclasses set ``WATCHES`` (the :class:`Redraw` flags they show) and
    implement :meth:`reload`; a change while hidden only marks the page stale, so hidden pages
    cost nothing while a video plays."""

    WATCHES: tuple[str, ...] = ("packs", "progress", "profile")

    def __init__(self, ctx: AppContext, nav: Navigator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.nav = nav
        self._stale = True
        self._pending = QTimer(self)
        self._pending.setSingleShot(True)
        self._pending.setInterval(0)  # several announcements in one go: one reload
        self._pending.timeout.connect(self.refresh)
        ctx.bus.changed.connect(self._on_changed)

    def cares_about(self, changes: Redraw) -> bool:
        return any(getattr(changes, flag) for flag in self.WATCHES)

    def _on_changed(self, changes: Redraw) -> None:
        if not self.cares_about(changes):
            return
        self._stale = True
        if self.isVisible():
            self._pending.start()

    def refresh(self) -> None:
        """Redraw from the library now."""
        self._stale = False
        self.reload()

    def reload(self) -> None:
        raise NotImplementedError

    def showEvent(self, event: QEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def retranslate(self) -> None:
        """Set the fixed texts (again after the language changed)."""

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            self._stale = True  # the texts made from data are redone by a reload
            if self.isVisible():
                self._pending.start()
