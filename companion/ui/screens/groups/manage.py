"""The managing tabs of "My groups": the discussion (hide with a reason, restore), the members
(invite code, remove, split) and the exports (CSV files, pictures). A part of
:class:`~companion.ui.screens.groups.page.GroupsScreen`, kept apart to keep each file short;
its texts are in the page's translation context."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from companion.sync.trainer import write_csv as write_report_csv
from companion.ui.screens.groups.data import ROW
from companion.ui.screens.widgets import heading, text_label

translate = QCoreApplication.translate  # the name pyside6-lupdate looks for
GROUPS_PREF = "trainer_groups"  # the groups this profile trains, kept for offline starts


class ManageTabs:
    """Mixed into the page: uses its ``tabs``, ``report``, ``comments``, ``groups``,
    ``group_id()``, ``_act``, ``_confirm``, ``_scrolling`` and ``ctx``."""

    tabs: Any
    report: dict[str, Any] | None
    comments: list[dict[str, Any]]
    groups: list[dict[str, Any]]
    ctx: Any
    group_id: Callable[[], int | None]
    _act: Callable[..., None]
    _confirm: Callable[[str], bool]
    _scrolling: Callable[[QWidget], None]
    check_groups: Callable[[], None]
    heatmap: Any
    ladder: Any

    def _build_discussion(self) -> None:
        page = QWidget()
        box = QVBoxLayout(page)
        self.comment_list = QListWidget()
        self.comment_list.setWordWrap(True)
        self.comment_list.setAlternatingRowColors(True)  # where one comment ends
        self.comment_list.setSpacing(2)
        self.comment_list.currentRowChanged.connect(lambda _r: self._comment_buttons())
        box.addWidget(self.comment_list, 1)
        row = QHBoxLayout()
        self.hide_button = QPushButton()
        self.hide_button.clicked.connect(self._ask_hide)
        self.restore_button = QPushButton()
        self.restore_button.clicked.connect(
            lambda: self.restore_comment(self._current_comment_id())
        )
        row.addWidget(self.hide_button)
        row.addWidget(self.restore_button)
        row.addStretch(1)
        box.addLayout(row)
        self.tabs.addTab(page, "")

    def _build_members(self) -> None:
        # One thing per row: at the largest text nothing is squeezed; the page scrolls.
        page = QWidget()
        box = QVBoxLayout(page)
        self.invite_label = heading("", 1.2)
        self.invite_label.setWordWrap(True)
        self.invite_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.addWidget(self.invite_label)
        row = QHBoxLayout()
        self.copy_button = QPushButton()
        self.copy_button.clicked.connect(self.copy_invite)
        self.new_code_button = QPushButton()
        self.new_code_button.clicked.connect(self._ask_new_code)
        row.addWidget(self.copy_button)
        row.addWidget(self.new_code_button)
        row.addStretch(1)
        box.addLayout(row)
        # The learners' model itself (its first column), not 900 list items made again.
        self.member_list = QListView()
        self.member_list.setModel(self.learners)
        self.member_list.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        self.member_list.setUniformItemSizes(True)
        self.member_list.setMinimumHeight(self.member_list.fontMetrics().height() * 8)
        box.addWidget(self.member_list, 1)
        self.remove_button = QPushButton()
        self.remove_button.clicked.connect(self._ask_remove)
        box.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignLeft)
        row = QHBoxLayout()
        self.split_spin = QSpinBox()
        self.split_spin.setRange(2, 50)
        self.split_button = QPushButton()
        self.split_button.clicked.connect(self._ask_split)
        row.addWidget(self.split_spin)
        row.addWidget(self.split_button)
        row.addStretch(1)
        box.addLayout(row)
        self.split_result = text_label()
        self.split_result.setWordWrap(True)
        self.split_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.addWidget(self.split_result)
        self._scrolling(page)

    def _build_export(self) -> None:
        page = QWidget()
        box = QVBoxLayout(page)
        self.export_hint = text_label()
        self.export_hint.setWordWrap(True)
        box.addWidget(self.export_hint)
        self.csv_button = QPushButton()
        self.csv_button.clicked.connect(self._ask_csv)
        self.heatmap_png = QPushButton()
        self.heatmap_png.clicked.connect(lambda: self._ask_png(self.heatmap.save_png))
        self.ladder_png = QPushButton()
        self.ladder_png.clicked.connect(lambda: self._ask_png(self.ladder.save_png))
        self.weeks_png = QPushButton()
        self.weeks_png.clicked.connect(lambda: self._ask_png(self.weeks.save_png))
        self.history_png = QPushButton()
        self.history_png.clicked.connect(lambda: self._ask_png(self.ladder_history.save_png))
        for button in (self.csv_button, self.heatmap_png, self.weeks_png, self.ladder_png,
                       self.history_png):
            box.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
        self.export_result = text_label()
        self.export_result.setWordWrap(True)
        box.addWidget(self.export_result)
        box.addStretch(1)
        self._scrolling(page)

    # -- discussion ----------------------------------------------------------------------------

    def _fill_comments(self) -> None:
        self.comment_list.clear()
        titles = {x["lesson_id"]: x["title"] for x in (self.report or {}).get("lessons") or []}
        for c in sorted(self.comments, key=lambda c: -int(c.get("seq", 0)))[:100]:
            text = f"{c.get('author_name') or '?'} · {titles.get(c['lesson_id'], c['lesson_id'])}"
            text += f"\n{c.get('body') or ''}"
            if c.get("hidden"):
                text += "\n" + translate("GroupsScreen", "Hidden: %1").replace(
                    "%1", c.get("hidden_reason") or ""
                )
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, c)
            self.comment_list.addItem(item)
        self._comment_buttons()

    def _current_comment(self) -> dict[str, Any] | None:
        item = self.comment_list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def _current_comment_id(self) -> str:
        comment = self._current_comment()
        return str(comment["comment_id"]) if comment else ""

    def _comment_buttons(self) -> None:
        comment = self._current_comment()
        self.hide_button.setEnabled(bool(comment) and not comment.get("hidden"))
        self.restore_button.setEnabled(bool(comment) and bool(comment.get("hidden")))

    def _ask_hide(self) -> None:
        comment_id = self._current_comment_id()
        if not comment_id:
            return
        reason, ok = QInputDialog.getText(
            self,
            translate("GroupsScreen", "Hide this comment"),
            translate("GroupsScreen", "Why? The writer will read: “hidden by the trainer: …”"),
        )
        if ok and reason.strip():
            self.hide_comment(comment_id, reason.strip())

    def hide_comment(self, comment_id: str, reason: str) -> None:
        self._act(lambda api: api.hide(comment_id, reason))

    def restore_comment(self, comment_id: str) -> None:
        if comment_id:
            self._act(lambda api: api.restore(comment_id))

    # -- members -------------------------------------------------------------------------------

    def _current_group(self) -> dict[str, Any]:
        return next((g for g in self.groups if int(g["id"]) == self.group_id()), {})

    def _fill_members(self) -> None:
        code = self._current_group().get("invite_code") or "–"
        self.invite_label.setText(translate("GroupsScreen", "Invite code: %1").replace("%1", code))

    def copy_invite(self) -> None:
        code = self._current_group().get("invite_code")
        if code:
            QGuiApplication.clipboard().setText(code)

    def _ask_new_code(self) -> None:
        if self._confirm(
            translate("GroupsScreen", "Make a new invite code? The old code stops working.")
        ):
            self.new_invite_code()

    def new_invite_code(self) -> None:
        group_id = self.group_id()
        if group_id is None:
            return

        def changed(code: str) -> None:
            for g in self.groups:
                if int(g["id"]) == group_id:
                    g["invite_code"] = code
            self.ctx.services.preferences.set(
                GROUPS_PREF, json.dumps(self.groups), self.ctx.profile_id
            )
            self._fill_members()

        self._act(lambda api: api.new_invite(group_id), changed, reload=False)

    def _ask_remove(self) -> None:
        index = self.member_list.currentIndex()
        row = index.data(ROW) if index.isValid() else None
        if row and self._confirm(
            translate("GroupsScreen", "Remove %1 from the group?").replace("%1", row["name"])
        ):
            self.remove_member(int(row["account_id"]))

    def remove_member(self, account_id: int) -> None:
        group_id = self.group_id()
        if group_id is not None:
            self._act(lambda api: api.remove_member(group_id, account_id))

    def _ask_split(self) -> None:
        count = self.split_spin.value()
        if self._confirm(
            translate(
                "GroupsScreen",
                "Split this group into %1 new groups? Each gets its own "
                "invite code; the old discussion stays readable.",
            ).replace("%1", str(count))
        ):
            self.split_group(count)

    def split_group(self, count: int) -> None:
        group_id = self.group_id()
        if group_id is None:
            return

        def done(groups: list[dict[str, Any]]) -> None:
            self.split_result.setText(
                "\n".join(f"{g['name']}: {g['invite_code']} ({g['learners']})" for g in groups)
            )
            self.check_groups()

        self._act(lambda api: api.split(group_id, count), done, reload=False)

    # -- export --------------------------------------------------------------------------------

    def _ask_csv(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, translate("GroupsScreen", "Save the CSV files in")
        )
        if folder:
            self.export_csv(folder)

    def export_csv(self, folder: str) -> list[Path]:
        if self.report is None:
            return []
        paths = write_report_csv(self.report, folder)
        self.export_result.setText(
            translate("GroupsScreen", "Saved: %1").replace("%1", ", ".join(p.name for p in paths))
        )
        return paths

    def _ask_png(self, save: Callable[[str], bool]) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            translate("GroupsScreen", "Save the picture"),
            "",
            translate("GroupsScreen", "Pictures (*.png)"),
        )
        if path:
            if not path.lower().endswith(".png"):
                path += ".png"
            ok = save(path)
            self.export_result.setText(
                translate("GroupsScreen", "Saved: %1").replace("%1", path)
                if ok
                else translate("GroupsScreen", "The picture could not be saved.")
            )
