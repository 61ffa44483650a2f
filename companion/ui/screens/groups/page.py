"""My groups: the trainer's workspace (issue 10). Listed in the sidebar only for an account that
trains at least one group.

Per group: the overview with the change against the previous period, the learners (sortable,
filtered, who needs help and why), the lessons, the activity by weekday and hour, the
participation ladder, the discussion (hide with a reason, restore), the members (invite code,
remove, split) and the exports (CSV, PNG). Everything that talks to the hub runs on the task
runner's network lane; the last report is kept in the library and shown with its age when the
hub cannot be reached.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from companion.core.report_cache import ReportCache
from companion.sync.client import HubOffline
from companion.sync.trainer import FetchedReport, TrainerApi, fetch_report, open_trainer_api
from companion.ui.context import AppContext
from companion.ui.navigation import Navigator
from companion.ui.screens.base import Screen
from companion.ui.screens.groups.avatars import AvatarDelegate, Avatars
from companion.ui.screens.groups.charts import Heatmap, WeeksChart
from companion.ui.screens.groups.data import (
    LearnerFilter,
    LearnersModel,
    LessonsModel,
    age_text,
    overview_figures,
)
from companion.ui.screens.groups.fit import (
    ColumnFitter,
    FittingTableView,
    TabPicker,
    WrappingRow,
)
from companion.ui.screens.groups.ladder_tab import LadderTab
from companion.ui.screens.groups.learner import LearnerDialog
from companion.ui.screens.groups.manage import GROUPS_PREF, ManageTabs
from companion.ui.screens.widgets import VerticalScroll, heading, text_label
from companion.ui.tasks import TaskContext

PERIODS = (7, 30, 90)


class GroupsScreen(ManageTabs, LadderTab, Screen):
    """The trainer's page. ``nav_entry_changed`` tells the shell when the sidebar entry must
    appear or go (the account turned out to train a group, or no longer does)."""

    WATCHES = ("profile",)
    REFETCH_AFTER_S = 60.0  # shown again later than this: ask the hub again

    def __init__(self, ctx: AppContext, nav: Navigator, parent: QWidget | None = None) -> None:
        super().__init__(ctx, nav, parent)
        self.setObjectName("groupsScreen")
        self.groups: list[dict[str, Any]] = self._kept_groups()
        self.report: dict[str, Any] | None = None
        self.fetched: FetchedReport | None = None
        self.comments: list[dict[str, Any]] = []
        self.ladder_group: int | None = None  # the group whose weeks the hub sent
        self.problem = ""
        self.busy = 0
        self._sized = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 12)
        layout.setSpacing(8)
        self.heading = heading("", 1.6)
        layout.addWidget(self.heading)
        self.group_box = QComboBox()
        # A long group name is cut in the box rather than pushing the row past the window.
        self.group_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.group_box.setMinimumContentsLength(6)
        self.group_box.currentIndexChanged.connect(lambda _i: self.load_report())
        self.period_box = QComboBox()
        self.period_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.period_box.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        self.period_box.currentIndexChanged.connect(lambda _i: self.load_report())
        self.refresh_button = QPushButton()
        self.refresh_button.clicked.connect(self.reload)
        self.tabs = QTabWidget()
        self.tab_picker = TabPicker(self.tabs)
        # One row: the group, the period, Refresh and (when the tab bar has no room) the tab
        # picker, which goes to a line of its own only when it does not fit beside them.
        self.top = WrappingRow([self.group_box, self.period_box, self.refresh_button],
                               self.tab_picker, 6)
        layout.addWidget(self.top)
        # Only what the status bar does not say already (the report's age when it is fresh
        # sits in Refresh's tooltip): offline, a problem, no group yet.
        self.status = text_label()
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        layout.addWidget(self.tabs, 1)
        self._build_overview()
        self._build_learners()
        self._build_lessons()
        self._build_activity()
        self._build_ladder()
        self._build_discussion()
        self._build_members()
        self._build_export()
        self.retranslate()
        self._fill_groups()
        ctx.bus.changed.connect(self._changed)

    # -- building the tabs ---------------------------------------------------------------------

    def _scrolling(self, content: QWidget) -> None:
        """A tab whose content scrolls when the text is large, never squeezed."""
        self.tabs.addTab(VerticalScroll(content), "")

    def _build_overview(self) -> None:
        page = QWidget()
        grid = QGridLayout(page)
        self.figures: list[tuple[QLabel, QLabel, QLabel]] = []
        for i in range(4):
            value, label, change = heading("–", 2.0), text_label(), text_label()
            label.setWordWrap(True)
            change.setWordWrap(True)
            box = QVBoxLayout()
            box.addWidget(value)
            box.addWidget(label)
            box.addWidget(change)
            grid.addLayout(box, i // 2, i % 2)
            self.figures.append((value, label, change))
        grid.setRowStretch(2, 1)
        self._scrolling(page)

    def _build_learners(self) -> None:
        page = QWidget()
        box = QVBoxLayout(page)
        self.filter_edit = QLineEdit()
        self.filter_edit.setClearButtonEnabled(True)
        self.help_only = QCheckBox()
        box.addWidget(WrappingRow([self.filter_edit], self.help_only, 8))
        self.learners = LearnersModel(self, Avatars(self.ctx.services.media))
        self.learner_filter = LearnerFilter(self)
        self.learner_filter.setSourceModel(self.learners)
        self.filter_edit.textChanged.connect(self.learner_filter.set_text)
        self.help_only.toggled.connect(self.learner_filter.set_help_only)
        self.learner_view = self._table(self.learner_filter)
        # Enter as well as a double-click: a trainer on the keyboard opens a learner too.
        self.learner_view.activated.connect(self._show_learner)
        # The photos are as high as a line of text, whatever the text size.
        self.learner_view.setItemDelegateForColumn(0, AvatarDelegate(
            self.learner_view, size_for=self._avatar_size))
        # Minutes, quizzes, sessions, last active, lessons done step aside, in that order.
        self.learner_columns = ColumnFitter(self.learner_view, (4, 5, 3, 2, 1))
        box.addWidget(self.learner_view, 1)
        self.tabs.addTab(page, "")

    def _avatar_size(self, line_height: int) -> int:
        self.learners.avatar_px = round(line_height * 1.2)
        return self.learners.avatar_px

    def _build_lessons(self) -> None:
        self.lessons = LessonsModel(self)
        proxy = LearnerFilter(self)  # sorting by the raw values; no filter set
        proxy.setSourceModel(self.lessons)
        self.lesson_view = self._table(proxy)
        # The median share watched, then where viewers stop, step aside for the title.
        self.lesson_columns = ColumnFitter(self.lesson_view, (3, 4))
        self.tabs.addTab(self.lesson_view, "")

    def _build_activity(self) -> None:
        page = QWidget()
        box = QVBoxLayout(page)
        self.heatmap_hint = text_label()
        self.heatmap_hint.setWordWrap(True)
        box.addWidget(self.heatmap_hint)
        self.heatmap = Heatmap()
        box.addWidget(self.heatmap, 1)
        self.weeks = WeeksChart()
        box.addWidget(self.weeks, 1)
        self._scrolling(page)

    def _table(self, model: Any) -> FittingTableView:
        view = FittingTableView()
        view.setModel(model)
        view.setSortingEnabled(True)
        view.sortByColumn(0, Qt.SortOrder.AscendingOrder)  # Qt starts descending
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setWordWrap(False)
        view.verticalHeader().hide()
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        view.horizontalHeader().setStretchLastSection(True)
        # Fitting the columns to 900 rows measured every cell: the first rows tell enough.
        view.horizontalHeader().setResizeContentsPrecision(40)
        return view

    # -- texts ---------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.heading.setText(self.tr("My groups"))
        self.refresh_button.setText(self.tr("Refresh"))
        index = self.period_box.currentIndex()
        self.period_box.blockSignals(True)
        self.period_box.clear()
        for days in PERIODS:
            self.period_box.addItem(self.tr("%1 days").replace("%1", str(days)), days)
        self.period_box.setCurrentIndex(index if index >= 0 else 1)
        self.period_box.blockSignals(False)
        for i, name in enumerate((self.tr("Overview"), self.tr("Learners"), self.tr("Lessons"),
                                  self.tr("Activity"), self.tr("Taking part"),
                                  self.tr("Discussion"), self.tr("Members"),
                                  self.tr("Export"))):
            self.tabs.setTabText(i, name)
        self.tab_picker.refill()
        self.filter_edit.setPlaceholderText(self.tr("Find a learner by name"))
        self.help_only.setText(self.tr("Only who needs help"))
        self.heatmap_hint.setText(self.tr(
            "When your learners use the app: each square is an hour of a weekday, on the "
            "shop's own clock. The darker, the more often."))
        self.ladder_hint.setText(self.tr(
            "How your learners take part. Each learner counts once at their highest step; "
            "the second bar counts every step they reached."))
        self.ladder_history_hint.setText(self.tr(
            "Below, week by week: each learner's highest step over the 30 days up to the end "
            "of that week."))
        self.hide_button.setText(self.tr("Hide…"))
        self.restore_button.setText(self.tr("Show again"))
        self.copy_button.setText(self.tr("Copy"))
        self.new_code_button.setText(self.tr("New code…"))
        self.remove_button.setText(self.tr("Remove from the group…"))
        self.split_button.setText(self.tr("Split into groups…"))
        self.export_hint.setText(self.tr(
            "Save the report as files you can open in a spreadsheet, or the charts as "
            "pictures."))
        self.csv_button.setText(self.tr("Save as CSV files…"))
        self.heatmap_png.setText(self.tr("Save the activity as a picture…"))
        self.ladder_png.setText(self.tr("Save the steps as a picture…"))
        self.weeks_png.setText(self.tr("Save the weeks as a picture…"))
        self.history_png.setText(self.tr("Save the steps by week as a picture…"))
        self._show_status()

    # -- the shell's questions -----------------------------------------------------------------

    def shows_nav_entry(self) -> bool:
        return bool(self.groups)

    def attach_sync(self, controller: Any) -> None:
        self.check_groups()  # once at start: has this account become a trainer?

    def _changed(self, changes: Any) -> None:
        if not changes.profile:
            return
        had = bool(self.groups)
        self.groups = self._kept_groups()
        self.report = self.fetched = None
        self.comments = []
        self.ladder_group = None
        self._fill_groups()
        if had != bool(self.groups):
            self.nav_entry_changed.emit()
        self.check_groups()

    def showEvent(self, event: QEvent) -> None:
        stale = self._stale
        super().showEvent(event)
        if not stale and (self.fetched is None or self.fetched.offline
                          or self._age_s() > self.REFETCH_AFTER_S):
            self.load_report()

    def _age_s(self) -> float:
        if self.fetched is None:
            return float("inf")
        try:
            when = datetime.fromisoformat(self.fetched.fetched_at)
        except ValueError:
            return float("inf")
        return (datetime.now(when.tzinfo or UTC) - when).total_seconds()

    # -- groups ---------------------------------------------------------------------------------

    def _kept_groups(self) -> list[dict[str, Any]]:
        try:
            kept = json.loads(self.ctx.services.preferences.get(GROUPS_PREF, self.ctx.profile_id)
                              or "[]")
        except ValueError:
            return []
        return [g for g in kept if isinstance(g, dict) and "id" in g] if isinstance(
            kept, list) else []

    def _fill_groups(self) -> None:
        current = self.group_box.currentData()
        self.group_box.blockSignals(True)
        self.group_box.clear()
        for g in self.groups:
            self.group_box.addItem(str(g["name"]), int(g["id"]))
        found = self.group_box.findData(current)
        self.group_box.setCurrentIndex(found if found >= 0 else 0)
        self.group_box.blockSignals(False)

    def check_groups(self) -> None:
        """Ask the hub which groups this profile trains (in the background)."""
        if self.ctx.services.credentials.login(self.ctx.profile_id) is None:
            self._groups_found(self.ctx.profile_id, [])
            return
        profile_id = self.ctx.profile_id

        def work(task: TaskContext) -> list[dict[str, Any]]:
            with open_trainer_api(task.services.credentials, profile_id) as api:
                return [{"id": g.id, "name": g.name, "invite_code": g.invite_code}
                        for g in api.groups(with_members=False) if g.role == "trainer"]

        self._run(work, lambda groups: self._groups_found(profile_id, groups))

    def _groups_found(self, profile_id: int, groups: list[dict[str, Any]]) -> None:
        if profile_id != self.ctx.profile_id:
            return
        had = bool(self.groups)
        self.groups = groups
        self.ctx.services.preferences.set(GROUPS_PREF, json.dumps(groups), profile_id)
        self._fill_groups()
        if had != bool(groups):
            self.nav_entry_changed.emit()
        if groups and self.isVisible() and self.fetched is None:
            self.load_report()

    def reload(self) -> None:
        self._fill_groups()
        self.load_report()

    # -- the report ----------------------------------------------------------------------------

    def group_id(self) -> int | None:
        value = self.group_box.currentData()
        return int(value) if value is not None else None

    def days(self) -> int:
        return int(self.period_box.currentData() or 30)

    def load_report(self) -> None:
        group_id = self.group_id()
        if group_id is None:
            self._show_status()
            return
        profile_id, days = self.ctx.profile_id, self.days()
        kept = ReportCache(self.ctx.services.db).latest(profile_id, group_id)
        if kept is not None and self.report is None:  # something to look at at once
            self.show_report(FetchedReport(kept.report, kept.fetched_at, True, ""))

        def work(task: TaskContext) -> FetchedReport:
            cache = ReportCache(task.services.db)
            with open_trainer_api(task.services.credentials, profile_id) as api:
                return fetch_report(api, cache, profile_id, group_id, days)

        def done(fetched: FetchedReport) -> None:
            if profile_id == self.ctx.profile_id and group_id == self.group_id():
                self.show_report(fetched)
                if not fetched.offline:
                    self.load_ladder()
                    self.load_comments()

        self._run(work, done)

    def load_comments(self) -> None:
        """The group's discussion, after the report (it does not hold up the page)."""
        group_id, profile_id = self.group_id(), self.ctx.profile_id
        if group_id is None:
            return

        def work(task: TaskContext) -> list[dict[str, Any]]:
            with open_trainer_api(task.services.credentials, profile_id) as api:
                return api.comments(group_id)

        def done(comments: list[dict[str, Any]]) -> None:
            if profile_id == self.ctx.profile_id and group_id == self.group_id():
                self.comments = comments
                self._fill_comments()

        self._run(work, done)

    def show_report(self, fetched: FetchedReport) -> None:
        self.fetched, self.report = fetched, fetched.report
        report = fetched.report
        self.problem = fetched.problem
        for (value, label, change), (text, number, delta) in zip(
                self.figures, overview_figures(report), strict=True):
            value.setText(str(number))
            label.setText(text)
            change.setText(delta)
        self.learners.set_report(report)
        self.lessons.set_report(report)
        if not self._sized:  # once: fitting the columns again on every fetch cost 200 ms
            self._sized = True
            self.learner_columns.measure()
            self.lesson_columns.measure()
        self.heatmap.set_hours(report.get("hours") or [])
        self.weeks.set_weeks(report.get("weeks") or [])
        self.ladder.set_ladder(report.get("ladder") or {})
        if fetched.offline or self.ladder_group != self.group_id():
            self.ladder_group = None
            self._show_kept_ladders()
        self._fill_members()
        self._fill_comments()
        self._show_status()

    def _show_status(self) -> None:
        if not self.groups:
            self.status.setText(self.tr("You do not train a group on the server yet."))
        elif self.fetched is None:
            self.status.setText(self.problem or self.tr("Fetching the report…"))
        else:
            try:
                when = datetime.fromisoformat(self.fetched.fetched_at)
                age = age_text((datetime.now(when.tzinfo or UTC) - when).total_seconds())
            except ValueError:
                age = self.fetched.fetched_at
            if self.fetched.offline:
                self.status.setText(self.tr(
                    "The server cannot be reached: this is the report of %1.").replace("%1", age))
            else:
                self.status.setText("")
            updated = self.tr("Updated %1.").replace("%1", age)
            self.refresh_button.setToolTip(updated)
            self.refresh_button.setAccessibleDescription(updated)
        self.status.setVisible(bool(self.status.text()))

    # -- the learners --------------------------------------------------------------------------

    def _show_learner(self, index: Any) -> None:
        row = index.data(Qt.ItemDataRole.UserRole + 2)
        if row:
            self.open_learner(row).open()

    def open_learner(self, row: dict[str, Any]) -> QDialog:
        """One learner's lessons and timeline (fetched as the dialog opens)."""
        titles = {x["lesson_id"]: x["title"] for x in (self.report or {}).get("lessons") or []}
        dialog = LearnerDialog(self.ctx, self.group_id() or 0, row, titles, self)
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        return dialog

    # -- helpers -------------------------------------------------------------------------------

    def _confirm(self, question: str) -> bool:
        answer = QMessageBox.question(self, self.tr("My groups"), question)
        return answer == QMessageBox.StandardButton.Yes

    def _act(self, call: Callable[[TrainerApi], Any], then: Callable[[Any], None] | None = None,
             reload: bool = True) -> None:
        profile_id = self.ctx.profile_id

        def work(task: TaskContext) -> Any:
            with open_trainer_api(task.services.credentials, profile_id) as api:
                return call(api)

        def done(result: Any) -> None:
            if then is not None:
                then(result)
            if reload:
                self.load_report()

        self._run(work, done)

    def _run(self, work: Callable[[TaskContext], Any], done: Callable[[Any], None]) -> None:
        self.busy += 1

        def finished(result: Any) -> None:
            self.busy -= 1
            self.problem = ""
            done(result)

        def failed(exc: BaseException) -> None:
            self.busy -= 1
            self.problem = str(getattr(exc, "message", "") or exc)
            if isinstance(exc, HubOffline):
                self.problem = self.tr("The server cannot be reached right now.")
            self._show_status()
            if self.fetched is not None and self.problem:
                self.status.setText((self.status.text() + " " + self.problem).strip())
                self.status.show()

        self.ctx.tasks.run_network(work, on_done=finished, on_error=failed)

