"""Every visible string is translatable: in Dutch, no English text of the app stays behind."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QPlainTextEdit,
    QTabBar,
    QTableWidget,
    QTextEdit,
    QWidget,
)

from companion.ui.i18n import i18n_dir, language_of_locale, resolve_language
from companion.ui.main import Shell
from companion.ui.redraw import Redraw
from tests.ui.shell_fixtures import *  # noqa: F403
from tests.ui.shell_fixtures import WAIT_MS, build_cpack

TAGS = re.compile(r"<[^>]+>")
NO_WORDS = re.compile(r"^[\W\d_]*$")  # numbers, times, punctuation, symbols
#: Names that are the same in every language (the app's name, programs, file types).
SAME_IN_EVERY_LANGUAGE = ("Course companion", "VLC", "Markdown", "PIN", "Ctrl", "Instagram",
                          "Nederlands", "English")
FINGERPRINT = re.compile(r"^[0-9a-f]{4}( [0-9a-f]{4}){3}$")
MAX_ROWS = 200
TEXT_ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
              Qt.ItemDataRole.AccessibleTextRole)
DELEGATE_ROLES = tuple(Qt.ItemDataRole.UserRole + i for i in range(1, 12))
IDENTIFIER = re.compile(r"^[a-z0-9_./-]+$")  # "lesson", "pack/les-1": data, not words


def _plain(text: str) -> str:
    return " ".join(TAGS.sub(" ", text.replace("&&", "\0").replace("&", "").replace("\0", "&"))
                    .split())


def _widget_texts(widget: QWidget) -> list[str]:
    out = [widget.toolTip()]
    if widget.isWindow():
        out.append(widget.windowTitle())
    if isinstance(widget, QLabel | QAbstractButton):
        out.append(widget.text())
    elif isinstance(widget, QGroupBox):
        out.append(widget.title())
    elif isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit):
        out.append(widget.placeholderText())
    elif isinstance(widget, QAbstractItemView) and not isinstance(
            widget, QListWidget | QTableWidget | QHeaderView):
        out.extend(_model_texts(widget.model()))
    elif isinstance(widget, QComboBox):
        out.extend(widget.itemText(i) for i in range(widget.count()))
    elif isinstance(widget, QListWidget):
        out.extend(widget.item(i).text() for i in range(widget.count()))
    elif isinstance(widget, QTabBar):
        out.extend(widget.tabText(i) for i in range(widget.count()))
    elif isinstance(widget, QTableWidget):
        for col in range(widget.columnCount()):
            header = widget.horizontalHeaderItem(col)
            out.append(header.text() if header else "")
        for row in range(widget.rowCount()):
            item = widget.item(row, 1)
            out.append(item.text() if item else "")
    return out


def _model_texts(model: QAbstractItemModel | None) -> list[str]:
    """The texts of the rows of a list or tree (and of the roles its delegate paints)."""
    out: list[str] = []
    if model is None:
        return out
    todo = [QModelIndex()]
    while todo and len(out) < MAX_ROWS * 4:
        parent = todo.pop()
        for row in range(min(model.rowCount(parent), MAX_ROWS)):
            index = model.index(row, 0, parent)
            for role in (*TEXT_ROLES, *DELEGATE_ROLES):
                value = model.data(index, role)
                if isinstance(value, str) and (role in TEXT_ROLES
                                               or not IDENTIFIER.match(value)):
                    out.append(value)
            if model.rowCount(index) > 0:
                todo.append(index)
    return out


def visible_texts(roots: list[QWidget], menus: list[QMenu]) -> dict[str, str]:
    """Every text a person can see under ``roots`` and in ``menus``: text -> where."""
    found: dict[str, str] = {}
    for root in roots:
        for widget in [root, *root.findChildren(QWidget)]:
            if not widget.isVisible():
                continue
            for text in _widget_texts(widget):
                if text and text.strip():
                    found.setdefault(_plain(text), f"{type(widget).__name__} "
                                                    f"{widget.objectName()!r}")
    for menu in menus:
        found.setdefault(_plain(menu.title()), "menu")
        for action in menu.actions():
            for text in (action.text(), action.toolTip()):
                if text:
                    found.setdefault(_plain(text), f"action {action.objectName()!r}")
    return found


def same_translation_patterns() -> list[re.Pattern[str]]:
    """Source strings whose Dutch is, on purpose, the same ("Details", "Quiz", "In: %1"),
    as patterns where %1 or %n stand for anything."""
    root = ET.parse(i18n_dir() / "companion_nl.ts").getroot()
    patterns = []
    for message in root.iter("message"):
        translation = message.find("translation")
        source = _plain(message.findtext("source") or "")
        if translation is None or translation.get("type") is not None:
            continue
        forms = [f.text or "" for f in translation.iter("numerusform")] or [
            translation.text or ""]
        if any(_plain(form) == source for form in forms):
            parts = re.split(r"%(?:n|\d)", source)
            patterns.append(re.compile("^" + ".+".join(map(re.escape, parts)) + "$"))
    return patterns


def content_of_the_library(shell: Shell) -> list[str]:
    """What comes from packs and people, not from the app: it stays as it was written."""
    svc, pid = shell.ctx.services, shell.ctx.profile_id
    words: list[str] = []
    for pack in svc.catalog.packs(pid):
        words += [pack.title, pack.author, pack.description, pack.id]
    for lesson in svc.catalog.lessons(pid):
        words += [lesson.title, lesson.summary, lesson.id, lesson.key]
    for profile in svc.profiles.list():
        words += [profile.name, profile.motto]
    return sorted({w for w in words if w}, key=len, reverse=True)


def untranslated(english: dict[str, str], dutch: dict[str, str], shell: Shell) -> list[str]:
    allowed_same = same_translation_patterns()
    content = content_of_the_library(shell) + list(SAME_IN_EVERY_LANGUAGE)
    bad = []
    for text, where in dutch.items():
        if text not in english or NO_WORDS.match(text) or FINGERPRINT.match(text) \
                or len(text) == 1:
            continue
        if any(pattern.match(text) for pattern in allowed_same):
            continue
        rest = text
        for piece in content:
            rest = rest.replace(piece, " ")
        if NO_WORDS.match(rest):
            continue
        bad.append(f"{text!r} ({where})")
    return sorted(bad)


def _walk_everything(shell: Shell, qtbot, pack_path: Path) -> dict[str, str]:
    """Visit every screen and open every dialog; collect what is visible on each."""
    window, actions = shell.window, shell.window.menu_actions
    found: dict[str, str] = {}
    for key in ("home", "library", "downloads", "search", "notes"):
        window.show_screen(key)
        QApplication.processEvents()
        found |= visible_texts([window], actions.menus)
    lessons = shell.ctx.services.catalog.lessons(shell.ctx.profile_id)
    shell.nav.lesson(lessons[0].id)
    QApplication.processEvents()
    found |= visible_texts([window], actions.menus)
    window.show_screen("home")
    for open_dialog in (actions.open_settings, actions.edit_profile, actions.new_profile,
                        lambda: actions.change_pin(False), actions.switch_profile,
                        actions.show_shortcuts, actions.show_about):
        dialog = open_dialog()
        QApplication.processEvents()
        found |= visible_texts([dialog], [])
        dialog.reject()
    shell.nav.import_packs([str(pack_path)])
    importer = window._import_dialog
    qtbot.waitUntil(lambda: importer.pages.currentWidget() is importer.trust_page,
                    timeout=WAIT_MS)
    found |= visible_texts([importer], [])
    importer.skip_button.click()
    qtbot.waitUntil(lambda: importer.pages.currentWidget() is importer.done_page,
                    timeout=WAIT_MS)
    found |= visible_texts([importer], [])
    importer.accept()
    return found


def test_nothing_stays_english_in_dutch(shell: Shell, qtbot, tmp_path: Path) -> None:
    """Walk all screens, menus and dialogs in English and in Dutch: no app text is the same."""
    pack = build_cpack(tmp_path)
    english = _walk_everything(shell, qtbot, pack.path)
    assert "&File" not in english and "File" in english  # the walk sees the menus
    shell.ctx.services.profiles.update(shell.ctx.profile_id, language="nl")
    shell.ctx.announce(Redraw(settings=True))
    qtbot.waitUntil(lambda: shell.window.menu_actions.file_menu.title() == "&Bestand")
    dutch = _walk_everything(shell, qtbot, pack.path)
    problems = untranslated(english, dutch, shell)
    assert problems == [], "English left in the Dutch app:\n" + "\n".join(problems)


def test_every_dutch_string_is_translated() -> None:
    """The Dutch .ts has no unfinished message, and the compiled .qm files are there."""
    root = ET.parse(i18n_dir() / "companion_nl.ts").getroot()
    unfinished = [m.findtext("source") for m in root.iter("message")
                  if (m.find("translation") is not None
                      and m.find("translation").get("type") == "unfinished")]
    assert unfinished == []
    assert (i18n_dir() / "companion_nl.qm").stat().st_size > 10_000
    # English is the source language: its file holds only plural forms, and there may be none.
    assert (i18n_dir() / "companion_en.qm").is_file()


@pytest.mark.parametrize(("locale", "expected"), [
    ("nl_BE", "nl"), ("nl-NL", "nl"), ("nl", "nl"), ("fr_BE", "en"), ("en_GB", "en"),
    ("de", "en")])
def test_language_follows_the_system(locale: str, expected: str) -> None:
    """Any Dutch locale gives Dutch, every other one English, unless the profile chose."""
    assert language_of_locale(locale) == expected
    assert resolve_language(None, language_of_locale(locale)) == expected
    assert resolve_language("en", "nl") == "en"
