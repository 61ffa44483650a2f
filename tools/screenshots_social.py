#!/usr/bin/env python3
"""Screenshots of the social loop (issue 11) in Dutch and English at 1024x768, at 100% and at
the largest text: the bell and the Notifications page, Home with the group's news, My group,
and a discussion with a draft, marks and a trainer's badge. Runs under Xvfb like
``tools/screenshots.py``; writes ``<out>/social-<language>-<scale>-<screen>.png``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools.screenshots import ensure_display, grab, pump  # noqa: E402


def fill(services, pid: int) -> str:
    """A group of three with a conversation, news, an announcement and a draft."""
    from companion.core.db import write_transaction
    from companion.core.notifications import NotificationDeriver
    from companion.core.social import Drafts
    from tests.core.fake_library import add_pack

    lessons = add_pack(services.db, "instagram", 3, title="Instagram voor je zaak")
    lesson = lessons[0]
    db = services.db
    db.execute("INSERT INTO sync_logins(profile_id, hub_url, username, account_id, logged_in_at)"
               " VALUES (?, 'http://127.0.0.1:9', 'anna', 2, 'x')", [pid])
    db.execute("INSERT INTO sync_people(profile_id, account_id, name, motto) VALUES"
               " (?, 5, 'Tina Janssens', 'Samen leren gaat sneller'),"
               " (?, 8, 'Karim', 'Vers brood, elke dag om 7 uur'), (?, 9, 'Lies', '')",
               [pid, pid, pid])
    db.execute("INSERT INTO group_members(profile_id, group_id, group_name, account_id, username,"
               " role, joined_at) VALUES (?, 1, 'Bakkers Gent', 5, 'tina', 'trainer',"
               " '2026-01-10T09:00:00+00:00'), (?, 1, 'Bakkers Gent', 8, 'karim', 'learner',"
               " '2026-02-01T09:00:00+00:00'), (?, 1, 'Bakkers Gent', 9, 'lies', 'learner',"
               " '2026-02-03T09:00:00+00:00'), (?, 1, 'Bakkers Gent', 2, 'anna', 'learner',"
               " '2026-02-02T09:00:00+00:00')", [pid, pid, pid, pid])
    said = [("t1", "hub:5", "Tina Janssens", None,
             "Tip: zet je openingsuren in je bio. Voorbeeld: https://help.instagram.com"),
            ("t2", "hub:8", "Karim", "t1", "Gedaan! Ik krijg nu minder telefoontjes."),
            ("t3", "hub:9", "Lies", None, "Hoe vaak posten jullie een story per week?")]
    for seq, (cid, author, name, reply_to, body) in enumerate(said, start=1):
        db.execute("INSERT INTO comments(id, profile_id, lesson_id, author_id, author_name,"
                   " is_own, body, reply_to, created_at, server_seq) VALUES"
                   " (?, ?, ?, ?, ?, 0, ?, ?, ?, ?)",
                   [cid, pid, lesson, author, name, body, reply_to,
                    f"2026-11-2{seq}T1{seq}:05:00+01:00", seq])
    db.execute("INSERT INTO reactions(profile_id, comment_id, author_id, kind) VALUES"
               " (?, 't1', 'hub:8', 'useful'), (?, 't1', 'hub:9', 'useful'),"
               " (?, 't2', 'hub:5', 'thanks')", [pid, pid, pid])
    mine = services.comments.add(pid, lessons[1], "Werkt een reel beter dan een foto?")
    db.execute("UPDATE comments SET server_seq = 10 WHERE id = ?", [mine.id])
    db.execute("INSERT INTO announcements(profile_id, id, group_id, author_id, author_name,"
               " body, created_at, server_seq) VALUES (?, 'a1', '1', 'hub:5', 'Tina Janssens',"
               " 'Donderdag geen les: de bakkerij is dicht. We zien elkaar maandag!', 'x', 20)",
               [pid])
    with write_transaction(db):
        deriver = NotificationDeriver(db, pid)
        for seq, name, text in ((11, "Karim", "Een reel! Die wordt veel meer bekeken."),
                                (12, "Lies", "Bij mij ook, vooral met muziek erbij."),
                                (13, "Tina Janssens", "Goede vraag. Probeer het een week.")):
            deriver.event("reply", lessons[1], seq, name, lesson_id=lessons[1],
                          comment_id=f"r{seq}", text=text)
        deriver.event("useful", mine.id, 14, "Karim", lesson_id=lessons[1], comment_id=mine.id,
                      text=mine.body)
        deriver.event("pack", "facebook:1", 15, "Tina Janssens", text="Facebook voor je zaak")
        deriver.event("member", "", 16, "Lies", text="")
        deriver.event("announcement", "a1", 20, "Tina Janssens",
                      text="Donderdag geen les: de bakkerij is dicht.")
        deriver.flush()
    Drafts(db).save(pid, lesson, "Ik post er nu drie per week, maar", reply_to="t3")
    return lesson


def take(out: Path) -> int:
    from PySide6.QtWidgets import QApplication

    from companion.services import build_services
    from companion.ui.main import build_main_window
    from companion.ui.redraw import Redraw

    app = QApplication.instance() or QApplication([sys.argv[0]])
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        services = build_services(home)
        person = services.profiles.create("Anna", language="nl", motto="")
        lesson = fill(services, person.id)
        shell = build_main_window(services, person.id, home=home)
        window, nav, ctx = shell.window, shell.nav, shell.ctx
        window.show()
        window.setGeometry(0, 0, 1024, 768)
        for scale in (100, 200):
            services.preferences.set("text_scale", scale, person.id)
            for language in ("nl", "en"):
                services.profiles.update(person.id, language=language)
                ctx.announce(Redraw(settings=True))
                pump(app, 0.5)
                name = f"social-{language}-{scale}"
                window.show_screen("home")
                pump(app, 0.5)
                grab(app, window, out / f"{name}-home.png")
                nav.notifications()
                pump(app, 0.5)
                grab(app, window, out / f"{name}-notifications.png")
                nav.group()
                pump(app, 1.5)
                grab(app, window, out / f"{name}-group.png")
                nav.discussion(lesson, "t3")
                pump(app, 1.0)
                page = window.screens["lesson"]
                page.discussion.start_reply("t3")
                pump(app, 0.5)
                grab(app, window, out / f"{name}-discussion.png")
                window.show_screen("home")
                if scale == 100:
                    dialog = window.menu_actions.open_settings()
                    dialog.move(window.geometry().center() - dialog.rect().center())
                    pump(app, 0.4)
                    grab(app, dialog, out / f"{name}-settings.png")
                    dialog.reject()
        shell.close()
        services.close()
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--out", default=str(ROOT / "screenshots"))
    args = parser.parse_args()
    ensure_display([str(Path(__file__).resolve()), *sys.argv[1:]])
    return take(Path(args.out).resolve())


if __name__ == "__main__":
    sys.exit(main())
