"""The lesson in the real main window, used as a shopkeeper does: the video plays to its end with
the focus on the player, the quiz is answered with the keyboard only, Tab stays inside the
lesson, and the sidebar changes the page only when asked (never because it got the focus)."""

from __future__ import annotations

import os
import signal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

from companion.core.changelog import all_changes
from companion.ui.main import Shell, install_quit_signals
from companion.ui.player import PlaybackState
from companion.ui.player.controls import ControlBar
from companion.ui.screens.lesson.notes_editor import NotesEdit
from companion.ui.screens.lesson.page import PAGE_END, PAGE_PLAYER, PAGE_QUIZ
from companion.ui.theme import FOCUS_COLOURS
from tests.ui.screen_fixtures import QUIZ, add_clip_pack
from tests.ui.shell_fixtures import *  # noqa: F403
from tests.ui.shell_fixtures import WAIT_MS


def _focus() -> QWidget | None:
    return QApplication.focusWidget()


def _active(shell: Shell, qtbot) -> None:
    shell.window.resize(1024, 768)
    shell.window.activateWindow()
    qtbot.waitUntil(shell.window.isActiveWindow, timeout=WAIT_MS)


def _open(shell: Shell, qtbot, lesson_id: str, start_s: float = 0.0):
    lesson = shell.window.screens["lesson"]
    with qtbot.waitSignal(lesson.playing_started, timeout=WAIT_MS):
        shell.nav.lesson(lesson_id, [], start_s)
    return lesson


def _key(qtbot, key: Qt.Key) -> None:
    widget = _focus()
    assert widget is not None
    qtbot.keyClick(widget, key)


def test_lesson_end_and_quiz_by_keyboard_only(shell: Shell, shell_services, anna,
                                              qtbot) -> None:
    """Focus on the player, the video ends: the end panel shows (not Home) with the focus on
    "Take the quiz"; Space, Tab and Enter answer the quiz; the score reaches the progress row
    and the change log that goes to the hub."""
    ids = add_clip_pack(shell_services, "echt", 2, quiz=QUIZ)
    _active(shell, qtbot)
    lesson = _open(shell, qtbot, ids[0])
    assert _focus() is lesson.player

    qtbot.waitUntil(lambda: lesson.stack.currentIndex() == PAGE_END, timeout=WAIT_MS)
    assert shell.window.current_screen() == "lesson"
    assert _focus() is lesson.end_panel.quiz_button

    _key(qtbot, Qt.Key.Key_Space)  # "Take the quiz"
    assert lesson.stack.currentIndex() == PAGE_QUIZ
    quiz = lesson.quiz
    assert _focus() is quiz.choice_buttons[0]
    _key(qtbot, Qt.Key.Key_Space)  # question 1: the first answer (right)
    assert _focus() is quiz.next_button
    _key(qtbot, Qt.Key.Key_Return)  # "Next question": the answer button it had goes away
    assert shell.window.current_screen() == "lesson"
    assert quiz.session.index == 1 and _focus() is quiz.choice_buttons[0]
    _key(qtbot, Qt.Key.Key_Tab)
    assert _focus() is quiz.choice_buttons[1]
    _key(qtbot, Qt.Key.Key_Return)  # question 2: the second answer (right), with Enter
    _key(qtbot, Qt.Key.Key_Return)  # "See your score"
    assert quiz.score_title.text() == "You got 2 of 2 right."
    assert _focus() is quiz.close_button
    _key(qtbot, Qt.Key.Key_Return)  # "Done"
    assert shell.window.current_screen() == "lesson"
    assert lesson.stack.currentIndex() == PAGE_END

    progress = shell_services.progress.get(anna, ids[0])
    assert (progress.quiz_best, progress.quiz_total, progress.done) == (2, 2, True)
    logged = [c for c in all_changes(shell_services.db, anna)
              if c.kind == "progress" and c.entity_id == ids[0]]
    assert logged[-1].payload["quiz_best"] == 2
    assert any(c.kind == "quiz_attempt" for c in all_changes(shell_services.db, anna))


