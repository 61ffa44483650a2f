"""My group and Home's group part (issue 11): the members with their badge and motto, my card's
optional prompt, the list kept offline; pinned announcements read from Home, news and
unfinished answers that open where they were left."""

from __future__ import annotations

from companion.core.db import write_transaction
from companion.core.notifications import NotificationDeriver, Notifications
from companion.core.social import Drafts
from companion.services import Services
from companion.ui.main import Shell
from tests.ui.shell_fixtures import *  # noqa: F403


def _members(services: Services, profile_id: int) -> None:
    services.db.execute(
        "INSERT INTO sync_logins(profile_id, hub_url, username, account_id, logged_in_at)"
        " VALUES (?, 'http://127.0.0.1:9', 'anna', 2, 'x')", [profile_id])
    services.db.execute(
        "INSERT INTO sync_people(profile_id, account_id, name, motto) VALUES"
        " (?, 5, 'Tina', 'Samen leren'), (?, 8, 'Bo', '<b>Bakken</b> is delen')",
        [profile_id, profile_id])
    services.db.execute(
        "INSERT INTO group_members(profile_id, group_id, group_name, account_id, username,"
        " role, joined_at) VALUES (?, 1, 'Bakkers', 5, 'tina', 'trainer', '2026-01-10T09:00'),"
        " (?, 1, 'Bakkers', 8, 'bo', 'learner', '2026-02-01T09:00'),"
        " (?, 1, 'Bakkers', 2, 'anna', 'learner', '2026-02-02T09:00')",
        [profile_id, profile_id, profile_id])


def test_my_group_lists_people_with_badge_and_keeps_them_offline(
        shell: Shell, shell_services: Services, anna: int, qtbot) -> None:
    _members(shell_services, anna)
    shell.nav.group()
    page = shell.window.screens["group"]
    assert shell.window.current_screen() == "group"
    names = [c.name.text() for c in page.cards]
    assert names == ["Anna (you)", "Tina · trainer", "Bo"]
    assert page.cards[2].motto.text() == "“<b>Bakken</b> is delen”"  # shown as typed
    assert "2026" in page.cards[1].since.text()
    assert page.prompt.isVisible() and "a photo" in page.prompt.text()
    assert "optional" in page.prompt.text()
    # The hub at that address does not answer: the kept list stays, with a quiet line.
    qtbot.waitUntil(lambda: not page.fetching, timeout=10_000)
    assert [c.name.text() for c in page.cards] == names
    assert "last time" in page.status.text()


def test_not_connected_says_so(shell: Shell) -> None:
    shell.nav.group()
    page = shell.window.screens["group"]
    assert page.cards[0:0] == [] and "not connected" in page.status.text()


def test_home_pins_announcements_and_links_news_and_drafts(
        shell: Shell, shell_services: Services, anna: int, qtbot) -> None:
    lesson = shell_services.db.execute("SELECT id FROM lessons ORDER BY id").fetchone()[0]
    shell_services.db.execute(
        "INSERT INTO announcements(profile_id, id, group_id, author_id, author_name, body,"
        " created_at, server_seq) VALUES (?, 'a1', '1', 'hub:5', 'Tina',"
        " 'Donderdag <i>geen</i> les', 'x', 4)", [anna])
    with write_transaction(shell_services.db):
        deriver = NotificationDeriver(shell_services.db, anna)
        deriver.event("announcement", "a1", 4, "Tina", text="Donderdag geen les")
        deriver.event("reply", lesson, 5, "Bo", lesson_id=lesson, comment_id="c5", text="Ja")
        deriver.flush()
    Drafts(shell_services.db).save(anna, lesson, "Ik dacht dat")
    shell.nav.home()
    home = shell.window.screens["home"]
    home.refresh()
    card = home.group_news
    assert card.isVisible()
    texts = [card.pinned.itemAt(0).widget().findChildren(type(card.news_heading))[i].text()
             for i in range(2)]
    assert texts == ["From Tina", "Donderdag <i>geen</i> les"]
    assert card.drafts_heading.text() == "1 unfinished answer"
    news = card.news.itemAt(0).widget()
    assert news.text().startswith("• Bo replied on Les 0")
    news.click()
    assert shell.window.current_screen() == "lesson"
    assert Notifications(shell_services.db).unread_count(anna) == 1  # the announcement
    shell.nav.home()
    home.refresh()
    (done,) = [b for b in card.pinned.itemAt(0).widget().findChildren(type(card.group_button))]
    done.click()
    qtbot.waitUntil(lambda: Notifications(shell_services.db).unread_count(anna) == 0)
    home.refresh()
    assert card.pinned.count() == 0


def test_a_trainer_posts_an_announcement_from_the_group_menu(
        shell: Shell, shell_services: Services, anna: int) -> None:
    from companion.core.changelog import all_changes

    _members(shell_services, anna)
    menu = shell.window.menu_actions
    menu.group_menu.aboutToShow.emit()
    assert not menu.announce_action.isVisible()  # a learner: no such entry
    shell_services.db.execute("UPDATE group_members SET role = 'trainer' WHERE account_id = 2")
    menu.group_menu.aboutToShow.emit()
    assert menu.announce_action.isVisible()
    dialog = menu.announce()
    dialog.send()
    assert "Write a message" in dialog.error.text()
    dialog.editor.setPlainText("  Maandag starten we om 9 uur.  ")
    dialog.send()
    (change,) = [c for c in all_changes(shell_services.db, anna) if c.kind == "announcement"]
    assert change.payload == {"group_id": 1, "body": "Maandag starten we om 9 uur."}
    assert not dialog.isVisible()
