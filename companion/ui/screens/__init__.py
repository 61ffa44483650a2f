"""The app's pages. Each is built as ``Screen(ctx, nav, parent=None)``, refreshes itself from
``ctx.bus.changed`` and asks the Navigator to go elsewhere; screens never call each other.

What the shell calls beyond that is a set of typed no-op hooks on the base class
(``screens/hooks.py``: ``open_lesson``, ``leave``, ``show_pack``, ``set_query``,
``focus_search``, ``export_dialog``, ``attach_sync``, ``window_closing``, ``activity_text``);
each screen overrides the ones that concern it.

``HomeScreen`` and ``LibraryScreen`` ask for a pack import with ``nav.import_packs([])``: an
empty list means "ask the person for a file".
"""

from companion.ui.screens.downloads.page import DownloadsScreen
from companion.ui.screens.home import HomeScreen
from companion.ui.screens.lesson.page import LessonScreen
from companion.ui.screens.library import LibraryScreen
from companion.ui.screens.notes import NotesScreen
from companion.ui.screens.search import SearchScreen

__all__ = ["DownloadsScreen", "HomeScreen", "LessonScreen", "LibraryScreen", "NotesScreen",
           "SearchScreen"]
