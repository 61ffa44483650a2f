"""The home screen: continue where you left off, what fits in your break, and the packs.

Asking for a pack import: the empty state's button calls ``nav.import_packs([])``; an empty list
means "ask the person for a file" (the shell shows its file dialog).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QEvent, QSize, Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from companion.core.catalog import Lesson, PackSummary
from companion.services import Services
from companion.ui.context import AppContext
from companion.ui.dialogs.common import stack_if_too_wide
from companion.ui.i18n import resolve_language
from companion.ui.navigation import Navigator
from companion.ui.screens.base import Screen
from companion.ui.screens.home_social import GroupNewsCard
from companion.ui.screens.text import clock
from companion.ui.screens.widgets import big_button, heading, scrolling_page, text_label
from companion.ui.theme import relative_min_width

BREAK_CHOICES = (3, 5, 10)


@dataclass
class HomeData:
    """Everything the home screen shows, read in one go."""

    continue_lesson: Lesson | None = None
    continue_pack: str = ""
    break_minutes: int = 5
    fits: list[Lesson] = field(default_factory=list)
    packs: list[PackSummary] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.packs

    @property
    def fits_seconds(self) -> float:
        return sum(x.remaining_s or x.duration_s for x in self.fits)


def nearest_choice(minutes: int) -> int:
    return min(BREAK_CHOICES, key=lambda c: (abs(c - minutes), c))


class HomePresenter:
    """The home screen's logic, testable without a window."""

    def __init__(self, services: Services, profile_id: Callable[[], int],
                 language: Callable[[], str | None] = lambda: None) -> None:
        self._services = services
        self._profile_id = profile_id
        self._language = language  # the person's language: lessons in others are not proposed
        self.data = HomeData()

    def load(self) -> HomeData:
        svc, pid = self._services, self._profile_id()
        packs = svc.catalog.packs(pid)
        minutes = nearest_choice(svc.preferences.get_int("break_minutes", pid))
        data = HomeData(break_minutes=minutes, packs=packs)
        language = self._language()
        if packs:
            data.continue_lesson = svc.catalog.continue_lesson(pid, language)
            if data.continue_lesson is None:  # nothing watched yet: the very first lesson
                first = svc.catalog.next_unfinished(pid, limit=1, language=language)
                data.continue_lesson = first[0] if first else None
            if data.continue_lesson is not None:
                titles = {p.id: p.title for p in packs}
                data.continue_pack = titles.get(data.continue_lesson.pack_id, "")
            data.fits = svc.catalog.fits_in_break(pid, minutes, language)
        self.data = data
        return data

    def choose_break(self, minutes: int) -> list[Lesson]:
        """Remember the break length and return what fits in it now."""
        minutes = nearest_choice(minutes)
        pid = self._profile_id()
        self._services.preferences.set("break_minutes", minutes, pid)
        self.data.break_minutes = minutes
        self.data.fits = self._services.catalog.fits_in_break(pid, minutes, self._language()) \
            if self.data.packs else []
        return self.data.fits

    def play_continue(self) -> tuple[str, list[str], float] | None:
        """The lesson request for the big play button (at the saved position)."""
        lesson = self.data.continue_lesson
        return (lesson.id, [], -1.0) if lesson is not None else None

    def play_fits(self, start_index: int = 0) -> tuple[str, list[str], float] | None:
        """The lesson request that plays the break's lessons one after another."""
        ids = [x.id for x in self.data.fits][start_index:]
        return (ids[0], ids[1:], -1.0) if ids else None


