"""What the lesson screen shows when the video has ended (or when there is no video): done, the
quiz, the next lesson, watch again."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from companion.ui.dialogs.common import stack_if_too_wide
from companion.ui.screens.lesson.session import NextLesson
from companion.ui.screens.widgets import VerticalScroll, big_button, heading, scaled, text_label


@dataclass(frozen=True)
class EndState:
    done: bool = False
    has_video: bool = True
    quiz_questions: int = 0
    quiz_best: int | None = None
    quiz_total: int | None = None
    next_lesson: NextLesson | None = None
    problem: str = ""  # the video would not play: what the player said


class EndPanel(QWidget):
    """The end of a lesson; in a playlist it can count down to the next lesson, which it then
    asks for as if "Next lesson" were pressed (``next_clicked``)."""

    quiz_clicked = Signal()
    next_clicked = Signal()
    again_clicked = Signal()
    home_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = EndState()
        self._countdown: int | None = None  # the seconds shown on the next lesson's button
        self._countdown_left = 0
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._tick)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        body = QWidget()
        outer.addWidget(VerticalScroll(body))
        box = QVBoxLayout(body)
        box.setContentsMargins(24, 24, 24, 24)
        box.setSpacing(14)
        self.title = heading("", 1.5)
        box.addWidget(self.title)
        self.detail = text_label(factor=1.1)
        box.addWidget(self.detail)
        self.quiz_button = big_button("")
        self.quiz_button.clicked.connect(self.quiz_clicked)
        box.addWidget(self.quiz_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.next_button = big_button("")
        self.next_button.clicked.connect(self.next_clicked)
        box.addWidget(self.next_button, 0, Qt.AlignmentFlag.AlignLeft)
        row = self.row = QHBoxLayout()
        self.again_button = big_button("")
        self.again_button.clicked.connect(self.again_clicked)
        row.addWidget(self.again_button)
        self.home_button = big_button("")
        self.home_button.clicked.connect(self.home_clicked)
        row.addWidget(self.home_button)
        box.addLayout(row, 0)
        box.addStretch(1)
        self.retranslate()

    def show_lesson(self, **state: object) -> None:
        """Show the end of a lesson (see :class:`EndState` for the fields)."""
        self.state = EndState(**state)  # type: ignore[arg-type]
        self._countdown = None
        self.retranslate()

    def show_countdown(self, seconds: int) -> None:
        self._countdown = seconds
        self._show_next()

    def start_countdown(self, seconds: int) -> None:
        """Count down from ``seconds`` on the next lesson's button, then ask for it."""
        self._countdown_left = seconds
        self._tick()
        self._timer.start()

    def stop_countdown(self) -> None:
        self._timer.stop()

    def _tick(self) -> None:
        if self._countdown_left <= 0:
            self._timer.stop()
            self.next_clicked.emit()
            return
        self.show_countdown(self._countdown_left)
        self._countdown_left -= 1

    def focus_first(self) -> None:
        """Focus the first button shown (the quiz, else the next lesson, …)."""
        for button in (self.quiz_button, self.next_button, self.again_button,
                       self.home_button):
            if button.isVisibleTo(self):
                button.setFocus(Qt.FocusReason.OtherFocusReason)
                return

    def focus_next(self) -> None:
        button = self.next_button if self.next_button.isVisible() else self.home_button
        button.setFocus()

    def retranslate(self) -> None:
        s = self.state
        if s.problem:
            self.title.setText(s.problem)
        elif not s.has_video:
            self.title.setText(self.tr("The video of this lesson is not on this computer yet."))
        elif s.done:
            self.title.setText(self.tr("✓ Well done! This lesson is done."))
        else:
            self.title.setText(self.tr("The video has ended."))
        if s.quiz_best is not None and s.quiz_total:
            self.detail.setText(self.tr("Your quiz score: %1 of %2 right.").replace(
                "%1", str(s.quiz_best)).replace("%2", str(s.quiz_total)))
        elif s.quiz_questions:
            self.detail.setText(self.tr("Check what you remember with a short quiz."))
        elif s.next_lesson is None:
            self.detail.setText(self.tr("That was the last lesson of this pack for now."))
        else:
            self.detail.setText("")
        self.detail.setVisible(bool(self.detail.text()))
        quiz_done = s.quiz_best is not None
        self.quiz_button.setVisible(s.quiz_questions > 0)
        self.quiz_button.setText(
            self.tr("Take the quiz again") if quiz_done else self.tr("Take the quiz"))
        self.again_button.setText(self.tr("Watch again"))
        self.again_button.setVisible(s.has_video and not s.problem)
        self.home_button.setText(self.tr("Back to home"))
        self._show_next()
        self._fit_row()
        # The obvious next step is the big one: the quiz first, then the next lesson.
        quiz_first = s.quiz_questions > 0 and not quiz_done
        _emphasise(self.quiz_button, quiz_first)
        _emphasise(self.next_button, not quiz_first)

    def _show_next(self) -> None:
        following = self.state.next_lesson
        self.next_button.setVisible(following is not None)
        if following is None:
            return
        if self._countdown is not None:
            text = self.tr("Next lesson in %1 s: %2").replace(
                "%1", str(self._countdown)).replace("%2", following.title)
        else:
            text = self.tr("Next lesson: %1").replace("%1", following.title)
        self.next_button.setText("▶  " + text.replace("&", "&&"))
        self.next_button.setAccessibleName(text)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_row()

    def _fit_row(self) -> None:
        # "Watch again" and "Back to home" side by side when they fit, else one under the
        # other: at the largest text below the video they are wider than the column.
        margins = self.row.parentWidget().layout().contentsMargins() \
            if self.row.parentWidget() is not None else None
        room = self.width() - (margins.left() + margins.right() if margins else 0)
        stack_if_too_wide(self.row, room)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()


def _emphasise(button: QPushButton, on: bool) -> None:
    scaled(button, 1.15 if on else 1.0, bold=on)
    button.setDefault(on)
    button.setAutoDefault(True)  # Enter presses the focused button, as Space does
