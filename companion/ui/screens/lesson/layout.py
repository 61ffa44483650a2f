"""The lesson page's layout at every text size: the tabs (notes, trainer, discussion) beside
the video when they fit there, else below it, so the video stays a picture and no tab title
is cut short (the largest text on a 1024x768 screen)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QLabel, QSplitter, QTabWidget, QWidget

from companion.ui.theme import relative_font

TITLE_BESIDE, TITLE_BELOW = 1.5, 1.2  # the title's size: smaller when every line counts


class LessonReflow(QObject):
    """Watches the lesson ``page`` and turns its ``splitter`` when the tabs no longer fit
    beside the video (or fit again). With the tabs below, the summary and the "pack · lesson
    2 of 5" line are hidden (the latter becomes the title's tooltip) to leave the video room."""

    def __init__(self, page: QWidget, splitter: QSplitter, tabs: QTabWidget, title: QLabel,
                 where: QLabel, summary: QLabel, summary_text: Callable[[], str]) -> None:
        super().__init__(page)
        self.page, self.splitter, self.tabs = page, splitter, tabs
        self.title, self.where, self.summary = title, where, summary
        self._summary_text = summary_text
        self._tabs_need = 0  # the tab bar's width, measured at the last reflow
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)  # after the layouts have settled
        self._timer.timeout.connect(self.reflow)
        page.installEventFilter(self)

    def request(self) -> None:
        """Check again soon (the page's size, text size or a tab title changed)."""
        self._timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.page and event.type() in (
                QEvent.Type.Resize, QEvent.Type.Show, QEvent.Type.ApplicationFontChange):
            self.request()
        return False

    @property
    def beside(self) -> bool:
        return self.splitter.orientation() == Qt.Orientation.Horizontal

    def reflow(self) -> None:
        width = self.splitter.width()
        if width <= 0 or not self.page.isVisible():  # a hidden page has no real size yet
            return
        tabs_need = max(self.tabs.tabBar().sizeHint().width() + 8,
                        self.tabs.minimumSizeHint().width())
        video_need = max(self.page.fontMetrics().height() * 24,
                         self.splitter.widget(0).minimumSizeHint().width())
        fits = tabs_need <= width * 2 // 5 and video_need <= width * 3 // 5
        wanted = Qt.Orientation.Horizontal if fits else Qt.Orientation.Vertical
        self._tabs_need = tabs_need
        if self.splitter.orientation() == wanted:
            if self.beside and self.splitter.sizes()[-1] < tabs_need:
                self._split()  # the player's controls grew (text size, speed): room for tabs
            return
        self.splitter.setOrientation(wanted)
        self.show_header()
        self._split()

    def _split(self) -> None:
        """Three fifths for the video, two for the tabs (the person may drag it after)."""
        total = self.splitter.width() if self.beside else self.splitter.height()
        video = total * 3 // 5
        if self.beside:
            video = min(video, total - self._tabs_need)
        else:
            video = max(video, self.splitter.widget(0).minimumSizeHint().height())
        self.splitter.setSizes([video, max(0, total - video)])

    def show_header(self) -> None:
        """The title, the pack line and the summary as the orientation allows."""
        beside = self.beside
        text = self._summary_text()
        self.summary.setText(text)
        self.summary.setVisible(bool(text) and beside)
        self.where.setVisible(beside)
        relative_font(self.title, TITLE_BESIDE if beside else TITLE_BELOW, bold=True)
        self.title.setToolTip("" if beside else self.where.text())
