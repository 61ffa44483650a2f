"""The quiz after a lesson: one question at a time, immediate feedback with the explanation, the
score at the end (kept with the lesson's progress by whoever gives ``submit``)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from companion.core.catalog import QuizQuestion
from companion.core.progress import QuizResult
from companion.ui.screens.widgets import big_button, heading, text_label


class QuizSession:
    """The state of one attempt, without any widget."""

    def __init__(self, questions: list[QuizQuestion]) -> None:
        if not questions:
            raise ValueError("a quiz needs at least one question")
        self.questions = list(questions)
        self.restart()

    def restart(self) -> None:
        self.index = 0
        self.answers: list[int] = []

    @property
    def current(self) -> QuizQuestion:
        return self.questions[self.index]

    @property
    def answered(self) -> bool:
        """True once the current question has its answer."""
        return len(self.answers) > self.index

    @property
    def is_last(self) -> bool:
        return self.index == len(self.questions) - 1

    @property
    def finished(self) -> bool:
        return len(self.answers) == len(self.questions)

    def answer(self, choice: int) -> bool:
        """Answer the current question (once); True when it is right."""
        if self.answered:
            raise RuntimeError("this question is already answered")
        self.answers.append(int(choice))
        return int(choice) == self.current.answer

    def next(self) -> bool:
        """Go to the next question; False when there is none."""
        if not self.answered or self.is_last:
            return False
        self.index += 1
        return True

    @property
    def score(self) -> int:
        return sum(1 for a, q in zip(self.answers, self.questions, strict=False) if a == q.answer)


class ChoiceButton(QPushButton):
    """A big answer button whose text wraps (a plain QPushButton cuts long answers off)."""

    MARGIN_X, MARGIN_Y = 14, 10

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        self.label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        box = QHBoxLayout(self)
        box.setContentsMargins(self.MARGIN_X, self.MARGIN_Y, self.MARGIN_X, self.MARGIN_Y)
        box.addWidget(self.label)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setAutoDefault(True)  # Enter picks the answer too, not only Space
        self.set_choice(text)

    def set_choice(self, text: str, chosen: bool = False) -> None:
        self.label.setText(text)
        self.setAccessibleName(text)
        font = self.label.font()
        font.setBold(chosen)
        self.label.setFont(font)
        self.updateGeometry()

    def choice_text(self) -> str:
        return self.label.text()

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        text = self.label.heightForWidth(max(10, width - 2 * self.MARGIN_X))
        return max(round(self.fontMetrics().height() * 2.2), text + 2 * self.MARGIN_Y)

    def sizeHint(self) -> QSize:
        hint = self.label.sizeHint()
        return QSize(hint.width() + 2 * self.MARGIN_X,
                     max(round(self.fontMetrics().height() * 2.2),
                         hint.height() + 2 * self.MARGIN_Y))

    def minimumSizeHint(self) -> QSize:
        return QSize(self.fontMetrics().height() * 8, round(self.fontMetrics().height() * 2.2))


class QuizWidget(QWidget):
    """``submit(answers)`` stores an attempt and returns its result; ``finished(result)`` when
    the score is shown; ``closed`` when the person is done with the quiz."""

    finished = Signal(object)  # QuizResult
    closed = Signal()

    def __init__(self, questions: list[QuizQuestion],
                 submit: Callable[[list[int]], QuizResult],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = QuizSession(questions)
        self._submit = submit
        self.result: QuizResult | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 16, 24, 16)
        self.pages = QStackedWidget(self)
        outer.addWidget(self.pages)

        # -- a question
        ask = QWidget()
        box = QVBoxLayout(ask)
        box.setSpacing(10)
        self.counter = text_label()
        box.addWidget(self.counter)
        self.question = heading("", 1.3)
        box.addWidget(self.question)
        # The answers live in their own widget made before "Next question": Tab (the lesson's
        # focus order follows the order widgets were made) reaches them first.
        self.choices = QWidget()
        self.choice_box = QVBoxLayout(self.choices)
        self.choice_box.setContentsMargins(0, 0, 0, 0)
        self.choice_box.setSpacing(8)
        box.addWidget(self.choices)
        self.choice_buttons: list[QPushButton] = []
        self.verdict = heading("", 1.2)
        box.addWidget(self.verdict)
        self.feedback = text_label(factor=1.1)
        box.addWidget(self.feedback)
        self.next_button = big_button("", primary=True)
        self.next_button.clicked.connect(self._next)
        box.addWidget(self.next_button, 0, Qt.AlignmentFlag.AlignLeft)
        box.addStretch(1)
        self.pages.addWidget(ask)

        # -- the score
        done = QWidget()
        box = QVBoxLayout(done)
        box.setSpacing(12)
        self.score_title = heading("", 1.5)
        box.addWidget(self.score_title)
        self.score_detail = text_label(factor=1.1)
        box.addWidget(self.score_detail)
        row = QHBoxLayout()
        self.again_button = big_button("")
        self.again_button.clicked.connect(self.restart)
        self.close_button = big_button("", primary=True)
        self.close_button.clicked.connect(self.closed)
        row.addWidget(self.again_button)
        row.addWidget(self.close_button)
        row.addStretch(1)
        box.addLayout(row)
        box.addStretch(1)
        self.pages.addWidget(done)
        self._show_question()
        self.retranslate()

    def retranslate(self) -> None:
        """Set the texts (again after the language changed)."""
        s = self.session
        self.setAccessibleName(self.tr("Quiz"))
        self.again_button.setText(self.tr("Try again"))
        self.close_button.setText(self.tr("Done"))
        self.counter.setText(self.tr("Question %1 of %2").replace(
            "%1", str(s.index + 1)).replace("%2", str(len(s.questions))))
        self.next_button.setText(self.tr("See your score") if s.is_last
                                 else self.tr("Next question"))
        if s.answered:
            self._show_feedback()
        if self.result is not None:
            self._show_score_texts()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()

    def restart(self) -> None:
        self.session.restart()
        self.result = None
        self._show_question()

    def _show_question(self) -> None:
        s = self.session
        self.pages.setCurrentIndex(0)
        self.counter.setText(self.tr("Question %1 of %2").replace(
            "%1", str(s.index + 1)).replace("%2", str(len(s.questions))))
        self.question.setText(s.current.question)
        old_buttons = self.choice_buttons
        self.choice_buttons = []
        for i, choice in enumerate(s.current.choices):
            button = ChoiceButton(choice)
            button.clicked.connect(lambda _=False, c=i: self.choose(c))
            self.choice_box.addWidget(button)
            button.show()  # now, not later: it takes the focus below
            self.choice_buttons.append(button)
        # The focus goes to the new first answer before the focused button ("Next question")
        # is hidden: a hidden focus widget hands the focus on by itself, and it used to end up
        # in the sidebar.
        self.focus_first()
        for button in old_buttons:
            button.setParent(None)
            button.deleteLater()
        self.verdict.hide()
        self.feedback.clear()
        self.feedback.hide()
        self.next_button.hide()

    def focus_first(self) -> None:
        """Focus the first answer (or the score's button once the quiz is over)."""
        if self.pages.currentIndex() == 1:
            self.close_button.setFocus(Qt.FocusReason.OtherFocusReason)
        elif self.session.answered and self.next_button.isVisibleTo(self):
            self.next_button.setFocus(Qt.FocusReason.OtherFocusReason)
        elif self.choice_buttons:
            self.choice_buttons[0].setFocus(Qt.FocusReason.OtherFocusReason)

    def choose(self, choice: int) -> None:
        """Answer the current question with choice ``choice`` and show the feedback."""
        s = self.session
        if s.answered:
            return
        s.answer(choice)
        question = s.current
        for i, button in enumerate(self.choice_buttons):
            # Still readable (not greyed out); a second click does nothing.
            mark = "✓  " if i == question.answer else ("✗  " if i == choice else "")
            button.set_choice(mark + question.choices[i], chosen=i == choice)
        self._show_feedback()
        self.next_button.setText(self.tr("See your score") if s.is_last
                                 else self.tr("Next question"))
        self.next_button.show()
        self.next_button.setFocus()

    def _show_feedback(self) -> None:
        s = self.session
        question = s.current
        if s.answers[s.index] == question.answer:
            self.verdict.setText("✓  " + self.tr("Right!"))
            text = ""
        else:
            self.verdict.setText("✗  " + self.tr("Not quite."))
            text = self.tr("The right answer is: %1").replace(
                "%1", question.choices[question.answer])
        if question.explanation:
            text = (text + "\n\n" if text else "") + question.explanation
        self.verdict.show()
        self.feedback.setText(text)
        self.feedback.setVisible(bool(text))

    def _next(self) -> None:
        if self.session.next():
            self._show_question()
        elif self.session.finished:
            self._show_score()

    def _show_score(self) -> None:
        self.result = self._submit(list(self.session.answers))
        self._show_score_texts()
        self.pages.setCurrentIndex(1)
        self.close_button.setFocus(Qt.FocusReason.OtherFocusReason)
        self.finished.emit(self.result)

    def _show_score_texts(self) -> None:
        result = self.result
        assert result is not None
        self.score_title.setText(self.tr("You got %1 of %2 right.").replace(
            "%1", str(result.score)).replace("%2", str(result.total)))
        if result.score == result.total:
            detail = self.tr("Excellent, all answers right!")
        elif result.passed:
            detail = self.tr("Well done.")
        else:
            detail = self.tr("Watch the lesson again and try once more: it will stick.")
        if result.best_score > result.score:
            detail += " " + self.tr("Your best so far: %1 of %2.").replace(
                "%1", str(result.best_score)).replace("%2", str(result.total))
        self.score_detail.setText(detail)
