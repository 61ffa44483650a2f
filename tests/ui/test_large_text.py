"""Every screen and every dialog at 1024x768, at the default and at the largest text size, in
Dutch and in English: nothing sticks out of the window or the screen, text wraps instead of
needing a sideways scrollbar, the lesson's tabs are readable and the video keeps its height.
And a text size changed while the app runs reaches headings and buttons at once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QWidget,
)

from companion.core.db import write_transaction
from companion.services import Services
from companion.ui.dialogs.connect import ConnectDialog
from companion.ui.dialogs.download_trust import DownloadTrustDialog
from companion.ui.dialogs.help import AboutDialog, ShortcutsDialog
from companion.ui.dialogs.profile_form import ProfileDialog
from companion.ui.dialogs.profiles import PinDialog, ProfilePickerDialog
from companion.ui.dialogs.settings import SettingsDialog
from companion.ui.main import Shell
from companion.ui.redraw import Redraw
from companion.ui.theme import FONT_SCALE, MAX_TEXT_SCALE, MIN_TEXT_SCALE
from tests.ui.screen_fixtures import QUIZ, add_clip_pack
from tests.ui.shell_fixtures import *  # noqa: F403
from tests.ui.shell_fixtures import Look, build_cpack, running_shell

SCREEN = QSize(1024, 768)
LOOKS = [(scale, language) for scale in (MIN_TEXT_SCALE, MAX_TEXT_SCALE)
         for language in ("nl", "en")]

LONG_COMMENT = ("Tip: zet je openingsuren in je bio, en ook je adres en je telefoonnummer, "
                "dan bellen de klanten minder. Voorbeeld: https://help.instagram.com/"
                "een-heel-lang-adres-zonder-spaties-dat-toch-moet-passen-in-de-kolom")


def _where(widget: QWidget) -> str:
    names = []
    while widget is not None:
        names.append(widget.objectName() or type(widget).__name__)
        widget = widget.parentWidget()
    return "/".join(reversed(names))


def _scroll_viewport(widget: QWidget, top: QWidget) -> QWidget | None:
    """The viewport of the nearest scroll area ``widget`` is inside (below ``top``)."""
    parent = widget.parentWidget()
    while parent is not None and parent is not top:
        area = parent.parentWidget()
        if isinstance(area, QAbstractScrollArea) and area.viewport() is parent:
            return parent
        parent = parent.parentWidget()
    return None


def sticking_out(top: QWidget) -> list[str]:
    """The visible widgets under ``top`` that reach past its edges; inside a scroll area they
    may go below its bottom (that is what it scrolls) but never past its sides."""
    found = []
    bounds = top.rect()
    for widget in top.findChildren(QWidget):
        if not widget.isVisible() or widget.isWindow() or widget.width() <= 0:
            continue
        rect = QRect(widget.mapTo(top, QPoint(0, 0)), widget.size())
        viewport = _scroll_viewport(widget, top)
        if viewport is not None:
            port = QRect(viewport.mapTo(top, QPoint(0, 0)), viewport.size())
            if rect.left() < port.left() - 1 or rect.right() > port.right() + 1:
                found.append(f"{_where(widget)} {rect} sideways past {port}")
        elif not bounds.adjusted(-1, -1, 1, 1).contains(rect):
            found.append(f"{_where(widget)} {rect} past {bounds}")
    return found


def squeezed_buttons(top: QWidget) -> list[str]:
    """The visible buttons under ``top`` that are squeezed below their own height or drawn
    over one another (a layout given less room than it needs overlaps its widgets)."""
    buttons = [b for b in top.findChildren(QAbstractButton) if b.isVisible()
               and not b.isWindow() and b.width() > 0 and b.height() > 0]
    # (A button whose text wraps measures its height for its width: the overlap test is its.)
    found = [f"{_where(b)} {b.height()} < {b.minimumSizeHint().height()} high"
             for b in buttons if not b.hasHeightForWidth()
             and b.height() < b.minimumSizeHint().height() - 1]
    rects = [(b, QRect(b.mapTo(top, QPoint(0, 0)), b.size()).adjusted(1, 1, -1, -1))
             for b in buttons]
    for i, (a, ra) in enumerate(rects):
        found += [f"{_where(a)} over {_where(b)}" for b, rb in rects[i + 1:]
                  if ra.intersects(rb) and not a.isAncestorOf(b) and not b.isAncestorOf(a)]
    return found


def cut_buttons(top: QWidget) -> list[str]:
    """The visible buttons and check boxes under ``top`` given less width than their text
    needs (drawn cut short: "n lespakket importere")."""
    return [f"{_where(b)} {b.width()} < {b.sizeHint().width()} wide"
            for b in top.findChildren(QAbstractButton) if b.isVisible() and not b.isWindow()
            and b.text() and not b.hasHeightForWidth()
            and b.width() < b.minimumSizeHint().width() - 1]


def sideways_scrolling(top: QWidget) -> list[str]:
    """The visible scroll areas under ``top`` that would need a sideways scrollbar."""
    return [_where(area) for area in top.findChildren(QAbstractScrollArea)
            if area.isVisible() and (area.horizontalScrollBar().isVisible()
                                     or area.horizontalScrollBar().maximum() > 0)]


def on_screen(window: QWidget) -> bool:
    """The window lies on its screen; one larger than the (800x800) test screen at least
    starts at its edge, so its title bar and top are in reach."""
    free, frame = window.screen().availableGeometry(), window.frameGeometry()
    for start, size, free_start, free_size in ((frame.x(), frame.width(), free.x(), free.width()),
                                               (frame.y(), frame.height(), free.y(),
                                                free.height())):
        if size > free_size and start != free_start:
            return False
        if size <= free_size and not free_start <= start <= free_start + free_size - size:
            return False
    return True


def settle(qapp) -> None:
    for _ in range(3):
        qapp.processEvents()


@pytest.fixture(params=LOOKS, ids=[f"{s}-{lang}" for s, lang in LOOKS])
def big(request, qapp, home: Path, shell_services: Services, anna: int,
        look: Look) -> Iterator[Shell]:
    """The app at 1024x768 in the asked language and text size, with a real lesson that has
    a video and a discussion with long comments."""
    scale, language = request.param
    shell_services.profiles.update(anna, language=language)
    shell_services.preferences.set("text_scale", scale, anna)
    lesson_ids = add_clip_pack(shell_services, "echt", 1, quiz=QUIZ)
    comments = shell_services.comments
    first = comments.add(anna, lesson_ids[0], LONG_COMMENT)
    comments.add(anna, lesson_ids[0], LONG_COMMENT, reply_to=first.id)
    with running_shell(qapp, home, shell_services, anna, look) as built:
        built.window.resize(SCREEN)
        settle(qapp)
        built.lesson_ids = lesson_ids
        yield built
        lesson = built.window.screens.get("lesson")
        if lesson is not None and lesson.player is not None:
            lesson.leave()
            lesson.player.shutdown()


@pytest.mark.parametrize("key", ["home", "library", "downloads", "search", "notes",
                                 "notifications", "group"])
def test_every_screen_fits(big: Shell, qapp, key: str) -> None:
    window = big.window
    window.show_screen(key)
    settle(qapp)
    assert window.size() == SCREEN
    assert sticking_out(window) == [], "\n".join(sticking_out(window))
    assert sideways_scrolling(window) == []
    assert cut_buttons(window) == [], "\n".join(cut_buttons(window))


@pytest.mark.parametrize(("scale", "language"), LOOKS, ids=[f"{s}-{lang}" for s, lang in LOOKS])
def test_the_empty_home_fits(qapp, home: Path, shell_services: Services, anna: int, look: Look,
                             scale: int, language: str) -> None:
    """A first start, no lesson yet: the welcome and its two buttons ("Import a lesson pack…",
    "Go to Downloads") stack when they do not fit side by side."""
    shell_services.packs.remove("sociale-media")
    shell_services.profiles.update(anna, language=language)
    shell_services.preferences.set("text_scale", scale, anna)
    with running_shell(qapp, home, shell_services, anna, look) as built:
        window = built.window
        window.resize(SCREEN)
        window.show_screen("home")
        settle(qapp)
        assert window.screens["home"].empty_box.isVisible()
        assert sticking_out(window) == [], "\n".join(sticking_out(window))
        assert sideways_scrolling(window) == []


def test_the_lesson_fits_with_a_real_video_and_readable_tabs(big: Shell, qapp, qtbot) -> None:
    window = big.window
    big.nav.lesson(big.lesson_ids[0], [], 0.0)
    lesson = window.screens["lesson"]
    qtbot.waitUntil(lambda: lesson.player is not None and lesson.player.isVisible(),
                    timeout=15_000)
    settle(qapp)
    assert window.size() == SCREEN
    for index in range(lesson.tabs.count()):
        lesson.tabs.setCurrentIndex(index)
        settle(qapp)
        assert sticking_out(window) == [], lesson.tabs.tabText(index)
        assert sideways_scrolling(window) == [], lesson.tabs.tabText(index)
        bar = lesson.tabs.tabBar()
        assert bar.sizeHint().width() <= bar.width() + 1, "a tab title is cut short"
    # The video stays a picture, not a strip under its controls: never squeezed below its
    # own minimum, the controls below it, and well over a quarter of the screen high.
    player = lesson.player
    video, controls = player.video_area.geometry(), player.controls.geometry()
    assert player.height() >= player.minimumSizeHint().height()
    assert video.bottom() < controls.top()
    assert video.height() >= SCREEN.height() // 4 + 8
    assert video.width() >= SCREEN.width() // 3
    # Subtitles of two long lines cover at most half the picture, whatever the text size.
    area = player.video_area
    area.show_subtitle("Facebook werkt goed voor nieuws uit je zaak\nen voor wat je organiseert.")
    settle(qapp)
    assert area.rect().contains(area.overlay.geometry())
    assert area.overlay.height() <= area.height() // 2
    # The end of the lesson and its quiz fit as well.
    lesson._ended()
    settle(qapp)
    assert lesson.stack.currentWidget() is lesson.end_panel
    assert sticking_out(window) == [], "\n".join(sticking_out(window))
    assert squeezed_buttons(lesson.end_panel) == []
    lesson.start_quiz()
    settle(qapp)
    assert lesson.stack.currentWidget() is lesson.quiz_page
    assert sticking_out(window) == [], "\n".join(sticking_out(window))
    assert squeezed_buttons(lesson.quiz_page) == []
    assert sideways_scrolling(window) == []


def _dialogs(big: Shell, tmp: Path) -> list[QWidget]:
    ctx, window = big.ctx, big.window
    services = ctx.services
    return [
        SettingsDialog(ctx, window),
        ProfileDialog(services, welcome=True),
        ProfileDialog(services, ctx.profile, parent=window),
        ProfilePickerDialog(services, ctx.profile_id, parent=window),
        PinDialog(services, ctx.profile_id, parent=window),
        ConnectDialog(ctx, window),
        DownloadTrustDialog("Sociale media voor je zaak, deel twee: verkopen via Instagram",
                            "Trainer Tine", "ab12 " * 16, window),
        ShortcutsDialog(window),
        AboutDialog(window),
    ]


def test_every_dialog_fits(big: Shell, qapp, tmp_path: Path) -> None:
    problems = []
    for dialog in _dialogs(big, tmp_path):
        dialog.show()
        settle(qapp)
        name = type(dialog).__name__
        for size, what in ((dialog.size(), "size"), (dialog.sizeHint(), "sizeHint"),
                           (dialog.minimumSizeHint(), "minimumSizeHint")):
            if size.width() > SCREEN.width() or size.height() > SCREEN.height():
                problems.append(f"{name} {what} {size}")
        problems += [f"{name}: {p}" for p in sticking_out(dialog)]
        problems += [f"{name}: {p}" for p in sideways_scrolling(dialog)]
        if not on_screen(dialog):
            problems.append(f"{name} at {dialog.frameGeometry()} off the screen")
        dialog.hide()
        dialog.deleteLater()
    assert problems == [], "\n".join(problems)


def test_the_discussion_wraps_long_comments(big: Shell, qapp, qtbot) -> None:
    big.nav.lesson(big.lesson_ids[0], [], 0.0)
    lesson = big.window.screens["lesson"]
    lesson.tabs.setCurrentWidget(lesson.discussion)
    qtbot.waitUntil(lambda: len(lesson.discussion.cards) == 2, timeout=15_000)
    settle(qapp)
    scroll = lesson.discussion.scroll
    assert scroll.horizontalScrollBar().maximum() == 0
    assert not scroll.horizontalScrollBar().isVisible()
    for card in lesson.discussion.cards:
        assert card.body.width() <= scroll.viewport().width()


# -- a text size changed while the app runs ------------------------------------------------------

def _fonts(shell: Shell) -> dict[str, float]:
    home = shell.window.screens["home"]
    return {"heading": home.continue_heading.font().pointSizeF(),
            "primary": home.continue_button.font().pointSizeF(),
            "button": home.break_buttons[5].font().pointSizeF(),
            "button_height": float(home.continue_button.minimumHeight()),
            "button_width": float(home.continue_button.minimumWidth())}


def test_a_live_text_size_change_reaches_headings_and_buttons(shell: Shell, qapp) -> None:
    shell.window.show_screen("home")
    settle(qapp)
    before = _fonts(shell)
    shell.ctx.services.preferences.set("text_scale", MAX_TEXT_SCALE, shell.ctx.profile_id)
    shell.ctx.announce(Redraw(settings=True))
    settle(qapp)
    after = _fonts(shell)
    for key, value in before.items():
        assert after[key] >= value * 1.8, key


def test_a_live_text_size_change_reaches_an_open_dialog(shell: Shell, qapp) -> None:
    dialog = shell.window.menu_actions.open_settings()
    settle(qapp)
    heading = dialog.title.font().pointSizeF()
    button = dialog.close_button.font().pointSizeF()
    dialog.size_slider.setValue(MAX_TEXT_SCALE)
    settle(qapp)
    assert dialog.title.font().pointSizeF() >= heading * 1.8
    assert dialog.close_button.font().pointSizeF() >= button * 1.8
    assert dialog.size().width() <= SCREEN.width()
    dialog.reject()


def _all_scaled_fonts_follow(root: QWidget) -> list[str]:
    """Widgets given a relative font whose size is not that factor of the app's font."""
    base = QApplication.font().pointSizeF()
    wrong = []
    for widget in root.findChildren(QWidget):
        factor = widget.property(FONT_SCALE)
        if factor is not None and abs(widget.font().pointSizeF() - base * factor) > 0.2:
            wrong.append(_where(widget))
    return wrong


