"""Every fixed text on the screens goes through tr() and changes live with the language."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QTabWidget, QWidget

from companion.ui.redraw import Redraw
from companion.ui.screens import (
    HomeScreen,
    LessonScreen,
    LibraryScreen,
    NotesScreen,
    SearchScreen,
)
from companion.ui.screens.library import Role
from tests.core.fake_library import add_pack
from tests.ui.screen_fixtures import QUIZ, ctx, nav, profile_id, services  # noqa: F401

TIME_RE = re.compile(r"^[\d:\s()·%]*$")


class MarkingTranslator(QTranslator):
    """Translates every string to ⟪string⟫, so an untranslated one stands out."""

    def translate(self, context, source, disambiguation=None, n=-1):
        return f"⟪{source}⟫"

    def isEmpty(self) -> bool:
        return False


def _visible_texts(root: QWidget) -> list[str]:
    texts = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisibleTo(root) or "Player" in type(widget).__name__ \
                or _inside_player(widget):
            continue
        if isinstance(widget, QLabel | QAbstractButton):
            texts.append(widget.text())
        elif isinstance(widget, QLineEdit):
            texts.append(widget.placeholderText())
        elif isinstance(widget, QTabWidget):
            texts += [widget.tabText(i) for i in range(widget.count())]
    return texts


def _inside_player(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if type(parent).__name__ == "PlayerWidget":
            return True
        parent = parent.parentWidget()
    return False


@pytest.fixture
def marked(qapp):
    translator = MarkingTranslator()
    yield translator
    QCoreApplication.removeTranslator(translator)


def test_all_screens_retranslate_live(qtbot, ctx, nav, services, profile_id,
                                      marked) -> None:
    """After a translator is installed, every fixed text shown is a translated one; texts
    from the library (titles, notes, times) are the only ones left as they are."""
    ids = add_pack(services.db, "insta", 3, title="Instagram", quiz=QUIZ)
    services.progress.save_position(profile_id, ids[0], 30)
    services.notes.add(profile_id, ids[0], "mijn notitie")
    content = {"Instagram", "mijn notitie"} | {
        x.title for x in services.catalog.lessons(profile_id)} | {
        x.summary for x in services.catalog.lessons(profile_id)}
    screens = [cls(ctx, nav[0]) for cls in (HomeScreen, LibraryScreen, SearchScreen,
                                             NotesScreen, LessonScreen)]
    for screen in screens:
        qtbot.addWidget(screen)
        screen.resize(1024, 768)
        screen.show()
    _home, library, search, _notes, lesson = screens
    lesson.open_lesson(ids[0], [], -1.0)
    search.set_query("instagram")
    qtbot.waitUntil(lambda: bool(search.results()), timeout=5000)

    QCoreApplication.installTranslator(marked)
    ctx.announce(Redraw())  # let the queued reloads run
    qtbot.wait(50)
    for screen in screens:
        for text in _visible_texts(screen):
            rest = text.replace("&", "").replace("▶", "")
            for known in sorted(content, key=len, reverse=True):
                rest = rest.replace(known, "")
            assert "⟪" in text or TIME_RE.match(rest), f"{type(screen).__name__}: {text!r}"
    assert "⟪" in str(library.model.index(1).data(Role.STATE))
    assert "⟪" in search.model.html_for(search.results()[0])
    lesson.leave()
