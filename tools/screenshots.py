#!/usr/bin/env python3
"""Screenshots of the main screens in Dutch and English (``make screenshots``).

Runs the real app in a real X server (Xvfb): started through ``xvfb-run`` when there is no
display yet. The video area is drawn by the player straight to the screen, so each picture is
taken from the screen (``QScreen.grabWindow``), not from the widget. Writes
``<out>/<language>-<width>x<height>-<screen>.png``.

An empty ``--home`` gets the sample packs from ``lessons/`` first (built and signed with a
throw-away key), and a demo person with some progress and a note, so the screens have
something to show.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCREEN = "1280x800x24"
SIZES = ((1280, 800), (1024, 768))
LANGUAGES = ("nl", "en")


def ensure_display(argv: list[str]) -> None:
    """Re-run this script under xvfb-run when there is no X display."""
    if os.environ.get("DISPLAY") or os.environ.get("COMPANION_SCREENSHOTS_CHILD"):
        return
    xvfb = shutil.which("xvfb-run")
    if xvfb is None:
        sys.exit("error: no X display and no xvfb-run (apt-get install xvfb xauth)")
    env = dict(os.environ, COMPANION_SCREENSHOTS_CHILD="1", QT_QPA_PLATFORM="xcb")
    code = subprocess.call([xvfb, "-a", "-s", f"-screen 0 {SCREEN}", sys.executable,
                            *argv], env=env)
    sys.exit(code)


def prepare_home(home: Path) -> None:
    """Sample packs and a demo person with some progress, when the home has none."""
    from companion.core.packs.build import build_pack
    from companion.core.packs.keys import generate_keypair, load_signing_key
    from companion.services import build_services

    services = build_services(home)
    try:
        if not services.packs.list_packs():
            with tempfile.TemporaryDirectory() as tmp:
                key_path, _pub = generate_keypair("sample-trainer", Path(tmp) / "keys")
                key = load_signing_key(key_path)
                services.trust.trust(key.public_key)
                for source in sorted((ROOT / "lessons").glob("*/pack.toml")):
                    built = build_pack(source.parent, Path(tmp), key)
                    services.packs.import_pack(built.path)
        if not services.profiles.list():
            anna = services.profiles.create("Anna Peeters", language="nl",
                                            motto="Elke dag vers brood, en een glimlach")
            lessons = [x for x in services.catalog.lessons(anna.id)
                       if x.pack_id.startswith("sociale")] or services.catalog.lessons(anna.id)
            if len(lessons) >= 2:
                services.progress.mark_done(anna.id, lessons[0].id)
                services.progress.save_position(anna.id, lessons[1].id,
                                                lessons[1].duration_s * 0.4)
                services.notes.save_lesson_text(
                    anna.id, lessons[1].id,
                    "[0:12] Bio: wat ik verkoop, openingsuren, adres.\n"
                    "[0:40] Elke dag een story van wat vers is.")
                add_discussion(services, anna.id, lessons[1].id)
    finally:
        services.close()


def pump(app, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def grab(app, widget, path: Path) -> None:
    """A picture of the window as it is on the screen (video included)."""
    widget.raise_()
    pump(app, 0.05)
    geometry = widget.frameGeometry()
    screen = widget.screen() or app.primaryScreen()
    picture = screen.grabWindow(0, geometry.x(), geometry.y(), geometry.width(),
                                geometry.height())
    path.parent.mkdir(parents=True, exist_ok=True)
    picture.save(str(path))
    print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


def tiny_pack(folder: Path) -> Path:
    """A one-lesson pack signed by a trainer this PC does not know (for the trust question)."""
    import struct

    from companion.core.packs.build import build_pack
    from companion.core.packs.keys import generate_keypair, load_signing_key

    src = folder / "src"
    (src / "01").mkdir(parents=True)
    (src / "pack.toml").write_text('id = "proefpakket"\ntitle = "Proefpakket"\n'
                                   'version = "1"\nlanguage = "nl"\n', encoding="utf-8")
    (src / "01" / "lesson.toml").write_text('id = "proef"\ntitle = "Proef"\n'
                                            'video = "v.mp4"\n', encoding="utf-8")
    body = struct.pack(">B3sIIII", 0, b"\0\0\0", 0, 0, 1000, 30000) + b"\0" * 80
    mvhd = struct.pack(">I4s", 8 + len(body), b"mvhd") + body
    mp4 = (struct.pack(">I4s4sI4s", 20, b"ftyp", b"isom", 512, b"isom")
           + struct.pack(">I4s", 8 + len(mvhd), b"moov") + mvhd)
    (src / "01" / "v.mp4").write_bytes(mp4)
    key_path, _pub = generate_keypair("Trainer-Tine", folder / "keys")
    return build_pack(src, folder, load_signing_key(key_path)).path


def dialogs(app, shell, prefix: Path) -> None:
    """The welcome, the profile picker and the trust question, each on its own."""
    from companion.ui.dialogs.profile_form import ProfileDialog
    from companion.ui.dialogs.profiles import ProfilePickerDialog

    services, window = shell.ctx.services, shell.window
    for name, dialog in (("welcome", ProfileDialog(services, welcome=True)),
                         ("profiles", ProfilePickerDialog(services, shell.ctx.profile_id))):
        dialog.show()
        dialog.move(window.geometry().center() - dialog.rect().center())
        pump(app, 0.3)
        grab(app, dialog, prefix.with_name(f"{prefix.name}-{name}.png"))
        dialog.reject()
    with tempfile.TemporaryDirectory() as tmp:
        shell.nav.import_packs([str(tiny_pack(Path(tmp)))])
        importer = window._import_dialog
        for _ in range(300):
            if importer.pages.currentWidget() is importer.trust_page:
                break
            pump(app, 0.02)
        importer.move(window.geometry().center() - importer.rect().center())
        pump(app, 0.3)
        grab(app, importer, prefix.with_name(f"{prefix.name}-trust.png"))
        importer.skip_button.click()
        pump(app, 0.5)
        importer.accept()


def courier(app, shell, prefix: Path) -> None:
    """The strip a USB stick brings up: as on a trainer's PC (both buttons), then the plain
    summary after an exchange."""
    from companion.sync.courier import ExchangeResult, StickInfo

    window, bar = shell.window, shell.window.courier_bar
    bar.can_exchange = lambda: True  # as for a profile with courier keys and a login
    bar.can_deliver = lambda: True
    with tempfile.TemporaryDirectory() as tmp:
        bar.show_sticks([StickInfo(Path(tmp) / "STICK" / "companion-courier", 15, 14, 1)])
        window.show_screen("home")
        pump(app, 0.6)
        grab(app, window, prefix.with_name(f"{prefix.name}-courier.png"))
        bar._exchanged(ExchangeResult(sent=12, received=40, new_packs=["bakken"]))
        pump(app, 0.6)
        grab(app, window, prefix.with_name(f"{prefix.name}-courier-done.png"))
    del bar.can_exchange, bar.can_deliver
    bar._message = ""
    bar.show_sticks([])


def add_discussion(services, profile_id: int, lesson_id: str) -> None:
    """A short group conversation as it arrives from the hub, and one own reply not yet sent."""
    said = [("t1", "trainer-sam", "Sam (trainer)", None,
             "Tip: zet je openingsuren in je bio. Voorbeeld: https://help.instagram.com"),
            ("t2", "u-karim", "Karim", "t1", "Gedaan! Ik krijg nu minder telefoontjes."),
            ("t3", "u-lies", "Lies", None, "Hoe vaak posten jullie een story per week?")]
    for seq, (cid, author, name, reply_to, body) in enumerate(said, start=1):
        services.db.execute(
            "INSERT INTO comments(id, profile_id, lesson_id, author_id, author_name, is_own,"
            " body, reply_to, created_at, server_seq) VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?)",
            [cid, profile_id, lesson_id, author, name, body, reply_to,
             f"2026-11-2{seq}T1{seq}:05:00+01:00", seq])
    services.comments.add(profile_id, lesson_id, "Elke dag één, van wat er vers binnenkomt.",
                          reply_to="t3")


def take(home: Path, out: Path) -> int:
    from PySide6.QtWidgets import QApplication

    from companion.services import build_services
    from companion.ui.main import build_main_window
    from companion.ui.redraw import Redraw
    app = QApplication.instance() or QApplication([sys.argv[0]])
    prepare_home(home)
    services = build_services(home)
    person = services.profiles.current_or_default()
    shell = build_main_window(services, person.id, home=home)
    window, nav, ctx = shell.window, shell.nav, shell.ctx
    window.show()
    lessons = services.catalog.lessons(person.id)
    in_progress = next((x for x in lessons if x.state == "in_progress"), None)
    for width, height in SIZES:
        languages = LANGUAGES if (width, height) == SIZES[0] else LANGUAGES[:1]
        window.setGeometry(0, 0, width, height)
        for language in languages:
            services.profiles.update(person.id, language=language)
            ctx.announce(Redraw(settings=True))
            pump(app, 0.4)
            name = f"{language}-{width}x{height}"
            for key in ("home", "library", "search", "notes"):
                window.show_screen(key)
                if key == "search":
                    nav.search("instagram")
                pump(app, 0.6)
                grab(app, window, out / f"{name}-{key}.png")
            if lessons:
                nav.lesson((in_progress or lessons[0]).id)
                pump(app, 2.5)
                grab(app, window, out / f"{name}-lesson.png")
                lesson_screen = window.screens.get("lesson")
                if lesson_screen is not None:
                    lesson_screen.tabs.setCurrentIndex(2)  # the group's discussion
                    pump(app, 0.3)
                    grab(app, window, out / f"{name}-discussion.png")
                    lesson_screen.tabs.setCurrentIndex(0)
                window.show_screen("home")
            courier(app, shell, out / name)
            if (width, height) == SIZES[0]:
                dialog = window.menu_actions.open_settings()
                dialog.move(window.geometry().center() - dialog.rect().center())
                pump(app, 0.4)
                grab(app, dialog, out / f"{name}-settings.png")
                dialog.reject()
    for language in LANGUAGES:
        services.profiles.update(person.id, language=language)
        ctx.announce(Redraw(settings=True))
        pump(app, 0.3)
        dialogs(app, shell, out / f"{language}-dialog")
    services.profiles.update(person.id, language="nl")
    services.preferences.set("text_scale", 150, person.id)
    ctx.announce(Redraw(settings=True))
    window.setGeometry(0, 0, *SIZES[0])
    window.show_screen("home")
    pump(app, 0.6)
    grab(app, window, out / "nl-1280x800-home-text150.png")
    services.preferences.set("text_scale", 200, person.id)  # the largest text
    window.setGeometry(0, 0, *SIZES[1])
    for language in LANGUAGES:
        services.profiles.update(person.id, language=language)
        ctx.announce(Redraw(settings=True))
        courier(app, shell, out / f"{language}-1024x768-text200")
        for key in ("home", "library", "downloads", "search", "notes"):
            window.show_screen(key)
            pump(app, 0.6)
            grab(app, window, out / f"{language}-1024x768-text200-{key}.png")
    services.profiles.update(person.id, language="nl")
    window.setGeometry(0, 0, *SIZES[0])
    services.preferences.set("text_scale", 100, person.id)
    ctx.announce(Redraw(settings=True))
    shell.look.appearance.apply_scheme(True)  # as when the system is in dark mode
    for key in ("home", "library"):
        window.show_screen(key)
        pump(app, 0.6)
        grab(app, window, out / f"nl-1280x800-{key}-dark.png")
    shell.close()
    services.close()
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", default=str(ROOT / "demo-home"),
                        help="the portable home to show (default: demo-home)")
    parser.add_argument("-o", "--out", default=str(ROOT / "screenshots"),
                        help="folder for the PNG files (default: screenshots)")
    args = parser.parse_args()
    ensure_display([str(Path(__file__).resolve()), *sys.argv[1:]])
    return take(Path(args.home).resolve(), Path(args.out).resolve())


if __name__ == "__main__":
    sys.exit(main())
