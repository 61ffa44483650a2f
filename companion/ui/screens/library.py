"""The library: every pack with its lessons in one list (model/view, fast with thousands of
lessons), each lesson with a thumbnail, its length and a clear state."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
)
from PySide6.QtGui import QCloseEvent, QFont, QFontMetrics, QPainter, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QGridLayout,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionProgressBar,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from companion.core.catalog import Lesson, PackSummary
from companion.core.media_store import MediaStore
from companion.core.playback import media_path
from companion.ui.context import AppContext
from companion.ui.i18n import resolve_language
from companion.ui.navigation import Navigator
from companion.ui.screens.base import Screen
from companion.ui.screens.text import clock
from companion.ui.screens.thumbnails import ThumbnailProvider
from companion.ui.screens.widgets import big_button, heading, text_label

Index = QModelIndex | QPersistentModelIndex


class Role(IntEnum):
    KIND = Qt.ItemDataRole.UserRole + 1  # "pack" or "lesson"
    LESSON = Qt.ItemDataRole.UserRole + 2
    PACK = Qt.ItemDataRole.UserRole + 3
    THUMBNAIL = Qt.ItemDataRole.UserRole + 4
    STATE = Qt.ItemDataRole.UserRole + 5  # the state line as words


@dataclass(slots=True)
class Row:
    pack: PackSummary
    lesson: Lesson | None = None

    @property
    def key(self) -> str:
        return self.lesson.id if self.lesson is not None else "pack:" + self.pack.id


def build_rows(packs: list[PackSummary], lessons: list[Lesson]) -> list[Row]:
    """A header row per pack followed by its lessons, packs in the catalog's order."""
    by_pack: dict[str, list[Lesson]] = {}
    for lesson in lessons:
        by_pack.setdefault(lesson.pack_id, []).append(lesson)
    rows: list[Row] = []
    for pack in packs:
        rows.append(Row(pack))
        rows.extend(Row(pack, lesson) for lesson in by_pack.get(pack.id, []))
    return rows


