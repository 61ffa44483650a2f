"""All my notes: every note across lessons, grouped by pack and lesson; a click opens the
lesson; "Save my notes as a text file…" writes them all to one (Markdown) file.

The notes are read and grouped on the library lane and shown in one flat list (model/view with
fixed row heights), so ten thousand notes open without stalling the window.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import (
    QAbstractListModel,
    QDir,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    QStandardPaths,
    Qt,
)
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from companion.core.notes import parse_timestamps
from companion.services import Services
from companion.ui.context import AppContext
from companion.ui.navigation import Navigator
from companion.ui.screens.base import Screen
from companion.ui.screens.widgets import big_button, heading, open_on_click_or_enter, text_label
from companion.ui.tasks import TaskContext

PREVIEW_LINES = 3
Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class NoteGroup:
    pack_title: str
    lesson_id: str
    lesson_title: str
    bodies: list[str]


@dataclass(frozen=True)
class NoteRow:
    kind: str  # "pack", "lesson" or "note"
    text: str
    lesson_id: str = ""
    start_s: float = -1.0  # a note opens its lesson at its first time mark (-1: none)

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")


def group_notes(services: Services, profile_id: int) -> list[NoteGroup]:
    """Non-empty notes by pack (title order) and lesson (course order)."""
    notes = [n for n in services.notes.all(profile_id) if n.body.strip()]
    if not notes:
        return []
    packs = {p.id: p.title for p in services.catalog.packs(profile_id)}
    order = {lesson.id: (packs.get(lesson.pack_id, ""), lesson.position, lesson.title)
             for lesson in services.catalog.lessons(profile_id)}
    groups: dict[str, NoteGroup] = {}
    for note in notes:
        pack, _pos, title = order.get(note.lesson_id, ("", 0, note.lesson_id))
        group = groups.setdefault(note.lesson_id, NoteGroup(pack, note.lesson_id, title, []))
        group.bodies.append(note.body)

    def key(g: NoteGroup) -> tuple[str, int, str]:
        pack, position, _title = order.get(g.lesson_id, ("", 1 << 30, g.lesson_id))
        return (pack.casefold(), position, g.lesson_id)

    return sorted(groups.values(), key=key)


def preview(body: str) -> str:
    """The first lines of a note (an ellipsis when there is more)."""
    lines = [line.rstrip() for line in body.strip().split("\n") if line.strip()]
    shown = lines[:PREVIEW_LINES]
    if len(lines) > PREVIEW_LINES:
        shown[-1] += " …"
    return "\n".join(shown)


def first_time_s(body: str) -> float:
    """The first ``[m:ss]`` of a note, in seconds; -1 when it has none."""
    marks = parse_timestamps(body)
    return float(marks[0][2]) if marks else -1.0


def note_rows(groups: list[NoteGroup], other_lessons: str) -> list[NoteRow]:
    rows: list[NoteRow] = []
    pack_title: str | None = None
    for group in groups:
        if group.pack_title != pack_title or not rows:
            pack_title = group.pack_title
            rows.append(NoteRow("pack", pack_title or other_lessons))
        rows.append(NoteRow("lesson", group.lesson_title, group.lesson_id))
        rows.extend(NoteRow("note", preview(body), group.lesson_id, first_time_s(body))
                    for body in group.bodies)
    return rows


def write_text_file(path: Path, text: str) -> Path:
    """Write UTF-8 text so that a reader never sees half a file."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8", newline="\n")
    os.replace(tmp, path)
    return path


class NotesModel(QAbstractListModel):
    ROW = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[NoteRow] = []

    def set_rows(self, rows: list[NoteRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self.rows[index.row()].kind == "pack":
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return row.text
        if role == self.ROW:
            return row
        return None


class NoteDelegate(QStyledItemDelegate):
    """Pack and lesson headings, then each note's first lines, indented, one line each."""

    PAD = 6

    @staticmethod
    def _font(base: QFont, kind: str) -> QFont:
        font = QFont(base)
        if kind != "note":
            font.setBold(True)
        if kind == "pack" and font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * 1.25)
        return font

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        row: NoteRow = index.data(NotesModel.ROW)
        line = QFontMetrics(self._font(option.font, row.kind)).height()
        lines = len(row.lines) if row.kind == "note" else 1
        extra = self.PAD * (4 if row.kind == "pack" else 2)
        return QSize(400, lines * line + extra)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        row: NoteRow = index.data(NotesModel.ROW)
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = option.widget.style() if option.widget else QApplication.style()
        style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, opt, painter,
                            option.widget)
        painter.save()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.setPen(option.palette.color(role))
        font = self._font(option.font, row.kind)
        painter.setFont(font)
        metrics = QFontMetrics(font)
        indent = {"pack": 0, "lesson": 1, "note": 2}[row.kind] * metrics.height() * 1.5
        top = option.rect.top() + self.PAD * (3 if row.kind == "pack" else 1)
        left = option.rect.left() + self.PAD + round(indent)
        width = option.rect.right() - left - self.PAD
        for line in (row.lines if row.kind == "note" else [row.text]):
            painter.drawText(QRect(left, top, width, metrics.height()),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             metrics.elidedText(line, Qt.TextElideMode.ElideRight, width))
            top += metrics.height()
        painter.restore()


