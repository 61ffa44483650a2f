"""The pictures of the "My groups" page: the weekday x hour heatmap (painted), the sessions per
week, the participation ladder and the ladder over time (QtCharts). All can be saved as PNG."""

from __future__ import annotations

import html
import math
from pathlib import Path
from typing import Any

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QCoreApplication, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from companion.ui.screens.groups.data import rung_name

RUNGS = ("creator", "critic", "collector", "joiner", "spectator", "inactive")
# One colour per step that stays apart for colour-blind eyes too (Okabe and Ito); grey for
# "not active", so the group's quiet part reads as quiet.
RUNG_COLOURS = {"creator": "#0072b2", "critic": "#d55e00", "collector": "#cc79a7",
                "joiner": "#e69f00", "spectator": "#009e73", "inactive": "#bbbbbb"}


translate = QCoreApplication.translate  # the name pyside6-lupdate looks for


def weekday_names() -> list[str]:
    return [
        translate("GroupsPage", "Mon"),
        translate("GroupsPage", "Tue"),
        translate("GroupsPage", "Wed"),
        translate("GroupsPage", "Thu"),
        translate("GroupsPage", "Fri"),
        translate("GroupsPage", "Sat"),
        translate("GroupsPage", "Sun"),
    ]


class Heatmap(QWidget):
    """Sessions by weekday (rows, Monday first) and hour (columns) on the shop's clock: the
    darker, the more sessions started then."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hours: list[list[int]] = [[0] * 24 for _ in range(7)]
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumHeight(QFontMetrics(self.font()).height() * 10)

    def set_hours(self, hours: list[list[int]]) -> None:
        self.hours = [list(day) + [0] * (24 - len(day)) for day in hours[:7]]
        while len(self.hours) < 7:
            self.hours.append([0] * 24)
        self.setToolTip(
            translate("GroupsPage", "Sessions by weekday and hour of the day, on the shop's clock")
        )
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(700, 260)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = QFontMetrics(self.font())
        names = weekday_names()
        left = max(metrics.horizontalAdvance(n) for n in names) + 12
        bottom = metrics.height() + 8
        width = max(1.0, (self.width() - left - 4) / 24)
        height = max(1.0, (self.height() - bottom - 4) / 7)
        top = max((max(day) for day in self.hours), default=0) or 1
        base = self.palette().color(self.backgroundRole())
        ink = self.palette().color(self.foregroundRole())
        accent = QColor(30, 110, 170)
        for d, day in enumerate(self.hours):
            painter.setPen(ink)
            painter.drawText(
                QRectF(0, 4 + d * height, left - 8, height),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                names[d],
            )
            for h, count in enumerate(day):
                share = count / top
                colour = QColor(
                    round(base.red() + (accent.red() - base.red()) * share),
                    round(base.green() + (accent.green() - base.green()) * share),
                    round(base.blue() + (accent.blue() - base.blue()) * share),
                )
                cell = QRectF(left + h * width + 1, 4 + d * height + 1, width - 2, height - 2)
                painter.fillRect(cell, colour)
        painter.setPen(ink)
        step = 3 if width * 3 > metrics.horizontalAdvance("00:00 ") else 6
        for h in range(0, 24, step):
            painter.drawText(
                QRectF(left + h * width, self.height() - bottom, width * step, bottom),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                f"{h:02d}:00",
            )
        painter.end()

    def save_png(self, path: Path | str) -> bool:
        return self.grab().save(str(path), "PNG")


class _ChartView(QChartView):
    """A chart that is drawn anew for each report and can be saved as a PNG."""

    def _show(self, chart: QChart) -> None:
        old = self.chart()
        self.setChart(chart)
        if old is not None:
            old.deleteLater()  # the view does not own a chart it is given

    def save_png(self, path: Path | str) -> bool:
        return self.grab().save(str(path), "PNG")


class LadderChart(_ChartView):
    """The participation ladder: each learner at their highest rung, and the rungs met."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(QFontMetrics(self.font()).height() * 18)
        self.ladder: dict[str, Any] = {}

    def set_ladder(self, ladder: dict[str, Any]) -> None:
        self.ladder = ladder
        chart = QChart()
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        highest = QBarSet(translate("GroupsPage", "Highest step"))
        overlapping = QBarSet(translate("GroupsPage", "Every step reached"))
        for rung in reversed(RUNGS):  # bars are drawn from the bottom up: creator on top
            highest.append(float((ladder.get("highest") or {}).get(rung, 0)))
            overlapping.append(float((ladder.get("overlapping") or {}).get(rung, 0)))
        series = QHorizontalBarSeries()
        series.append(highest)
        series.append(overlapping)
        chart.addSeries(series)
        axis_x = QBarCategoryAxis()
        axis_x.append([rung_name(r) for r in reversed(RUNGS)])
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignLeft)  # the steps' names get room
        series.attachAxis(axis_x)
        axis_y = QValueAxis()
        top = max([*highest_values(ladder), 1])
        axis_y.setRange(0, top)
        axis_y.setLabelFormat("%d")
        axis_y.setTickCount(min(top, 5) + 1)
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(axis_y)
        self._show(chart)


