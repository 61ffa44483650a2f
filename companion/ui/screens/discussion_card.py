"""One comment of a lesson's discussion as the panel shows it, and its text made safe: every
comment escaped, only plain web addresses made links, long addresses able to wrap."""

from __future__ import annotations

import html
import re
from datetime import datetime

from PySide6.QtCore import QEvent, QLocale, QObject, Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from companion.core.comments import Comment
from companion.core.social import ReactionCounts
from companion.ui.screens.links import BIDI_OVERRIDES, open_web_link, without_bidi
from companion.ui.theme import icon

_URL = re.compile(r"\bhttps?://[^\s<>\"']+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}'\""
_LONG_WORD = re.compile(r"\S{25,}")
_BREAK_AFTER = "/.-_?&=#"
_ZWSP = "\u200b"  # a place where a line may break, not shown


def breakable(text: str) -> str:
    """``text`` with invisible break points in long words (web addresses): a comment wraps
    within a narrow column instead of needing a sideways scrollbar."""
    def split(match: re.Match[str]) -> str:
        out, run = [], 0
        for char in match.group(0):
            out.append(char)
            run += 1
            if char in _BREAK_AFTER or run >= 20:
                out.append(_ZWSP)
                run = 0
        return "".join(out)
    return _LONG_WORD.sub(split, text)


def comment_html(body: str) -> str:
    """A comment as safe rich text: everything escaped, web addresses as links, line breaks.
    Direction overrides are dropped (they could make a link show another address than the one
    it opens), and every direction control inside a web address."""
    body = without_bidi(body, BIDI_OVERRIDES)
    parts: list[str] = []
    last = 0
    for match in _URL.finditer(body):
        url = match.group(0).rstrip(_TRAILING)
        end = match.start() + len(url)
        parts.append(html.escape(breakable(body[last:match.start()])))
        clean = without_bidi(url)
        safe = html.escape(clean, quote=True)
        parts.append(f'<a href="{safe}">{html.escape(breakable(clean), quote=True)}</a>')
        last = end
    parts.append(html.escape(breakable(body[last:])))
    return "".join(parts).replace("\n", "<br>")


def short_time(iso: str, locale: QLocale | None = None) -> str:
    """'23 Nov 14:05' in the person's language; the text as it is when it is not a date."""
    try:
        moment = datetime.fromisoformat(iso)
    except (TypeError, ValueError):
        return iso or ""
    locale = locale or QLocale()
    day = locale.toString(moment.date(), "d MMM")
    return f"{day} {moment:%H:%M}"


class CommentCard(QFrame):
    """One comment: who, when, the text, and the actions this person may take."""

    reply_clicked = Signal(str)
    edit_clicked = Signal(str)
    delete_clicked = Signal(str)
    react_clicked = Signal(str, str)  # comment id, "useful" or "thanks"
    person_clicked = Signal(str)  # the author id: show their introduction

    def __init__(self, comment: Comment, is_reply: bool, parent: QWidget | None = None,
                 refused: str | None = None, counts: ReactionCounts | None = None,
                 trainer: bool = False, photo: QPixmap | None = None) -> None:
        super().__init__(parent)
        self.comment = comment
        self.refused = refused  # the hub's reason when it refused this comment for good
        self.counts = counts or ReactionCounts()
        self.trainer = trainer  # written by a trainer of the group: a badge by the name
        self.is_reply = is_reply
        self.setObjectName("commentCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        box = QVBoxLayout(self)
        box.setContentsMargins(10, 6, 10, 6)
        box.setSpacing(2)
        self.header = QLabel()
        self.header.setTextFormat(Qt.TextFormat.PlainText)
        self.header.setWordWrap(True)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        self.photo = QLabel()  # the author's photo, or initials on a calm colour
        if photo is not None:
            self.photo.setPixmap(photo)
        self.photo.setVisible(photo is not None)
        self.photo.setCursor(Qt.CursorShape.PointingHandCursor)
        self.header.setCursor(Qt.CursorShape.PointingHandCursor)
        for label in (self.photo, self.header):  # a click on the face or the name
            label.installEventFilter(self)
        top.addWidget(self.photo, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.header, 1)
        box.addLayout(top)
        self.body = QLabel()
        self.body.setWordWrap(True)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.body.setOpenExternalLinks(False)  # only http(s), through open_web_link
        self.body.linkActivated.connect(open_web_link)
        box.addWidget(self.body)
        # The marks on a row of their own: two small buttons fit any column, and the actions
        # below may stack when the column is narrow.
        self.react_row = QHBoxLayout()
        self.react_row.setContentsMargins(0, 0, 0, 0)
        self.useful_button = self._react("useful")
        self.thanks_button = self._react("thanks")
        self.react_row.addStretch(1)
        box.addLayout(self.react_row)
        self.actions_row = QHBoxLayout()
        self.actions_row.setContentsMargins(0, 0, 0, 0)
        self.reply_button = self._action(self.reply_clicked)
        self.edit_button = self._action(self.edit_clicked)
        self.delete_button = self._action(self.delete_clicked)
        self.actions_row.addStretch(1)
        box.addLayout(self.actions_row)
        if is_reply:
            self.setContentsMargins(28, 0, 0, 0)
        self.reply_button.setVisible(not is_reply and not comment.deleted)
        own = comment.is_own and not comment.deleted
        self.edit_button.setVisible(own)
        self.delete_button.setVisible(own)
        # My own comment: the marks others gave show, but I cannot mark it myself.
        for button in (self.useful_button, self.thanks_button):
            button.setEnabled(not comment.is_own)
            button.setVisible(not comment.deleted and not comment.waiting_to_send)
        self.retranslate()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched in (self.photo, self.header) \
                and event.type() == QEvent.Type.MouseButtonRelease:
            self.person_clicked.emit(self.comment.author_id)
            return True
        return super().eventFilter(watched, event)

    def _react(self, kind: str) -> QToolButton:
        button = QToolButton()
        button.setAutoRaise(True)
        button.setCheckable(True)
        button.setChecked(kind in self.counts.mine)
        button.setIcon(icon(f"react-{kind}"))
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        button.clicked.connect(lambda: self.react_clicked.emit(self.comment.id, kind))
        self.react_row.addWidget(button)
        return button

    def _action(self, signal: Signal) -> QToolButton:
        # A tool button: as big a target as the text needs, not a wide push button; three of
        # them fit a narrow column at the largest text.
        button = QToolButton()
        button.setAutoRaise(True)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        button.clicked.connect(lambda: signal.emit(self.comment.id))
        self.actions_row.addWidget(button)
        return button

    def retranslate(self) -> None:
        c = self.comment
        name = self.tr("You") if c.is_own else (c.author_name or self.tr("Someone"))
        bits = [name, short_time(c.created_at)]
        if self.trainer:
            bits.insert(1, self.tr("trainer"))
        if c.edited_at and not c.deleted:
            bits.append(self.tr("edited"))
        if c.waiting_to_send:
            bits.append(self.tr("waiting to send"))
        if self.refused is not None:
            bits.append(self.tr("not sent: %1").replace("%1", self.refused))
        hidden = c.hidden and not c.deleted  # a trainer hid it (issue 10)
        if hidden and c.is_own:  # only its author still reads it, with the reason
            bits.append(self.tr("hidden by the trainer: %1").replace("%1", c.hidden_reason or ""))
        self.header.setText(" · ".join(bits))
        if hidden and not c.is_own:
            self.body.setTextFormat(Qt.TextFormat.PlainText)
            self.body.setText(self.tr("Hidden by the trainer."))
            self.body.setEnabled(False)
        elif c.deleted:
            self.body.setTextFormat(Qt.TextFormat.PlainText)
            self.body.setText(self.tr("This comment was deleted."))
            self.body.setEnabled(False)
        else:
            self.body.setTextFormat(Qt.TextFormat.RichText)
            self.body.setText(comment_html(c.body))
        self.reply_button.setText(self.tr("Reply"))
        self.reply_button.setAccessibleName(self.tr("Reply to %1").replace("%1", name))
        self.edit_button.setText(self.tr("Edit"))
        self.edit_button.setAccessibleName(self.tr("Edit your comment"))
        self.delete_button.setText(self.tr("Delete"))
        useful, thanks = self.counts.useful, self.counts.thanks
        self.useful_button.setText(self.tr("Useful") + (f" {useful}" if useful else ""))
        self.useful_button.setAccessibleName(self.tr("Useful: %n", "", useful))
        self.useful_button.setToolTip(self.tr("This helped me"))
        self.thanks_button.setText(self.tr("Thanks") + (f" {thanks}" if thanks else ""))
        self.thanks_button.setAccessibleName(self.tr("Thanks: %n", "", thanks))
        self.thanks_button.setToolTip(self.tr("Say thank you"))
        self.delete_button.setAccessibleName(self.tr("Delete your comment"))
        self.setAccessibleName(f"{name}: {c.body}" if not c.deleted and c.body else name)

    def fit_width(self, width: int) -> None:
        """Put the action buttons under each other when they do not fit side by side in
        ``width`` (a narrow column, large text): the card never needs a sideways scrollbar."""
        margins = self.contentsMargins().left() + self.contentsMargins().right() \
            + self.layout().contentsMargins().left() + self.layout().contentsMargins().right()
        buttons = [b for b in (self.reply_button, self.edit_button, self.delete_button)
                   if not b.isHidden()]
        needed = margins + sum(b.sizeHint().width() for b in buttons) \
            + self.actions_row.spacing() * len(buttons)
        direction = (QBoxLayout.Direction.LeftToRight if needed <= width
                     else QBoxLayout.Direction.TopToBottom)
        if self.actions_row.direction() != direction:
            self.actions_row.setDirection(direction)
