"""The group's discussion under a lesson: comments and replies, written offline and sent later.

Other people's words are never rendered as HTML: every comment is escaped, and only plain web
addresses in it become links (opened in the system browser, http and https only). A comment
written here shows at once, marked "waiting to send" until the hub has it; the person edits or
deletes their own comments, and a deleted one stays as a quiet line so the replies under it keep
their place.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from companion.core.comments import MAX_COMMENT_LENGTH, Comment
from companion.core.errors import LibraryError, Reason
from companion.core.social import Drafts, GroupMembers, Reactions
from companion.sync.state import refusals
from companion.ui.context import AppContext
from companion.ui.dialogs.common import error_label, show_error
from companion.ui.dialogs.photo import avatar
from companion.ui.screens.discussion_card import (  # noqa: F401  (comment_html: for callers)
    CommentCard,
    breakable,
    comment_html,
    short_time,
)
from companion.ui.screens.discussion_drafts import CommentDrafts
from companion.ui.screens.group import since_text


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
        self.drafts = CommentDrafts(ctx.services.preferences, Drafts(ctx.services.db))
        self._restoring = False
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(500)
        self._save_timer.timeout.connect(lambda: self.save_drafts(synced=False))
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
            self._enter(self.drafts.active(profile_id, lesson_id))
        else:
            self._take_synced_drafts()

    def _take_synced_drafts(self) -> None:
        """A sync may have brought a draft from my other PC for this open lesson: show it,
        unless it is for the text being typed here right now."""
        if self.profile_id is None or self.lesson_id is None:
            return
        target = self._target()
        if target in self.drafts.take_synced(self.profile_id, self.lesson_id, target,
                                             self.editor.hasFocus()):
            text = self.drafts.texts(self.profile_id, self.lesson_id).get(target, "")
            self._restoring = True
            try:
                self.editor.setPlainText(text)
                self.editor.moveCursor(QTextCursor.MoveOperation.End)
            finally:
                self._restoring = False
            self._update_send()

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
        reactions = Reactions(self.ctx.services.db)
        trainers = GroupMembers(self.ctx.services.db).trainers(self.profile_id)
        photos = self._photos()
        size = round(self.fontMetrics().height() * 1.8)
        for index, (comment, is_reply) in enumerate(ordered):
            card = CommentCard(comment, is_reply, refused=refused.get(comment.id),
                               counts=reactions.counts(self.profile_id, comment.id),
                               trainer=comment.author_id in trainers,
                               photo=avatar(self.ctx.services.media,
                                            photos.get(comment.author_id), comment.author_name,
                                            size))
            card.react_clicked.connect(self.react)
            card.person_clicked.connect(self.introduce)
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
    def scroll_to(self, comment_id: str) -> None:
        """Bring a comment into view ("" the newest) and give it the focus ring of a reader."""
        cards = [c for c in self.cards if c.comment.id == comment_id] or self.cards[-1:]
        if cards:
            self.scroll.ensureWidgetVisible(cards[0])
            cards[0].setFocus(Qt.FocusReason.OtherFocusReason)

    def _photos(self) -> dict[str, str | None]:
        """The photo of each comment author: mine, and the group's from the sync."""
        db, pid = self.ctx.services.db, self.profile_id
        photos: dict[str, str | None] = {f"hub:{r[0]}": r[1] for r in db.execute(
            "SELECT account_id, photo_sha256 FROM sync_people WHERE profile_id = ?", [pid])}
        own = db.execute("SELECT uid, photo_sha256 FROM profiles WHERE id = ?", [pid]).fetchone()
        if own is not None:
            photos[own[0]] = own[1]
        return photos

    def introduce(self, author_id: str) -> None:
        """Who wrote this: their name, motto and since when (My group's card, in a box)."""
        if self.profile_id is None:
            return
        members = GroupMembers(self.ctx.services.db).list(self.profile_id)
        own = self.ctx.services.db.execute(
            "SELECT uid FROM profiles WHERE id = ?", [self.profile_id]).fetchone()
        wanted = next((m for m in members if f"hub:{m.account_id}" == author_id
                       or (m.is_me and own is not None and own[0] == author_id)), None)
        box = QMessageBox(self)
        box.setTextFormat(Qt.TextFormat.PlainText)  # their words, never HTML
        box.setWindowTitle(self.tr("Introduction"))
        if wanted is None:
            name = next((c.author_name for c in self.comments if c.author_id == author_id), "")
            box.setText(name)
            box.setInformativeText(self.tr("This person has not introduced themselves yet."))
        else:
            box.setText(self.tr("%1 · trainer").replace("%1", wanted.name)
                        if wanted.role == "trainer" else wanted.name)
            box.setInformativeText("\n".join(x for x in (
                f"“{wanted.motto}”" if wanted.motto else "", since_text(wanted.since)) if x))
        box.setIconPixmap(avatar(self.ctx.services.media, wanted.photo_sha256 if wanted else None,
                                 box.text(), round(self.fontMetrics().height() * 3)))
        self.introduction = box  # kept for tests
        box.open()

    def react(self, comment_id: str, kind: str) -> None:
        """Useful or Thanks, on or off again (synced like any change)."""
        if self.profile_id is None:
            return
        try:
            Reactions(self.ctx.services.db).toggle(self.profile_id, comment_id, kind)
        except LibraryError as exc:
            show_error(self.error, str(exc))
            return
        self.reload()
        self.written.emit()

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
            self._drop_draft(f"edit:{self._editing}")
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
            show_error(self.error, self._plain_error(exc))
            return
        show_error(self.error, "")
        self._drop_draft(self._target())
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
            show_error(self.error, self._plain_error(exc))
            return
        if self._editing == comment_id:
            self.cancel_compose()
        self.reload()
        self.written.emit()

    # -- drafts: typed text is never lost ----------------------------------------------------
    def _target(self) -> str:
        if self._editing is not None:
            return f"edit:{self._editing}"
        if self._reply_to is not None:
            return f"reply:{self._reply_to}"
        return ""

    def _enter(self, target: str) -> None:
        """Write to ``target`` ("", "reply:ID", "edit:ID") with the text kept for it."""
        kind, _, comment_id = target.partition(":")
        comment = next((c for c in self.comments if c.id == comment_id), None)
        if comment is None or comment.deleted or (kind == "edit" and not comment.is_own):
            kind, comment_id, target = "", "", ""  # the comment went away: a new comment
        self._editing = comment_id if kind == "edit" else None
        self._reply_to = comment_id if kind == "reply" else None
        text = None
        if self.profile_id is not None and self.lesson_id is not None:
            text = self.drafts.texts(self.profile_id, self.lesson_id).get(target)
            self.drafts.set_active(self.profile_id, self.lesson_id, target)
        if text is None and comment is not None and kind == "edit":
            text = comment.body
        self._restoring = True
        try:
            self.editor.setPlainText(text or "")
        finally:
            self._restoring = False
        self._show_mode()
        self._schedule_save()

    def _typed(self) -> None:
        if self._restoring or self.profile_id is None or self.lesson_id is None:
            return
        self.drafts.set_text(self.profile_id, self.lesson_id, self._target(),
                             self.editor.toPlainText())
        self._schedule_save()

    def _schedule_save(self) -> None:
        # A hidden panel gets no hide event to flush a pending save, and its timer would fire
        # after the library closed: save at once instead.
        if self.isVisible():
            self._save_timer.start()
        else:
            self.save_drafts()

    def _drop_draft(self, target: str) -> None:
        if self.profile_id is not None and self.lesson_id is not None:
            self.drafts.drop(self.profile_id, self.lesson_id, target)

    def save_drafts(self, synced: bool = True) -> None:
        """Keep the shown lesson's drafts in the person's preferences (survives a restart),
        and with ``synced`` as drafts for the person's other PCs."""
        self._save_timer.stop()
        if self.profile_id is None or self.lesson_id is None:
            return
        try:
            self.drafts.save(self.profile_id, self.lesson_id, synced)
        except LibraryError:
            self._save_timer.start()  # the library is busy: try again in a moment

    # -- helpers -----------------------------------------------------------------------------

    def _plain_error(self, exc: LibraryError) -> str:
        if exc.reason is Reason.COMMENT_EMPTY:
            return self.tr("Write something first.")
        if exc.reason is Reason.COMMENT_TOO_LONG:
            return self.tr("That is too long: at most %1 characters.").replace(
                "%1", str(MAX_COMMENT_LENGTH))
        if exc.reason is Reason.COMMENT_NOT_OWN:
            return self.tr("You can only change your own comments.")
        if exc.reason is Reason.COMMENT_DELETED:
            return self.tr("This comment was deleted.")
        return self.tr("The comment could not be saved: %1").replace("%1", str(exc))

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
