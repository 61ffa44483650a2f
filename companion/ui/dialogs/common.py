"""What the dialogs share: live retranslation, a heading, a details expander and buttons with
texts of our own (so they follow the app's language, not the system's)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from companion.ui.theme import app_icon


class Dialog(QDialog):
    """A dialog that sets its texts in :meth:`retranslate` and redoes them when the language
    changes while it is open."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowIcon(app_icon())
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)

    def retranslate(self) -> None:
        """Set every visible text; called once by the subclass and on every language change."""

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        elif event.type() == QEvent.Type.ApplicationFontChange:
            for label in self.findChildren(QLabel):
                _apply_heading_font(label)
        super().changeEvent(event)


_HEADING = "companionHeadingFactor"


def _apply_heading_font(label: QLabel) -> None:
    factor = label.property(_HEADING)
    if factor is None:
        return
    font = QFont(QApplication.font())
    font.setBold(True)
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * float(factor))
    label.setFont(font)


def heading_label(parent: QWidget | None = None, factor: float = 1.35) -> QLabel:
    """A bold title line that grows with the app's text size (also while the dialog is open)."""
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setProperty(_HEADING, float(factor))
    _apply_heading_font(label)
    return label


def text_label(parent: QWidget | None = None) -> QLabel:
    """A wrapping plain-text label (text from a person or a pack is never read as HTML)."""
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def form_label(parent: QWidget | None = None) -> QLabel:
    """A label for a form row. A little room on the right: a label with an underlined
    shortcut letter is otherwise cut by a pixel or two in some fonts."""
    label = QLabel(parent)
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
