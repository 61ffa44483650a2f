"""My group: the people I learn with, with photo, name, motto and since when, trainers marked,
and my own introduction card on top with a prompt to add a photo and a motto (optional, and
said so). The list is kept on this PC (``core/social.GroupMembers``) and fetched again from the
hub on the network lane each time the page opens; offline it shows what it had."""

from __future__ import annotations

import logging
from datetime import datetime

from PySide6.QtCore import QCoreApplication, QLocale, Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from companion.core.social import GroupMembers, Member
from companion.sync.client import HubClient, HubError
from companion.sync.credentials import CredentialError
from companion.sync.people import refresh_group_members, sync_photos
from companion.ui.context import AppContext
from companion.ui.dialogs.photo import avatar
from companion.ui.navigation import Navigator
from companion.ui.screens.base import Screen
from companion.ui.screens.widgets import big_button, heading, scrolling_page, text_label
from companion.ui.tasks import TaskContext

log = logging.getLogger(__name__)


def since_text(iso: str | None) -> str:
    try:
        when = datetime.fromisoformat(iso) if iso else None
    except ValueError:
        when = None
    if when is None:
        return ""
    return QCoreApplication.translate("GroupScreen", "In the group since %1").replace(
        "%1", QLocale().toString(when.date(), QLocale.FormatType.LongFormat))


class MemberCard(QFrame):
    """One person: photo (or initials), name with a trainer badge, motto, since when."""

    def __init__(self, ctx: AppContext, member: Member, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.member = member
        self.setObjectName("memberCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        row = QHBoxLayout(self)
        row.setContentsMargins(14, 10, 14, 10)
        row.setSpacing(14)
        size = round(self.fontMetrics().height() * 3)
        self.photo = QLabel()
        self.photo.setPixmap(avatar(ctx.services.media, member.photo_sha256, member.name, size))
        row.addWidget(self.photo, 0, Qt.AlignmentFlag.AlignTop)
        text = QVBoxLayout()
        text.setSpacing(2)
        self.name = heading("", 1.15)
        self.motto = text_label()  # plain text: never read as HTML
        self.since = text_label()
        self.since.setEnabled(False)
        for widget in (self.name, self.motto, self.since):
            text.addWidget(widget)
        row.addLayout(text, 1)
        self.retranslate()

    def retranslate(self) -> None:
        m = self.member
        name = m.name
        if m.role == "trainer":
            name = self.tr("%1 · trainer").replace("%1", name)
        if m.is_me:
            name = self.tr("%1 (you)").replace("%1", name)
        self.name.setText(name)
        self.motto.setText(f"“{m.motto}”" if m.motto else "")
        self.motto.setVisible(bool(m.motto))
        self.since.setText(since_text(m.since))
        self.setAccessibleName(" · ".join(x for x in (name, m.motto) if x))


class GroupScreen(Screen):
    WATCHES = ("sync", "profile")

    def __init__(self, ctx: AppContext, nav: Navigator, parent: QWidget | None = None) -> None:
        super().__init__(ctx, nav, parent)
        self.setObjectName("groupScreen")
        layout = scrolling_page(self, spacing=12)
        self.title = heading("")
        layout.addWidget(self.title)
        self.intro = text_label(factor=1.05)
        layout.addWidget(self.intro)
        self.prompt = text_label()
        layout.addWidget(self.prompt)
        self.edit_button = big_button("", height_em=2.0)
        self.edit_button.clicked.connect(self.nav.edit_profile)
        layout.addWidget(self.edit_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.cards_box = QVBoxLayout()
        self.cards_box.setSpacing(8)
        layout.addLayout(self.cards_box)
        self.status = text_label()
        self.status.setEnabled(False)
        layout.addWidget(self.status)
        layout.addStretch(1)
        self.cards: list[MemberCard] = []
        self.fetching = False
        self._problem = ""
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("My group"))
        self.intro.setText(self.tr("The people you learn with. Click a name in a discussion "
                                   "to see who wrote it."))
        self.edit_button.setText(self.tr("Edit my introduction…"))

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().showEvent(event)
        self.fetch()

    def fetch(self) -> None:
        """Ask the hub for the members again (network lane); the page shows what it has."""
        pid = self.ctx.profile_id
        if self.fetching or self.ctx.services.credentials.login(pid) is None:
            return
        self.fetching = True

        def work(task: TaskContext) -> int:
            svc = task.services
            assert svc is not None
            login = svc.credentials.login(pid)
            if login is None:
                return 0
            with HubClient(login.hub_url, svc.credentials.token(pid),
                           ca_file=login.ca_file) as client:
                count = refresh_group_members(client, svc.db, pid)
                sync_photos(client, svc.db, svc.media, pid)
                return count

        self.ctx.tasks.run_network(work, on_done=self._fetched, on_error=self._failed)

    def _fetched(self, _count: int) -> None:
        self.fetching = False
        self._problem = ""
        self.refresh()

    def _failed(self, exc: BaseException) -> None:
        self.fetching = False
        if not isinstance(exc, HubError | CredentialError):
            log.error("fetching the group's members failed", exc_info=exc)
        self._problem = self.tr("Could not reach your group just now: this is the list from "
                                "the last time.")
        self.refresh()

    def reload(self) -> None:
        for card in self.cards:
            self.cards_box.removeWidget(card)
            card.deleteLater()
        self.cards = []
        pid = self.ctx.profile_id
        members = GroupMembers(self.ctx.services.db).list(pid)
        seen: set[int] = set()
        # Me first, then the trainers and the others (once each, whatever their groups).
        for member in sorted(members, key=lambda m: (not m.is_me, m.role != "trainer")):
            if member.account_id in seen:
                continue
            seen.add(member.account_id)
            card = MemberCard(self.ctx, member)
            self.cards_box.addWidget(card)
            self.cards.append(card)
        profile = self.ctx.profile
        missing = [what for what, have in ((self.tr("a photo"), profile.photo_sha256),
                                           (self.tr("a motto"), profile.motto)) if not have]
        self.prompt.setVisible(bool(missing))
        self.prompt.setText(self.tr("Add %1 so your group knows who you are. This is optional: "
                                    "you decide.").replace("%1", self.tr(" and ").join(missing)))
        connected = self.ctx.services.credentials.login(pid) is not None
        if not connected:
            self.status.setText(self.tr("This computer is not connected to a group yet."))
        elif not members:
            self.status.setText(self.tr("The members show here once your group has been "
                                        "reached."))
        else:
            self.status.setText(self._problem)
        self.status.setVisible(bool(self.status.text()))
