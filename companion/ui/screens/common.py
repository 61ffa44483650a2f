"""What every screen shares: refresh-on-change, fonts relative to the app's text size, big
buttons, times as people read them, and search snippets rendered safely."""

from __future__ import annotations

import html
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QModelIndex, Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFrame,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from companion.core.catalog import Lesson
from companion.core.media_store import MediaStore
from companion.ui.context import AppContext
from companion.ui.navigation import Navigator
from companion.ui.redraw import Redraw
from companion.ui.screens.hooks import ScreenHooks
from companion.ui.theme import apply_relative_sizes, relative_font, relative_min_height

MARK_OPEN = "«"
MARK_CLOSE = "»"


def clock(seconds: float) -> str:
    """``1:42`` (``1:02:03`` past an hour): a video time as a person reads it."""
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def snippet_html(snippet: str) -> str:
    """A search snippet as HTML: the parts the core marked with « » in bold, everything else
    escaped, so text that looks like HTML in a lesson or note is shown as typed."""
    out: list[str] = []
    rest = snippet
    while rest:
        start = rest.find(MARK_OPEN)
        end = rest.find(MARK_CLOSE, start + 1) if start >= 0 else -1
        if start < 0 or end < 0:
            out.append(html.escape(rest.replace(MARK_OPEN, "").replace(MARK_CLOSE, "")))
            break
        out.append(html.escape(rest[:start].replace(MARK_CLOSE, "")))
        out.append("<b>" + html.escape(rest[start + 1:end]) + "</b>")
        rest = rest[end + 1:]
    return "".join(out)


def plain_snippet(snippet: str) -> str:
    """The snippet without the match marks (for accessible text and tooltips)."""
    return snippet.replace(MARK_OPEN, "").replace(MARK_CLOSE, "")


def media_path(store: MediaStore, sha256: str | None) -> Path | None:
    """The stored file of ``sha256``, or None when there is none (no video, not downloaded)."""
    if not sha256:
        return None
    try:
        path = store.path_for(sha256)
    except ValueError:
        return None
    return path if path.is_file() else None


def subtitle_sha(lesson: Lesson, *languages: str | None) -> str | None:
    """The subtitle file of a lesson in the first of ``languages`` it has (``nl`` matches
    ``nl-BE``), else its first subtitle file, else None."""
    subs = [s for s in lesson.subtitles if s.get("sha256")]
    for language in languages:
        if not language:
            continue
        base = language.split("-")[0].lower()
        for sub in subs:
            if str(sub.get("language", "")).split("-")[0].lower() == base:
                return str(sub["sha256"])
    return str(subs[0]["sha256"]) if subs else None


# -- fonts and sizes that follow the app's text size --------------------------------------------

def scaled(widget: QWidget, factor: float = 1.0, *, bold: bool = False) -> QWidget:
    """Give ``widget`` a font ``factor`` times the application font (kept when it changes)."""
    return relative_font(widget, factor, bold=bold)


def refresh_sizes(root: QWidget) -> None:
    """Re-apply relative fonts and heights under ``root`` after the app's text size changed."""
    apply_relative_sizes(root)


def heading(text: str, factor: float = 1.5, parent: QWidget | None = None) -> QLabel:
    """A bold title line, ``factor`` times the normal text size."""
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    scaled(label, factor, bold=True)
    return label


def text_label(text: str = "", parent: QWidget | None = None, factor: float = 1.0) -> QLabel:
    """A wrapping plain-text label (content is never read as HTML)."""
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    if factor != 1.0:
        scaled(label, factor)
    return label


def big_button(text: str, accessible: str | None = None, parent: QWidget | None = None,
               *, primary: bool = False, height_em: float = 2.4) -> QPushButton:
    """A button with a large click target (``height_em`` lines of text high). Its text is its
    accessible name unless ``accessible`` says more."""
    button = QPushButton(text, parent)
    if accessible:
        button.setAccessibleName(accessible)
    if primary:
        button.setDefault(True)
        scaled(button, 1.15, bold=True)
    relative_min_height(button, height_em)
    button.setCursor(Qt.CursorShape.PointingHandCursor)
    button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
    return button


