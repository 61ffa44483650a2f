"""The notes editor beside the video: plain text with clickable ``[m:ss]`` times, saved as the
person types (no save button), and at once when they leave the field or the lesson."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import (
    QFocusEvent,
    QKeyEvent,
    QMouseEvent,
    QPalette,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from companion.core.notes import TIMESTAMP_RE, format_timestamp, parse_timestamps

log = logging.getLogger(__name__)

SAVE_DEBOUNCE_MS = 300


def time_at(line: str, column: int) -> float | None:
    """The seconds of the ``[m:ss]`` mark under ``column`` of ``line``, if any."""
    for start, end, seconds in parse_timestamps(line):
        if start <= column < end:
            return float(seconds)
    return None


def stamp_line(line: str, seconds: float) -> str:
    """``line`` starting with the time mark of ``seconds`` (an existing leading mark is
    replaced, so pressing the button twice does not stack times)."""
    mark = format_timestamp(seconds)
    match = TIMESTAMP_RE.match(line)
    rest = line[match.end():].lstrip(" ") if match else line
    return f"{mark} {rest}"


class _TimeHighlighter(QSyntaxHighlighter):
    """Shows the time marks like links, in the palette's link colour."""

    def __init__(self, editor: QPlainTextEdit) -> None:
        super().__init__(editor.document())
        self._editor = editor

    def highlightBlock(self, text: str) -> None:
        fmt = QTextCharFormat()
        fmt.setForeground(self._editor.palette().color(QPalette.ColorRole.Link))
        fmt.setFontUnderline(True)
        for start, end, _seconds in parse_timestamps(text):
            self.setFormat(start, end - start, fmt)


class NotesEdit(QPlainTextEdit):
    """``time_clicked(seconds)`` when a time mark is clicked (or Ctrl+Enter on its line);
    ``focus_lost`` when the person leaves the field."""

    time_clicked = Signal(float)
    focus_lost = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)  # Tab moves on, as everywhere else in the app
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self._highlighter = _TimeHighlighter(self)
        self.viewport().setMouseTracking(True)

    def time_under(self, x: int, y: int) -> float | None:
        cursor = self.cursorForPosition(QPoint(x, y))
        block = cursor.block()
        column = cursor.positionInBlock()
        # cursorForPosition gives the gap nearest to the click: look at both neighbours.
        found = time_at(block.text(), column)
        if found is None and column > 0:
            found = time_at(block.text(), column - 1)
        return found

    def insert_time(self, seconds: float) -> None:
        """Put the mark of ``seconds`` at the start of the current line; the caret goes to the
        end of that line, ready to type."""
        cursor = self.textCursor()
        cursor.beginEditBlock()
        cursor.movePosition(QTextCursor.MoveOperation.StartOfBlock)
        cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock,
                            QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(stamp_line(cursor.selectedText(), seconds))
        cursor.endEditBlock()
        cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
        self.setTextCursor(cursor)
        self.setFocus()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if event.button() != Qt.MouseButton.LeftButton or self.textCursor().hasSelection():
            return
        pos = event.position().toPoint()
        seconds = self.time_under(pos.x(), pos.y())
        if seconds is not None:
            self.time_clicked.emit(seconds)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        super().mouseMoveEvent(event)
        pos = event.position().toPoint()
        over = self.time_under(pos.x(), pos.y()) is not None
        self.viewport().setCursor(Qt.CursorShape.PointingHandCursor if over
                                  else Qt.CursorShape.IBeamCursor)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) \
                and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            marks = parse_timestamps(self.textCursor().block().text())
            if marks:
                self.time_clicked.emit(float(marks[0][2]))
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.focus_lost.emit()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._highlighter.rehighlight()  # light/dark switch: new link colour


class NotesAutosave(QObject):
    """Saves ``text()`` with ``save(text)`` a short pause after the last edit, and at once on
    :meth:`flush`. ``state_changed`` carries "saved", "editing" or "failed"."""

    state_changed = Signal(str)

    def __init__(self, text: Callable[[], str], save: Callable[[str], None],
                 parent: QObject | None = None, debounce_ms: int = SAVE_DEBOUNCE_MS) -> None:
        super().__init__(parent)
        self._text = text
        self._save = save
        self._dirty = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(debounce_ms)
        self._timer.timeout.connect(self.flush)
        self.saves = 0

    @property
    def dirty(self) -> bool:
        return self._dirty

    def edited(self) -> None:
        self._dirty = True
        self.state_changed.emit("editing")
        self._timer.start()

    def flush(self) -> bool:
        """Save now if anything is unsaved; False when the save failed (the text stays)."""
        self._timer.stop()
        if not self._dirty:
            return True
        try:
            self._save(self._text())
        except Exception:
            log.exception("notes could not be saved")
            self.state_changed.emit("failed")
            self._timer.start(2000)  # try again shortly; the text is still in the editor
            return False
        self._dirty = False
        self.saves += 1
        self.state_changed.emit("saved")
        return True

    def reset(self, save: Callable[[str], None]) -> None:
        """Start over for another lesson (flush the previous one first)."""
        self._timer.stop()
        self._dirty = False
        self._save = save
