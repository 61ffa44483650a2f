"""A trainer's announcement to a whole group (issue 11): written here, kept on this PC at once
and sent with the next sync like any change; learners see it pinned on Home until they read it.
Offered only to trainers (the hub refuses anyone else)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QPlainTextEdit,
    QWidget,
)

from companion.core.errors import CompanionError
from companion.core.social import MAX_ANNOUNCEMENT_LENGTH, Announcements
from companion.ui.context import AppContext
from companion.ui.dialogs.common import (
    Dialog,
    add_button,
    error_label,
    heading_label,
    show_error,
    text_label,
)
from companion.ui.redraw import Redraw


def trained_groups(ctx: AppContext) -> list[tuple[int, str]]:
    """The groups where I am a trainer, from the last fetch of My group."""
    rows = ctx.services.db.execute(
        "SELECT DISTINCT m.group_id, m.group_name FROM group_members m JOIN sync_logins l"
        " ON l.profile_id = m.profile_id AND l.account_id = m.account_id"
        " WHERE m.profile_id = ? AND m.role = 'trainer' ORDER BY m.group_name",
        [ctx.profile_id]).fetchall()
    return [(int(r[0]), str(r[1])) for r in rows]


class AnnounceDialog(Dialog):
    def __init__(self, ctx: AppContext, groups: list[tuple[int, str]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("announceDialog")
        layout = self.scrolling_layout()
        self.title = heading_label(self)
        layout.addWidget(self.title)
        self.intro = text_label(self)
        layout.addWidget(self.intro)
        self.group_combo = QComboBox(self)
        for group_id, name in groups:
            self.group_combo.addItem(name, group_id)
        self.group_combo.setVisible(len(groups) > 1)
        layout.addWidget(self.group_combo)
        self.editor = QPlainTextEdit(self)
        self.editor.setTabChangesFocus(True)
        layout.addWidget(self.editor, 1)
        self.error = error_label(self)
        layout.addWidget(self.error)
        box = QDialogButtonBox(self)
        self.send_button = add_button(box, QDialogButtonBox.ButtonRole.AcceptRole, "sendButton")
        self.cancel_button = add_button(box, QDialogButtonBox.ButtonRole.RejectRole,
                                        "cancelButton")
        box.accepted.connect(self.send)
        box.rejected.connect(self.reject)
        layout.addWidget(box)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Announcement"))
        self.title.setText(self.tr("A message to your whole group"))
        self.intro.setText(self.tr("Everyone in the group sees it on their home page until "
                                   "they have read it. It is sent with the next sync."))
        self.group_combo.setAccessibleName(self.tr("Group"))
        self.editor.setAccessibleName(self.tr("Your message"))
        self.send_button.setText(self.tr("&Send"))
        self.cancel_button.setText(self.tr("Cancel"))

    def send(self) -> None:
        text = self.editor.toPlainText().strip()
        if not text:
            show_error(self.error, self.tr("Write a message first."))
            return
        if len(text) > MAX_ANNOUNCEMENT_LENGTH:
            show_error(self.error, self.tr("A message has at most %1 characters.").replace(
                "%1", str(MAX_ANNOUNCEMENT_LENGTH)))
            return
        try:
            Announcements(self.ctx.services.db).post(self.ctx.profile_id,
                                                     int(self.group_combo.currentData()), text)
        except CompanionError:
            show_error(self.error, self.tr("The message could not be kept. Try again."))
            return
        self.ctx.bus.announce(Redraw(sync=True))  # the sync sends it shortly
        self.accept()
