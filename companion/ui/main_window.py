"""The main window: a shell that places the panels. Navigation on the left, the screens in a
stack, the menus, a status bar with room for the sync state. It routes the Navigator's requests
to the screens; the screens never call each other, and the work is done in the dialogs."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt
from PySide6.QtGui import (
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QKeySequence,
    QResizeEvent,
)
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from companion.core.packs.format import PACK_SUFFIX
from companion.core.preferences import Preferences
from companion.sync.engine import SyncStatus
from companion.ui.context import AppContext
from companion.ui.courier import CourierBar, StickWatcher
from companion.ui.menus import ShellActions
from companion.ui.navigation import SIDEBAR_PREF, NavigationList, Navigator
from companion.ui.redraw import Redraw
from companion.ui.screens.base import Screen
from companion.ui.screens.downloads import DownloadsScreen
from companion.ui.screens.group import GroupScreen
from companion.ui.screens.groups import GroupsScreen
from companion.ui.screens.home import HomeScreen
from companion.ui.screens.lesson import LessonScreen
from companion.ui.screens.library import LibraryScreen
from companion.ui.screens.notes import NotesScreen
from companion.ui.screens.notifications import NotificationsScreen
from companion.ui.screens.search import SearchScreen
from companion.ui.social_ui import install_social
from companion.ui.sync_ui import SyncController, status_text
from companion.ui.theme import app_icon, icon

#: (key, class) of the screens, in the order of the navigation where they are listed. Imported,
#: not looked up by name: a screen that cannot be built stops the start with its traceback.
SCREENS: tuple[tuple[str, type[Screen]], ...] = (
    ("home", HomeScreen), ("library", LibraryScreen), ("downloads", DownloadsScreen),
    ("search", SearchScreen), ("notes", NotesScreen), ("groups", GroupsScreen),
    ("lesson", LessonScreen), ("notifications", NotificationsScreen), ("group", GroupScreen))
NAV_KEYS = ("home", "library", "downloads", "search", "notes", "groups")
NAV_ICONS = {"home": "nav-home", "library": "nav-library", "downloads": "nav-downloads",
             "search": "nav-search", "notes": "nav-notes", "groups": "nav-groups"}


def plain_tooltip(text: str) -> str:
    """``text`` as a tooltip shows it, character for character: Qt reads a tooltip that looks
    like HTML as rich text, and this one carries the hub's messages."""
    return GuiQt.convertFromPlainText(text) if GuiQt.mightBeRichText(text) else text


GEOMETRY_KEY = "window_geometry"
DEFAULT_SIZE = QSize(1280, 800)


def parse_geometry(value: str) -> tuple[QRect, bool] | None:
    """``"x y w h maximized"`` as kept in the preferences (plain numbers, never pickled)."""
    try:
        x, y, w, h, maximized = (int(v) for v in value.split())
    except ValueError:
        return None
    return QRect(x, y, w, h), bool(maximized)


