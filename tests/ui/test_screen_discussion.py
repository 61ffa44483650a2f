"""The discussion under a lesson: write offline (waiting to send), reply, edit and delete your own,
other people's words shown as plain text with only web links clickable."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from companion.core.changelog import all_changes, mark_pushed
from companion.ui.redraw import Redraw
from companion.ui.screens.discussion import DiscussionPanel, comment_html
from tests.core.fake_library import add_pack
from tests.ui.screen_fixtures import ctx, profile_id, services  # noqa: F401


@pytest.fixture
def lesson(services, profile_id) -> str:
    (lesson_id,) = add_pack(services.db, "pack", 1)
    return lesson_id


@pytest.fixture
def panel(qtbot, ctx, profile_id, lesson) -> DiscussionPanel:
    widget = DiscussionPanel(ctx)
    qtbot.addWidget(widget)
    widget.resize(420, 600)
    widget.show()
    widget.show_lesson(profile_id, lesson)
    return widget


def _other(services, profile_id, lesson, comment_id, body, reply_to=None, seq=1):
    services.db.execute(
        "INSERT INTO comments(id, profile_id, lesson_id, author_id, author_name, is_own, body,"
        " reply_to, created_at, server_seq) VALUES (?, ?, ?, 'u9', 'Trainer Sam', 0, ?, ?,"
        " '2026-11-20T10:15:00+01:00', ?)",
        [comment_id, profile_id, lesson, body, reply_to, seq])


def test_write_offline_shows_waiting_then_sent(panel, services, profile_id, qtbot) -> None:
    """A comment typed offline shows at once as waiting; once pushed, the mark goes."""
    assert panel.empty.isVisible() and not panel.send_button.isEnabled()
    panel.editor.setPlainText("  Wie post al reels?  ")
    with qtbot.waitSignal(panel.written):
        qtbot.mouseClick(panel.send_button, Qt.MouseButton.LeftButton)
    assert panel.editor.toPlainText() == ""
    (card,) = panel.cards
    assert card.comment.body == "Wie post al reels?"
    assert "waiting to send" in card.header.text() and card.header.text().startswith("You")
    assert not panel.empty.isVisible()
    assert panel.title() == "Discussion (1)"
    change = next(c for c in all_changes(services.db, profile_id) if c.kind == "comment")
    mark_pushed(services.db, [change.change_id])
    panel.reload()
    assert "waiting to send" not in panel.cards[0].header.text()


def test_empty_and_too_long_are_refused_in_plain_words(panel, services, profile_id) -> None:
    """Nothing is written for an empty or too long comment; the line says why."""
    panel.editor.setPlainText("x" * 5001)
    panel.send()
    assert panel.error.isVisible() and "5000" in panel.error.text()
    assert panel.cards == []
    assert panel.editor.toPlainText() == "x" * 5001  # the text stays, to shorten
    panel.editor.setPlainText("   ")
    assert not panel.send_button.isEnabled()


def test_reply_edit_delete_own(panel, services, profile_id, lesson, qtbot, monkeypatch) -> None:
    """Reply under someone's comment; edit and delete only your own; a deleted one stays quiet."""
    _other(services, profile_id, lesson, "c1", "Welkom allemaal")
    panel.reload()
    (theirs,) = panel.cards
    assert not theirs.reply_button.isHidden() and theirs.edit_button.isHidden()
    theirs.reply_button.click()
    assert panel.mode_label.text() == "Replying to Trainer Sam"
    panel.editor.setPlainText("Dank je!")
    panel.send()
    _first, reply = panel.cards
    assert reply.comment.reply_to == "c1" and reply.is_reply
    assert not reply.edit_button.isHidden() and reply.reply_button.isHidden()
    reply.edit_button.click()
    assert panel.editor.toPlainText() == "Dank je!" and panel.send_button.text() == "Save change"
    panel.editor.setPlainText("Dank je wel!")
    panel.send()
    assert panel.cards[1].comment.body == "Dank je wel!"
    assert "edited" in panel.cards[1].header.text()
    panel.delete(panel.cards[1].comment.id)
    assert panel.cards[1].body.text() == "This comment was deleted."
    assert panel.cards[1].edit_button.isHidden()
    assert panel.title() == "Discussion (1)"
    ops = [c.op for c in all_changes(services.db, profile_id) if c.kind == "comment"]
    assert ops[-1] == "delete"


