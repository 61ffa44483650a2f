"""The Notifications page: replies, news in followed discussions, announcements, new packs, new
members and Useful marks, newest first (bundled: "3 new replies on ..."). A click opens where
it happened (the lesson's discussion at that comment, the downloads, My group) and reads it.

Everything comes from what the last sync brought (``core/notifications.py``); reading a
notification here reads it on the person's other PCs at their next sync.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from companion.core.notifications import Notification, Notifications
from companion.ui.context import AppContext
from companion.ui.navigation import Navigator
from companion.ui.redraw import Redraw
from companion.ui.screens.base import Screen
from companion.ui.screens.widgets import big_button, heading, text_label


class NotificationText(QObject):
    """The words of a notification in the person's language (the core's English summary is
    for the CLI). A QObject so that its strings have one translation context."""

    def title(self, n: Notification) -> str:
        where = n.lesson_title or n.lesson_id or ""
        who = n.from_names[0] if n.from_names else self.tr("Someone")
        many = n.count > 1
        if n.kind == "reply":
            if many:
                return self.tr("%n new replies on %1", "", n.count).replace("%1", where)
            return self.tr("%1 replied on %2").replace("%1", who).replace("%2", where)
        if n.kind == "comment":
            if many:
                return self.tr("%n new comments on %1", "", n.count).replace("%1", where)
            return self.tr("%1 wrote on %2").replace("%1", who).replace("%2", where)
        if n.kind == "announcement":
            return self.tr("Announcement from %1").replace("%1", who)
        if n.kind == "pack":
            return self.tr("New lessons for your group: %1").replace("%1", n.text)
        if n.kind == "member":
            if many:
                return self.tr("%n new members introduced themselves", "", n.count)
            return self.tr("%1 introduced themselves").replace("%1", who)
        if n.kind == "useful":
            if many:
                return self.tr("%n people found your comment useful", "", n.count)
            return self.tr("%1 found your comment useful").replace("%1", who)
        return n.text


_TEXT: list[NotificationText] = []


def notification_title(n: Notification) -> str:
    """One line about ``n`` in the person's language."""
    if not _TEXT:
        _TEXT.append(NotificationText())
    return _TEXT[0].title(n)


def open_notification(ctx: AppContext, nav: Navigator, n: Notification) -> bool:
    """Read ``n`` and go where it happened (the lesson's discussion at the comment, the
    downloads, My group); False when there is nowhere to go (an announcement)."""
    if not n.read:
        Notifications(ctx.services.db).mark_read(ctx.profile_id, [n.id])
        ctx.bus.announce(Redraw(sync=True))
    if n.kind in ("reply", "comment", "useful") and n.lesson_id:
        nav.discussion(n.lesson_id, n.comment_id or "")
    elif n.kind == "pack":
        nav.downloads()
    elif n.kind == "member":
        nav.group()
    else:
        return False
    return True


class NotificationsScreen(Screen):
    WATCHES = ("sync", "profile")

    def __init__(self, ctx: AppContext, nav: Navigator, parent: QWidget | None = None) -> None:
        super().__init__(ctx, nav, parent)
        self.store = Notifications(ctx.services.db)
        self.items: list[Notification] = []
        box = QVBoxLayout(self)
        box.setContentsMargins(32, 24, 32, 24)
        box.setSpacing(12)
        top = QHBoxLayout()
        self.title = heading("")
        top.addWidget(self.title, 1)
        self.read_all = big_button("")
        self.read_all.clicked.connect(self.mark_all_read)
        top.addWidget(self.read_all)
        box.addLayout(top)
        self.empty = text_label()
        box.addWidget(self.empty)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setSpacing(8)
        self.list.itemActivated.connect(self._open_item)
        self.list.itemClicked.connect(self._open_item)
        box.addWidget(self.list, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Notifications"))
        self.read_all.setText(self.tr("Mark all as read"))
        self.empty.setText(self.tr("Nothing new. Replies to your questions, news from your "
                                   "trainer and new lessons show up here after a sync."))

    def reload(self) -> None:
        self.store = Notifications(self.ctx.services.db)
        self.items = self.store.list(self.ctx.profile_id)
        self.list.clear()
        for n in self.items:
            text = notification_title(n)
            if n.text and n.kind in ("reply", "comment", "announcement", "member"):
                text += "\n" + n.text
            item = QListWidgetItem(text)  # plain text: never read as HTML
            font = QFont(self.list.font())
            font.setBold(not n.read)
            item.setFont(font)
            item.setData(Qt.ItemDataRole.UserRole, n.id)
            item.setData(Qt.ItemDataRole.AccessibleTextRole,
                         (self.tr("Unread: ") if not n.read else "") + text)
            self.list.addItem(item)
        self.empty.setVisible(not self.items)
        self.list.setVisible(bool(self.items))
        self.read_all.setEnabled(any(not n.read for n in self.items))

    def _open_item(self, item: QListWidgetItem) -> None:
        nid = int(item.data(Qt.ItemDataRole.UserRole))
        found = next((n for n in self.items if n.id == nid), None)
        if found is not None:
            self.open(found)

    def open(self, n: Notification) -> None:
        """Read it and go where it happened."""
        if not open_notification(self.ctx, self.nav, n):
            self.refresh()

    def mark_all_read(self) -> None:
        if self.store.mark_read(self.ctx.profile_id):
            self.ctx.bus.announce(Redraw(sync=True))
