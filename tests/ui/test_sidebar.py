"""The sidebar at 1024x768: icons alone when the window is narrow for the text size, names
again when there is room; the person's own choice (button, View menu, Ctrl+B) is kept per
profile; the keyboard works the same with or without the names."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QFontMetrics, QKeySequence, QShortcut
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from companion.services import Services
from companion.ui.main import Shell
from companion.ui.navigation import CONTENT_LINES, SIDEBAR_PREF, sidebar_compact
from companion.ui.redraw import Redraw
from tests.ui.shell_fixtures import *  # noqa: F403
from tests.ui.shell_fixtures import Look, running_shell

SCREEN = QSize(1024, 768)


def settle(qapp) -> None:
    for _ in range(3):
        qapp.processEvents()


def set_look(shell: Shell, qapp, scale: int, language: str = "en") -> None:
    services, person = shell.ctx.services, shell.ctx.profile_id
    services.profiles.update(person, language=language)
    services.preferences.set("text_scale", scale, person)
    shell.ctx.announce(Redraw(settings=True, profile=True))
    shell.window.resize(SCREEN)
    settle(qapp)


def labels(shell: Shell) -> list[str]:
    nav = shell.window.navigation
    return [nav.item(r).text() for r in range(nav.count())]


def line() -> int:
    return QFontMetrics(QApplication.font()).height()


def test_the_rule() -> None:
    assert sidebar_compact(1024, 340, 34, "")  # 684 left < 816 needed
    assert not sidebar_compact(1024, 170, 17, "")
    assert not sidebar_compact(1024 + 1000, 340, 34, "")
    assert sidebar_compact(3000, 170, 17, "icons")
    assert not sidebar_compact(500, 340, 34, "names")


@pytest.mark.parametrize(("language", "library"), [("nl", "Bibliotheek"), ("en", "Library")])
def test_icons_alone_at_the_largest_text_names_at_normal(shell: Shell, qapp, language: str,
                                                         library: str) -> None:
    window, nav = shell.window, shell.window.navigation
    set_look(shell, qapp, 200, language)
    assert nav.compact
    assert labels(shell) == [""] * nav.count()
    row = [nav.label(r) for r in range(nav.count())].index(library)
    item = nav.item(row)
    assert item.toolTip() == library  # the name said when the pointer rests on the icon
    assert item.data(Qt.ItemDataRole.AccessibleTextRole) == library
    assert nav.width() < nav.names_width // 2
    assert nav.iconSize().width() >= round(line() * 1.5)  # the icons keep their size
    assert window.social.bell.isVisible()
    assert window.stack.width() >= line() * CONTENT_LINES - 80  # the screens get the room
    assert not window.menu_actions.sidebar_action.isChecked()
    assert window.sidebar_button.isVisible()
    # The button is named for what it does, in the person's language.
    show_names = window.sidebar_button.accessibleName()
    assert show_names and show_names in window.sidebar_button.toolTip()
    # Back to the normal text: the names come back, with no tooltip needed.
    set_look(shell, qapp, 100, language)
    assert not nav.compact
    assert library in labels(shell) and item.toolTip() == ""
    assert nav.width() == nav.names_width
    assert window.sidebar_button.accessibleName() not in ("", show_names)
    assert window.menu_actions.sidebar_action.isChecked()


def test_a_wide_window_keeps_the_names_at_the_largest_text(shell: Shell, qapp) -> None:
    set_look(shell, qapp, 200)
    nav = shell.window.navigation
    assert nav.compact
    shell.window.resize(nav.names_width + line() * CONTENT_LINES + 40, 768)
    settle(qapp)
    assert not nav.compact
    shell.window.resize(SCREEN)
    settle(qapp)
    assert nav.compact


def test_the_choice_is_kept_per_profile(qapp, home: Path, shell_services: Services, anna: int,
                                        look: Look) -> None:
    bert = shell_services.profiles.create("Bert", language="nl").id
    for person in (anna, bert):
        shell_services.preferences.set("text_scale", 200, person)
    with running_shell(qapp, home, shell_services, anna, look) as shell:
        shell.window.resize(SCREEN)
        settle(qapp)
        nav = shell.window.navigation
        assert nav.compact
        shell.window.menu_actions.sidebar_action.trigger()  # the View menu's entry
        settle(qapp)
        assert not nav.compact and "Library" in labels(shell)
        assert shell_services.preferences.get(SIDEBAR_PREF, anna) == "names"
        shell.window.resize(SCREEN)  # a resize does not overrule the person
        settle(qapp)
        assert not nav.compact
        # Bert has not chosen: his sidebar follows the window.
        shell.window.menu_actions.switch_to(bert)
        settle(qapp)
        assert nav.compact
        assert shell_services.preferences.get(SIDEBAR_PREF, bert) == ""
    with running_shell(qapp, home, shell_services, anna, look) as shell:
        shell.window.resize(SCREEN)
        settle(qapp)
        assert not shell.window.navigation.compact  # Anna's choice came back
        shell.window.sidebar_button.click()  # the button under the places
        settle(qapp)
        assert shell.window.navigation.compact
        # What the window picks anyway: the sidebar follows the window again.
        assert shell_services.preferences.get(SIDEBAR_PREF, anna) == ""
        shell.window.resize(2400, 900)
        settle(qapp)
        assert not shell.window.navigation.compact
        shell.window.sidebar_button.click()  # icons alone although there is room
        settle(qapp)
        assert shell_services.preferences.get(SIDEBAR_PREF, anna) == "icons"
        shell.window.resize(3000, 900)
        settle(qapp)
        assert shell.window.navigation.compact


def test_a_strange_saved_choice_follows_the_window(shell: Shell, qapp) -> None:
    shell.ctx.services.preferences.set(SIDEBAR_PREF, "sideways", shell.ctx.profile_id)
    set_look(shell, qapp, 200)
    assert shell.window.sidebar_choice() == ""
    assert shell.window.navigation.compact
    set_look(shell, qapp, 100)
    assert not shell.window.navigation.compact


def test_ctrl_b_toggles_and_clashes_with_nothing(shell: Shell, qapp) -> None:
    window = shell.window
    action = window.menu_actions.sidebar_action
    assert action.shortcut() == QKeySequence("Ctrl+B")
    assert action in window.menu_actions.view_menu.actions()
    keys = [s.toString() for a in window.findChildren(QAction) for s in a.shortcuts()]
    keys += [s.key().toString() for s in window.findChildren(QShortcut)]
    assert keys.count("Ctrl+B") == 1, keys
    set_look(shell, qapp, 200)
    window.activateWindow()
    window.navigation.setFocus()
    settle(qapp)
    QTest.keyClick(window.navigation, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    settle(qapp)
    assert not window.navigation.compact
    QTest.keyClick(window.navigation, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    settle(qapp)
    assert window.navigation.compact


def test_the_keyboard_in_the_compact_sidebar(shell: Shell, qapp) -> None:
    window, nav = shell.window, shell.window.navigation
    set_look(shell, qapp, 200)
    assert nav.compact
    window.show_screen("home")
    window.activateWindow()
    nav.setFocus()
    settle(qapp)
    QTest.keyClick(nav, Qt.Key.Key_Down)
    assert window.current_screen() == "library" and nav.currentRow() == 1
    assert nav.hasFocus()  # the next step works too
    QTest.keyClick(nav, Qt.Key.Key_Up)
    assert window.current_screen() == "home"
    for _ in range(3):
        QTest.keyClick(nav, Qt.Key.Key_Down)
    assert window.current_screen() == "search"
    QTest.keyClick(nav, Qt.Key.Key_Return)  # take me there: typing goes to the search box
    settle(qapp)
    assert window.current_screen() == "search" and not nav.hasFocus()
    # The toggle is on the Tab path, and Space works it.
    window.sidebar_button.setFocus()
    QTest.keyClick(window.sidebar_button, Qt.Key.Key_Space)
    settle(qapp)
    assert not nav.compact
    assert window.sidebar_button.focusPolicy() & Qt.FocusPolicy.TabFocus
