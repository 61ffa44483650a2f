"""A comment a trainer hid, in the lesson's discussion: its author reads it with the reason,
everyone else sees only that it was hidden (issue 10)."""

from __future__ import annotations

from dataclasses import replace

from companion.core.comments import Comment
from companion.ui.screens.discussion_card import CommentCard

BASE = Comment(id="c1", lesson_id="p/l", author_id="u1", author_name="An", is_own=True,
               body="Koop mijn kaas", reply_to=None, created_at="2026-12-01T10:00:00+01:00",
               edited_at=None, deleted=False, waiting_to_send=False)


def test_the_author_reads_it_with_the_reason(qtbot) -> None:
    card = CommentCard(replace(BASE, hidden_reason="reclame"), is_reply=False)
    qtbot.addWidget(card)
    assert "hidden by the trainer: reclame" in card.header.text()
    assert "Koop mijn kaas" in card.body.text()


def test_others_see_only_that_it_was_hidden(qtbot) -> None:
    card = CommentCard(replace(BASE, is_own=False, author_id="hub:7", body="",
                               hidden_reason="reclame"), is_reply=False)
    qtbot.addWidget(card)
    assert card.body.text() == "Hidden by the trainer."
    assert "reclame" not in card.header.text() and not card.body.isEnabled()


def test_a_shown_comment_is_unchanged(qtbot) -> None:
    card = CommentCard(BASE, is_reply=False)
    qtbot.addWidget(card)
    assert "hidden" not in card.header.text() and "Koop mijn kaas" in card.body.text()
