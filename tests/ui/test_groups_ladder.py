"""The "Taking part" tab's ladder over time: filled from the hub's weeks, and the ladders kept on
this PC (with their age) when the hub cannot give them."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime
from pathlib import Path
from unittest.mock import patch

from companion.sync.client import HubError
from companion.sync.trainer import TrainerApi
from companion.ui.screens.groups import GroupsScreen
from companion.ui.screens.groups.charts import LadderHistoryChart
from companion.ui.screens.groups.data import day_age_text, rung_name
from tests.hub.helpers import LiveHub
from tests.ui.shell_fixtures import anna, look, look_parts, running_shell, shell_services  # noqa: F401
from tests.ui.test_screen_groups import WAIT_MS, app_shell, group, hub, page  # noqa: F401

RUNGS = ("creator", "critic", "collector", "joiner", "spectator", "inactive")


def bar_values(chart: LadderHistoryChart) -> dict[str, list[float]]:
    (series,) = chart.chart().series()
    return {s.label(): [s.at(i) for i in range(s.count())] for s in series.barSets()}


def test_the_chart_shows_the_hubs_weeks(page: GroupsScreen) -> None:
    chart = page.ladder_history
    assert chart.source == "hub" and page.ladder_group == page.group_id()
    assert "week by week" in chart.title.text()
    # 12 weeks (the page asks for 12), the last one ending today; an started a discussion
    # today and bo did nothing: the earlier weeks held no one (both joined today).
    assert len(chart.history) == 12
    today = datetime.now(UTC).date()  # the hub's weeks end on its own (UTC) dates
    assert chart.history[-1][0] == today.isoformat()
    values = bar_values(chart)
    assert list(values) == [rung_name(r) for r in reversed(RUNGS)]  # creators on top
    assert values[rung_name("creator")] == [0.0] * 11 + [1.0]
    assert values[rung_name("inactive")] == [0.0] * 11 + [1.0]
    assert sum(v[-1] for v in values.values()) == 2  # the whole group in the last bar
    label = f"{today.day:02d}-{today.month:02d}"
    assert chart.chart().axes()[0].categories()[-1] == label
    assert label + ": " + rung_name("creator") + " 1" in chart.toolTip()


def test_the_hub_unreachable_shows_the_kept_days_with_their_age(page: GroupsScreen,
                                                                 hub: LiveHub, qtbot) -> None:
    hub.stop()
    page.load_report()
    qtbot.waitUntil(lambda: page.fetched is not None and page.fetched.offline and not page.busy,
                    timeout=WAIT_MS)
    chart = page.ladder_history
    assert chart.source == "kept" and page.ladder_group is None
    # the 30-day report fetched before was kept on this PC: one day, today's
    assert [day for day, _ in chart.history] == [date.today().isoformat()]
    assert chart.history[0][1]["creator"] == 1
    assert "kept on this PC" in chart.title.text() and "today" in chart.title.text()


def test_a_hub_without_the_weeks_falls_back_quietly(page: GroupsScreen, qtbot) -> None:
    """An older hub answers 404 to the new request: the kept days, and no error line."""
    def refuse(self: TrainerApi, group_id: int, weeks: int = 12) -> dict:
        raise HubError("Not Found")

    with patch.object(TrainerApi, "ladder", refuse):
        page.load_report()
        qtbot.waitUntil(lambda: page.ladder_history.source == "kept" and not page.busy,
                        timeout=WAIT_MS)
    assert page.status.isHidden() and "Not Found" not in page.status.text()
    assert "Updated" in page.refresh_button.toolTip()  # a fresh report, its age on Refresh
    page.load_report()  # the hub answers again: its weeks come back
    qtbot.waitUntil(lambda: page.ladder_history.source == "hub" and not page.busy,
                    timeout=WAIT_MS)


def test_the_chart_takes_odd_input(qapp, tmp_path: Path) -> None:
    chart = LadderHistoryChart()
    chart.set_weeks([])
    assert chart.history == [] and chart.chart().axes()[0].categories() == ["–"]
    chart.set_weeks([
        "not a week", {"week_end": "2026-11-05"}, {"week_end": "2026-11-12", "highest": None},
        {"week_end": "2026-11-19", "highest": {"creator": -3, "critic": math.nan,
                                               "joiner": math.inf, "spectator": "7",
                                               "inactive": 2.0, "unknown": 9}},
    ])
    assert chart.history == [("2026-11-19", {"creator": 0, "critic": 0, "collector": 0,
                                             "joiner": 0, "spectator": 0, "inactive": 2})]
    assert chart.save_png(tmp_path / "odd.png")
    chart.set_history([], age="")
    assert chart.source == "kept" and chart.title.text() == \
        "Highest step by day, kept on this PC"
    chart.set_weeks([{"week_end": f"2026-{m:02d}-01", "highest": {"inactive": 1}}
                     for m in range(1, 13)])
    assert chart.chart().axes()[0].labelsAngle() == -90  # twelve dates stand upright
    chart.deleteLater()


def test_day_age_text() -> None:
    today = date(2026, 12, 3)
    assert day_age_text("2026-12-03", today) == "today"
    assert day_age_text("2026-12-04", today) == "today"  # a PC clock ahead
    assert day_age_text("2026-12-02", today) == "yesterday"
    assert day_age_text("2026-11-26", today) == "7 days ago"
    assert day_age_text("not a day", today) == "not a day"
