"""A half-written comment is never lost: it is kept per lesson and per reply target when
another lesson is opened and across a restart. And the discussion follows a language change."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication

from companion.ui.screens import LessonScreen
from companion.ui.screens.discussion import DiscussionPanel
from companion.ui.screens.discussion_drafts import DRAFTS_PREF, CommentDrafts
from tests.core.fake_library import add_pack
from tests.ui.screen_fixtures import ctx, nav, profile_id, services  # noqa: F401
from tests.ui.test_screen_language import MarkingTranslator


@pytest.fixture
def lessons(services, profile_id) -> list[str]:
    ids = add_pack(services.db, "pack", 2)
    services.db.execute(
        "INSERT INTO comments(id, profile_id, lesson_id, author_id, author_name, is_own, body,"
        " reply_to, created_at, server_seq) VALUES ('c1', ?, ?, 'u9', 'Trainer Sam', 0,"
        " 'Welkom', NULL, '2026-11-20T10:15:00+01:00', 1)", [profile_id, ids[0]])
    return ids


def _panel(qtbot, ctx) -> DiscussionPanel:
    panel = DiscussionPanel(ctx)
    qtbot.addWidget(panel)
    panel.resize(420, 600)
    panel.show()
    return panel


def test_typed_text_survives_another_lesson_and_a_restart(qtbot, ctx, profile_id,
                                                          lessons) -> None:
    first, second = lessons
    panel = _panel(qtbot, ctx)
    panel.show_lesson(profile_id, first)
    panel.editor.setPlainText("Hoe vaak posten jullie")
    panel.show_lesson(profile_id, second)
    assert panel.editor.toPlainText() == ""
    panel.editor.setPlainText("Over les twee")
    panel.show_lesson(profile_id, first)
    assert panel.editor.toPlainText() == "Hoe vaak posten jullie"

    panel.close()  # the app closes: a new panel (a restart) finds both
    again = _panel(qtbot, ctx)
    again.show_lesson(profile_id, first)
    assert again.editor.toPlainText() == "Hoe vaak posten jullie"
    again.show_lesson(profile_id, second)
    assert again.editor.toPlainText() == "Over les twee"


def test_a_reply_keeps_its_own_text_and_the_comment_its_own(qtbot, ctx, profile_id,
                                                             lessons) -> None:
    first, second = lessons
    panel = _panel(qtbot, ctx)
    panel.show_lesson(profile_id, first)
    panel.editor.setPlainText("Mijn eigen vraag")
    panel.cards[0].reply_button.click()
    assert panel.editor.toPlainText() == ""
    panel.editor.setPlainText("Dank je, Sam")
    panel.show_lesson(profile_id, second)
    panel.show_lesson(profile_id, first)
    assert panel.mode_label.text() == "Replying to Trainer Sam"
    assert panel.editor.toPlainText() == "Dank je, Sam"
    panel.cancel_compose()
    assert panel.editor.toPlainText() == "Mijn eigen vraag"
    panel.cards[0].reply_button.click()
    assert panel.editor.toPlainText() == "Dank je, Sam"

    panel.send()  # sent: that text is done; the comment's own text comes back
    assert [c.body for c in panel.comments][-1] == "Dank je, Sam"
    assert panel.editor.toPlainText() == "Mijn eigen vraag"
    panel.close()
    again = _panel(qtbot, ctx)
    again.show_lesson(profile_id, first)
    assert again.editor.toPlainText() == "Mijn eigen vraag"
    again.cards[0].reply_button.click()
    assert again.editor.toPlainText() == ""


def test_the_lesson_screen_keeps_the_text_when_another_lesson_opens(qtbot, ctx, nav,
                                                                    profile_id,
                                                                    lessons) -> None:
    first, second = lessons
    screen = LessonScreen(ctx, nav[0])
    qtbot.addWidget(screen)
    screen.resize(1024, 768)
    screen.show()
    screen.open_lesson(first, [], -1.0)
    qtbot.waitUntil(lambda: screen.discussion.lesson_id == first)
    screen.tabs.setCurrentWidget(screen.discussion)
    screen.discussion.editor.setPlainText("Nog niet af")
    screen.open_lesson(second, [], -1.0)
    qtbot.waitUntil(lambda: screen.discussion.lesson_id == second)
    assert screen.discussion.editor.toPlainText() == ""
    screen.open_lesson(first, [], -1.0)
    qtbot.waitUntil(lambda: screen.discussion.lesson_id == first)
    assert screen.discussion.editor.toPlainText() == "Nog niet af"
    screen.leave()


def test_the_discussion_follows_a_language_change(qtbot, ctx, profile_id,
                                                  lessons) -> None:
    panel = _panel(qtbot, ctx)
    panel.show_lesson(profile_id, lessons[0])
    marked = MarkingTranslator()
    QCoreApplication.installTranslator(marked)
    try:
        qtbot.wait(10)
        assert "⟪" in panel.send_button.text()
        assert "⟪" in panel.intro.text() and "⟪" in panel.editor.placeholderText()
        assert "⟪" in panel.cards[0].reply_button.text()
    finally:
        QCoreApplication.removeTranslator(marked)
    qtbot.wait(10)
    assert panel.send_button.text() == "Send"


def test_a_broken_kept_text_does_not_keep_the_lesson_from_showing(qtbot, ctx, services,
                                                                  profile_id, lessons) -> None:
    services.preferences.set(DRAFTS_PREF + lessons[0], "{not json", profile_id)
    panel = _panel(qtbot, ctx)
    panel.show_lesson(profile_id, lessons[0])
    assert panel.editor.toPlainText() == "" and len(panel.cards) == 1
    panel.editor.setPlainText("Weer bezig")
    panel.save_drafts()
    assert CommentDrafts(services.preferences).texts(profile_id, lessons[0]) == {
        "": "Weer bezig"}


def _pulled_draft(services, profile_id: int, lesson_id: str, body: str | None,
                  reply_to: str | None = None) -> None:
    """A draft from my other PC as the sync's applier writes it (None: deleted there)."""
    from companion.core.social import draft_id

    did = draft_id(lesson_id, reply_to)
    if body is None:
        services.db.execute("DELETE FROM drafts WHERE profile_id = ? AND id = ?",
                            [profile_id, did])
        return
    services.db.execute(
        "INSERT INTO drafts(profile_id, id, lesson_id, reply_to, body, updated_at)"
        " VALUES (?, ?, ?, ?, ?, '2026-12-03T09:00:00') ON CONFLICT(profile_id, id)"
        " DO UPDATE SET body = excluded.body", [profile_id, did, lesson_id, reply_to, body])


