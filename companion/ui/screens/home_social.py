"""Home's part of the social loop (issue 11): the trainer's announcements pinned until read,
"What's new in your group" (the newest notifications), "2 unfinished answers" with links to
where they were left, and the way to My group. Hidden when there is nothing of the kind."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from companion.core.notifications import (
    Notifications,
    PinnedAnnouncement,
    pinned_announcements,
    whats_new,
)
from companion.core.social import Drafts
from companion.ui.context import AppContext
from companion.ui.navigation import Navigator
from companion.ui.redraw import Redraw
from companion.ui.screens.notifications import notification_title, open_notification
from companion.ui.screens.widgets import big_button, heading, text_label

NEWS_SHOWN = 4


class LinkLine(QLabel):
    """A line that opens something: plain text that wraps (a push button does not, and a long
    lesson title at the largest text made the page scroll sideways), reached with Tab and
    opened with a click, Enter or Space."""

    clicked = Signal()

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setContentsMargins(2, 4, 2, 4)
        self.setAccessibleName(text)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(
                event.position().toPoint()):
            self.clicked.emit()
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.clicked.emit()
            return
        super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        font = self.font()
        font.setUnderline(True)  # where the keyboard is
        self.setFont(font)
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        font = self.font()
        font.setUnderline(False)
        self.setFont(font)
        super().focusOutEvent(event)

    def click(self) -> None:
        self.clicked.emit()


class GroupNewsCard(QFrame):
    def __init__(self, ctx: AppContext, nav: Navigator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.nav = nav
        self.setObjectName("groupNews")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(20, 16, 20, 16)
        self.box.setSpacing(8)
        self.pinned = QVBoxLayout()
        self.box.addLayout(self.pinned)
        self.news_heading = heading("", 1.2)
        self.box.addWidget(self.news_heading)
        self.news = QVBoxLayout()
        self.news.setSpacing(2)
        self.box.addLayout(self.news)
        self.drafts_heading = heading("", 1.1)
        self.box.addWidget(self.drafts_heading)
        self.drafts = QVBoxLayout()
        self.drafts.setSpacing(2)
        self.box.addLayout(self.drafts)
        row = QHBoxLayout()
        self.group_button = big_button("", height_em=2.0)
        self.group_button.clicked.connect(nav.group)
        self.all_button = big_button("", height_em=2.0)
        self.all_button.clicked.connect(nav.notifications)
        row.addWidget(self.group_button)
        row.addWidget(self.all_button)
        row.addStretch(1)
        self.box.addLayout(row)
        self.retranslate()

    def retranslate(self) -> None:
        self.news_heading.setText(self.tr("What's new in your group"))
        self.group_button.setText(self.tr("My group"))
        self.all_button.setText(self.tr("All notifications"))

    @staticmethod
    def _clear(layout: QVBoxLayout) -> None:
        while layout.count():
            item = layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()

    def reload(self) -> bool:
        """Redraw; returns whether there is anything to show."""
        db, pid = self.ctx.services.db, self.ctx.profile_id
        for layout in (self.pinned, self.news, self.drafts):
            self._clear(layout)
        pinned = pinned_announcements(db, pid)
        for item in pinned:
            self.pinned.addWidget(self._announcement(item))
        news = whats_new(db, pid, NEWS_SHOWN)
        for n in news:
            line = notification_title(n)
            button = LinkLine(("• " if not n.read else "") + line)
            button.setAccessibleName(line)
            button.clicked.connect(lambda _=False, n=n: open_notification(self.ctx, self.nav, n))
            self.news.addWidget(button)
        self.news_heading.setVisible(bool(news))
        unfinished = Drafts(db).unfinished(pid)
        self.drafts_heading.setText(self.tr("%n unfinished answers", "", len(unfinished)))
        self.drafts_heading.setVisible(bool(unfinished))
        for draft, title in unfinished[:NEWS_SHOWN]:
            words = " ".join(draft.body.split())[:60]
            button = LinkLine(f"{title}: “{words}”")
            button.clicked.connect(lambda _=False, d=draft: self.nav.discussion(
                d.lesson_id, d.reply_to or ""))
            self.drafts.addWidget(button)
        connected = self.ctx.services.credentials.login(pid) is not None
        self.group_button.setVisible(connected)
        self.all_button.setVisible(connected)
        return bool(pinned or news or unfinished or connected)

    def _announcement(self, item: PinnedAnnouncement) -> QWidget:
        box = QFrame()
        box.setObjectName("pinnedAnnouncement")
        box.setFrameShape(QFrame.Shape.StyledPanel)
        lay = QVBoxLayout(box)
        lay.addWidget(heading(self.tr("From %1").replace("%1", item.author_name), 1.1))
        lay.addWidget(text_label(item.body))  # plain text: never read as HTML
        done = big_button(self.tr("Read, thank you"), height_em=1.8)
        done.clicked.connect(lambda: self._read(item.notification_id))
        lay.addWidget(done, 0, Qt.AlignmentFlag.AlignLeft)
        return box

    def _read(self, notification_id: int) -> None:
        Notifications(self.ctx.services.db).mark_read(self.ctx.profile_id, [notification_id])
        self.ctx.bus.announce(Redraw(sync=True))
