"""The main window as a shell: navigation, routing, status bar, keyboard, size, geometry."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QSize, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication

from companion.core.changelog import all_changes
from companion.services import Services
from companion.ui.main import Shell, build_main_window
from companion.ui.main_window import parse_geometry
from tests.ui.shell_fixtures import *  # noqa: F403


def test_navigation_shows_each_screen(shell: Shell, qtbot) -> None:
    """Home first; the list on the left and Ctrl+1..5 reach the five main screens."""
    window = shell.window
    assert window.current_screen() == "home"
    items = [window.navigation.item(i) for i in range(window.navigation.count())]
    # "My groups" is listed for trainers only: Anna has no login.
    assert [item.text() for item in items if not item.isHidden()] == [
        "Home", "Library", "Downloads", "Search", "My notes"]
    rect = window.navigation.visualItemRect(window.navigation.item(1))
    qtbot.mouseClick(window.navigation.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.current_screen() == "library"
    window.menu_actions.go_actions["notes"].trigger()
    assert window.current_screen() == "notes"
    assert window.navigation.currentRow() == 4
    assert window.menu_actions.go_actions["downloads"].shortcut().toString() == "Ctrl+5"
    window.menu_actions.go_actions["downloads"].trigger()
    assert window.current_screen() == "downloads"
    window.menu_actions.find_action.trigger()
    assert window.current_screen() == "search"
    shell.nav.home()
    assert window.current_screen() == "home"


def test_lesson_requests_are_routed_and_left_cleanly(shell: Shell, monkeypatch) -> None:
    """A lesson request opens the lesson screen; going elsewhere calls its leave() first."""
    window = shell.window
    lesson = window.screens["lesson"]
    opened: list[tuple] = []
    left: list[bool] = []
    monkeypatch.setattr(lesson, "open_lesson", lambda *args: opened.append(args))
    monkeypatch.setattr(lesson, "leave", lambda: left.append(True))
    shell.nav.lesson("sociale-media/les-0001", ["sociale-media/les-0002"], 12.0)
    assert window.current_screen() == "lesson"
    assert opened == [("sociale-media/les-0001", ["sociale-media/les-0002"], 12.0)]
    assert window.navigation.currentRow() == -1
    shell.nav.library("sociale-media")
    assert window.current_screen() == "library" and left == [True]


def test_status_bar_has_room_for_sync_and_notices(shell: Shell) -> None:
    """set_sync_status fills the permanent area; a screen's notice shows on the quiet line."""
    shell.window.set_sync_status("Offline · 3 changes waiting", "Last sync: yesterday")
    assert shell.window.sync_label.text() == "Offline · 3 changes waiting"
    assert shell.window.sync_label.toolTip() == "Last sync: yesterday"
    shell.nav.notice("Playing with the built-in player")
    assert shell.window.notice_label.text() == "Playing with the built-in player"
    shell.nav.notice("")
    assert shell.window.notice_label.text() == ""


def test_fits_at_1024_by_768(shell: Shell, qapp) -> None:
    """The window can be made 1024x768 and needs no more than that."""
    shell.window.resize(1024, 768)
    qapp.processEvents()
    needed = shell.window.minimumSizeHint().expandedTo(shell.window.minimumSize())
    assert needed.width() <= 1024 and needed.height() <= 768
    assert shell.window.size() == QSize(1024, 768)


def test_buttons_and_actions_can_be_named_and_reached(shell: Shell) -> None:
    """Every visible button has words (text or accessible name); menus have shortcuts."""
    nameless = [b for b in shell.window.findChildren(QAbstractButton)
                if b.isVisible() and not (b.text() or b.accessibleName() or b.toolTip())]
    assert nameless == []
    keys = {a.objectName(): a.shortcut().toString() for a in shell.window.actions()}
    assert keys["importAction"] == "Ctrl+O" and keys["findAction"] == "Ctrl+F"
    assert keys["goHomeAction"] == "Ctrl+1" and keys["resetTextAction"] == "Ctrl+0"
    assert shell.window.navigation.focusPolicy() & Qt.FocusPolicy.TabFocus


def test_window_geometry_is_remembered(qapp, home: Path, shell_services: Services, anna: int,
                                       look) -> None:
    """The place and size are kept as plain numbers in the preferences and come back."""
    first = build_main_window(shell_services, anna, home=home, appearance=look.appearance,
                              translations=look.translations)
    first.window.show()
    first.window.resize(760, 620)  # the offscreen screen is small
    first.window.move(QPoint(30, 40))
    qapp.processEvents()
    first.close()
    saved = parse_geometry(shell_services.preferences.get("window_geometry"))
    assert saved is not None and saved[0].size() == QSize(760, 620)
    second = build_main_window(shell_services, anna, home=home, appearance=look.appearance,
                               translations=look.translations)
    try:
        assert second.window.size() == QSize(760, 620)
        assert second.window.pos() == QPoint(30, 40)
    finally:
        second.close()


def test_opening_and_closing_are_recorded_as_a_session(qapp, home: Path,
                                                       shell_services: Services, anna: int,
                                                       look) -> None:
    """Building the window opens Anna's session, closing the app ends it; off means none."""
    built = build_main_window(shell_services, anna, home=home, appearance=look.appearance,
                              translations=look.translations)
    built.close()
    events = [c.payload["event"] for c in all_changes(shell_services.db, anna)
              if c.kind == "session"]
    assert events == ["app_opened", "app_closed"]
    shell_services.profiles.update(anna, record_sessions=False)
    again = build_main_window(shell_services, anna, home=home, appearance=look.appearance,
                              translations=look.translations)
    again.close()
    assert len([c for c in all_changes(shell_services.db, anna) if c.kind == "session"]) == 2
    QApplication.processEvents()


def test_a_closed_window_is_gone_before_its_library_closes(qapp, home: Path, look) -> None:
    """Closing deletes the window at once: a language change after the library closed (the
    next person's window, the next test) found its pages still there, reading the closed
    library."""
    from shiboken6 import isValid

    from companion.services import build_services

    services = build_services(home=home)
    services.profiles.create("Bert", language="en")
    built = build_main_window(services, services.profiles.by_name("Bert").id, home=home,
                              appearance=look.appearance, translations=look.translations)
    built.window.show()
    downloads = built.window.screens["downloads"]
    built.close()
    services.close()
    assert not isValid(built.window) and not isValid(downloads)
    look.translations.apply("nl")  # raised in the old pages' changeEvent before
    qapp.processEvents()


def test_closing_the_window_stops_the_thumbnails(qapp, qtbot, home: Path,
                                                 shell_services: Services, anna: int,
                                                 look) -> None:
    """The library's frame grabbers decode on QtMultimedia's threads: they stop when the
    window closes, not when it is deleted under them (a crash in a later turn of events)."""
    from tests.ui.screen_fixtures import add_clip_pack
    from tests.ui.shell_fixtures import WAIT_MS, running_shell

    add_clip_pack(shell_services, "echt", 2)
    with running_shell(qapp, home, shell_services, anna, look) as built:
        built.window.show_screen("library")
        library = built.window.screens["library"]
        library.view.viewport().repaint()
        qtbot.waitUntil(lambda: library.thumbnails.pending() > 0, timeout=WAIT_MS)
        built.window.close()
        assert library.thumbnails._closed and not library.thumbnails._grabbers