def test_focus_in_the_notes_stays_there_when_the_video_ends(shell: Shell, shell_services,
                                                            qtbot) -> None:
    """Someone typing a note when the video ends keeps typing; the page is the lesson's."""
    ids = add_clip_pack(shell_services, "echt", 1, quiz=QUIZ)
    _active(shell, qtbot)
    lesson = _open(shell, qtbot, ids[0], 4.5)
    lesson.notes_edit.setFocus()
    qtbot.waitUntil(lambda: lesson.stack.currentIndex() == PAGE_END, timeout=WAIT_MS)
    assert _focus() is lesson.notes_edit
    assert shell.window.current_screen() == "lesson"


def test_a_lesson_without_video_focuses_its_end_panel(shell: Shell, qtbot) -> None:
    """Not downloaded yet: the first button of the end panel has the focus, so Enter works."""
    _active(shell, qtbot)
    shell.window.navigation.setFocus()
    shell.nav.lesson("sociale-media/les-0001", [], -1.0)
    lesson = shell.window.screens["lesson"]
    assert lesson.stack.currentIndex() == PAGE_END
    assert _focus() is lesson.end_panel.next_button
    _key(qtbot, Qt.Key.Key_Return)
    assert lesson.session.lesson_id == "sociale-media/les-0002"


def test_tab_goes_round_the_lesson_and_never_leaves_it(shell: Shell, shell_services,
                                                        qtbot) -> None:
    """Tab: the player's controls, then the notes, then the tab titles, and round again;
    Shift+Tab the same way back. The sidebar is never reached and the page never changes."""
    ids = add_clip_pack(shell_services, "echt", 1)
    _active(shell, qtbot)
    lesson = _open(shell, qtbot, ids[0])
    lesson.player.controller.pause()
    qtbot.waitUntil(lambda: lesson.player.controller.state() == PlaybackState.PAUSED,
                    timeout=WAIT_MS)
    start = _focus()
    assert start is lesson.player
    order = lesson.focus_order()
    assert lesson.player.controls.play_button in order and lesson.notes_edit in order
    assert order.index(lesson.player.controls.play_button) < order.index(lesson.notes_edit) \
        < order.index(lesson.tabs.tabBar())

    forward = []
    for _ in range(len(order)):
        _key(qtbot, Qt.Key.Key_Tab)
        forward.append(_focus())
    assert forward[-1] is start  # round once, back where it began
    assert all(w is not None and lesson.isAncestorOf(w) for w in forward)
    assert shell.window.navigation not in forward
    backward = []
    for _ in range(len(order)):
        _key(qtbot, Qt.Key.Key_Backtab)
        backward.append(_focus())
    assert backward[-1] is start
    assert backward[:-1] == list(reversed(forward[:-1]))
    assert shell.window.current_screen() == "lesson"
    assert lesson.stack.currentIndex() == PAGE_PLAYER