def test_reply_to_a_reply_stays_in_its_thread(panel, services, profile_id, lesson) -> None:
    """Deeper replies show under the thread's first comment; an orphan reply is not hidden."""
    _other(services, profile_id, lesson, "a", "Vraag", seq=1)
    _other(services, profile_id, lesson, "b", "Antwoord", reply_to="a", seq=2)
    _other(services, profile_id, lesson, "c", "Op het antwoord", reply_to="b", seq=3)
    _other(services, profile_id, lesson, "d", "Wees", reply_to="gone", seq=4)
    panel.reload()
    shown = [(c.comment.id, c.is_reply) for c in panel.cards]
    assert shown == [("a", False), ("b", True), ("c", True), ("d", False)]


def test_html_from_others_is_never_rendered(panel, services, profile_id, lesson) -> None:
    """Markup in a comment shows as text; only http(s) addresses become links."""
    body = ('<b>vet</b> <img src="http://evil/x.png"> <a href="javascript:alert(1)">klik</a>'
            " zie https://example.org/tips?a=1&b=2. en file:///etc/passwd")
    _other(services, profile_id, lesson, "x", body)
    panel.reload()
    shown = panel.cards[0].body.text()
    assert "<b>" not in shown and "&lt;b&gt;" in shown
    assert "<img" not in shown and '<a href="javascript' not in shown
    assert '<a href="https://example.org/tips?a=1&amp;b=2">' in shown
    assert 'href="file:' not in shown
    assert comment_html("a\nb") == "a<br>b"


def test_comments_arriving_by_sync_show_in_the_open_lesson(qtbot, ctx, services,
                                                           profile_id, lesson) -> None:
    """The lesson screen refreshes its discussion tab when a sync announces comments."""
    from companion.ui.navigation import Navigator
    from companion.ui.screens import LessonScreen

    screen = LessonScreen(ctx, Navigator())
    qtbot.addWidget(screen)
    screen.show()
    screen.open_lesson(lesson)
    qtbot.waitUntil(lambda: screen.discussion.lesson_id == lesson)
    assert screen.tabs.tabText(2) == "Discussion"
    _other(services, profile_id, lesson, "n1", "Nieuw van de groep")
    ctx.bus.announce(Redraw(sync=True, lesson_id=lesson))
    assert [c.comment.id for c in screen.discussion.cards] == ["n1"]
    assert screen.tabs.tabText(2) == "Discussion (1)"
    screen.leave()


def test_a_comment_the_hub_refused_says_why(panel, services, profile_id, lesson) -> None:
    """Refused for good: it stays visible with the hub's reason instead of "waiting"."""
    from companion.sync.state import record_refusal

    panel.editor.setPlainText("Kijk op mijn site")
    panel.send()
    change = next(c for c in all_changes(services.db, profile_id) if c.kind == "comment")
    record_refusal(services.db, change, "forbidden", "you are not in a group for this lesson")
    panel.reload()
    header = panel.cards[0].header.text()
    assert "waiting to send" not in header
    assert "not sent: you are not in a group for this lesson" in header


def test_refusals_are_told_by_their_reason(panel) -> None:
    """The plain sentence follows the library's reason, whatever words its message uses."""
    from companion.core.errors import LibraryError, Reason

    said = {reason: panel._plain_error(LibraryError("reworded", reason)) for reason in (
        Reason.COMMENT_EMPTY, Reason.COMMENT_TOO_LONG, Reason.COMMENT_NOT_OWN,
        Reason.COMMENT_DELETED)}
    assert said == {Reason.COMMENT_EMPTY: "Write something first.",
                    Reason.COMMENT_TOO_LONG: "That is too long: at most 5000 characters.",
                    Reason.COMMENT_NOT_OWN: "You can only change your own comments.",
                    Reason.COMMENT_DELETED: "This comment was deleted."}
    assert panel._plain_error(LibraryError("a comment needs some text")) == \
        "The comment could not be saved: a comment needs some text"