def test_a_synced_draft_shows_in_the_open_discussion(qtbot, ctx, nav, services, profile_id,
                                                     lessons) -> None:
    """Gap of issue 11: a draft a pull brings for the open lesson shows without reopening
    it, but never overwrites what the person is typing right now."""
    from companion.ui.redraw import Redraw

    first = lessons[0]
    screen = LessonScreen(ctx, nav[0])
    qtbot.addWidget(screen)
    screen.resize(1024, 768)
    screen.show()
    screen.open_lesson(first, [], -1.0)
    qtbot.waitUntil(lambda: screen.discussion.lesson_id == first)
    panel = screen.discussion
    screen.tabs.setCurrentWidget(panel)
    assert panel.editor.toPlainText() == ""
    _pulled_draft(services, profile_id, first, "Begonnen op de laptop")
    _pulled_draft(services, profile_id, first, "Dank je wel", reply_to="c1")
    ctx.announce(Redraw(sync=True, from_hub=True))
    qtbot.waitUntil(lambda: panel.editor.toPlainText() == "Begonnen op de laptop")
    assert panel.editor.textCursor().atEnd()  # writing on goes on at the end
    panel.cards[0].reply_button.click()  # the reply's draft came along too
    assert panel.editor.toPlainText() == "Dank je wel"
    panel.cancel_compose()
    assert panel.editor.toPlainText() == "Begonnen op de laptop"

    panel.editor.setPlainText("Begonnen op de laptop, en hier verder")  # typing right now
    _pulled_draft(services, profile_id, first, "Op de laptop weer anders")
    ctx.announce(Redraw(sync=True, from_hub=True))
    qtbot.wait(50)
    assert panel.editor.toPlainText() == "Begonnen op de laptop, en hier verder"
    panel.save_drafts()  # what was typed here goes out and wins
    from companion.core.social import Drafts
    assert Drafts(services.db).get(profile_id, first).body == (
        "Begonnen op de laptop, en hier verder")

    # Sent on the laptop: the untouched text here goes away too.
    ctx.announce(Redraw(sync=True, from_hub=True))
    _pulled_draft(services, profile_id, first, None)
    ctx.announce(Redraw(sync=True, from_hub=True))
    qtbot.waitUntil(lambda: panel.editor.toPlainText() == "")
    screen.leave()


def test_take_synced_leaves_the_focused_text_and_unknown_lessons(services, profile_id,
                                                                 lessons) -> None:
    from companion.core.social import Drafts

    first, second = lessons
    drafts = CommentDrafts(services.preferences, Drafts(services.db))
    assert drafts.take_synced(profile_id, second, "") == set()  # never shown: read later
    drafts.set_text(profile_id, first, "", "Al verstuurd naar mijn laptop")
    drafts.save(profile_id, first)  # synced: what the laptop has equals what is here
    _pulled_draft(services, profile_id, first, "Nieuwer van de laptop")
    # The person is in the editor: left alone even though the text went out unchanged.
    assert drafts.take_synced(profile_id, first, "", focused=True) == set()
    assert drafts.texts(profile_id, first)[""] == "Al verstuurd naar mijn laptop"
    assert drafts.take_synced(profile_id, first, "") == {""}
    assert drafts.texts(profile_id, first)[""] == "Nieuwer van de laptop"
