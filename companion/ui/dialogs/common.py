"""What the dialogs share: live retranslation, a heading, a details expander and buttons with
texts of our own (so they follow the app's language, not the system's)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt, QTimer
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QBoxLayout,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from companion.ui.theme import app_icon, relative_font, screen_room


class Dialog(QDialog):
    """A dialog that sets its texts in :meth:`retranslate` and redoes them when the language
    changes while it is open."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowIcon(app_icon())
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)
        self._scroll: _BodyScroll | None = None
        self._outer: QVBoxLayout | None = None
        self._refit_timer = QTimer(self)  # owned: never fires for a dialog already gone
        self._refit_timer.setSingleShot(True)
        self._refit_timer.setInterval(0)
        self._refit_timer.timeout.connect(self._refit)

    def retranslate(self) -> None:
        """Set every visible text; called once by the subclass and on every language change."""

    def scrolling_layout(self) -> QVBoxLayout:
        """The dialog's layout, inside an area that scrolls up and down when the dialog would be
        taller than the screen (large text on a 1024x768 screen). Button rows added to it are
        moved below that area when the dialog is shown, so Close and OK stay in sight."""
        self._outer = QVBoxLayout(self)
        self._scroll = _BodyScroll(self)
        self._outer.addWidget(self._scroll, 1)
        body = QWidget(self._scroll)
        body.setObjectName("dialogBody")
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        self._scroll.setWidget(body)
        return layout

    def fit_to_screen(self) -> None:
        """Never larger than the screen: the dialog is at most the screen's free space, and a
        dialog that was made larger (or grew with the text) is made to fit again."""
        room = screen_room(self)
        self.setMaximumSize(room)
        wanted = self.size().expandedTo(self.sizeHint()).expandedTo(self.minimumSizeHint())
        self.resize(wanted.boundedTo(room))

    def sizeHint(self) -> QSize:
        return super().sizeHint().boundedTo(screen_room(self))

    def _move_buttons_out(self) -> None:
        if self._scroll is None or self._outer is None:
            return
        body = self._scroll.widget()
        direct = Qt.FindChildOption.FindDirectChildrenOnly
        for box in body.findChildren(QDialogButtonBox, "", direct):
            body.layout().removeWidget(box)
            box.setParent(self)
            self._outer.addWidget(box)

    def relayout(self) -> None:
        """Arrange what depends on the text size and the screen (before the dialog is fitted
        to the screen): subclasses stack their button rows here when they are too wide."""

    def setVisible(self, visible: bool) -> None:
        if visible and not self.isVisible():
            # Sized before Qt places the dialog over its window, so it is placed at its size.
            self._move_buttons_out()
            self.relayout()
            self.fit_to_screen()
        super().setVisible(visible)
        if visible:
            self._keep_on_screen()

    def _keep_on_screen(self) -> None:
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return
        free, frame = screen.availableGeometry(), self.frameGeometry()
        x = max(free.left(), min(frame.left(), free.right() - frame.width() + 1))
        y = max(free.top(), min(frame.top(), free.bottom() - frame.height() + 1))
        if (x, y) != (frame.left(), frame.top()):
            self.move(x, y)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ApplicationFontChange:
            # The text size changed while open: fit again once everything has re-measured.
            self._refit_timer.start()
        return super().event(event)

    def _refit(self) -> None:
        if self.isVisible():
            self.relayout()
            self.adjustSize()
            self.fit_to_screen()
            self._keep_on_screen()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class _BodyScroll(QScrollArea):
    """A scroll area that asks for the whole of its content (a plain one asks for at most 24
    lines) and scrolls only up and down: the content wraps to its width instead."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("dialogScroll")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def _bar(self) -> int:
        return self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, self)

    def sizeHint(self) -> QSize:
        body = self.widget()
        if body is None:
            return super().sizeHint()
        hint = body.sizeHint()
        width = max(hint.width(), body.minimumSizeHint().width())
        height = body.heightForWidth(width) if body.hasHeightForWidth() else -1
        return QSize(width + self._bar(), max(height, hint.height()))

    def minimumSizeHint(self) -> QSize:
        body = self.widget()
        if body is None:
            return super().minimumSizeHint()
        line = self.fontMetrics().height()
        return QSize(body.minimumSizeHint().width() + self._bar(),
                     min(body.minimumSizeHint().height(), line * 6))


def heading_label(parent: QWidget | None = None, factor: float = 1.35) -> QLabel:
    """A bold title line that grows with the app's text size (also while the dialog is open)."""
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    relative_font(label, factor, bold=True)
    return label


