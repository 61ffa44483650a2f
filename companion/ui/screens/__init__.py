"""The app's pages. Each is built as ``Screen(ctx, nav, parent=None)``, refreshes itself from
``ctx.bus.changed`` and asks the Navigator to go elsewhere; screens never call each other.

What the shell calls beyond that:

- ``LibraryScreen.show_pack(pack_id)`` for ``Navigator.library_requested``;
- ``SearchScreen.set_query(text)`` for ``Navigator.search_requested`` and
  ``SearchScreen.focus_search()`` for Ctrl+F;
- ``LessonScreen.open_lesson(lesson_id, playlist, start_s)`` for
  ``Navigator.lesson_requested``, and ``LessonScreen.leave()`` before showing another page.

- ``DownloadsScreen.attach_sync(controller)`` once the sync controller exists (it needs the
  profile's hub login), and ``DownloadsScreen.window_closing()`` when the window closes (a
  running download pauses; its partial files stay).

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