class LibraryModel(QAbstractListModel):
    """Pack headers and lessons as one flat list."""

    def __init__(self, thumbnails: ThumbnailProvider | None = None,
                 store: MediaStore | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[Row] = []
        self._by_sha: dict[str, list[int]] = {}
        self._store = store
        self._thumbnails = thumbnails
        if thumbnails is not None:
            thumbnails.ready.connect(self._thumbnail_ready)

    def set_rows(self, rows: list[Row]) -> None:
        """Show ``rows``; when only the states changed, update in place (keeps the scroll)."""
        if [r.key for r in rows] == [r.key for r in self.rows]:
            self.rows = rows
            if rows:
                self.dataChanged.emit(self.index(0), self.index(len(rows) - 1))
            return
        self.beginResetModel()
        self.rows = rows
        self._by_sha = {}
        for i, row in enumerate(rows):
            if row.lesson is not None and row.lesson.video_sha256:
                self._by_sha.setdefault(row.lesson.video_sha256, []).append(i)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self.rows[index.row()].lesson is None:
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row.lesson.title if row.lesson is not None else row.pack.title
        if role == Role.KIND:
            return "lesson" if row.lesson is not None else "pack"
        if role == Role.LESSON:
            return row.lesson
        if role == Role.PACK:
            return row.pack
        if role == Role.THUMBNAIL and row.lesson is not None and self._thumbnails is not None:
            lesson = row.lesson
            return self._thumbnails.get(
                lesson.video_sha256, lambda: media_path(self._store, lesson.video_sha256)
                if self._store is not None else None)
        if role in (Role.STATE, Qt.ItemDataRole.AccessibleTextRole,
                    Qt.ItemDataRole.ToolTipRole):
            state = self.state_text(row)
            if role == Role.STATE:
                return state
            title = self.data(index, Qt.ItemDataRole.DisplayRole)
            return f"{title}. {state}"
        return None

    def state_text(self, row: Row) -> str:
        if row.lesson is None:
            return self.tr("%1 of %2 lessons done").replace(
                "%1", str(row.pack.done_count)).replace("%2", str(row.pack.lesson_count))
        return self.lesson_state_text(row.lesson)

    def lesson_state_text(self, lesson: Lesson) -> str:
        """"2:00 · In progress: 45% (at 0:54)" and the quiz score, as the list shows it."""
        parts = [clock(lesson.duration_s)]
        if lesson.state == "done":
            parts.append(self.tr("✓ Done"))
        elif lesson.state == "in_progress":
            parts.append(self.tr("In progress: %1% (at %2)").replace(
                "%1", str(round(100 * lesson.fraction_watched))).replace(
                "%2", clock(lesson.progress.position_s)))
        else:
            parts.append(self.tr("Not started"))
        p = lesson.progress
        if p.quiz_best is not None and p.quiz_total:
            parts.append(self.tr("Quiz: %1 of %2 right").replace(
                "%1", str(p.quiz_best)).replace("%2", str(p.quiz_total)))
        return "  ·  ".join(parts)

    def row_of(self, lesson_id: str) -> int:
        for i, row in enumerate(self.rows):
            if row.lesson is not None and row.lesson.id == lesson_id:
                return i
        return -1

    def header_row(self, pack_id: str) -> int:
        for i, row in enumerate(self.rows):
            if row.lesson is None and row.pack.id == pack_id:
                return i
        return -1

    def _thumbnail_ready(self, sha: str) -> None:
        for i in self._by_sha.get(sha, []):
            index = self.index(i)
            self.dataChanged.emit(index, index, [Role.THUMBNAIL])


class LessonDelegate(QStyledItemDelegate):
    """Paints a pack header or a lesson row (thumbnail, title, state, progress)."""

    PAD = 8

    def _line(self, font: QFont) -> int:
        return QFontMetrics(font).height()

    @staticmethod
    def _big(font: QFont) -> QFont:
        big = QFont(font)
        big.setBold(True)
        if big.pointSizeF() > 0:
            big.setPointSizeF(big.pointSizeF() * 1.35)
        else:
            big.setPixelSize(round(big.pixelSize() * 1.35))
        return big

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        line = self._line(option.font)
        if index.data(Role.KIND) == "pack":
            return QSize(400, self._line(self._big(option.font)) + line + 4 + 3 * self.PAD)
        return QSize(400, round(line * 3.2) + 2 * self.PAD)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        painter.save()
        style = option.widget.style() if option.widget else QApplication.style()
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, opt, painter,
                            option.widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.setPen(option.palette.color(role))
        if index.data(Role.KIND) == "pack":
            self._paint_pack(painter, option, index)
        else:
            self._paint_lesson(painter, option, index, style, selected)
        painter.restore()

    def _paint_pack(self, painter: QPainter, option: QStyleOptionViewItem,
                    index: Index) -> None:
        rect = option.rect.adjusted(self.PAD, self.PAD * 2, -self.PAD, -self.PAD)
        big = self._big(option.font)
        painter.setFont(big)
        line = self._line(big)
        title_rect = QRect(rect.left(), rect.top(), rect.width(), line)
        painter.drawText(title_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         QFontMetrics(big).elidedText(str(index.data()),
                                                      Qt.TextElideMode.ElideRight,
                                                      rect.width()))
        painter.setFont(option.font)
        sub = QRect(rect.left(), title_rect.bottom() + 4, rect.width(), self._line(option.font))
        painter.drawText(sub, Qt.AlignmentFlag.AlignLeft, str(index.data(Role.STATE)))
        painter.setPen(option.palette.color(QPalette.ColorRole.Mid))
        painter.drawLine(rect.left(), option.rect.bottom() - 1, rect.right(),
                         option.rect.bottom() - 1)

    def _paint_lesson(self, painter: QPainter, option: QStyleOptionViewItem, index: Index,
                      style: QStyle, selected: bool) -> None:
        lesson: Lesson = index.data(Role.LESSON)
        rect = option.rect.adjusted(self.PAD * 2, self.PAD, -self.PAD, -self.PAD)
        thumb_h = rect.height()
        thumb = QRect(rect.left(), rect.top(), round(thumb_h * 16 / 9), thumb_h)
        pixmap = index.data(Role.THUMBNAIL)
        if pixmap is not None and not pixmap.isNull():
            scaled = pixmap.scaled(thumb.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                   Qt.TransformationMode.SmoothTransformation)
            x = thumb.left() + (thumb.width() - scaled.width()) // 2
            y = thumb.top() + (thumb.height() - scaled.height()) // 2
            painter.drawPixmap(x, y, scaled)
        else:
            painter.fillRect(thumb, option.palette.color(QPalette.ColorRole.Mid))
            painter.setPen(option.palette.color(QPalette.ColorRole.Light))
            painter.drawText(thumb, Qt.AlignmentFlag.AlignCenter, "▶")
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.setPen(option.palette.color(text_role))
        left = thumb.right() + self.PAD * 2
        width = rect.right() - left
        line = self._line(option.font)
        bold = QFont(option.font)
        bold.setBold(True)
        painter.setFont(bold)
        title = QFontMetrics(bold).elidedText(lesson.title, Qt.TextElideMode.ElideRight, width)
        painter.drawText(QRect(left, rect.top(), width, line), Qt.AlignmentFlag.AlignLeft, title)
        painter.setFont(option.font)
        state = QFontMetrics(option.font).elidedText(
            str(index.data(Role.STATE)), Qt.TextElideMode.ElideRight, width)
        painter.drawText(QRect(left, rect.top() + round(line * 1.3), width, line),
                         Qt.AlignmentFlag.AlignLeft, state)
        if lesson.state == "in_progress":
            bar = QStyleOptionProgressBar()
            bar.rect = QRect(left, rect.top() + round(line * 2.5), min(width, line * 12),
                             max(6, line // 2))
            bar.minimum, bar.maximum = 0, 100
            bar.progress = round(100 * lesson.fraction_watched)
            bar.textVisible = False
            bar.palette = QPalette(option.palette)
            if selected:  # the row is drawn in the highlight colour: fill the bar in its text
                bar.palette.setColor(QPalette.ColorRole.Highlight,
                                     option.palette.color(QPalette.ColorRole.HighlightedText))
            bar.state = QStyle.StateFlag.State_Enabled
            style.drawControl(QStyle.ControlElement.CE_ProgressBar, bar, painter, option.widget)


class LibraryScreen(Screen):
    """All packs and lessons. ``show_pack(pack_id)`` scrolls to a pack (the shell calls it for
    ``Navigator.library_requested``); activating a lesson asks ``nav.lesson``."""

    WATCHES = ("packs", "progress", "profile")

    def __init__(self, ctx: AppContext, nav: Navigator, parent: QWidget | None = None) -> None:
        super().__init__(ctx, nav, parent)
        self.setObjectName("libraryScreen")
        self._store = ctx.services.media
        self.thumbnails = ThumbnailProvider(ctx.services.locations.thumbnails_dir, ctx.tasks,
                                            self)
        app = QApplication.instance()
        if app is not None:  # stop decoding before the window goes away
            app.aboutToQuit.connect(self.thumbnails.close)
        self.model = LibraryModel(self.thumbnails, self._store, self)
        self._wanted_pack = ""

        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 16)
        layout.setSpacing(12)
        self.heading = heading("", 1.6)
        layout.addWidget(self.heading)
        self.hint = text_label()
        layout.addWidget(self.hint)
        self.empty = text_label(factor=1.1)
        layout.addWidget(self.empty)
        self.view = QListView(self)
        self.view.setModel(self.model)
        self.view.setItemDelegate(LessonDelegate(self.view))
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setLayoutMode(QListView.LayoutMode.Batched)
        self.view.setBatchSize(200)
        self.view.activated.connect(self._activated)
        self.view.selectionModel().currentChanged.connect(lambda *_: self._update_buttons())
        layout.addWidget(self.view, 1)
        # The buttons on one line; "every language" beside them when it fits, else on a line
        # of its own under them (at the largest text the three were wider than 1024 pixels,
        # and the import button and the check box were cut).
        self.button_grid = QGridLayout()
        self.play_button = big_button("", primary=True)
        self.play_button.clicked.connect(self.play_current)
        self.button_grid.addWidget(self.play_button, 0, 0)
        self.import_button = big_button("")
        self.import_button.clicked.connect(lambda: self.nav.import_packs([]))
        self.button_grid.addWidget(self.import_button, 0, 1)
        self.button_grid.setColumnStretch(2, 1)
        # Packs in other languages stay out of the way until asked for (or already started).
        self.all_languages = QCheckBox()
        self.all_languages.setObjectName("allLanguagesCheck")
        self.all_languages.toggled.connect(lambda _on: self.reload())
        self.button_grid.addWidget(self.all_languages, 0, 3)
        layout.addLayout(self.button_grid)
        self.setFocusProxy(self.view)
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Library"))
        self.hint.setText(self.tr(
            "Choose a lesson and press Play (or double-click it, or press Enter)."))
        self.empty.setText(self.tr(
            "There are no lessons yet. Import a lesson pack from your trainer to start."))
        self.view.setAccessibleName(self.tr("Lessons"))
        self.play_button.setText(self.tr("Play"))
        self.play_button.setAccessibleName(self.tr("Play the chosen lesson"))
        self.import_button.setText(self.tr("Import a lesson pack…"))
        self.all_languages.setText(self.tr("Show lessons in every language"))
        self.view.viewport().update()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_language_check()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.LanguageChange):
            self._place_language_check()

    def _place_language_check(self) -> None:
        grid = self.button_grid
        spacing = max(grid.horizontalSpacing(), 0)
        needed = sum(w.sizeHint().width() + spacing for w in (
            self.play_button, self.import_button, self.all_languages))
        margins = self.layout().contentsMargins()
        beside = needed <= self.width() - margins.left() - margins.right()
        if beside == (grid.getItemPosition(grid.indexOf(self.all_languages))[0] == 0):
            return
        grid.removeWidget(self.all_languages)
        if beside:
            grid.addWidget(self.all_languages, 0, 3)
        else:
            grid.addWidget(self.all_languages, 1, 0, 1, 4)

    def reload(self) -> None:
        pid = self.ctx.profile_id
        catalog = self.ctx.services.catalog
        packs = catalog.packs(pid)
        suggestable = catalog.suggestable_packs(pid, resolve_language(self.ctx.profile.language))
        hidden = [] if suggestable is None else [p for p in packs if p.id not in suggestable]
        if self._wanted_pack and any(p.id == self._wanted_pack for p in hidden):
            self.all_languages.blockSignals(True)  # asked for that very pack: show it
            self.all_languages.setChecked(True)
            self.all_languages.blockSignals(False)
        self.all_languages.setVisible(bool(hidden))
        if hidden and not self.all_languages.isChecked():
            packs = [p for p in packs if p.id in suggestable]
        lessons = catalog.lessons(pid) if packs else []
        current = self.current_lesson()
        self.model.set_rows(build_rows(packs, lessons))
        self.empty.setVisible(not packs)
        self.view.setVisible(bool(packs))
        self.hint.setVisible(bool(packs))
        if self._wanted_pack:
            self._scroll_to_pack(self._wanted_pack)
        elif current is not None and self.model.row_of(current.id) >= 0:
            self.view.setCurrentIndex(self.model.index(self.model.row_of(current.id)))
        elif len(self.model.rows) > 1:  # a lesson is chosen from the start: Play works at once
            self.view.setCurrentIndex(self.model.index(1))
        self._update_buttons()

    def show_pack(self, pack_id: str) -> None:
        """Scroll to ``pack_id`` ("" for the top) and choose its first lesson."""
        self._wanted_pack = pack_id
        if not self._stale and pack_id and self.model.header_row(pack_id) < 0:
            self.reload()  # a pack the language filter hides: reload shows it
        elif not self._stale:
            self._scroll_to_pack(pack_id)

    def _scroll_to_pack(self, pack_id: str) -> None:
        self._wanted_pack = ""
        header = self.model.header_row(pack_id) if pack_id else 0
        if header < 0 or not self.model.rows:
            return
        self.view.scrollTo(self.model.index(header), QAbstractItemView.ScrollHint.PositionAtTop)
        if header + 1 < len(self.model.rows) and self.model.rows[header + 1].lesson is not None:
            self.view.setCurrentIndex(self.model.index(header + 1))

    def current_lesson(self) -> Lesson | None:
        index = self.view.currentIndex()
        return index.data(Role.LESSON) if index.isValid() else None

    def play_current(self) -> None:
        lesson = self.current_lesson()
        if lesson is not None:
            self.nav.lesson(lesson.id, [], -1.0)

    def _activated(self, index: QModelIndex) -> None:
        lesson = index.data(Role.LESSON)
        if lesson is not None:
            self.nav.lesson(lesson.id, [], -1.0)

    def _update_buttons(self) -> None:
        self.play_button.setEnabled(self.current_lesson() is not None)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.thumbnails.close()
        super().closeEvent(event)

    def window_closing(self) -> None:
        # A page gets no closeEvent of its own when the window closes: without this the
        # frame grabbers kept decoding until the window was deleted under them (a crash).
        self.thumbnails.close()