def highest_values(ladder: dict[str, Any]) -> list[int]:
    return [
        int(v) for part in ("highest", "overlapping") for v in (ladder.get(part) or {}).values()
    ]


class LadderHistoryChart(QWidget):
    """The highest steps over time: a bar per week, split by step (the whole group, creators
    on top), as the hub works them out. When the hub cannot be reached: the ladders this PC
    kept, one per day a report came, with how old they are.

    The title and the names of the steps are wrapping lines above and under the chart, not the
    chart's own: at 1024x768 with the largest text, its legend cut all six names to one letter
    and its title lost its end."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = _ChartView()
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.view.setMinimumHeight(QFontMetrics(self.font()).height() * 11)
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.legend = QLabel()
        self.legend.setWordWrap(True)
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.title)
        box.addWidget(self.view, 1)
        box.addWidget(self.legend)
        self.history: list[tuple[str, dict[str, int]]] = []
        self.source = ""  # "hub": the hub's weeks; "kept": this PC's days; "": nothing yet
        self.age = ""

    def chart(self) -> QChart:
        return self.view.chart()

    def save_png(self, path: Path | str) -> bool:
        return self.grab().save(str(path), "PNG")

    def set_weeks(self, weeks: list[dict[str, Any]]) -> None:
        """The hub's weeks (``GET /v1/groups/{id}/ladder``), oldest first."""
        history = []
        for w in weeks:
            if isinstance(w, dict) and isinstance(w.get("highest"), dict):
                history.append((str(w.get("week_end", "")), _counts(w["highest"])))
        self.source, self.age = "hub", ""
        self._draw(history, translate("GroupsPage", "Highest step, week by week"))

    def set_history(self, history: list[tuple[str, dict[str, int]]], age: str = "") -> None:
        """The ladders kept on this PC (day, counts), for when the hub cannot be reached;
        ``age`` says how old the newest is, in words."""
        self.source, self.age = "kept", age
        title = translate("GroupsPage", "Highest step by day, kept on this PC")
        if age:
            title = translate("GroupsPage", "Highest step by day, kept on this PC (newest: %1)"
                              ).replace("%1", age)
        self._draw([(day, _counts(counts)) for day, counts in history], title)

    def _draw(self, history: list[tuple[str, dict[str, int]]], title: str) -> None:
        self.history = history
        chart = QChart()
        chart.legend().hide()
        self.title.setText(title)  # above the chart, wrapping: a chart's title is cut short
        series = QStackedBarSeries()
        sets = {}
        for rung in reversed(RUNGS):  # stacked from the bottom up: the creators on top
            bars = QBarSet(rung_name(rung))
            bars.setColor(QColor(RUNG_COLOURS[rung]))
            for _day, counts in history:
                bars.append(float(counts.get(rung, 0)))
            series.append(bars)
            sets[rung] = bars
        chart.addSeries(series)
        axis_x = QBarCategoryAxis()
        axis_x.append([week_label(day) for day, _ in history] or ["–"])
        axis_x.setTruncateLabels(False)
        if len(history) > 6:  # upright, a dozen dates did not fit side by side
            axis_x.setLabelsAngle(-90)
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(axis_x)
        axis_y = QValueAxis()
        top = max([sum(counts.values()) for _, counts in history] + [1])
        axis_y.setRange(0, top)
        axis_y.applyNiceNumbers()
        axis_y.setLabelFormat("%d")
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis_y)
        self.view._show(chart)
        # A name is never broken over two lines; between the names the line may break.
        self.legend.setText("&nbsp;&nbsp; ".join(
            f'<span style="color:{sets[rung].color().name()}">&#9632;</span>&nbsp;'
            + html.escape(rung_name(rung)).replace(" ", "&nbsp;") for rung in RUNGS))
        # The figures in words too, for a screen reader and a tooltip.
        summary = "\n".join(
            week_label(day) + ": " + ", ".join(
                f"{rung_name(rung)} {counts.get(rung, 0)}" for rung in RUNGS)
            for day, counts in history)
        self.setToolTip(summary)
        self.setAccessibleDescription(summary)


