"""The trainer's notes open at their top, however long they are; saving my notes is said
in plain words."""

from __future__ import annotations

from companion.ui.screens import LessonScreen, NotesScreen
from tests.core.fake_library import add_pack
from tests.ui.screen_fixtures import ctx, nav, profile_id, services  # noqa: F401

LONG_NOTES = "# Tips\n\n" + "\n\n".join(
    f"{i}. Post **één** foto per dag en vertel erbij wat er vers is." for i in range(60))


def shown_lesson(qtbot, ctx, nav, lesson_id: str) -> LessonScreen:
    """The lesson screen at 1024x768, shown, with ``lesson_id`` open."""
    screen = LessonScreen(ctx, nav[0])
    qtbot.addWidget(screen)
    screen.resize(1024, 768)
    screen.show()
    screen.open_lesson(lesson_id, [], -1.0)
    return screen


def test_the_trainer_tab_opens_at_the_top(qtbot, ctx, nav, services, profile_id) -> None:
    first, second = add_pack(services.db, "pack", 2)
    for lesson_id in (first, second):
        services.db.execute("UPDATE lessons SET trainer_notes = ? WHERE id = ?",
                            [LONG_NOTES, lesson_id])
    screen = shown_lesson(qtbot, ctx, nav, first)
    qtbot.wait(20)
    screen.tabs.setCurrentWidget(screen.trainer_notes)
    qtbot.wait(20)
    bar = screen.trainer_notes.verticalScrollBar()
    assert bar.maximum() > 0 and bar.value() == 0
    bar.setValue(bar.maximum() // 2)  # read halfway, then the next lesson: at its top again
    screen.open_lesson(second, [], -1.0)
    screen.tabs.setCurrentWidget(screen.trainer_notes)
    qtbot.wait(20)
    assert bar.value() == 0
    screen.leave()


def test_saving_the_notes_is_said_in_plain_words(qtbot, ctx, nav) -> None:
    screen = NotesScreen(ctx, nav[0])
    qtbot.addWidget(screen)
    for text in (screen.export_button.text(), screen.export_button.accessibleName()):
        assert "Markdown" not in text and "Export" not in text
    assert screen.export_button.text() == "Save my notes as a text file…"


def test_trainer_headings_stay_in_proportion(qtbot, ctx, nav, services,
                                             profile_id) -> None:
    (lesson_id,) = add_pack(services.db, "pack", 1)
    services.db.execute("UPDATE lessons SET trainer_notes = ? WHERE id = ?",
                        [LONG_NOTES, lesson_id])
    screen = shown_lesson(qtbot, ctx, nav, lesson_id)
    screen.tabs.setCurrentWidget(screen.trainer_notes)
    qtbot.wait(20)
    document = screen.trainer_notes.document()
    heading, body = document.begin(), document.begin().next()
    assert heading.blockFormat().headingLevel() == 1 and body.text().startswith("Post")
    heading_line = heading.layout().lineAt(0).height()
    body_line = body.layout().lineAt(0).height()
    assert body_line * 1.2 < heading_line <= body_line * 1.6
    screen.leave()
