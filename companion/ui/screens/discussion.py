"""The group's discussion under a lesson: comments and replies, written offline and sent later.

Other people's words are never rendered as HTML: every comment is escaped, and only plain web
addresses in it become links (opened in the system browser, http and https only). A comment
written here shows at once, marked "waiting to send" until the hub has it; the person edits or
deletes their own comments, and a deleted one stays as a quiet line so the replies under it keep
their place.
"""

from __future__ import annotations

import html
import json
import re
from datetime import datetime

from PySide6.QtCore import QCoreApplication, QEvent, QLocale, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from companion.core.comments import MAX_COMMENT_LENGTH, Comment
from companion.core.errors import LibraryError
from companion.sync.state import refusals
from companion.ui.context import AppContext
from companion.ui.dialogs.common import error_label, show_error
from companion.ui.screens.common import open_web_link

_URL = re.compile(r"\bhttps?://[^\s<>\"']+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}'\""
_LONG_WORD = re.compile(r"\S{25,}")
_BREAK_AFTER = "/.-_?&=#"
_ZWSP = "\u200b"  # a place where a line may break, not shown
DRAFTS_PREF = "comment_drafts:"  # + lesson id: what the person was writing there, as JSON


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
    """A comment as safe rich text: everything escaped, web addresses as links, line breaks."""
    parts: list[str] = []
    last = 0
    for match in _URL.finditer(body):
        url = match.group(0).rstrip(_TRAILING)
        end = match.start() + len(url)
        parts.append(html.escape(breakable(body[last:match.start()])))
        safe = html.escape(url, quote=True)
        parts.append(f'<a href="{safe}">{html.escape(breakable(url), quote=True)}</a>')
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

    def __init__(self, comment: Comment, is_reply: bool, parent: QWidget | None = None,
                 refused: str | None = None) -> None:
        super().__init__(parent)
        self.comment = comment
        self.refused = refused  # the hub's reason when it refused this comment for good
        self.is_reply = is_reply
        self.setObjectName("commentCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        box = QVBoxLayout(self)
        box.setContentsMargins(10, 6, 10, 6)
        box.setSpacing(2)
        self.header = QLabel()
        self.header.setTextFormat(Qt.TextFormat.PlainText)
        self.header.setWordWrap(True)
        box.addWidget(self.header)
        self.body = QLabel()
        self.body.setWordWrap(True)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.body.setOpenExternalLinks(False)  # only http(s), through open_web_link
        self.body.linkActivated.connect(open_web_link)
        box.addWidget(self.body)
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
        self.retranslate()

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
        if c.edited_at and not c.deleted:
            bits.append(self.tr("edited"))
        if c.waiting_to_send:
            bits.append(self.tr("waiting to send"))
        if self.refused is not None:
            bits.append(self.tr("not sent: %1").replace("%1", self.refused))
        self.header.setText(" · ".join(bits))
        if c.deleted:
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
        self.delete_button.setAccessibleName(self.tr("Delete your comment"))
        self.setAccessibleName(f"{name}: {c.body}" if not c.deleted else name)

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


class DiscussionPanel(QWidget):
    """The discussion of one lesson. ``show_lesson(profile_id, lesson_id)`` fills it; it writes
    through the core's comment store and announces ``written`` so the shell can refresh the
    "changes waiting" count."""

    written = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.profile_id: int | None = None
        self.lesson_id: str | None = None
        self.comments: list[Comment] = []
        self.cards: list[CommentCard] = []
        self._reply_to: str | None = None
        self._editing: str | None = None
        # What the person typed and did not send, per lesson and per reply target ("" a new
        # comment, "reply:ID", "edit:ID"): kept here and in the preferences, never lost.
        self._drafts: dict[tuple[int, str], dict[str, str]] = {}
        self._active: dict[tuple[int, str], str] = {}
        self._restoring = False
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(500)
        self._save_timer.timeout.connect(self.save_drafts)
        self._font_timer = QTimer(self)  # the editor's height, once it has the new font
        self._font_timer.setSingleShot(True)
        self._font_timer.setInterval(0)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.save_drafts)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.intro.setEnabled(False)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        # Comments wrap to the column's width (long addresses too): never a sideways bar.
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list_widget = QWidget()
        self.list_box = QVBoxLayout(self.list_widget)
        self.list_box.setContentsMargins(0, 0, 0, 0)
        self.list_box.setSpacing(6)
        self.list_box.addStretch(1)
        self.scroll.setWidget(self.list_widget)
        outer.addWidget(self.scroll, 1)
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.list_box.insertWidget(0, self.empty)
        # The intro scrolls away with the comments: in a short column (tabs below the video,
        # large text) the comments and the editor get the room.
        self.list_box.insertWidget(0, self.intro)

        self.mode_row = QHBoxLayout()
        self.mode_label = QLabel()
        self.mode_label.setTextFormat(Qt.TextFormat.PlainText)
        self.mode_label.setWordWrap(True)
        self.mode_row.addWidget(self.mode_label, 1)
        self.cancel_button = QPushButton()
        self.cancel_button.setFlat(True)
        self.cancel_button.clicked.connect(self.cancel_compose)
        self.mode_row.addWidget(self.cancel_button)
        outer.addLayout(self.mode_row)
        self.editor = QPlainTextEdit()
        self.editor.setTabChangesFocus(True)
        self.editor.textChanged.connect(self._update_send)
        self.editor.textChanged.connect(self._typed)
        self._size_editor()
        self._font_timer.timeout.connect(self._size_editor)
        self._font_timer.timeout.connect(self._fit_cards)
        row = QHBoxLayout()  # the button beside the editor: one row less in a short column
        row.addWidget(self.editor, 1)
        self.send_button = QPushButton()
        self.send_button.setDefault(True)
        self.send_button.clicked.connect(self.send)
        row.addWidget(self.send_button, 0, Qt.AlignmentFlag.AlignBottom)
        outer.addLayout(row)
        self.error = error_label(self)
        outer.addWidget(self.error)
        self.send_shortcut = QShortcut(QKeySequence("Ctrl+Return"), self.editor)
        self.send_shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        self.send_shortcut.activated.connect(self.send)
        self.retranslate()
        self._show_mode()

    # -- texts -------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.intro.setText(self.tr(
            "Your group and trainer read along. Written offline, it is sent once you are "
            "connected."))
        self.empty.setText(self.tr("No comments yet. Ask a question or share a tip!"))
        self.editor.setPlaceholderText(self.tr("Write a comment… (Ctrl+Enter sends it)"))
        self.editor.setAccessibleName(self.tr("Your comment"))
        self.cancel_button.setText(self.tr("Cancel"))
        for card in self.cards:
            card.retranslate()
        self._show_mode()

    def title(self) -> str:
        """The tab title: 'Discussion (3)' with the number of comments still there."""
        count = sum(1 for c in self.comments if not c.deleted)
        if count:
            return self.tr("Discussion (%1)").replace("%1", str(count))
        return self.tr("Discussion")

    # -- showing -----------------------------------------------------------------------------
    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ApplicationFontChange:
            self._font_timer.start()
        return super().event(event)

    def hideEvent(self, event: QEvent) -> None:
        self.save_drafts()
        super().hideEvent(event)

    def resizeEvent(self, event: QEvent) -> None:
        super().resizeEvent(event)
        self._fit_cards()

    def _fit_cards(self) -> None:
        bar = self.scroll.verticalScrollBar().sizeHint().width()
        width = self.scroll.width() - bar
        for card in self.cards:
            card.fit_width(width)

    def _size_editor(self) -> None:
        # Two to three lines of the current text size: room to write, and the comments keep
        # the rest of a short column (tabs below the video at large text).
        line = self.editor.fontMetrics().lineSpacing()
        self.editor.setMinimumHeight(round(line * 2.2) + 12)
        self.editor.setMaximumHeight(line * 3 + 12)
        self.scroll.setMinimumHeight(self.fontMetrics().height() * 3)

    def show_lesson(self, profile_id: int, lesson_id: str) -> None:
        changed = (profile_id, lesson_id) != (self.profile_id, self.lesson_id)
        if changed:
            self.save_drafts()
            show_error(self.error, "")
        self.profile_id, self.lesson_id = profile_id, lesson_id
        self.reload()
        if changed:
            self._load_drafts()
            self._enter(self._active_target())

    def reload(self) -> None:
        if self.profile_id is None or self.lesson_id is None:
            return
        self.comments = self.ctx.services.comments.for_lesson(self.profile_id, self.lesson_id)
        for card in self.cards:
            self.list_box.removeWidget(card)
            card.deleteLater()
        self.cards = []
        refused = {r.entity_id: r.reason for r in refusals(self.ctx.services.db, self.profile_id)
                   if r.kind == "comment"}
        ordered = _threaded(self.comments)
        for index, (comment, is_reply) in enumerate(ordered):
            card = CommentCard(comment, is_reply, refused=refused.get(comment.id))
            card.reply_clicked.connect(self.start_reply)
            card.edit_clicked.connect(self.start_edit)
            card.delete_clicked.connect(self.confirm_delete)
            self.list_box.insertWidget(index + 2, card)  # after the intro and the empty line
            self.cards.append(card)
        self._fit_cards()
        self.empty.setVisible(not self.cards)
        if self._editing and not any(c.id == self._editing for c in self.comments):
            self.cancel_compose()

    # -- writing -----------------------------------------------------------------------------
    def start_reply(self, comment_id: str) -> None:
        self._enter(f"reply:{comment_id}")
        self.editor.setFocus()

    def start_edit(self, comment_id: str) -> None:
        if not any(c.id == comment_id for c in self.comments):
            return
        self._enter(f"edit:{comment_id}")
        self.editor.setFocus()

    def cancel_compose(self) -> None:
        """Back to a new comment. A change to a comment is dropped; a half-written reply is
        kept for when the person clicks Reply there again."""
        if self._editing is not None:
            self._drafts_here().pop(f"edit:{self._editing}", None)
        self._enter("")

    def send(self) -> None:
        """Write the comment (or the edit) to the library; it goes out with the next sync."""
        if self.profile_id is None or self.lesson_id is None:
            return
        text = self.editor.toPlainText()
        store = self.ctx.services.comments
        try:
            if self._editing is not None:
                store.edit(self.profile_id, self._editing, text)
            else:
                store.add(self.profile_id, self.lesson_id, text, reply_to=self._reply_to)
        except LibraryError as exc:
            show_error(self.error, self._plain_error(str(exc)))
            return
        show_error(self.error, "")
        self._drafts_here().pop(self._target(), None)
        self._enter("")
        self.reload()
        self.written.emit()

    def confirm_delete(self, comment_id: str) -> None:
        if self.profile_id is None:
            return
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Delete comment"),
                          self.tr("Delete your comment? Your group will see that it was "
                                  "deleted."),
                          QMessageBox.StandardButton.NoButton, self)
        delete = box.addButton(self.tr("Delete"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(self.tr("Keep it"), QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if box.clickedButton() is delete:
            self.delete(comment_id)

    def delete(self, comment_id: str) -> None:
        if self.profile_id is None:
            return
        try:
            self.ctx.services.comments.delete(self.profile_id, comment_id)
        except LibraryError as exc:
            show_error(self.error, self._plain_error(str(exc)))
            return
        if self._editing == comment_id:
            self.cancel_compose()
        self.reload()
        self.written.emit()

    # -- drafts: typed text is never lost ----------------------------------------------------
    def _key(self) -> tuple[int, str] | None:
        if self.profile_id is None or self.lesson_id is None:
            return None
        return self.profile_id, self.lesson_id

    def _target(self) -> str:
        if self._editing is not None:
            return f"edit:{self._editing}"
        if self._reply_to is not None:
            return f"reply:{self._reply_to}"
        return ""

    def _drafts_here(self) -> dict[str, str]:
        key = self._key()
        return self._load_drafts() if key is not None else {}

    def _load_drafts(self) -> dict[str, str]:
        """The drafts of the shown lesson: from memory, else from the preferences."""
        key = self._key()
        if key is None:
            return {}
        if key not in self._drafts:
            texts: dict[str, str] = {}
            active = ""
            raw = self.ctx.services.preferences.get(DRAFTS_PREF + key[1], key[0])
            try:
                stored = json.loads(raw) if raw else {}
                texts = {str(k): str(v) for k, v in dict(stored.get("texts", {})).items() if v}
                active = str(stored.get("active", ""))
            except (ValueError, TypeError, AttributeError):
                pass  # a broken value: start empty rather than fail to show the lesson
            self._drafts[key] = texts
            self._active[key] = active
        return self._drafts[key]

    def _active_target(self) -> str:
        key = self._key()
        return self._active.get(key, "") if key is not None else ""

    def _enter(self, target: str) -> None:
        """Write to ``target`` ("", "reply:ID", "edit:ID") with the text kept for it."""
        kind, _, comment_id = target.partition(":")
        comment = next((c for c in self.comments if c.id == comment_id), None)
        if comment is None or comment.deleted or (kind == "edit" and not comment.is_own):
            kind, comment_id, target = "", "", ""  # the comment went away: a new comment
        self._editing = comment_id if kind == "edit" else None
        self._reply_to = comment_id if kind == "reply" else None
        drafts = self._drafts_here()
        text = drafts.get(target)
        if text is None and comment is not None and kind == "edit":
            text = comment.body
        self._restoring = True
        try:
            self.editor.setPlainText(text or "")
        finally:
            self._restoring = False
        key = self._key()
        if key is not None:
            self._active[key] = target
        self._show_mode()
        self._save_timer.start()

    def _typed(self) -> None:
        key = self._key()
        if self._restoring or key is None:
            return
        text = self.editor.toPlainText()
        drafts = self._drafts_here()
        if text.strip():
            drafts[self._target()] = text
        else:
            drafts.pop(self._target(), None)
        self._active[key] = self._target()
        self._save_timer.start()

    def save_drafts(self) -> None:
        """Keep the shown lesson's drafts in the person's preferences (survives a restart)."""
        self._save_timer.stop()
        key = self._key()
        if key is None or key not in self._drafts:
            return
        texts = self._drafts[key]
        value = json.dumps({"active": self._active.get(key, ""), "texts": texts},
                           ensure_ascii=False) if texts else ""
        prefs = self.ctx.services.preferences
        if prefs.get(DRAFTS_PREF + key[1], key[0]) != value:
            try:
                prefs.set(DRAFTS_PREF + key[1], value, key[0])
            except LibraryError:
                self._save_timer.start()  # the library is busy: try again in a moment

    # -- helpers -----------------------------------------------------------------------------

    def _plain_error(self, message: str) -> str:
        if "needs some text" in message:
            return self.tr("Write something first.")
        if "at most" in message:
            return self.tr("That is too long: at most %1 characters.").replace(
                "%1", str(MAX_COMMENT_LENGTH))
        if "own comments" in message:
            return self.tr("You can only change your own comments.")
        if "deleted" in message:
            return self.tr("This comment was deleted.")
        return self.tr("The comment could not be saved: %1").replace("%1", message)

    def _update_send(self) -> None:
        self.send_button.setEnabled(bool(self.editor.toPlainText().strip()))

    def _show_mode(self) -> None:
        if self._editing is not None:
            self.mode_label.setText(self.tr("Changing your comment"))
            self.send_button.setText(self.tr("Save change"))
        elif self._reply_to is not None:
            parent = next((c for c in self.comments if c.id == self._reply_to), None)
            who = (self.tr("yourself") if parent is not None and parent.is_own
                   else (parent.author_name if parent is not None else ""))
            self.mode_label.setText(self.tr("Replying to %1").replace("%1", who))
            self.send_button.setText(self.tr("Send reply"))
        else:
            self.send_button.setText(self.tr("Send"))
        composing = self._editing is not None or self._reply_to is not None
        self.mode_label.setVisible(composing)
        self.cancel_button.setVisible(composing)
        self.send_button.setAccessibleName(self.send_button.text())
        self._update_send()


def _threaded(comments: list[Comment]) -> list[tuple[Comment, bool]]:
    """Comments in order with each one's replies right under it. A reply to a reply is shown
    under the first comment of its thread (one level of indent keeps it readable); a reply
    whose comment is not here (yet) is shown as a comment of its own, never hidden."""
    by_id = {c.id: c for c in comments}

    def root(c: Comment) -> str:
        seen = {c.id}
        while c.reply_to and c.reply_to in by_id and c.reply_to not in seen:
            c = by_id[c.reply_to]
            seen.add(c.id)
        return c.id

    replies: dict[str, list[Comment]] = {}
    tops: list[Comment] = []
    for c in comments:
        top = root(c)
        if top != c.id:
            replies.setdefault(top, []).append(c)
        else:
            tops.append(c)
    ordered: list[tuple[Comment, bool]] = []
    for top in tops:
        ordered.append((top, False))
        ordered.extend((r, True) for r in replies.get(top.id, []))
    return ordered
