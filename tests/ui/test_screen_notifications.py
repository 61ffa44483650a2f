"""The bell, the Notifications page and the tray (issue 11): the count after notifications
arrive, a click opening the lesson's discussion at the comment and reading it, quiet hours
holding the balloons, and keep-in-tray hiding the window instead of closing it."""

from __future__ import annotations

import threading
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSystemTrayIcon

from companion.core.db import write_transaction
from companion.core.notifications import BREAKS_ONLY_PREF, NotificationDeriver, Notifications
from companion.services import Services
from companion.ui.main import Shell
from companion.ui.redraw import Redraw
from companion.ui.social_ui import KEEP_IN_TRAY_PREF, SocialController, icon_with_count
from companion.ui.theme import app_icon
from tests.ui.shell_fixtures import *  # noqa: F403


def arrive(services: Services, profile_id: int, *events: tuple) -> None:
    """Notifications as the sync's applier writes them."""
    with write_transaction(services.db):
        deriver = NotificationDeriver(services.db, profile_id)
        for kind, target, seq, name, comment_id, text in events:
            deriver.event(kind, target, seq, name, lesson_id=target if "/" in target else None,
                          comment_id=comment_id, text=text)
        deriver.flush()


def lesson_of(services: Services, profile_id: int) -> str:
    return services.catalog.packs(profile_id) and services.db.execute(
        "SELECT id FROM lessons ORDER BY id LIMIT 1").fetchone()[0]


def test_bell_counts_and_the_page_opens_the_discussion(shell: Shell, shell_services: Services,
                                                       anna: int, qtbot) -> None:
    window = shell.window
    assert window.social.bell.count == 0 and window.social.bell.text() == ""
    lesson = lesson_of(shell_services, anna)
    shell_services.db.execute(
        "INSERT INTO comments(id, profile_id, lesson_id, author_id, author_name, is_own, body,"
        " created_at, server_seq) VALUES ('c7', ?, ?, 'hub:8', 'Bo', 0,"
        " '<b>Twee keer</b> per week', '2026-03-04T10:00:00', 7)", [anna, lesson])
    arrive(shell_services, anna, ("reply", lesson, 7, "Bo", "c7", "<b>Twee keer</b> per week"),
           ("reply", lesson, 8, "Tina", "c8", "Ja"), ("announcement", "a1", 9, "Tina", None,
                                                      "Donderdag vrij"))
    shell.ctx.bus.announce(Redraw(sync=True))
    qtbot.waitUntil(lambda: window.social.bell.count == 2)
    assert "2" in window.social.bell.accessibleName()
    qtbot.mouseClick(window.social.bell, Qt.MouseButton.LeftButton)
    assert window.current_screen() == "notifications"
    page = window.screens["notifications"]
    texts = [page.list.item(i).text() for i in range(page.list.count())]
    assert texts[0] == "Announcement from Tina\nDonderdag vrij"
    assert texts[1].startswith("2 new replies on Les 0") and "<b>Twee keer</b>" not in texts[1]
    assert page.list.item(0).font().bold()
    page.open(page.items[1])  # the replies: the lesson, its discussion, at the comment
    assert window.current_screen() == "lesson"
    lesson_page = window.screens["lesson"]
    qtbot.waitUntil(lambda: lesson_page.tabs.currentWidget() is lesson_page.discussion)
    assert [c.comment.id for c in lesson_page.discussion.cards] == ["c7"]
    qtbot.waitUntil(lambda: window.social.bell.count == 1)
    assert Notifications(shell_services.db).unread_count(anna) == 1
    shell.nav.notifications()
    page.mark_all_read()
    qtbot.waitUntil(lambda: window.social.bell.count == 0)
    qtbot.waitUntil(lambda: not page.read_all.isEnabled())
    assert not page.list.item(0).font().bold()


