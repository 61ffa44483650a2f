"""Search: lessons (titles, summaries, subtitles) and the person's own notes, as they type.

Queries run on the library lane (its own connection) a short pause after the last key; a result
that arrives after the text changed again is dropped. Snippets show the match in bold and
everything else escaped: nothing typed in a lesson or a note is ever read as HTML.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QSize, Qt, QTimer
from PySide6.QtGui import QAbstractTextDocumentLayout, QKeyEvent, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QLineEdit,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from companion.core.notes import parse_timestamps
from companion.core.playback import media_path
from companion.core.subtitles import SubtitleTrack, read_srt
from companion.services import Services
from companion.ui.context import AppContext
from companion.ui.navigation import Navigator
from companion.ui.screens.base import Screen
from companion.ui.screens.text import MARK_CLOSE, MARK_OPEN, plain_snippet, snippet_html
from companion.ui.screens.widgets import heading, open_on_click_or_enter, scaled, text_label
from companion.ui.tasks import TaskContext

DEBOUNCE_MS = 150
Index = QModelIndex | QPersistentModelIndex
_MARKED_RE = re.compile(re.escape(MARK_OPEN) + r"(.+?)" + re.escape(MARK_CLOSE))


@dataclass(frozen=True)
class Result:
    kind: str  # "lesson" or "note"
    lesson_id: str
    title: str
    snippet: str  # with « » around the matches
    start_s: float = -1.0  # where to open the lesson (-1: the saved position)


def note_start_s(body: str, snippet: str) -> float:
    """The time of the note line that matched: the ``[m:ss]`` on that line or the closest one
    above it; -1 when the note has no time before the match."""
    marked = _MARKED_RE.findall(snippet)
    at = body.lower().find(marked[0].lower()) if marked else -1
    if at < 0:
        return -1.0
    line_start = body.rfind("\n", 0, at) + 1
    line_end = body.find("\n", at)
    line_end = len(body) if line_end < 0 else line_end
    marks = parse_timestamps(body)
    on_line = [seconds for start, _end, seconds in marks if line_start <= start < line_end]
    if on_line:
        return float(on_line[0])
    above = [seconds for start, _end, seconds in marks if start < line_start]
    return float(above[-1]) if above else -1.0


def cue_start_s(services: Services, profile_id: int, lesson_id: str, snippet: str) -> float:
    """Where a lesson hit's match is spoken: the start of the first subtitle cue with the
    matched word; -1 when the match is in the title, the summary or the tags (or nowhere)."""
    marked = _MARKED_RE.findall(snippet)
    if not marked:
        return -1.0
    word = marked[0].casefold()
    try:
        lesson = services.catalog.lesson(profile_id, lesson_id)
    except Exception:  # removed meanwhile: open it the usual way
        return -1.0
    if any(word in text.casefold() for text in (lesson.title, lesson.summary, *lesson.tags)):
        return -1.0
    store = services.media
    for sub in lesson.subtitles:
        path = media_path(store, sub.get("sha256"))
        if path is None:
            continue
        try:
            cues = SubtitleTrack(read_srt(path)).search(marked[0])
        except OSError:
            continue
        if cues:
            return cues[0].start_ms / 1000
    return -1.0


def run_search(services: Services, profile_id: int, query: str) -> list[Result]:
    """Search the library (on whatever thread owns ``services``)."""
    results = []
    for hit in services.search.all(profile_id, query):
        start = -1.0
        if hit.kind == "lesson":
            start = cue_start_s(services, profile_id, hit.lesson_id, hit.snippet)
        elif hit.kind == "note" and hit.note_id:
            try:
                start = note_start_s(services.notes.get(profile_id, hit.note_id).body,
                                     hit.snippet)
            except Exception:  # the note was deleted meanwhile: open at the saved place
                start = -1.0
        results.append(Result(hit.kind, hit.lesson_id, hit.title, hit.snippet, start))
    return results


class SearchPresenter:
    """Debounce, run on the library lane, drop stale answers. ``show(query, results)`` is
    called on the UI thread with the answer to the latest query only."""

    def __init__(self, ctx: AppContext, show: Callable[[str, list[Result] | None], None],
                 parent: QWidget) -> None:
        self._ctx = ctx
        self._show = show
        self._query = ""
        self._generation = 0
        self._timer = QTimer(parent)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.search_now)
        self.searches_run = 0

    @property
    def query(self) -> str:
        return self._query

    def typed(self, text: str) -> None:
        self._query = text
        self._generation += 1  # whatever is on its way is stale now
        if not text.strip():
            self._timer.stop()
            self._show(text, None)
            return
        self._timer.start()

    def search_now(self) -> None:
        query = self._query
        if not query.strip():
            return
        self._generation += 1
        generation = self._generation
        profile_id = self._ctx.profile_id

        def work(task: TaskContext) -> list[Result]:
            return run_search(task.services, profile_id, query)

        def done(results: list[Result]) -> None:
            if generation == self._generation:
                self._show(query, results)

        self.searches_run += 1
        self._ctx.tasks.run_library(work, on_done=done, on_error=lambda _exc: done([]))


class ResultsModel(QAbstractListModel):
    RESULT = Qt.ItemDataRole.UserRole + 1
    HTML = Qt.ItemDataRole.UserRole + 2

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.results: list[Result] = []

    def set_results(self, results: list[Result]) -> None:
        self.beginResetModel()
        self.results = list(results)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.results)

    def html_for(self, result: Result) -> str:
        """The row as HTML: the title and kind escaped, the snippet with bold matches."""
        note = result.kind == "note"
        kind = self.tr("Your note on this lesson") if note else self.tr("Lesson")
        return (f"<b>{html.escape(result.title)}</b><br>"
                f"<i>{html.escape(kind)}:</i> {snippet_html(result.snippet)}")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        result = self.results[index.row()]
        if role == self.RESULT:
            return result
        if role == self.HTML:
            return self.html_for(result)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{result.title}: {plain_snippet(result.snippet)}"
        return None


class SnippetDelegate(QStyledItemDelegate):
    """Draws a result's HTML (built only by :meth:`ResultsModel.html_for`)."""

    PAD = 10

    def _document(self, option: QStyleOptionViewItem, index: Index, width: int) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setDocumentMargin(0)
        doc.setHtml(str(index.data(ResultsModel.HTML)))
        doc.setTextWidth(max(100, width))
        return doc

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        width = option.widget.viewport().width() if option.widget else 600
        doc = self._document(option, index, width - 2 * self.PAD)
        return QSize(width, round(doc.size().height()) + 2 * self.PAD)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = option.widget.style() if option.widget else QApplication.style()
        style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, opt, painter,
                            option.widget)
        rect = option.rect.adjusted(self.PAD, self.PAD, -self.PAD, -self.PAD)
        doc = self._document(option, index, rect.width())
        context = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, option.palette.color(role))
        painter.save()
        painter.translate(rect.topLeft())
        painter.setClipRect(rect.translated(-rect.topLeft()))
        doc.documentLayout().draw(painter, context)
        painter.restore()