def _counts(highest: dict[str, Any]) -> dict[str, int]:
    out = {}
    for rung in RUNGS:
        value = highest.get(rung, 0)
        ok = isinstance(value, int | float) and math.isfinite(value) and value >= 0
        out[rung] = int(value) if ok else 0
    return out


def week_label(week: object) -> str:
    """The week's Monday as day-month ("30-11"), as people write it; the year takes room."""
    text = str(week)
    return f"{text[8:10]}-{text[5:7]}" if len(text) >= 10 else (text or "–")


class WeeksChart(_ChartView):
    """Sessions per week, one bar per week (the week's Monday under it)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(QFontMetrics(self.font()).height() * 14)
        self.weeks: list[dict[str, Any]] = []
        self.set_weeks([])

    def set_weeks(self, weeks: list[dict[str, Any]]) -> None:
        self.weeks = [w for w in weeks if isinstance(w, dict) and "week" in w]
        chart = QChart()
        chart.legend().hide()
        chart.setTitle(translate("GroupsPage", "Sessions per week"))
        bars = QBarSet(translate("GroupsPage", "Sessions"))
        for w in self.weeks:
            bars.append(float(w.get("sessions") or 0))
        series = QBarSeries()
        series.append(bars)
        series.setLabelsVisible(True)
        series.setLabelsPosition(QBarSeries.LabelsPosition.LabelsOutsideEnd)
        series.setLabelsFormat("@value")
        chart.addSeries(series)
        axis_x = QBarCategoryAxis()
        axis_x.append([week_label(w["week"]) for w in self.weeks] or ["–"])
        if len(self.weeks) > 5:  # upright, the dates of three months were cut to "1…"
            axis_x.setLabelsAngle(-90)
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(axis_x)
        axis_y = QValueAxis()
        top = max([int(w.get("sessions") or 0) for w in self.weeks] + [1])
        axis_y.setRange(0, top * 1.15)  # room for the figure above the highest bar
        axis_y.applyNiceNumbers()
        axis_y.setLabelFormat("%d")
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis_y)
        bars.setLabelColor(axis_y.labelsBrush().color())  # the default white vanished
        # The figures in words too, for a screen reader and a tooltip.
        summary = ", ".join(f"{week_label(w['week'])}: {w.get('sessions') or 0}"
                            for w in self.weeks)
        self.setToolTip(summary)
        self.setAccessibleDescription(summary)
        self._show(chart)
