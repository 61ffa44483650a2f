"""The lesson's "Trainer" tab: the trainer's notes, written in Markdown, shown safely and
calmly (no raw HTML, no resource fetched, headings that do not shout at the largest text)."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextCharFormat, QTextCursor, QTextDocument, QTextFormat
from PySide6.QtWidgets import QTextBrowser, QWidget

from companion.ui.screens.links import open_web_link

_MARKDOWN_NO_HTML = (QTextDocument.MarkdownFeature.MarkdownDialectGitHub
                     | QTextDocument.MarkdownFeature.MarkdownNoHTML)


class TrainerNotesView(QTextBrowser):
    """Shows the trainer's Markdown; links open in the browser (http and https only), and a
    file or remote resource the notes mention is never loaded."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.anchorClicked.connect(open_web_link)

    def loadResource(self, _type: int, _name: QUrl) -> object:
        return None

    def show_markdown(self, text: str) -> None:
        """Show ``text`` from its top."""
        self.document().setMarkdown(text, _MARKDOWN_NO_HTML)
        calm_headings(self.document())
        # A new document leaves the browser's cursor at its end, and the browser scrolls to
        # its cursor when shown: put it at the start, so the notes open at their top.
        self.moveCursor(QTextCursor.MoveOperation.Start)
        self.verticalScrollBar().setValue(0)


def calm_headings(document: QTextDocument) -> None:
    """Markdown headings at most 1.5 times the text (Qt makes a "# title" twice the text: at
    the largest text size one word filled the trainer's column). Relative, so the headings
    follow a text size change like the rest."""
    block = document.begin()
    while block.isValid():
        level = block.blockFormat().headingLevel()
        if level > 0:
            cursor = QTextCursor(block)
            cursor.select(QTextCursor.SelectionType.BlockUnderCursor)
            fmt = QTextCharFormat()
            fmt.setProperty(QTextFormat.Property.FontSizeAdjustment, max(0, 3 - level))
            cursor.mergeCharFormat(fmt)
        block = block.next()