class HomeScreen(Screen):
    """Home. Uses only the Navigator: ``lesson``, ``library(pack_id)`` and ``import_packs([])``
    (an empty list asks the shell to show its "open a pack" file dialog)."""

    WATCHES = ("packs", "progress", "profile", "sync")

    def __init__(self, ctx: AppContext, nav: Navigator, parent: QWidget | None = None) -> None:
        super().__init__(ctx, nav, parent)
        self.presenter = HomePresenter(ctx.services, lambda: ctx.profile_id,
                                       lambda: resolve_language(ctx.profile.language))
        self.setObjectName("homeScreen")
        self._layout = scrolling_page(self, spacing=16)
        self.group_news = GroupNewsCard(ctx, nav)  # announcements, news, unfinished answers

        # -- empty state
        self.empty_box = QWidget()
        empty = QVBoxLayout(self.empty_box)
        empty.setSpacing(16)
        self.empty_title = heading("", 1.6)
        empty.addWidget(self.empty_title)
        self.empty_text = text_label(factor=1.1)
        empty.addWidget(self.empty_text)
        self.import_button = big_button("", primary=True)
        self.import_button.clicked.connect(lambda: self.nav.import_packs([]))
        self.downloads_button = big_button("", height_em=2.76)  # as tall as the bold one
        self.downloads_button.setObjectName("emptyDownloadsButton")
        self.downloads_button.clicked.connect(self.nav.downloads)
        self.empty_buttons = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.empty_buttons.setSpacing(12)
        self.empty_buttons.addWidget(self.import_button)
        self.empty_buttons.addWidget(self.downloads_button)
        self.empty_buttons.addStretch(1)
        empty.addLayout(self.empty_buttons)
        empty.addStretch(1)
        self._layout.addWidget(self.empty_box)
        # Measured again once the new text size or language has reached the buttons.
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)
        self._fit_timer.timeout.connect(self._fit_empty_buttons)

        # -- continue where you left off
        self.continue_box = _Card()
        box = self.continue_box.box
        self.continue_heading = heading("", 1.2)
        box.addWidget(self.continue_heading)
        self.continue_title = heading("", 1.5)
        box.addWidget(self.continue_title)
        self.continue_pack = text_label()
        box.addWidget(self.continue_pack)
        self.continue_bar = QProgressBar()
        self.continue_bar.setTextVisible(False)
        self.continue_bar.setRange(0, 1000)
        box.addWidget(self.continue_bar)
        self.continue_where = text_label(factor=1.1)
        box.addWidget(self.continue_where)
        self.continue_button = big_button("", primary=True, height_em=2.8)
        relative_min_width(self.continue_button, 12)
        self.continue_button.clicked.connect(self._play_continue)
        box.addWidget(self.continue_button, 0, Qt.AlignmentFlag.AlignLeft)
        self._layout.addWidget(self.continue_box)
        self._layout.addWidget(self.group_news)  # after "continue": learning comes first

        # -- fits in your break
        self.break_box = _Card()
        box = self.break_box.box
        self.break_heading = heading("", 1.2)
        box.addWidget(self.break_heading)
        # The question on a line of its own: beside the buttons it needs more than the width
        # of a 1024 px screen at the largest text.
        self.break_question = text_label()
        box.addWidget(self.break_question)
        row = QHBoxLayout()
        row.setSpacing(8)
        self.break_group = QButtonGroup(self)
        self.break_group.setExclusive(True)
        self.break_buttons: dict[int, QPushButton] = {}
        for minutes in BREAK_CHOICES:
            button = big_button("", height_em=2.0)
            button.setCheckable(True)
            button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            relative_min_width(button, 4.5)
            self.break_group.addButton(button, minutes)
            self.break_buttons[minutes] = button
            row.addWidget(button)
        row.addStretch(1)
        self.break_group.idClicked.connect(self._choose_break)
        self.break_group.idToggled.connect(lambda *_: self._mark_break_choice())
        box.addLayout(row)
        self.fits_list = QVBoxLayout()
        self.fits_list.setSpacing(4)
        box.addLayout(self.fits_list)
        self.fits_empty = text_label()
        box.addWidget(self.fits_empty)
        self.play_all_button = big_button("", primary=True)
        self.play_all_button.clicked.connect(lambda: self._play_fits(0))
        box.addWidget(self.play_all_button, 0, Qt.AlignmentFlag.AlignLeft)
        self._layout.addWidget(self.break_box)

        # -- packs
        self.packs_box = _Card()
        self.packs_heading = heading("", 1.2)
        self.packs_box.box.addWidget(self.packs_heading)
        self.packs_list = QVBoxLayout()
        self.packs_list.setSpacing(12)
        self.packs_box.box.addLayout(self.packs_list)
        self._layout.addWidget(self.packs_box)
        self._layout.addStretch(1)
        self.retranslate()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_empty_buttons()

    def event(self, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.ApplicationFontChange,
                            QEvent.Type.LanguageChange):
            self._fit_timer.start()
        return super().event(event)

    def _fit_empty_buttons(self) -> None:
        # The welcome's two buttons side by side when they fit, else one under the other: at
        # the largest text they are wider than the page, which would scroll sideways.
        margins = self._layout.contentsMargins()
        bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        stack_if_too_wide(self.empty_buttons,
                          self.width() - margins.left() - margins.right() - bar)

    def retranslate(self) -> None:
        self.empty_title.setText(self.tr("Welcome! There are no lessons here yet."))
        self.empty_text.setText(self.tr(
            "Lessons come in a lesson pack: a file ending in .cpack that your trainer gives "
            "you, for example on a USB stick. Choose it here and the lessons appear on this "
            "page. Is this computer connected to your group? Then your trainer's packs come "
            "in under Downloads."))
        self.import_button.setText(self.tr("Import a lesson pack…"))
        self.downloads_button.setText(self.tr("Go to Downloads"))
        self.continue_heading.setText(self.tr("Continue where you left off"))
        self.continue_bar.setAccessibleName(self.tr("How far you are in this lesson"))
        self.break_heading.setText(self.tr("Fits in your break"))
        self.break_question.setText(self.tr("How much time do you have?"))
        for minutes, button in self.break_buttons.items():
            button.setAccessibleName(self.tr("%1 minutes").replace("%1", str(minutes)))
        self._mark_break_choice()
        self.play_all_button.setText(self.tr("Play all"))
        self.packs_heading.setText(self.tr("Your lesson packs"))
        self.group_news.retranslate()

    # -- drawing -----------------------------------------------------------------------------
    def reload(self) -> None:
        self.group_news.setVisible(self.group_news.reload())
        data = self.presenter.load()
        self.empty_box.setVisible(data.empty)
        for card in (self.continue_box, self.break_box, self.packs_box):
            card.setVisible(not data.empty)
        if data.empty:
            return
        self._show_continue(data.continue_lesson, data.continue_pack)
        self.break_buttons[data.break_minutes].setChecked(True)
        self._show_fits(data.fits)
        self._show_packs(data.packs)

    def _show_continue(self, lesson: Lesson | None, pack_title: str) -> None:
        self.continue_box.setVisible(lesson is not None)
        if lesson is None:
            return
        self.continue_title.setText(lesson.title)
        self.continue_pack.setText(self.tr("In: %1").replace("%1", pack_title))
        where = lesson.progress.position_s
        length = max(lesson.duration_s, 1.0)
        self.continue_bar.setValue(round(1000 * min(1.0, where / length)))
        self.continue_bar.setVisible(where > 0)
        if where > 0:
            text = self.tr("Continue from %1").replace("%1", clock(where))
            self.continue_where.setText(
                self.tr("%1 of %2").replace("%1", clock(where)).replace(
                    "%2", clock(lesson.duration_s)))
        else:
            text = self.tr("Start the lesson")
            self.continue_where.setText(
                self.tr("Takes %1").replace("%1", clock(lesson.duration_s)))
        self.continue_button.setText("▶  " + text)
        self.continue_button.setAccessibleName(f"{text}: {lesson.title}")

    def _show_fits(self, fits: list[Lesson]) -> None:
        _clear(self.fits_list)
        for index, lesson in enumerate(fits):
            length = clock(lesson.remaining_s or lesson.duration_s)
            button = _LessonButton(f"▶  {lesson.title}   ({length})")
            button.setFlat(True)
            button.setStyleSheet("text-align: left; padding: 6px;")
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.setAccessibleName(self.tr("Play %1").replace("%1", lesson.title))
            button.clicked.connect(lambda _=False, i=index: self._play_fits(i))
            self.fits_list.addWidget(button)
        if fits:
            self.fits_empty.setText(self.tr("Together: %1").replace(
                "%1", clock(self.presenter.data.fits_seconds)))
        elif self.presenter.data.continue_lesson is None:
            self.fits_empty.setText(self.tr("You have finished every lesson. Well done!"))
        else:
            self.fits_empty.setText(self.tr(
                "No lesson is short enough for this break. Choose more time."))
        self.play_all_button.setVisible(len(fits) > 1)

    def _show_packs(self, packs: list[PackSummary]) -> None:
        _clear(self.packs_list)
        for pack in packs:
            self.packs_list.addWidget(_PackRow(pack, self.nav))

    def _mark_break_choice(self) -> None:
        """The chosen break length carries a tick: clearer than a pressed look alone."""
        for minutes, button in self.break_buttons.items():
            text = self.tr("%1 min").replace("%1", str(minutes))
            button.setText(("✓ " + text) if button.isChecked() else text)

    # -- actions -----------------------------------------------------------------------------
    def _play_continue(self) -> None:
        request = self.presenter.play_continue()
        if request is not None:
            self.nav.lesson(*request)

    def _play_fits(self, index: int) -> None:
        request = self.presenter.play_fits(index)
        if request is not None:
            self.nav.lesson(*request)

    def _choose_break(self, minutes: int) -> None:
        self._show_fits(self.presenter.choose_break(minutes))