def restore_geometry(window: QMainWindow, preferences: Preferences) -> None:
    """Put the window where it was, if that place is still on a screen; else a good size."""
    saved = parse_geometry(preferences.get(GEOMETRY_KEY))
    screen = QGuiApplication.primaryScreen()
    available = screen.availableGeometry() if screen else QRect(0, 0, 1280, 800)
    on_screen = saved is not None and any(
        s.availableGeometry().intersects(saved[0]) for s in QGuiApplication.screens())
    if saved is not None and on_screen:
        rect, maximized = saved
        window.resize(rect.size().boundedTo(available.size()))
        window.move(rect.topLeft())
        if maximized:
            window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)
        return
    size = DEFAULT_SIZE.boundedTo(available.size())
    window.resize(size)
    window.move(available.topLeft() + QPoint((available.width() - size.width()) // 2,
                                             (available.height() - size.height()) // 2))


def save_geometry(window: QMainWindow, preferences: Preferences) -> None:
    """Keep the window's place and size (a maximised window keeps its last normal size)."""
    maximized = window.isMaximized() or window.isFullScreen()
    old = parse_geometry(preferences.get(GEOMETRY_KEY))
    if maximized:
        rect = old[0] if old else QRect(window.pos(), DEFAULT_SIZE)
    else:
        rect = QRect(window.pos(), window.size())
    preferences.set(GEOMETRY_KEY, f"{rect.x()} {rect.y()} {rect.width()} {rect.height()} "
                                  f"{int(maximized)}")


def pack_paths(paths: list[str]) -> list[str]:
    """The dropped or handed-over paths that can be lesson packs (files or folders)."""
    return [p for p in paths if Path(p).suffix.lower() == PACK_SUFFIX or Path(p).is_dir()]


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext, nav: Navigator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.ctx = ctx
        self.nav = nav
        self.setWindowIcon(app_icon())
        self.setAcceptDrops(True)
        self.setMinimumSize(QSize(640, 480))
        self._import_dialog = None
        self._closed = False
        self.screens: dict[str, Screen] = {}

        central = QWidget(self)
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.navigation = NavigationList(central)
        self.navigation.setObjectName("navigation")
        self.navigation.setFrameShape(QListWidget.Shape.NoFrame)
        self.navigation.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.stack = QStackedWidget(central)
        self.stack.setObjectName("screens")
        # The sidebar: the bell on top (issue 11; not in the menu bar, which has no room to
        # spare at the largest text), the places below.
        self.sidebar = QVBoxLayout()
        self.sidebar.setContentsMargins(0, 0, 0, 0)
        self.sidebar.setSpacing(0)
        self.sidebar.addWidget(self.navigation, 1)
        # Icons alone or with their names (issue: 1024x768 at the largest text); a click, the
        # View menu or Ctrl+B. Named for what it does (a checked button looked pressed in).
        self.sidebar_button = QToolButton(central)
        self.sidebar_button.setObjectName("sidebarToggle")
        self.sidebar_button.setAutoRaise(True)
        self.sidebar_button.clicked.connect(lambda _checked=False: self.toggle_sidebar())
        self.sidebar.addWidget(self.sidebar_button, 0, Qt.AlignmentFlag.AlignLeft)
        # The screens' column: a strip above them when a courier stick is in (hidden else).
        column_widget = QWidget(central)
        column = QVBoxLayout(column_widget)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        self.courier_bar = CourierBar(ctx, column_widget)
        column.addWidget(self.courier_bar)
        column.addWidget(self.stack, 1)
        layout.addLayout(self.sidebar)
        layout.addWidget(column_widget, 1)
        self.courier: StickWatcher | None = None
        self.setCentralWidget(central)
        self._create_screens()
        for key in NAV_KEYS:
            if key in self.screens:
                item = QListWidgetItem(icon(NAV_ICONS[key]), "")
                item.setData(Qt.ItemDataRole.UserRole, key)
                self.navigation.addItem(item)
        self.navigation.chosen.connect(self._nav_chosen)
        for screen in self.screens.values():
            screen.nav_entry_changed.connect(self._show_nav_entries)
        self._show_nav_entries()

        # Both show text from the hub (group names, its error messages): never as rich text.
        self.notice_label = QLabel(self)
        self.notice_label.setObjectName("noticeLabel")
        self.notice_label.setTextFormat(Qt.TextFormat.PlainText)
        self.sync_label = QLabel(self)
        self.sync_label.setObjectName("syncLabel")
        self.sync_label.setTextFormat(Qt.TextFormat.PlainText)
        self.sync: SyncController | None = None
        self.download_button = QToolButton(self)  # what the downloads do; a click shows them
        self.download_button.setObjectName("downloadActivity")
        self.download_button.setAutoRaise(True)
        self.download_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.download_button.hide()
        self.download_button.clicked.connect(lambda: self.show_screen("downloads"))
        self.statusBar().addWidget(self.notice_label, 1)
        self.statusBar().addPermanentWidget(self.download_button)
        self.statusBar().addPermanentWidget(self.sync_label)
        downloads = self.screens["downloads"]
        downloads.activity_changed.connect(self.set_download_activity)
        self.set_download_activity(downloads.activity_text())
        self.statusBar().setSizeGripEnabled(True)

        self.menu_actions = ShellActions(self, ctx, nav)
        nav.home_requested.connect(lambda: self.show_screen("home"))
        nav.library_requested.connect(self._open_library)
        nav.lesson_requested.connect(self._open_lesson)
        nav.search_requested.connect(self._open_search)
        nav.notes_requested.connect(lambda: self.show_screen("notes"))
        nav.downloads_requested.connect(lambda: self.show_screen("downloads"))
        nav.connect_requested.connect(self.menu_actions.connect_group)
        nav.import_requested.connect(self.import_packs)
        nav.notice_requested.connect(self.show_notice)
        nav.notifications_requested.connect(lambda: self.show_screen("notifications"))
        nav.discussion_requested.connect(self._open_discussion)
        nav.group_requested.connect(lambda: self.show_screen("group"))
        nav.edit_profile_requested.connect(lambda: self.menu_actions.edit_profile())
        self.social = install_social(self, ctx, nav, self.sidebar)
        ctx.bus.changed.connect(self._on_changed)
        self.retranslate()
        restore_geometry(self, ctx.services.preferences)
        self.show_screen("home")

    # -- screens -----------------------------------------------------------------------------------
    def _create_screens(self) -> None:
        for key, cls in SCREENS:
            screen = cls(self.ctx, self.nav, self.stack)
            self.screens[key] = screen
            self.stack.addWidget(screen)

    def current_screen(self) -> str:
        for key, widget in self.screens.items():
            if widget is self.stack.currentWidget():
                return key
        return ""

    def show_screen(self, key: str) -> Screen | None:
        """Bring a screen forward (leaving a lesson saves it first)."""
        screen = self.screens.get(key)
        if screen is None:
            return None
        lesson = self.screens.get("lesson")
        if lesson is not None and key != "lesson" and self.stack.currentWidget() is lesson:
            lesson.leave()
        self.stack.setCurrentWidget(screen)
        self.navigation.blockSignals(True)
        self.navigation.setCurrentRow(NAV_KEYS.index(key) if key in NAV_KEYS else -1)
        if key not in NAV_KEYS:
            self.navigation.clearSelection()
        self.navigation.blockSignals(False)
        return screen

    def _show_nav_entries(self) -> None:
        """List a page in the sidebar only when it says so ("My groups": trainers only)."""
        for row in range(self.navigation.count()):
            item = self.navigation.item(row)
            screen = self.screens.get(str(item.data(Qt.ItemDataRole.UserRole)))
            shown = screen is None or screen.shows_nav_entry()
            item.setHidden(not shown)
            if not shown and screen is self.stack.currentWidget():
                self.show_screen("home")

    def _nav_chosen(self, key: str, focus_page: bool) -> None:
        """The person picked a place in the sidebar (never called for mere focus)."""
        if key == "search" and focus_page:
            self._open_search()  # typing goes straight into the search box
            return
        self.show_screen(key)

    def _open_library(self, pack_id: str) -> None:
        screen = self.show_screen("library")
        if screen is not None and pack_id:
            screen.show_pack(pack_id)

    def _open_lesson(self, lesson_id: str, playlist: list, start_s: float) -> None:
        screen = self.screens.get("lesson")
        if screen is None:
            return
        self.show_screen("lesson")
        screen.open_lesson(lesson_id, [str(x) for x in playlist], float(start_s))

    def _open_discussion(self, lesson_id: str, comment_id: str) -> None:
        self._open_lesson(lesson_id, [], -1.0)
        self.screens["lesson"].show_discussion(comment_id)

    def _open_search(self, query: str = "") -> None:
        screen = self.show_screen("search")
        if screen is None:
            return
        if query:
            screen.set_query(query)
        screen.focus_search()

    def leave_lesson(self) -> None:
        """Save the lesson on screen (position, notes, the stretch played) before a change."""
        lesson = self.screens.get("lesson")
        if lesson is not None:
            lesson.leave()

    # -- importing -------------------------------------------------------------------------------
    def import_packs(self, paths: list[str]) -> None:
        """Import these packs; an empty list asks the person for the files first."""
        if not paths:
            chosen, _filter = QFileDialog.getOpenFileNames(
                self, self.tr("Import a lesson pack"), str(Path.home()),
                self.tr("Lesson packs (*.cpack)"))
            paths = chosen
        if not paths:
            return
        from companion.ui.dialogs.import_dialog import ImportDialog

        if self._import_dialog is not None and self._import_dialog.isVisible():
            self._import_dialog.add_paths([Path(p) for p in paths])
            self._import_dialog.raise_()
            return
        self._import_dialog = ImportDialog(self.ctx, [Path(p) for p in paths], self)
        self._import_dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self._import_dialog.show()

    def receive_files(self, paths: list[str]) -> None:
        """A second start of the app handed over its files: come forward and import them."""
        self.bring_forward()
        wanted = pack_paths(paths)
        if wanted:
            self.import_packs(wanted)

    def bring_forward(self) -> None:
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        if pack_paths([u.toLocalFile() for u in urls if u.isLocalFile()]):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        wanted = pack_paths([u.toLocalFile() for u in urls if u.isLocalFile()])
        if wanted:
            event.acceptProposedAction()
            self.import_packs(wanted)

    # -- the courier -----------------------------------------------------------------------------
    def attach_courier(self, watcher: StickWatcher) -> None:
        """The composition root hands over the stick watcher: a stick it sees is offered in
        the strip above the screens."""
        self.courier = watcher
        watcher.sticks_changed.connect(self.courier_bar.show_sticks)

    # -- sync ------------------------------------------------------------------------------------
    def attach_sync(self, controller: SyncController) -> None:
        """The composition root hands over the sync: its state shows in the status bar, its
        actions in the Group menu."""
        self.sync = controller
        controller.status_changed.connect(self._show_sync_status)
        self.social.attach_sync(controller)
        self.menu_actions.attach_sync(controller)
        for screen in self.screens.values():  # the downloads page needs the hub login
            screen.attach_sync(controller)
        self._show_sync_status(controller.status)

    def _show_sync_status(self, status: SyncStatus) -> None:
        text, tooltip = status_text(status)
        self.set_sync_status(text, tooltip)
        self.menu_actions.update_sync_actions()

    # -- status bar ------------------------------------------------------------------------------
    def set_download_activity(self, text: str) -> None:
        """The downloads' line in the status bar ("Downloading “Bakken” · 45%"); hidden when
        empty."""
        self.download_button.setText(text)
        self.download_button.setToolTip(self.tr("Show the downloads") if text else "")
        self.download_button.setAccessibleName(text)
        self.download_button.setVisible(bool(text))

    def set_sync_status(self, text: str, tooltip: str = "") -> None:
        """The permanent place on the right for the sync state ("Offline · 3 changes
        waiting")."""
        self.sync_label.setText(text)
        self.sync_label.setToolTip(plain_tooltip(tooltip))
        self.sync_label.setAccessibleName(text)
        self.sync_label.setAccessibleDescription(tooltip)

    def show_notice(self, text: str) -> None:
        """One quiet line on the left of the status bar; an empty text clears it."""
        self.notice_label.setText(text)
        self.notice_label.setAccessibleName(text)

    # -- changes and language ------------------------------------------------------------------
    def _on_changed(self, changes: Redraw) -> None:
        if changes.profile:
            self.retranslate()

    def retranslate(self) -> None:
        if self._closed:  # late events after closing: the library may be gone already
            return
        try:
            name = self.ctx.profile.name
        except Exception:  # a profile removed under us: the title can wait
            name = ""
        title = self.tr("Course companion")
        self.setWindowTitle(f"{title} · {name}" if name else title)
        labels = {"home": self.tr("Home"), "library": self.tr("Library"),
                  "downloads": self.tr("Downloads"), "search": self.tr("Search"),
                  "notes": self.tr("My notes"), "groups": self.tr("My groups")}
        self.navigation.setAccessibleName(self.tr("Go to"))
        self.navigation.set_labels(labels)
        self.sync_label.setAccessibleDescription(self.tr("Sync state"))
        self.menu_actions.retranslate()
        self.fit_sidebar()  # the names' width changes with the language and the text size
        self.courier_bar.retranslate()
        if self.sync is not None:
            self._show_sync_status(self.sync.status)

    # -- the sidebar: icons alone when the window is narrow for the text ---------------------
    def sidebar_choice(self) -> str:
        """What the person chose ("icons", "names"), or "" to follow the window's width."""
        try:
            choice = self.ctx.services.preferences.get(SIDEBAR_PREF, self.ctx.profile_id)
        except Exception:  # a profile removed under us: follow the window
            return ""
        return choice if choice in ("icons", "names") else ""

    def fit_sidebar(self) -> None:
        """Icons alone or with names, as chosen or as the window's width and text size ask."""
        compact = self.navigation.compact_for(self.width(), self.sidebar_choice())
        self.navigation.set_compact(compact)
        button = self.sidebar_button
        # Qt's arrows stay a few pixels at any text size: a guillemet grows with the text.
        button.setText("»" if compact else "«")
        tip = self.tr("Show the names") if compact else self.tr("Only the icons")
        keys = self.menu_actions.sidebar_action.shortcut().toString(
            QKeySequence.SequenceFormat.NativeText)
        button.setToolTip(f"{tip} ({keys})")
        button.setAccessibleName(tip)
        self.menu_actions.sidebar_action.setChecked(not compact)

    def toggle_sidebar(self) -> None:
        """The person's choice, the opposite of what shows now: kept for this profile. A
        choice that matches what the window would pick anyway means "follow the window"
        again, so a second Ctrl+B undoes the first for good."""
        compact = not self.navigation.compact
        follows = compact == self.navigation.compact_for(self.width(), "")
        choice = "" if follows else "icons" if compact else "names"
        self.ctx.services.preferences.set(SIDEBAR_PREF, choice, self.ctx.profile_id)
        self.fit_sidebar()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if hasattr(self, "menu_actions"):
            self.fit_sidebar()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow() \
                and self.sync is not None:
            self.sync.window_activated()  # back to the front: fetch what is new at once
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        elif event.type() in (QEvent.Type.ApplicationFontChange, QEvent.Type.PaletteChange):
            self.retranslate()  # recompute the navigation's width; icons follow the palette
            for row in range(self.navigation.count()):
                item = self.navigation.item(row)
                item.setIcon(icon(NAV_ICONS[str(item.data(Qt.ItemDataRole.UserRole))]))
        super().changeEvent(event)

    # -- closing ---------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        if self.social.hide_instead_of_close():  # the app keeps running in the tray
            self.leave_lesson()
            event.ignore()
            return
        if self._import_dialog is not None and self._import_dialog.busy:
            self._import_dialog.flow.cancel()
        for dialog in self.findChildren(QDialog):  # or the app would wait for them to close
            dialog.hide()
        self.leave_lesson()
        for screen in self.screens.values():  # a download pauses; its partial files stay
            screen.window_closing()
        if self.courier is not None:
            self.courier.stop()
        save_geometry(self, self.ctx.services.preferences)
        self._closed = True
        super().closeEvent(event)