def test_empty_page_says_what_will_come(shell: Shell, qtbot) -> None:
    shell.nav.notifications()
    page = shell.window.screens["notifications"]
    assert page.empty.isVisible() and "Nothing new" in page.empty.text()
    assert not page.list.isVisible()


def test_quiet_hours_hold_balloons_until_the_break(shell: Shell, shell_services: Services,
                                                  anna: int, qtbot) -> None:
    shell_services.preferences.set(BREAKS_ONLY_PREF, True, anna)
    now = {"t": datetime(2026, 3, 4, 10, 30)}
    social = SocialController(shell.ctx, clock=lambda: now["t"], tray_available=False)
    arrive(shell_services, anna, ("member", "", 3, "Cor", None, "Samen sterk"),
           ("announcement", "a1", 4, "Tina", None, "Vrij"))
    assert refreshed(social, qtbot) == []  # the shop is busy
    assert social.unread == 2  # the bell counts all the same
    now["t"] = datetime(2026, 3, 4, 12, 0)
    (digest,) = refreshed(social, qtbot)
    assert digest.digest
    shown = {n.id: n for n in Notifications(shell_services.db).list(anna)}
    assert social.alert_text(digest, shown) == "2 new from your group while you were busy"
    assert refreshed(social, qtbot) == []


def refreshed(social: SocialController, qtbot) -> list:
    """Refresh and wait for its answer from the worker: the alerts shown."""
    with qtbot.waitSignal(social.refreshed, timeout=5000) as blocker:
        social.refresh()
    return blocker.args[0]


def test_counting_and_marking_balloons_run_off_the_ui_thread(
        shell: Shell, shell_services: Services, anna: int, qtbot, monkeypatch) -> None:
    """The issue: no notification work on the UI thread beyond drawing."""
    threads: list[str] = []
    for name in ("unread_count", "due_alerts"):
        original = getattr(Notifications, name)

        def spy(self, *args, _original=original, **kwargs):  # type: ignore[no-untyped-def]
            threads.append(threading.current_thread().name)
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(Notifications, name, spy)
    social = SocialController(shell.ctx, tray_available=False)
    arrive(shell_services, anna, ("member", "", 3, "Cor", None, "Samen sterk"))
    assert len(refreshed(social, qtbot)) == 1  # the balloon is marked shown once, on the worker
    assert social.unread == 1
    assert threads and all(t != threading.main_thread().name for t in threads)
    assert all(t.startswith("quick") for t in threads)
    # Two requests while one is under way: the second runs after, never beside it, so no
    # balloon is shown twice.
    arrive(shell_services, anna, ("announcement", "a2", 5, "Tina", None, "Vrij"))
    got: list[list] = []
    social.refreshed.connect(got.append)
    social.refresh()
    social.refresh()
    qtbot.waitUntil(lambda: len(got) == 2)
    assert [len(a) for a in got] == [1, 0] and social.unread == 2


def test_tray_where_there_is_one_and_keep_in_tray(shell: Shell, shell_services: Services,
                                                  qtbot) -> None:
    window = shell.window
    if not QSystemTrayIcon.isSystemTrayAvailable():
        assert window.social.tray is None  # no tray: the app says nothing, does without
        assert not window.social.hide_instead_of_close()
    social = SocialController(shell.ctx, tray_available=True)
    assert social.tray is not None
    assert [a.text() for a in social.tray.contextMenu().actions()] == ["Open", "Quit"]
    shell_services.preferences.set(KEEP_IN_TRAY_PREF, True)
    social.window = window
    assert social.keep_in_tray() and social.hide_instead_of_close()
    assert not window.isVisible()
    social.quitting = True
    assert not social.hide_instead_of_close()
    social.tray.hide()


def test_icon_with_count_draws_a_badge(qapp) -> None:
    plain = icon_with_count(app_icon(), 0).pixmap(64, 64).toImage()
    badged = icon_with_count(app_icon(), 3).pixmap(64, 64).toImage()
    assert plain != badged
    assert badged.pixelColor(60, 12).red() > 150  # the red dot, top right