def test_every_relative_font_follows_a_live_change(shell: Shell, qapp) -> None:
    shell.ctx.services.preferences.set("text_scale", 170, shell.ctx.profile_id)
    shell.ctx.announce(Redraw(settings=True))
    settle(qapp)
    for key in ("home", "library", "downloads", "search", "notes"):
        shell.window.show_screen(key)
        settle(qapp)
    assert _all_scaled_fonts_follow(shell.window) == []


def _dialog_problems(dialog: QWidget, name: str) -> list[str]:
    problems = []
    for size, what in ((dialog.size(), "size"), (dialog.sizeHint(), "sizeHint"),
                       (dialog.minimumSizeHint(), "minimumSizeHint")):
        if size.width() > SCREEN.width() or size.height() > SCREEN.height():
            problems.append(f"{name} {what} {size}")
    problems += [f"{name}: {p}" for p in sticking_out(dialog)]
    problems += [f"{name}: {p}" for p in sideways_scrolling(dialog)]
    return problems


def test_the_import_dialog_fits(big: Shell, qapp, qtbot, tmp_path: Path) -> None:
    """The trust question of a pack from an unknown trainer, and what was imported."""
    pack = build_cpack(tmp_path, signer="trainer-tine-met-een-lange-naam")
    big.nav.import_packs([str(pack.path)])
    dialog = big.window._import_dialog
    qtbot.waitUntil(lambda: dialog.pages.currentWidget() is dialog.trust_page, timeout=15_000)
    settle(qapp)
    problems = _dialog_problems(dialog, "trust")
    dialog.once_button.click()
    qtbot.waitUntil(lambda: dialog.pages.currentWidget() is dialog.done_page, timeout=15_000)
    settle(qapp)
    problems += _dialog_problems(dialog, "done")
    dialog.close_button.click()
    assert problems == [], "\n".join(problems)


