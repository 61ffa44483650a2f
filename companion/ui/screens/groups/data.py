"""What the "My groups" page shows, as Qt models and plain functions (testable without a window).

The report comes from the hub (``GET /v1/groups/{id}/report``, see docs/sync-protocol.md); this
module turns it into rows: the learners (sortable, filtered by name and by "needs help"), the
lessons, the figures of the overview, and the words for the rungs and the reasons.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

Index = QModelIndex | QPersistentModelIndex
SORT = Qt.ItemDataRole.UserRole + 1  # the raw value a column sorts by
ROW = Qt.ItemDataRole.UserRole + 2  # the learner's (or lesson's) whole row


translate = QCoreApplication.translate  # the name pyside6-lupdate looks for

_RUNG_ORDER = {rung: i for i, rung in enumerate(
    ("creator", "critic", "collector", "joiner", "spectator", "inactive"))}

_NUMBER = re.compile(r"\d+")


def natural_key(text: str) -> str:
    """A sort key in which "Winkel 2" comes before "Winkel 10": every run of digits is padded
    to the same width. A string, because the proxy compares the sort role's values itself."""
    return _NUMBER.sub(lambda m: m.group().lstrip("0").rjust(20, "0"), text.casefold())


def rung_name(rung: str) -> str:
    names = {
        "creator": translate("GroupsPage", "Starts discussions"),
        "critic": translate("GroupsPage", "Answers others"),
        "collector": translate("GroupsPage", "Follows discussions"),
        "joiner": translate("GroupsPage", "Has a profile"),
        "spectator": translate("GroupsPage", "Watches lessons"),
        "inactive": translate("GroupsPage", "Not active"),
    }
    return names.get(rung, rung)


def count_text(n: int, one: str, more: str) -> str:
    """``one`` or ``more`` (with ``%2`` for the number): two plain strings instead of Qt's %n
    plural, which pyside6-lupdate records only for a literal count (see dialogs/import_flow)."""
    return one if n == 1 else more.replace("%2", str(n))


def reason_text(reason: dict[str, Any], titles: dict[str, str]) -> str:
    """One "needs help" reason in the person's language."""
    code = reason.get("code")
    lesson = titles.get(str(reason.get("lesson_id")), str(reason.get("lesson_id", "")))
    if code == "lesson_stalled":
        more = len(reason.get("lessons") or []) - 1
        text = count_text(
            int(reason.get("days") or 0),
            translate("GroupsPage", "Started “%1” a day ago, not finished"),
            translate("GroupsPage", "Started “%1” %2 days ago, not finished"),
        ).replace("%1", lesson)
        if more > 0:
            text += " " + count_text(
                more,
                translate("GroupsPage", "(and one more)"),
                translate("GroupsPage", "(and %2 more)"),
            )
        return text
    if code == "quiz_failed":
        return count_text(
            int(reason.get("failures") or 0),
            translate("GroupsPage", "Quiz of “%1” failed once"),
            translate("GroupsPage", "Quiz of “%1” failed %2 times"),
        ).replace("%1", lesson)
    if code == "inactive":
        days = reason.get("days")
        if days is None:
            return translate("GroupsPage", "Not active yet")
        return count_text(
            int(days),
            translate("GroupsPage", "No activity for a day"),
            translate("GroupsPage", "No activity for %2 days"),
        )
    return str(reason.get("text", code))


