"""The "Taking part" tab of "My groups": the participation ladder of the report, and the ladder
week by week as the hub works it out (``GET /v1/groups/{id}/ladder``). When the hub cannot give
the weeks, the chart shows the ladders this PC kept, one per day a 30-day report came, with the
newest one's age. A part of :class:`~companion.ui.screens.groups.page.GroupsScreen`, kept apart
to keep each file short; its texts are in the page's translation context."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QVBoxLayout, QWidget

from companion.core.report_cache import ReportCache
from companion.sync.trainer import open_trainer_api
from companion.ui.screens.groups.charts import LadderChart, LadderHistoryChart
from companion.ui.screens.groups.data import day_age_text
from companion.ui.screens.widgets import text_label
from companion.ui.tasks import TaskContext

LADDER_WEEKS = 12


class LadderTab:
    """Mixed into the page: uses its ``ctx``, ``busy``, ``group_id()`` and ``_scrolling``."""

    ctx: Any
    busy: int
    group_id: Callable[[], int | None]
    _scrolling: Callable[[QWidget], None]
    ladder_group: int | None  # the group whose weeks the hub sent (None: the kept ones shown)

    def _build_ladder(self) -> None:
        page = QWidget()
        box = QVBoxLayout(page)
        self.ladder_hint = text_label()
        self.ladder_hint.setWordWrap(True)
        box.addWidget(self.ladder_hint)
        self.ladder = LadderChart()
        box.addWidget(self.ladder, 1)
        self.ladder_history_hint = text_label()
        self.ladder_history_hint.setWordWrap(True)
        box.addWidget(self.ladder_history_hint)
        self.ladder_history = LadderHistoryChart()
        box.addWidget(self.ladder_history, 1)
        self._scrolling(page)

    def load_ladder(self) -> None:
        """The ladder week by week, worked out by the hub (after the report). When the hub
        cannot give it, the chart keeps showing the ladders kept on this PC."""
        group_id, profile_id = self.group_id(), self.ctx.profile_id
        if group_id is None:
            return

        def work(task: TaskContext) -> dict[str, Any]:
            with open_trainer_api(task.services.credentials, profile_id) as api:
                return api.ladder(group_id, LADDER_WEEKS)

        def done(history: dict[str, Any]) -> None:
            self.busy -= 1
            if profile_id == self.ctx.profile_id and group_id == self.group_id():
                self.ladder_group = group_id
                self.ladder_history.set_weeks(history.get("weeks") or [])

        def failed(_exc: BaseException) -> None:
            self.busy -= 1  # the report says what is wrong; this chart falls back quietly
            if profile_id == self.ctx.profile_id and group_id == self.group_id():
                self.ladder_group = None
                self._show_kept_ladders()

        self.busy += 1
        self.ctx.tasks.run_network(work, on_done=done, on_error=failed)

    def _show_kept_ladders(self) -> None:
        """The ladders this PC kept, one per day a 30-day report came, with the newest's age."""
        group_id = self.group_id()
        if group_id is None:
            return
        kept = ReportCache(self.ctx.services.db).ladder_history(self.ctx.profile_id, group_id)
        self.ladder_history.set_history(kept, day_age_text(kept[-1][0]) if kept else "")

