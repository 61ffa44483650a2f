"""The discussion's social side (issue 11): Useful and Thanks with counts, a trainer's badge,
the author's picture, and drafts that travel to my other PCs."""

from __future__ import annotations

import pytest

from companion.core.changelog import all_changes
from companion.core.social import Drafts
from companion.ui.screens.discussion import DiscussionPanel
from tests.core.fake_library import add_pack
from tests.ui.screen_fixtures import ctx, nav, profile_id, services  # noqa: F401


@pytest.fixture
def lesson(services, profile_id) -> str:
    (lesson_id,) = add_pack(services.db, "pack", 1)
    for cid, author, name, body in (("c1", "hub:5", "Tina", "Welkom allemaal"),
                                    ("c2", "hub:8", "Bo", "Hoi!")):
        services.db.execute(
            "INSERT INTO comments(id, profile_id, lesson_id, author_id, author_name, is_own,"
            " body, created_at, server_seq) VALUES (?, ?, ?, ?, ?, 0, ?, '2026-11-20T10:15',"
            " ?)", [cid, profile_id, lesson_id, author, name, body, int(cid[1])])
    services.db.execute(
        "INSERT INTO group_members(profile_id, group_id, group_name, account_id, username,"
        " role) VALUES (?, 1, 'Bakkers', 5, 'tina', 'trainer'), (?, 1, 'Bakkers', 8, 'bo',"
        " 'learner')", [profile_id, profile_id])
    return lesson_id


def _panel(qtbot, ctx) -> DiscussionPanel:
    panel = DiscussionPanel(ctx)
    qtbot.addWidget(panel)
    panel.resize(480, 600)
    panel.show()
    return panel


def test_marks_badge_and_picture(qtbot, ctx, services, profile_id, lesson) -> None:
    panel = _panel(qtbot, ctx)
    panel.show_lesson(profile_id, lesson)
    tina, bo = panel.cards
    assert "trainer" in tina.header.text() and "trainer" not in bo.header.text()
    assert not tina.photo.pixmap().isNull()
    assert tina.useful_button.text() == "Useful" and tina.useful_button.isEnabled()
    tina.useful_button.click()
    tina = panel.cards[0]  # redrawn
    assert tina.useful_button.text() == "Useful 1" and tina.useful_button.isChecked()
    changes = [c for c in all_changes(services.db, profile_id) if c.kind == "reaction"]
    assert [(c.entity_id, c.payload) for c in changes] == [
        ("c1", {"reaction": "useful", "on": True})]
    panel.cards[0].useful_button.click()  # again: taken back
    assert panel.cards[0].useful_button.text() == "Useful"
    mine = services.comments.add(profile_id, lesson, "Mijn vraag")
    panel.reload()
    own = next(c for c in panel.cards if c.comment.id == mine.id)
    assert not own.useful_button.isEnabled()  # not on my own comment


def test_drafts_travel_when_the_panel_is_left(qtbot, ctx, services, profile_id,
                                              lesson) -> None:
    drafts = Drafts(services.db)
    drafts.save(profile_id, lesson, "Van de andere pc", reply_to="c2")  # pulled from my other PC
    panel = _panel(qtbot, ctx)
    panel.show_lesson(profile_id, lesson)
    panel.start_reply("c2")
    assert panel.editor.toPlainText() == "Van de andere pc"
    panel.cancel_compose()
    panel.editor.setPlainText("Een nieuwe vraag")
    before = len([c for c in all_changes(services.db, profile_id) if c.kind == "draft"])
    panel.save_drafts(synced=False)  # a pause in typing: kept here only
    assert len([c for c in all_changes(services.db, profile_id) if c.kind == "draft"]) == before
    panel.hide()  # leaving the panel: the draft goes to my other PCs too
    assert drafts.get(profile_id, lesson).body == "Een nieuwe vraag"
    panel.show()
    panel.send()
    assert drafts.get(profile_id, lesson) is None  # sent: no draft left anywhere
    assert drafts.get(profile_id, lesson, "c2").body == "Van de andere pc"


def test_a_click_on_a_name_shows_the_introduction(qtbot, ctx, services, profile_id,
                                                  lesson) -> None:
    from PySide6.QtCore import Qt

    services.db.execute(
        "INSERT INTO sync_people(profile_id, account_id, name, motto) VALUES"
        " (?, 5, 'Tina', '<b>Samen</b> leren'), (?, 8, 'Bo', '')", [profile_id, profile_id])
    panel = _panel(qtbot, ctx)
    panel.show_lesson(profile_id, lesson)
    tina, bo = panel.cards
    qtbot.mouseClick(tina.header, Qt.MouseButton.LeftButton)
    box = panel.introduction
    assert box.text() == "Tina · trainer"
    assert box.informativeText().startswith("“<b>Samen</b> leren”")  # as typed, not HTML
    box.close()
    qtbot.mouseClick(bo.photo, Qt.MouseButton.LeftButton)
    assert panel.introduction.text() == "Bo"
    assert "not introduced" not in panel.introduction.informativeText()
    panel.introduction.close()


def _red_photo(services) -> str:
    """A fellow member's photo as the sync fetches it into the media store."""
    import io

    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QColor, QImage

    image = QImage(64, 64, QImage.Format.Format_RGB32)
    image.fill(QColor("red"))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "JPEG")
    raw = bytes(data.data())
    sha, _size = services.media.ingest(io.BytesIO(raw), None, len(raw))
    return sha


def _centre(label) -> tuple[int, int, int]:
    pixmap = label.pixmap()
    colour = pixmap.toImage().pixelColor(pixmap.width() // 2, pixmap.height() // 2)
    return colour.red(), colour.green(), colour.blue()


def test_a_fetched_photo_shows_in_the_discussion_and_my_group(qtbot, ctx, services, profile_id,
                                                              lesson) -> None:
    """Gap of issue 11: once the sync fetched a fellow member's photo, their face shows
    instead of their initials, in the discussion and on My group."""
    from companion.core.social import GroupMembers
    from companion.ui.screens.group import MemberCard

    photo = _red_photo(services)
    services.db.execute(
        "INSERT INTO sync_people(profile_id, account_id, name, motto, photo_sha256) VALUES"
        " (?, 8, 'Bo', '', ?)", [profile_id, photo])
    panel = _panel(qtbot, ctx)
    panel.show_lesson(profile_id, lesson)
    tina, bo = panel.cards
    red, green, blue = _centre(bo.photo)
    assert red > 200 and green < 60 and blue < 60  # the photo
    assert _centre(tina.photo) != _centre(bo.photo)  # Tina has none yet: her initials
    (member,) = [m for m in GroupMembers(services.db).list(profile_id) if m.name == "Bo"]
    card = MemberCard(ctx, member)
    qtbot.addWidget(card)
    red, green, blue = _centre(card.photo)
    assert red > 200 and green < 60 and blue < 60