class VerticalScroll(QScrollArea):
    """``content`` that scrolls up and down when it is taller than the room it gets (the
    lesson's end and quiz below the video at the largest text), instead of its controls being
    squeezed over one another. It wraps to its width, takes no Tab stop of its own, and keeps
    the focused control in sight (Tab onto a button below the fold)."""

    def __init__(self, content: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setWidget(content)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._follow_focus)

    def _follow_focus(self, _old: QWidget | None, new: QWidget | None) -> None:
        content = self.widget()
        if new is not None and content is not None and content.isAncestorOf(new):
            self.ensureWidgetVisible(new)


def scrolling_page(page: QWidget, spacing: int) -> QVBoxLayout:
    """Give ``page`` a body that scrolls when it is longer than the window (large text, long
    lists), with the pages' margins; returns the body's layout to fill."""
    outer = QVBoxLayout(page)
    outer.setContentsMargins(0, 0, 0, 0)
    scroll = QScrollArea(page)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    outer.addWidget(scroll)
    body = QWidget()
    scroll.setWidget(body)
    layout = QVBoxLayout(body)
    layout.setContentsMargins(32, 24, 32, 24)
    layout.setSpacing(spacing)
    return layout


class Screen(ScreenHooks):
    """A page of the app. Subclasses set ``WATCHES`` (the :class:`Redraw` flags they show) and
    implement :meth:`reload`; a change while hidden only marks the page stale, so hidden pages
    cost nothing while a video plays."""

    WATCHES: tuple[str, ...] = ("packs", "progress", "profile")

    def __init__(self, ctx: AppContext, nav: Navigator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.nav = nav
        self._stale = True
        self._pending = QTimer(self)
        self._pending.setSingleShot(True)
        self._pending.setInterval(0)  # several announcements in one go: one reload
        self._pending.timeout.connect(self.refresh)
        ctx.bus.changed.connect(self._on_changed)

    def cares_about(self, changes: Redraw) -> bool:
        return any(getattr(changes, flag) for flag in self.WATCHES)

    def _on_changed(self, changes: Redraw) -> None:
        if not self.cares_about(changes):
            return
        self._stale = True
        if self.isVisible():
            self._pending.start()

    def refresh(self) -> None:
        """Redraw from the library now."""
        self._stale = False
        self.reload()

    def reload(self) -> None:
        raise NotImplementedError

    def showEvent(self, event: QEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def retranslate(self) -> None:
        """Set the fixed texts (again after the language changed)."""

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            self._stale = True  # the texts made from data are redone by a reload
            if self.isVisible():
                self._pending.start()


def open_on_click_or_enter(view: QAbstractItemView,
                           handler: Callable[[QModelIndex], None]) -> None:
    """Call ``handler`` on a single click or on Enter, once (a double-click is also a click)."""
    last: dict[str, object] = {"row": None, "at": 0.0}

    def fire(index: QModelIndex) -> None:
        now = time.monotonic()
        key = (index.row(), index.parent().row(), index.parent().parent().row())
        if last["row"] == key and now - float(last["at"]) < 0.6:  # type: ignore[arg-type]
            return
        last["row"], last["at"] = key, now
        handler(index)

    view.clicked.connect(fire)
    view.activated.connect(fire)


# Characters that reorder the text around them: a right-to-left override in a web address
# makes "https://bank.example/\u202egpj.exe" show as something else than what opens.
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                          "\u2066\u2067\u2068\u2069")
# The ones whose effect reaches past themselves (embeddings, overrides, isolates), as opposed to
# the marks (LRM, RLM, ALM) that right-to-left writing uses inside ordinary text.
BIDI_OVERRIDES = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def has_bidi_controls(text: str) -> bool:
    return any(ch in BIDI_CONTROLS for ch in text)


def without_bidi(text: str, controls: frozenset[str] = BIDI_CONTROLS) -> str:
    """``text`` without the given direction controls (all of them by default)."""
    return "".join(ch for ch in text if ch not in controls)


def open_web_link(link: QUrl | str) -> None:
    """Open a link from the trainer's notes or a comment in the browser: http and https only,
    never a file or any other scheme, and never an address with direction controls in it (it
    would not open what it shows)."""
    url = QUrl(link)
    shown = link if isinstance(link, str) else link.toString()
    decoded = url.toString(QUrl.ComponentFormattingOption.FullyDecoded)
    if has_bidi_controls(shown) or has_bidi_controls(decoded):
        return
    if url.scheme().lower() in ("http", "https") and url.isValid():
        QDesktopServices.openUrl(url)
