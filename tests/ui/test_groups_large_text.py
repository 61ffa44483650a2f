"""My groups at 1024x768 with the largest text, in Dutch and English: the sidebar gives its
room, the header takes one row, and the learner's name and the lesson's title keep a readable
width before any other column (figures shrink to their content, less needed columns hide);
at 100% nothing is cut that has room. Plus the column rule on its own, odd input included."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip

from companion.ui.main import Shell
from companion.ui.screens.groups import GroupsScreen
from companion.ui.screens.groups.fit import MIN_COLUMN, WrappingRow, fit_columns
from tests.ui.test_large_text import sideways_scrolling, sticking_out
from tests.ui.test_screen_groups import (  # noqa: F401
    WAIT_MS,
    anna,
    app_shell,
    group,
    hub,
    look,
    look_parts,
    page,
    shell_services,
)

LONG_TITLE = "Je eerste bericht op Facebook: een foto van je etalage met een goede tekst"
LONG_NAME = "Bakkerij De Gouden Korenaar · Marieke van den Broecke-Janssens"


def settle(qapp) -> None:
    for _ in range(4):
        qapp.processEvents()


def long_texts(report: dict[str, Any]) -> dict[str, Any]:
    """The report with names and titles as long as real shops and lessons have them."""
    report = dict(report)
    report["learners"] = [dict(r, name=f"{LONG_NAME} {i}")
                          for i, r in enumerate(report.get("learners") or [])]
    report["lessons"] = [dict(r, title=f"{LONG_TITLE} {i}")
                         for i, r in enumerate(report.get("lessons") or [])]
    return report


def widths(view) -> dict[int, int]:
    header = view.horizontalHeader()
    return {c: header.sectionSize(c) for c in range(header.count())
            if not header.isSectionHidden(c)}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_my_groups_at_the_largest_text(page: GroupsScreen, app_shell: Shell, look, qtbot,
                                       qapp, language: str) -> None:
    window = app_shell.window
    assert page.lessons.rowCount() >= 1, "the hub's report lists no lesson"
    page.show_report(replace(page.fetched, report=long_texts(page.fetched.report)))
    look.translations.apply(language)
    look.appearance.apply_text_scale(200)  # measures the tables again, after the change
    window.resize(1024, 768)
    settle(qapp)
    assert window.navigation.compact  # the sidebar gives its room
    assert sticking_out(window) == [], "\n".join(sticking_out(window))
    # The header: the tab picker beside the group, the period and Refresh; no status line.
    qtbot.waitUntil(lambda: page.tab_picker.isVisible(), timeout=WAIT_MS)
    assert page.top.beside
    assert abs(page.tab_picker.y() - page.group_box.y()) < page.group_box.height()
    assert page.status.isHidden()
    assert page.tabs.mapTo(page, QPoint(0, 0)).y() < page.height() // 3
    chars = page.fontMetrics().averageCharWidth()
    for tab, view, numbers in ((1, page.learner_view, ()), (2, page.lesson_view, (1, 2))):
        page.tabs.setCurrentIndex(tab)
        settle(qapp)
        qtbot.waitUntil(lambda v=view: widths(v)[0] >= 18 * chars, timeout=WAIT_MS)
        shown = widths(view)
        room = view.viewport().width()
        assert sum(shown.values()) <= room + 1
        assert sideways_scrolling(window) == []
        assert 0 in shown and shown[0] >= 18 * chars  # readable: about 20 characters
        assert shown[0] >= max(shown.values()) - 1  # the widest: the others gave way first
        header = view.horizontalHeader()
        for c in numbers:  # the figures keep their content, their titles are cut
            assert c in shown
            assert view.sizeHintForColumn(c) <= shown[c] < header.sectionSizeHint(c)
        model = view.model()
        assert model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)  # the whole text
        for c in numbers:  # a cut column title shows whole when the pointer rests on it
            QToolTip.hideText()
            pos = QPoint(header.sectionViewportPosition(c) + 4, header.height() // 2)
            event = QHelpEvent(QEvent.Type.ToolTip, pos, header.viewport().mapToGlobal(pos))
            assert QApplication.sendEvent(header.viewport(), event)
            assert QToolTip.text() == model.headerData(c, Qt.Orientation.Horizontal)
        QToolTip.hideText()
    # The learners: the filter and "Only who needs help" on one line, and more rows than the
    # five the page showed before.
    page.tabs.setCurrentIndex(1)
    settle(qapp)
    assert abs(page.help_only.y() - page.filter_edit.y()) < page.filter_edit.height()
    view = page.learner_view
    rows = view.viewport().height() // max(1, view.rowHeight(0))
    assert rows >= 7


def test_my_groups_at_normal_text(page: GroupsScreen, app_shell: Shell, look, qtbot,
                                  qapp) -> None:
    window = app_shell.window
    page.show_report(replace(page.fetched, report=long_texts(page.fetched.report)))
    window.resize(1024, 768)
    page.learner_columns.measure()
    page.lesson_columns.measure()
    settle(qapp)
    assert not window.navigation.compact
    assert page.tabs.tabBar().isVisible() and page.tab_picker.isHidden()
    assert sticking_out(window) == [], "\n".join(sticking_out(window))
    page.tabs.setCurrentIndex(2)
    settle(qapp)
    shown = widths(page.lesson_view)
    assert sum(shown.values()) <= page.lesson_view.viewport().width() + 1
    natural = page.lesson_columns.natural
    assert shown[1] >= natural[1] and shown[2] >= natural[2]  # room: the titles whole
    assert sideways_scrolling(window) == []


# -- the column rule alone ------------------------------------------------------------------------

NATURAL = {0: 900, 1: 120, 2: 130, 3: 200, 4: 180, 5: 400}
CONTENT = {0: 900, 1: 30, 2: 30, 3: 70, 4: 180, 5: 400}


def test_the_title_is_readable_before_anything_else() -> None:
    width, shown = fit_columns(NATURAL, CONTENT, 800, (3, 4), {}, readable=300)
    assert not shown[3] and not shown[4]  # the optional ones went first
    assert width[0] >= 300
    assert width[1] >= CONTENT[1] and width[2] >= CONTENT[2]
    assert sum(w for c, w in width.items() if shown[c]) <= 800


def test_figures_shrink_to_their_content_before_text_is_cut() -> None:
    natural = {0: 300, 1: 120, 2: 130}
    width, _shown = fit_columns(natural, {0: 300, 1: 30, 2: 30}, 420, (), {}, readable=300)
    assert width[0] == 300  # the whole title
    assert MIN_COLUMN <= width[1] < 120 and MIN_COLUMN <= width[2] < 130
    assert sum(width.values()) <= 420


def test_room_to_spare_goes_to_the_title() -> None:
    width, shown = fit_columns(NATURAL, CONTENT, 3000, (3, 4), {}, readable=300)
    assert all(shown.values())
    assert width == NATURAL  # nothing cut


def test_a_column_the_trainer_chose_stays() -> None:
    width, shown = fit_columns(NATURAL, CONTENT, 800, (3, 4), {3: True, 0: False},
                               readable=300)
    assert shown[3] and shown[0]  # the name cannot be hidden
    assert sum(w for c, w in width.items() if shown[c]) <= 800
    assert width[0] >= width[3]


@pytest.mark.parametrize("room", [0, 1, 60, 150])
def test_a_very_narrow_table(room: int) -> None:
    width, shown = fit_columns(NATURAL, CONTENT, room, (3, 4, 5), {}, readable=300)
    assert all(w >= MIN_COLUMN for w in width.values())
    assert shown[0]


def test_odd_input() -> None:
    assert fit_columns({}, {}, 800, (3,), {}, readable=300) == ({}, {})
    # Columns the content does not know, optional columns that do not exist.
    width, shown = fit_columns({0: 500, 1: 90}, {}, 400, (7, 1), {9: False}, readable=300)
    assert shown == {0: True, 1: True}
    assert width == {0: 310, 1: 90}  # what is left goes to the name


def test_the_wrapping_row(qapp) -> None:
    from PySide6.QtWidgets import QComboBox, QLabel, QPushButton

    first, button, last = QComboBox(), QPushButton("Refresh"), QLabel("A fairly long label")
    row = WrappingRow([first, button], last, 6)
    row.resize(row.needed() + 10, 100)
    row.show()
    settle(qapp)
    assert row.beside
    row.resize(row.needed() - 10, 100)
    settle(qapp)
    assert not row.beside
    assert row.minimumSizeHint().width() < row.needed()  # the window may get narrower
    last.hide()
    settle(qapp)
    assert row.beside  # nothing left to put under
    row.close()