def test_a_live_change_to_the_largest_text_still_fits(big: Shell, qapp, qtbot) -> None:
    """From the default to the largest text while the app runs: the pages reflow at once."""
    prefs, person = big.ctx.services.preferences, big.ctx.profile_id
    if prefs.get_int("text_scale", person) != MIN_TEXT_SCALE:
        pytest.skip("starts at the largest text already")
    big.nav.lesson(big.lesson_ids[0], [], 0.0)
    lesson = big.window.screens["lesson"]
    qtbot.waitUntil(lambda: lesson.player is not None and lesson.player.isVisible(),
                    timeout=15_000)
    settle(qapp)
    prefs.set("text_scale", MAX_TEXT_SCALE, person)
    big.ctx.announce(Redraw(settings=True))
    settle(qapp)
    for index in range(lesson.tabs.count()):
        lesson.tabs.setCurrentIndex(index)
        settle(qapp)
        assert sticking_out(big.window) == [], "\n".join(sticking_out(big.window))
        assert lesson.tabs.tabBar().sizeHint().width() <= lesson.tabs.tabBar().width() + 1
    big.window.show_screen("home")
    settle(qapp)
    assert sticking_out(big.window) == [], "\n".join(sticking_out(big.window))
    assert sideways_scrolling(big.window) == []


def test_the_library_buttons_are_never_cut(big: Shell, qapp, shell_services: Services) -> None:
    """With a pack in another language the library offers "Show lessons in every language"
    beside Play and Import: at the largest text the three are wider than the window, so the
    check box goes on a line of its own instead of cutting the import button short."""
    services = shell_services
    add_clip_pack(services, "ander", 1, title="Lessons in French")
    window = big.window
    library = window.screens["library"]
    with write_transaction(services.db):  # the other packs in the person's own language
        services.db.execute("UPDATE packs SET language = CASE id WHEN 'ander' THEN 'fr'"
                            " ELSE ? END", [library.ctx.profile.language])
    window.show_screen("library")
    library.reload()
    settle(qapp)
    assert library.all_languages.isVisible()
    assert cut_buttons(window) == [], "\n".join(cut_buttons(window))
    assert sticking_out(window) == [], "\n".join(sticking_out(window))
    row = library.button_grid.getItemPosition(library.button_grid.indexOf(library.all_languages))
    assert row[0] == (1 if library.width() < sum(
        w.sizeHint().width() for w in (library.play_button, library.import_button,
                                       library.all_languages)) else 0)