class _LessonButton(QPushButton):
    """A lesson of the break list: one line that ends in "…" when the title is longer than
    the page is wide (large text) instead of making the page scroll sideways."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.full_text = text
        self.setToolTip(text)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)

    def minimumSizeHint(self) -> QSize:
        return QSize(self.fontMetrics().height() * 6, super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # the text size changed: measure again
            self._elide()

    def _elide(self) -> None:
        room = self.width() - self.fontMetrics().height() * 2  # the padding of the style sheet
        self.setText(self.fontMetrics().elidedText(self.full_text, Qt.TextElideMode.ElideRight,
                                                    max(room, 0)))


class _Card(QFrame):
    """A calm box around one part of the page."""

    def __init__(self) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(20, 16, 20, 16)
        self.box.setSpacing(10)


class _PackRow(QWidget):
    def __init__(self, pack: PackSummary, nav: Navigator) -> None:
        super().__init__()
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(4)
        grid.addWidget(heading(pack.title, 1.1), 0, 0, 1, 2)
        done = self.tr("%1 of %2 lessons done").replace("%1", str(pack.done_count)).replace(
            "%2", str(pack.lesson_count))
        bar = QProgressBar()
        bar.setRange(0, max(1, pack.lesson_count))
        bar.setValue(pack.done_count)
        bar.setTextVisible(False)
        bar.setAccessibleName(done)
        grid.addWidget(bar, 1, 0)
        grid.addWidget(text_label(done), 1, 1)
        button = big_button(self.tr("Open"), self.tr("Open %1").replace("%1", pack.title),
                            height_em=2.0)
        button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        relative_min_width(button, 5)
        button.clicked.connect(lambda: nav.library(pack.id))
        grid.addWidget(button, 0, 2, 2, 1, Qt.AlignmentFlag.AlignVCenter)
        grid.setColumnStretch(0, 1)
        self.open_button = button
        self.pack_id = pack.id
        self.done_text = done


def _clear(layout: QVBoxLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget()
        if widget is not None:
            widget.setParent(None)
            widget.deleteLater()