def age_text(seconds: float) -> str:
    """How long ago, in plain words: "just now", "5 minutes ago", "3 hours ago"."""
    minutes = int(seconds // 60)
    if minutes < 1:
        return translate("GroupsPage", "just now")
    if minutes < 60:
        return count_text(
            minutes,
            translate("GroupsPage", "a minute ago"),
            translate("GroupsPage", "%2 minutes ago"),
        )
    hours = minutes // 60
    if hours < 48:
        return count_text(
            hours, translate("GroupsPage", "an hour ago"), translate("GroupsPage", "%2 hours ago")
        )
    return translate("GroupsPage", "%2 days ago").replace("%2", str(hours // 24))


def day_age_text(day: str, today: date | None = None) -> str:
    """How long ago a day was ("today", "yesterday", "3 days ago"); the text itself when it is
    not a date."""
    try:
        then = date.fromisoformat(day[:10])
    except ValueError:
        return day
    days = ((today or date.today()) - then).days
    if days <= 0:
        return translate("GroupsPage", "today")
    if days == 1:
        return translate("GroupsPage", "yesterday")
    return translate("GroupsPage", "%2 days ago").replace("%2", str(days))


def last_active_text(iso: str | None, now: datetime | None = None) -> str:
    if not iso:
        return translate("GroupsPage", "never")
    try:
        when = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    now = now or datetime.now(UTC)
    return age_text(max(0.0, (now - when).total_seconds()))


def change_text(value: int, previous: int) -> str:
    """The change against the previous period: "+3", "−2" or "same as before"."""
    diff = value - previous
    if diff == 0:
        return translate("GroupsPage", "same as the period before")
    return translate("GroupsPage", "%1 against the period before").replace(
        "%1", f"{diff:+d}".replace("-", "−")
    )


def overview_figures(report: dict[str, Any]) -> list[tuple[str, int, str]]:
    """(label, value, change) for the four figures of the overview."""
    o = report.get("overview") or {}

    def figure(key: str) -> tuple[int, int]:
        entry = o.get(key) or {}
        return int(entry.get("value", 0)), int(entry.get("previous", 0))

    labels = (
        ("members", translate("GroupsPage", "Learners")),
        ("active_7d", translate("GroupsPage", "Active in the last 7 days")),
        ("lessons_done", translate("GroupsPage", "Lessons finished")),
        ("sessions", translate("GroupsPage", "Times the app was used")),
    )
    out = []
    for key, label in labels:
        value, previous = figure(key)
        out.append((label, value, change_text(value, previous)))
    return out


class _ReportTable(QAbstractTableModel):
    """A table of report rows: one row per dict in ``rows``, a column per ``COLUMNS``.

    It sorts itself, by keys worked out once per row when the rows arrive (``sort_values``).
    A sorting proxy asked the sort role of both rows of every comparison, 100,000 calls into
    Python for 900 learners: most of the time between a report's arrival and the page drawn.
    """

    COLUMNS: tuple[str, ...] = ()
    rows: list[dict[str, Any]]
    _keys: list[tuple[Any, ...]]
    _order: tuple[int, Qt.SortOrder] | None = None

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows = []
        self._keys = []

    def headers(self) -> tuple[str, ...]:
        """The column titles, in the person's language (one per ``COLUMNS``)."""
        raise NotImplementedError

    def sort_values(self, row: dict[str, Any]) -> tuple[Any, ...]:
        """The raw value each column sorts by, in the order of ``COLUMNS``."""
        raise NotImplementedError

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        """Show these rows (in the order last asked by :meth:`sort`)."""
        self.beginResetModel()
        self.rows = list(rows)
        self._keys = [self.sort_values(row) for row in self.rows]
        if self._order is not None:
            self._arrange(*self._order)
        self.endResetModel()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == ROW:
            return self.rows[index.row()]
        if role == SORT:
            return self._keys[index.row()][index.column()]
        return self.cell(self.rows[index.row()], self.COLUMNS[index.column()], role)

    def cell(self, row: dict[str, Any], column: str, role: int) -> Any:
        """What one cell shows for ``role`` (display, tooltip, decoration...), else None."""
        raise NotImplementedError

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.COLUMNS):
            return
        self._order = (column, order)
        self.layoutAboutToBeChanged.emit()
        moved = self._arrange(column, order)
        before = self.persistentIndexList()
        self.changePersistentIndexList(
            before, [self.index(moved[i.row()], i.column()) for i in before])
        self.layoutChanged.emit()

    def _arrange(self, column: int, order: Qt.SortOrder) -> list[int]:
        """Reorder the rows (a stable sort); returns each old row's new place."""
        keys = self._keys
        ranked = sorted(range(len(self.rows)), key=lambda i: keys[i][column],
                        reverse=order == Qt.SortOrder.DescendingOrder)
        self.rows = [self.rows[i] for i in ranked]
        self._keys = [keys[i] for i in ranked]
        moved = [0] * len(ranked)
        for new, old in enumerate(ranked):
            moved[old] = new
        return moved

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return self.headers()[section]


class LearnersModel(_ReportTable):
    """One row per learner of the report."""

    COLUMNS = ("name", "done", "last_active", "sessions", "minutes", "quiz", "rung", "help")

    def __init__(self, parent: Any = None, avatars: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[dict[str, Any]] = []
        self.titles: dict[str, str] = {}
        self.now: datetime | None = None
        # groups.avatars.Avatars: each learner's photo (or initials) beside their name.
        self.avatars = avatars
        self.avatar_px = 32

    def set_report(self, report: dict[str, Any], now: datetime | None = None) -> None:
        self.titles = {x["lesson_id"]: x["title"] for x in report.get("lessons") or []}
        self.now = now
        self.set_rows(report.get("learners") or [])

    def sort_values(self, row: dict[str, Any]) -> tuple[Any, ...]:
        return (natural_key(row["name"]), row["lessons_done"], row.get("last_active") or "",
                row["sessions"], row["minutes"], len(row.get("quiz_best") or {}),
                _RUNG_ORDER.get(row["rung"], 9), len(row.get("needs_help") or []))

    def headers(self) -> tuple[str, ...]:
        return (
            translate("GroupsPage", "Name"),
            translate("GroupsPage", "Lessons done"),
            translate("GroupsPage", "Last active"),
            translate("GroupsPage", "Sessions"),
            translate("GroupsPage", "Minutes"),
            translate("GroupsPage", "Quizzes"),
            translate("GroupsPage", "Taking part"),
            translate("GroupsPage", "Needs help"),
        )

    def quiz_text(self, row: dict[str, Any]) -> str:
        scores = row.get("quiz_best") or {}
        return ", ".join(f"{s['best']}/{s['total']}" for s in scores.values()) or "–"

    def help_text(self, row: dict[str, Any]) -> str:
        return "; ".join(reason_text(r, self.titles) for r in row.get("needs_help") or [])

    def cell(self, row: dict[str, Any], column: str, role: int) -> Any:
        if role == Qt.ItemDataRole.DecorationRole and column == "name" and self.avatars:
            return self.avatars.get(row.get("photo"), row["name"], self.avatar_px)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == "name":
                motto = row.get("motto") or ""
                if role == Qt.ItemDataRole.ToolTipRole:
                    return f"{row['name']} ({row['username']})" + (f"\n{motto}" if motto else "")
                return row["name"] + (f" · {motto}" if motto else "")
            return {
                "done": translate("GroupsPage", "%1 of %2")
                .replace("%1", str(row["lessons_done"]))
                .replace("%2", str(row["lessons_started"])),
                "last_active": last_active_text(row.get("last_active"), self.now),
                "sessions": str(row["sessions"]),
                "minutes": f"{row['minutes']:g}",
                "quiz": self.quiz_text(row),
                "rung": rung_name(row["rung"]),
                "help": self.help_text(row) or "–",
            }[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column in ("sessions", "minutes"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class LearnerFilter(QSortFilterProxyModel):
    """Keeps the rows whose name matches and, when asked, only the learners who need help.
    Sorting is passed on to the table below, which sorts itself (see ``_ReportTable``)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT)
        self.text = ""
        self.help_only = False

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        # Never the proxy's own sort: its column stays -1, so it keeps the table's order.
        self.sourceModel().sort(column, order)

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self.text = text.strip().casefold()
        self.endFilterChange()

    def set_help_only(self, on: bool) -> None:
        self.beginFilterChange()
        self.help_only = on
        self.endFilterChange()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if not self.help_only and not self.text:
            return True
        model = self.sourceModel()
        row = model.data(model.index(source_row, 0, source_parent), ROW)
        if row is None:
            return False
        if self.help_only and not row.get("needs_help"):
            return False
        if self.text:
            hay = f"{row['name']} {row['username']} {row.get('motto') or ''}".casefold()
            return self.text in hay
        return True


class LessonsModel(_ReportTable):
    COLUMNS = ("title", "viewers", "completions", "watched", "stops", "quiz")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[dict[str, Any]] = []

    def set_report(self, report: dict[str, Any]) -> None:
        self.set_rows(report.get("lessons") or [])

    def sort_values(self, row: dict[str, Any]) -> tuple[Any, ...]:
        shares = [q["share_right"] for q in row.get("questions") or []
                  if q.get("share_right") is not None]
        return (natural_key(row["title"]), row["viewers"], row["completions"],
                row.get("median_watched") or 0.0, sum(row.get("stops") or []),
                min(shares or [2.0]))

    def headers(self) -> tuple[str, ...]:
        return (
            translate("GroupsPage", "Lesson"),
            translate("GroupsPage", "Viewers"),
            translate("GroupsPage", "Finished"),
            translate("GroupsPage", "Watched (median)"),
            translate("GroupsPage", "Where viewers stop"),
            translate("GroupsPage", "Quiz answers right"),
        )

    @staticmethod
    def stops_text(stops: list[int] | None) -> str:
        """The stop positions as a small bar per tenth of the video."""
        if not stops or not any(stops):
            return "–"
        bars = "▁▂▃▄▅▆▇█"
        top = max(stops)
        return "".join(bars[min(7, round(7 * n / top))] if n else "·" for n in stops)

    @staticmethod
    def quiz_text(questions: list[dict[str, Any]]) -> str:
        shares = [q["share_right"] for q in questions if q.get("share_right") is not None]
        return " ".join(f"{round(100 * s)}%" for s in shares) or "–"

    def cell(self, row: dict[str, Any], column: str, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and column in ("title", "stops"):
            # Whole, for when the column is too narrow at large text and cuts it short.
            return row["title"] if column == "title" else self.stops_text(row.get("stops"))
        if role == Qt.ItemDataRole.ToolTipRole and column == "quiz":
            return (
                "\n".join(
                    f"{q['question']}: {round(100 * q['share_right'])}%"
                    for q in row.get("questions") or []
                    if q.get("share_right") is not None
                )
                or None
            )
        if role == Qt.ItemDataRole.DisplayRole:
            watched = row.get("median_watched")
            return {
                "title": row["title"],
                "viewers": str(row["viewers"]),
                "completions": str(row["completions"]),
                "watched": "–" if watched is None else f"{round(100 * watched)}%",
                "stops": self.stops_text(row.get("stops")),
                "quiz": self.quiz_text(row.get("questions") or []),
            }[column]
        return None