def stack_if_too_wide(row: QBoxLayout, room: int) -> None:
    """Buttons side by side when they fit in ``room`` pixels, else under each other (three
    long button texts at the largest text are wider than a 1024 px screen)."""
    needed = 0
    for index in range(row.count()):
        widget = row.itemAt(index).widget()
        if widget is not None and not widget.isHidden():
            needed += widget.sizeHint().width() + max(row.spacing(), 0)
    row.setDirection(QBoxLayout.Direction.LeftToRight if needed <= room
                     else QBoxLayout.Direction.TopToBottom)


def text_label(parent: QWidget | None = None) -> QLabel:
    """A wrapping plain-text label (text from a person or a pack is never read as HTML)."""
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def form_label(parent: QWidget | None = None) -> QLabel:
    """A label for a form row. A little room on the right, and no kerning: a label with an
    underlined shortcut letter is drawn kerned but measured without, so "&Taal" or
    "&Text size" lost their last letter (half a letter at the largest text)."""
    label = QLabel(parent)
    unkerned = QFont()  # only the kerning is set: size and family follow the app's font
    unkerned.setKerning(False)
    label.setFont(unkerned)
    label.setContentsMargins(0, 0, 6, 0)
    return label


def add_button(box: QDialogButtonBox, role: QDialogButtonBox.ButtonRole,
               object_name: str) -> QPushButton:
    """A button whose text the dialog sets in ``retranslate`` (not Qt's standard texts)."""
    button = box.addButton("", role)
    button.setObjectName(object_name)
    return button


def ok_cancel_box(dialog: QDialog) -> tuple[QDialogButtonBox, QPushButton, QPushButton]:
    """The dialog's button row: a default OK and a Cancel, wired to accept and reject."""
    box = QDialogButtonBox(dialog)
    ok = add_button(box, QDialogButtonBox.ButtonRole.AcceptRole, "okButton")
    ok.setDefault(True)
    cancel = add_button(box, QDialogButtonBox.ButtonRole.RejectRole, "cancelButton")
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box, ok, cancel


def error_label(parent: QWidget) -> QLabel:
    """A hidden bold red line under a form, shown when the input is refused."""
    label = text_label(parent)
    label.setObjectName("errorLabel")
    label.setStyleSheet("color: #b3261e; font-weight: bold;")
    label.setVisible(False)
    return label


def show_error(label: QLabel, text: str) -> None:
    """Put ``text`` on an :func:`error_label` and show it; an empty text hides the line."""
    label.setText(text)
    label.setVisible(bool(text))


class DetailsBox(QWidget):
    """A "Details" expander: closed by default, showing technical text when opened."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.toggle = QToolButton(self)
        self.toggle.setObjectName("detailsToggle")
        self.toggle.setCheckable(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.toggle.toggled.connect(self._toggled)
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("detailsText")
        self.text.setReadOnly(True)
        self.text.setVisible(False)
        self.text.setMaximumHeight(self.text.fontMetrics().height() * 8)
        layout.addWidget(self.toggle, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.text)
        self.retranslate()

    def retranslate(self) -> None:
        self.toggle.setText(self.tr("Details"))
        self.toggle.setAccessibleName(self.tr("Show the technical details"))
        self.text.setAccessibleName(self.tr("Technical details"))

    def set_details(self, text: str) -> None:
        self.text.setPlainText(text)
        self.setVisible(bool(text))

    def _toggled(self, shown: bool) -> None:
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)
        self.text.setVisible(shown)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
