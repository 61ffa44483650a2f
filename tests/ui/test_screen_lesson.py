"""The lesson screen with the real player: play, notes saved as typed, timestamps, the end,
the quiz and the next lesson."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor

from companion.ui.player import PlaybackState
from companion.ui.screens import LessonScreen
from companion.ui.screens.lesson.end import EndPanel
from companion.ui.screens.lesson.notes_editor import stamp_line, time_at
from companion.ui.screens.lesson.page import PAGE_END, PAGE_PLAYER, PAGE_QUIZ
from companion.ui.screens.lesson.session import NextLesson, PlayedStretches
from tests.core.fake_library import add_pack
from tests.ui.screen_fixtures import (  # noqa: F401
    QUIZ,
    WAIT_MS,
    add_clip_pack,
    ctx,
    nav,
    profile_id,
    services,
    store_file,
)


@pytest.fixture
def screen(qtbot, ctx, nav):
    lesson = LessonScreen(ctx, nav[0])
    qtbot.addWidget(lesson)
    lesson.resize(1024, 768)
    lesson.show()
    yield lesson
    lesson.leave()
    if lesson.player is not None:
        lesson.player.shutdown()


def _note(services, profile_id, lesson_id) -> str:
    notes = services.notes.for_lesson(profile_id, lesson_id)
    return notes[0].body if notes else ""


def _click_text(qtbot, edit, position: int) -> None:
    cursor = QTextCursor(edit.document())
    cursor.setPosition(position)
    rect = edit.cursorRect(cursor)
    qtbot.mouseClick(edit.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(rect.right() + 2, rect.center().y()))


def test_time_marks_are_put_at_the_line_start() -> None:
    """The mark goes first on the line and replaces an earlier one; a click finds it."""
    assert stamp_line("idee", 102) == "[1:42] idee"
    assert stamp_line("[0:03] idee", 7) == "[0:07] idee"
    assert time_at("zie [1:42] hier", 5) == 102.0 and time_at("zie [1:42]", 1) is None


def test_full_lesson_flow(qtbot, screen, services, profile_id, nav, ctx) -> None:
    """Open → plays → notes saved without a button → time inserted and clicked seeks → end →
    done → quiz answered and kept → next lesson; the played stretch is recorded."""
    ids = add_clip_pack(services, "echt", 2, quiz=QUIZ)
    with qtbot.waitSignal(screen.playing_started, timeout=WAIT_MS):
        screen.open_lesson(ids[0], [], -1.0)
    player = screen.player
    assert screen.stack.currentIndex() == PAGE_PLAYER
    assert player.controller.subtitles_visible() and player.controller.has_subtitles()
    assert screen.title.text() == "Clip 0: een foto posten"
    assert "Post één foto per dag." in screen.trainer_notes.toPlainText()

    # Notes are saved as they type: no save button anywhere.
    qtbot.keyClicks(screen.notes_edit, "Eerste idee")
    qtbot.waitUntil(lambda: _note(services, profile_id, ids[0]) == "Eerste idee",
                    timeout=WAIT_MS)
    assert screen.saved_label.text() == "✓ Saved"

    # "Insert time" puts the video time at the start of the line.
    player.controller.pause()
    player.seek_s(2.0)
    qtbot.mouseClick(screen.insert_time_button, Qt.MouseButton.LeftButton)
    assert screen.notes_edit.toPlainText() == "[0:02] Eerste idee"
    qtbot.keyClick(screen.notes_edit, Qt.Key.Key_Return)
    qtbot.keyClick(screen.notes_edit, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(screen.notes_edit, "tweede")
    assert screen.notes_edit.toPlainText() == "[0:02] Eerste idee\n[0:02] tweede"

    # Clicking a time jumps the video there.
    player.seek_s(0.5)
    screen.notes_edit.setPlainText("[0:04] kijk hier\n" + screen.notes_edit.toPlainText())
    _click_text(qtbot, screen.notes_edit, 2)
    assert abs(player.controller.position_ms() - 4000) < 300
    player.seek_s(0.5)  # the keyboard way: Ctrl+Enter on a line with a time
    cursor = screen.notes_edit.textCursor()
    cursor.setPosition(8)
    screen.notes_edit.setTextCursor(cursor)
    qtbot.keyClick(screen.notes_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert abs(player.controller.position_ms() - 4000) < 300
    assert screen.notes_edit.toPlainText().count("\n") == 2  # no new line typed
    qtbot.waitUntil(lambda: _note(services, profile_id, ids[0]).startswith("[0:04] kijk"),
                    timeout=WAIT_MS)

    # Play to the end: most of it was jumped over, so it is not done yet; the quiz is offered.
    player.controller.play()
    qtbot.waitUntil(lambda: screen.stack.currentIndex() == PAGE_END, timeout=WAIT_MS)
    assert not services.progress.get(profile_id, ids[0]).done
    assert screen.end_panel.quiz_button.isVisible()
    assert "Clip 1" in screen.end_panel.next_button.text()

    qtbot.mouseClick(screen.end_panel.quiz_button, Qt.MouseButton.LeftButton)
    assert screen.stack.currentIndex() == PAGE_QUIZ
    quiz = screen.quiz
    qtbot.mouseClick(quiz.choice_buttons[0], Qt.MouseButton.LeftButton)  # right
    assert quiz.verdict.text() == "✓  Right!"
    assert quiz.feedback.text() == "Instagram is made for photos."
    qtbot.mouseClick(quiz.next_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(quiz.choice_buttons[0], Qt.MouseButton.LeftButton)  # wrong
    qtbot.mouseClick(quiz.choice_buttons[1], Qt.MouseButton.LeftButton)  # too late: ignored
    assert quiz.verdict.text() == "✗  Not quite."
    assert "A few times a week" in quiz.feedback.text()
    assert quiz.choice_buttons[1].choice_text() == "✓  A few times a week"
    qtbot.mouseClick(quiz.next_button, Qt.MouseButton.LeftButton)
    assert quiz.score_title.text() == "You got 1 of 2 right."
    progress = services.progress.get(profile_id, ids[0])
    assert (progress.quiz_best, progress.quiz_total) == (1, 2)
    assert progress.done  # the quiz passed: learnt, as good as watched

    qtbot.mouseClick(quiz.again_button, Qt.MouseButton.LeftButton)  # try again: all right
    for _ in range(2):
        qtbot.mouseClick(quiz.choice_buttons[quiz.session.current.answer],
                         Qt.MouseButton.LeftButton)
        qtbot.mouseClick(quiz.next_button, Qt.MouseButton.LeftButton)
    assert services.progress.get(profile_id, ids[0]).quiz_best == 2
    qtbot.mouseClick(quiz.close_button, Qt.MouseButton.LeftButton)
    assert screen.stack.currentIndex() == PAGE_END
    assert "2 of 2" in screen.end_panel.detail.text()

    qtbot.mouseClick(screen.end_panel.next_button, Qt.MouseButton.LeftButton)
    assert nav[1].lessons == [(ids[1], [], -1.0)]
    screen.leave()
    played = [json.loads(r[0]) for r in services.db.execute(
        "SELECT payload FROM changes WHERE kind = 'session'").fetchall()]
    assert any(p["event"] == "lesson_played" and p["lesson_id"] == ids[0] for p in played)


def test_notes_are_kept_on_leave_and_focus_out(qtbot, screen, services,
                                               profile_id) -> None:
    """Text typed just before leaving (or leaving the field) is written at once."""
    ids = add_pack(services.db, "geen-video", 2, quiz=QUIZ)
    screen.open_lesson(ids[0], [], -1.0)
    assert screen.stack.currentIndex() == PAGE_END  # no video on this PC: notes and quiz work
    assert "not on this computer" in screen.end_panel.title.text()
    assert screen.end_panel.quiz_button.isVisible()
    screen.notes_edit.setFocus()
    qtbot.keyClicks(screen.notes_edit, "snel weg")
    screen.leave()
    assert _note(services, profile_id, ids[0]) == "snel weg"

    screen.open_lesson(ids[1], [], -1.0)
    assert screen.notes_edit.toPlainText() == ""
    screen.notes_edit.setFocus()
    qtbot.keyClicks(screen.notes_edit, "andere")
    screen.end_panel.home_button.setFocus()
    assert _note(services, profile_id, ids[1]) == "andere"
    screen.open_lesson(ids[0], [], -1.0)
    assert screen.notes_edit.toPlainText() == "snel weg"


def test_playlist_goes_on_by_itself_and_resumes(qtbot, screen, services, profile_id,
                                                nav) -> None:
    """In a playlist a lesson without a quiz leads to the next one by itself; the saved
    position is where a lesson resumes."""
    ids = add_clip_pack(services, "echt", 3)
    screen.AUTO_NEXT_S = 1
    with qtbot.waitSignal(screen.playing_started, timeout=WAIT_MS):
        screen.open_lesson(ids[1], [ids[2]], 0.0)
    qtbot.waitUntil(lambda: bool(nav[1].lessons), timeout=WAIT_MS)
    assert nav[1].lessons == [(ids[2], [], -1.0)]
    assert services.progress.get(profile_id, ids[1]).done  # played from the start to the end

    with qtbot.waitSignal(screen.playing_started, timeout=WAIT_MS):
        screen.open_lesson(ids[0], [], 2.0)
    screen.player.controller.pause()
    qtbot.waitUntil(lambda: screen.player.controller.state() == PlaybackState.PAUSED,
                    timeout=WAIT_MS)
    saved = services.progress.get(profile_id, ids[0]).position_s
    assert 2.0 <= saved < 5.5
    screen.leave()
    with qtbot.waitSignal(screen.playing_started, timeout=WAIT_MS):
        screen.open_lesson(ids[0], [], -1.0)
    assert screen.session.start_s == pytest.approx(saved)


def test_profile_switch_keeps_the_note_with_its_writer(qtbot, screen, services, ctx,
                                                       profile_id, nav) -> None:
    """A note typed just before another person takes over is saved for the one who typed
    it, and the screen goes home."""
    ids = add_pack(services.db, "geen-video", 1)
    screen.open_lesson(ids[0], [], -1.0)
    qtbot.keyClicks(screen.notes_edit, "van Anna")
    bert = services.profiles.create("Bert").id
    ctx.switch_profile(bert)
    assert _note(services, profile_id, ids[0]) == "van Anna"
    assert _note(services, bert, ids[0]) == ""
    assert nav[1].homes == 1 and screen.session is None


def test_played_stretches_count_playing_not_jumps() -> None:
    """The seconds played add up stretch by stretch; a jump is not playing."""
    stretches = PlayedStretches()
    stretches.started(0.0)
    for at in (0.5, 1.0, 5.5, 5.8):
        stretches.moved(at)
    assert stretches.played_s() == pytest.approx(1.3)
    stretches.stopped(6.0)
    assert stretches.played_s() == pytest.approx(1.5)


def test_jumping_to_the_end_is_not_done(qtbot, screen, services, profile_id, nav) -> None:
    """About a second played, a jump to the end: the end is shown, but the lesson is not
    done and only the played second counts as watched (also in what goes to the hub)."""
    ids = add_clip_pack(services, "echt", 1)
    done: list[str] = []
    screen.lesson_done.connect(done.append)
    with qtbot.waitSignal(screen.playing_started, timeout=WAIT_MS):
        screen.open_lesson(ids[0], [], 0.0)
    qtbot.waitUntil(lambda: screen.player.current_time_s() >= 1.0, timeout=WAIT_MS)
    screen.player.seek_s(5.7)
    qtbot.waitUntil(lambda: screen.stack.currentIndex() == PAGE_END, timeout=WAIT_MS)
    progress = services.progress.get(profile_id, ids[0])
    assert not progress.done and 0.5 < progress.watched_s < 3.0
    assert done == []
    assert "ended" in screen.end_panel.title.text()
    change = [json.loads(r[0]) for r in services.db.execute(
        "SELECT payload FROM changes WHERE kind = 'progress' AND entity_id = ?",
        [ids[0]]).fetchall()][-1]
    assert not change["done"] and change["watched_s"] < 3.0


def test_broken_video_still_offers_notes_quiz_and_next(qtbot, screen, services,
                                                      tmp_path) -> None:
    """A video that will not play says so in plain words; the quiz and the next lesson stay
    reachable, and the trainer's Markdown shows without raw HTML."""
    ids = add_clip_pack(services, "echt", 2, quiz=QUIZ)
    junk = tmp_path / "kapot.mp4"
    junk.write_bytes(b"dit is geen video" * 100)
    sha = store_file(services, junk)
    services.db.execute("UPDATE lessons SET video_sha256 = ?, trainer_notes = ? WHERE id = ?",
                        [sha, "**Let op** <b>geen html</b>", ids[0]])
    screen.open_lesson(ids[0], [], -1.0)
    qtbot.waitUntil(lambda: screen.stack.currentIndex() == PAGE_END, timeout=WAIT_MS)
    assert screen.end_panel.title.text() == "This video cannot be played."
    assert screen.end_panel.quiz_button.isVisible()
    assert screen.end_panel.next_button.isVisible()
    assert "<b>" in screen.trainer_notes.toPlainText()  # shown as typed, not as markup


def test_end_panel_counts_down_to_the_next_lesson_unless_stopped(qtbot) -> None:
    """The countdown shows the seconds on the next lesson's button and then asks for it, as
    the button would; stopped (the person chose something else), it asks for nothing."""
    panel = EndPanel()
    qtbot.addWidget(panel)
    panel.show_lesson(next_lesson=NextLesson("p/l2", "Foto's maken"))
    asked: list[bool] = []
    panel.next_clicked.connect(lambda: asked.append(True))
    panel.start_countdown(1)
    assert "1" in panel.next_button.text() and "Foto's maken" in panel.next_button.text()
    qtbot.waitUntil(lambda: asked == [True], timeout=5000)
    panel.start_countdown(2)
    panel.stop_countdown()
    qtbot.wait(2500)
    assert asked == [True]