class _SearchField(QLineEdit):
    """Down arrow moves into the results; Enter opens the first (or chosen) one."""

    def __init__(self, screen: SearchScreen) -> None:
        super().__init__(screen)
        self._screen = screen

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Down and self._screen.model.rowCount():
            self._screen.view.setFocus()
            if not self._screen.view.currentIndex().isValid():
                self._screen.view.setCurrentIndex(self._screen.model.index(0))
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._screen.open_current_or_first()
            return
        super().keyPressEvent(event)


class SearchScreen(Screen):
    """Search. The shell calls ``set_query(text)`` for ``Navigator.search_requested`` and
    ``focus_search()`` for Ctrl+F; opening a result asks ``nav.lesson``."""

    WATCHES = ("packs", "notes", "profile")

    def __init__(self, ctx: AppContext, nav: Navigator, parent: QWidget | None = None) -> None:
        super().__init__(ctx, nav, parent)
        self.setObjectName("searchScreen")
        self.presenter = SearchPresenter(ctx, self._show_results, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 16)
        layout.setSpacing(12)
        self.heading = heading("", 1.6)
        layout.addWidget(self.heading)
        self.field = _SearchField(self)
        self.field.setClearButtonEnabled(True)
        scaled(self.field, 1.3)
        self.field.textChanged.connect(self.presenter.typed)
        layout.addWidget(self.field)
        self.status = text_label()
        layout.addWidget(self.status)
        self.model = ResultsModel(self)
        self.view = QListView(self)
        self.view.setModel(self.model)
        self.view.setItemDelegate(SnippetDelegate(self.view))
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.setWordWrap(True)
        open_on_click_or_enter(self.view, self._open)
        layout.addWidget(self.view, 1)
        self.setFocusProxy(self.field)
        self._shown: tuple[str, list[Result] | None] = ("", None)
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Search"))
        self.field.setPlaceholderText(self.tr("Type a word, for example: Instagram"))
        self.field.setAccessibleName(self.tr("Search lessons and your notes"))
        self.view.setAccessibleName(self.tr("Search results"))
        self._show_results(*self._shown)

    def reload(self) -> None:
        if self.presenter.query.strip():
            self.presenter.search_now()

    def set_query(self, text: str) -> None:
        self.field.setText(text)
        self.focus_search()

    def focus_search(self) -> None:
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()

    def results(self) -> list[Result]:
        return list(self.model.results)

    def _show_results(self, query: str, results: list[Result] | None) -> None:
        self._shown = (query, results)
        if results is None:
            if self.model.results:
                self.model.set_results([])
            self.status.setText(self.tr("Search in all lessons and in your own notes."))
            return
        if results != self.model.results:
            self.model.set_results(results)
        lessons = sum(1 for r in results if r.kind == "lesson")
        notes = len(results) - lessons
        if not results:
            self.status.setText(self.tr("Nothing found for “%1”. Try another word.")
                                .replace("%1", query.strip()))
        else:
            self.status.setText(self.tr("Found in lessons: %1 · in your notes: %2").replace(
                "%1", str(lessons)).replace("%2", str(notes)))

    def open_current_or_first(self) -> None:
        index = self.view.currentIndex()
        if not index.isValid() and self.model.rowCount():
            index = self.model.index(0)
        if index.isValid():
            self._open(index)

    def _open(self, index: QModelIndex) -> None:
        result: Result | None = index.data(ResultsModel.RESULT)
        if result is not None:
            self.nav.lesson(result.lesson_id, [], result.start_s)