def test_sidebar_changes_page_only_when_asked(shell: Shell, qtbot) -> None:
    """Focus arriving in the sidebar (Tab, or a focused widget vanishing) shows no other
    page; a click, Enter or an arrow key does. Search from the sidebar focuses its box."""
    window, navigation = shell.window, shell.window.navigation
    _active(shell, qtbot)
    shell.nav.notes()
    navigation.setFocus(Qt.FocusReason.TabFocusReason)
    assert window.current_screen() == "notes"
    shell.nav.lesson("sociale-media/les-0001", [], 0.0)
    navigation.setFocus(Qt.FocusReason.BacktabFocusReason)
    assert window.current_screen() == "lesson"

    qtbot.keyClick(navigation, Qt.Key.Key_Down)
    assert window.current_screen() != "lesson"
    navigation.setCurrentRow(0)
    qtbot.keyClick(navigation, Qt.Key.Key_Return)
    assert window.current_screen() == "home"
    rect = navigation.visualItemRect(navigation.item(3))
    qtbot.mouseClick(navigation.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    search = window.screens["search"]
    assert window.current_screen() == "search"
    assert _focus() is search.field
    qtbot.keyClicks(_focus(), "foto")
    assert search.field.text() == "foto"


def test_speed_shows_at_1024_and_starts_at_normal_each_lesson(shell: Shell, shell_services,
                                                              qtbot) -> None:
    """The chosen speed is written on its button, readable at 1024×768; the next lesson
    starts at normal speed again."""
    ids = add_clip_pack(shell_services, "echt", 2)
    _active(shell, qtbot)
    lesson = _open(shell, qtbot, ids[0])
    button = lesson.player.controls.speed_button
    lesson.player.controls.speed_actions[1.25].trigger()
    qtbot.waitUntil(lambda: lesson.player.controller.rate() == 1.25, timeout=WAIT_MS)
    QApplication.processEvents()
    assert button.text() == "1.25×"
    assert button.width() >= button.fontMetrics().horizontalAdvance("1.25×") + 8
    _open(shell, qtbot, ids[1])
    assert lesson.player.controller.rate() == 1.0 and button.text() == "1×"


def test_sigterm_closes_the_window_and_keeps_the_position(shell: Shell, shell_services,
                                                          anna, qtbot) -> None:
    """A SIGTERM (the PC shutting down) closes the window through the event loop: the
    seconds played since the last periodic save are kept."""
    ids = add_clip_pack(shell_services, "echt", 1)
    _active(shell, qtbot)
    lesson = _open(shell, qtbot, ids[0])
    qtbot.waitUntil(lambda: lesson.player.current_time_s() >= 2.0, timeout=WAIT_MS)
    assert shell_services.progress.get(anna, ids[0]).position_s == 0.0  # no save in 5 s yet
    restore = install_quit_signals(shell.window)
    try:
        os.kill(os.getpid(), signal.SIGTERM)
        qtbot.waitUntil(lambda: not shell.window.isVisible(), timeout=WAIT_MS)
    finally:
        restore()
    assert shell_services.progress.get(anna, ids[0]).position_s >= 2.0


@pytest.mark.parametrize("dark", [False, True])
def test_focused_button_has_a_thick_ring(look, qtbot, dark: bool) -> None:
    """The focused button is drawn with a thick ring in the focus colour; others are not."""
    look.appearance.apply_scheme(dark)
    holder = QWidget()
    qtbot.addWidget(holder)
    first, second = QPushButton("Een", holder), QPushButton("Twee", holder)
    second.move(0, 60)
    for b in (first, second):
        b.resize(140, 44)
    holder.show()
    holder.activateWindow()
    qtbot.waitUntil(holder.isActiveWindow, timeout=WAIT_MS)
    first.setFocus(Qt.FocusReason.TabFocusReason)
    colour = QColor(FOCUS_COLOURS[dark])

    def ring_pixels(button: QWidget) -> int:
        image = button.grab().toImage()
        y = image.height() // 2
        return sum(1 for x in range(0, 4) if QColor(image.pixel(x, y)) == colour)

    assert ring_pixels(first) >= 2
    assert ring_pixels(second) == 0

    # The seek bar has a style of its own and the notes field a frame: both show it too.
    bar, notes = ControlBar(holder), NotesEdit(holder)
    bar.setGeometry(0, 120, 500, 90)
    notes.setGeometry(0, 220, 300, 120)
    bar.show()
    notes.show()
    for widget in (bar.seek_slider, notes):
        widget.setFocus(Qt.FocusReason.TabFocusReason)
        qtbot.waitUntil(widget.hasFocus, timeout=WAIT_MS)
        assert ring_pixels(widget) >= 2, widget


def test_install_quit_signals_puts_the_old_handlers_back(shell: Shell) -> None:
    before = signal.getsignal(signal.SIGTERM)
    restore = install_quit_signals(shell.window)
    assert signal.getsignal(signal.SIGTERM) is not before
    restore()
    assert signal.getsignal(signal.SIGTERM) is before