class NotesScreen(Screen):
    """All notes. Opening a lesson asks ``nav.lesson``; the shell needs nothing else."""

    WATCHES = ("packs", "notes", "profile")

    def __init__(self, ctx: AppContext, nav: Navigator, parent: QWidget | None = None) -> None:
        super().__init__(ctx, nav, parent)
        self.setObjectName("notesScreen")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 16)
        layout.setSpacing(12)
        self.heading = heading("", 1.6)
        layout.addWidget(self.heading)
        self.hint = text_label()
        layout.addWidget(self.hint)
        self.empty = text_label(factor=1.1)
        self.empty.hide()  # until the notes are read: no flash of "no notes yet"
        layout.addWidget(self.empty)
        self.model = NotesModel(self)
        self.view = QListView(self)
        self.view.setModel(self.model)
        self.view.setItemDelegate(NoteDelegate(self.view))
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setLayoutMode(QListView.LayoutMode.Batched)
        self.view.setBatchSize(300)
        open_on_click_or_enter(self.view, self._open)
        layout.addWidget(self.view, 1)
        row = QHBoxLayout()
        self.export_button = big_button("")
        self.export_button.clicked.connect(self.export_dialog)
        row.addWidget(self.export_button)
        self.status = text_label()
        row.addWidget(self.status, 1)
        layout.addLayout(row)
        self.groups: list[NoteGroup] = []
        self.last_export: Path | None = None
        self.loads = 0
        self._generation = 0
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(self.tr("My notes"))
        self.hint.setText(self.tr(
            "Only you can see your notes. Click a lesson or a note to open the lesson."))
        self.empty.setText(self.tr(
            "You have no notes yet. While you watch a lesson, write your notes beside the "
            "video: they are kept automatically."))
        self.view.setAccessibleName(self.tr("All notes"))
        # Plain words for the shop: the file is Markdown, which reads fine as plain text.
        self.export_button.setText(self.tr("Save my notes as a text file…"))
        self.export_button.setAccessibleName(self.tr("Save all my notes in one text file"))

    def reload(self) -> None:
        """Read the notes on the library lane; the newest request wins."""
        self._generation += 1
        generation, profile_id = self._generation, self.ctx.profile_id

        def work(task: TaskContext) -> list[NoteGroup]:
            return group_notes(task.services, profile_id)

        def done(groups: list[NoteGroup]) -> None:
            if generation == self._generation:
                self._show(groups)

        self.ctx.tasks.run_library(work, on_done=done)

    def _show(self, groups: list[NoteGroup]) -> None:
        self.groups = groups
        self.model.set_rows(note_rows(groups, self.tr("Other lessons")))
        has_notes = bool(groups)
        self.empty.setVisible(not has_notes)
        self.view.setVisible(has_notes)
        self.hint.setVisible(has_notes)
        self.export_button.setEnabled(has_notes)
        self.loads += 1

    def _open(self, index: QModelIndex) -> None:
        row: NoteRow | None = index.data(NotesModel.ROW)
        if row is not None and row.lesson_id:
            self.nav.lesson(row.lesson_id, [], row.start_s)

    # -- export ------------------------------------------------------------------------------
    def default_export_path(self) -> str:
        folder = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation) or QDir.homePath()
        return str(Path(folder) / self.tr("my-notes.md"))

    def export_dialog(self) -> None:
        """Ask where to save, then export."""
        path, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Save my notes"), self.default_export_path(),
            self.tr("Text files (*.md);;All files (*)"))
        if path:
            if not Path(path).suffix:
                path += ".md"
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        """Write every note as Markdown to ``path`` (UTF-8), in the background."""
        profile_id = self.ctx.profile_id
        self.status.setText(self.tr("Saving…"))
        self.export_button.setEnabled(False)

        def work(task: TaskContext) -> Path:
            return write_text_file(path, task.services.notes.export_markdown(profile_id))

        def done(written: Path) -> None:
            self.last_export = written
            self.export_button.setEnabled(True)
            self.status.setText(self.tr("Saved to %1").replace("%1", str(written)))

        def failed(exc: BaseException) -> None:
            self.export_button.setEnabled(True)
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            self.status.setText(self.tr("Could not save the file: %1").replace("%1", reason))

        self.ctx.tasks.run_library(work, on_done=done, on_error=failed)
