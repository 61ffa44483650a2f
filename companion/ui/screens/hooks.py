"""What the shell (``ui/main_window.py``) may ask of a screen, as typed no-op hooks.

Every screen inherits them through :class:`~companion.ui.screens.base.Screen`, so the shell
calls them without asking first whether a screen has them; a screen overrides the ones that
concern it. A new request from the shell to the screens is a new hook here, documented, with
its no-op default: then the contract is in one place and a type checker can see it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from companion.ui.sync_ui import SyncController


class ScreenHooks(QWidget):
    """The shell-to-screen contract. Each hook does nothing unless a screen overrides it."""

    #: One line for the status bar about work this page does in the background, whatever
    #: page is shown ("Downloading “Bakken” · 45%"), or "" when there is nothing to say. The
    #: shell listens to the downloads page's.
    activity_changed = Signal(str)

    #: The page's sidebar entry may have to appear or go: the shell asks
    #: :meth:`shows_nav_entry` again.
    nav_entry_changed = Signal()

    def shows_nav_entry(self) -> bool:
        """Whether the sidebar lists this page for the current profile ("My groups" only for
        an account that trains a group)."""
        return True

    def activity_text(self) -> str:
        """The current :attr:`activity_changed` line (the shell shows it at start)."""
        return ""

    def attach_sync(self, controller: SyncController) -> None:
        """Once the sync controller exists (after the screens): where the hub login is kept,
        whether the hub answers. The downloads page needs it."""

    def leave(self) -> None:
        """Another page is about to be shown, or the profile changes, or the window closes:
        keep what must survive (the lesson saves its position, notes and played stretch)."""

    def window_closing(self) -> None:
        """The window closes: stop background work cleanly (a running download pauses; its
        partial files stay for the next start)."""

    def open_lesson(self, lesson_id: str, playlist: list[str], start_s: float) -> None:
        """``Navigator.lesson_requested``: play this lesson (the lesson page), with the rest
        of ``playlist`` to follow, from ``start_s`` seconds."""

    def show_discussion(self, comment_id: str) -> None:
        """``Navigator.discussion_requested``, after :meth:`open_lesson`: show the lesson's
        discussion, scrolled to ``comment_id`` ("" the newest) (the lesson page)."""

    def show_pack(self, pack_id: str) -> None:
        """``Navigator.library_requested`` with a pack: bring that pack into view."""

    def set_query(self, text: str) -> None:
        """``Navigator.search_requested`` with a text: search for it."""

    def focus_search(self) -> None:
        """Ctrl+F or the search page chosen from the keyboard: typing goes to the search box."""

    def export_dialog(self) -> None:
        """File > Export my notes: ask where to and export (the notes page)."""
