"""The lesson: the video, the person's notes beside it (saved as they type), the trainer's
notes, and at the end the quiz and the next lesson.

The shell calls :meth:`LessonScreen.open_lesson` to show a lesson and :meth:`LessonScreen.leave`
before it shows another page; the screen asks the Navigator for the next lesson or home.
"""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from companion.core.errors import LibraryError
from companion.core.progress import QuizResult
from companion.ui.context import AppContext
from companion.ui.navigation import Navigator
from companion.ui.player import PlaybackState, PlayerWidget, create_backend
from companion.ui.redraw import Redraw
from companion.ui.screens.base import Screen
from companion.ui.screens.discussion import DiscussionPanel
from companion.ui.screens.lesson.end import EndPanel
from companion.ui.screens.lesson.focus import FocusKeeper
from companion.ui.screens.lesson.layout import LessonReflow
from companion.ui.screens.lesson.notes_tab import NotesTab
from companion.ui.screens.lesson.quiz import QuizWidget
from companion.ui.screens.lesson.session import LessonSession, NextLesson
from companion.ui.screens.lesson.trainer import TrainerNotesView
from companion.ui.screens.widgets import VerticalScroll, heading, text_label

log = logging.getLogger(__name__)

PAGE_PLAYER, PAGE_END, PAGE_QUIZ = 0, 1, 2
class LessonScreen(Screen):
    """One lesson. Public API for the shell: ``open_lesson(lesson_id, playlist, start_s)``,
    ``leave()``; signals ``lesson_opened(lesson_id)``, ``lesson_done(lesson_id)`` and
    ``playing_started()`` (the first moment the video moves after opening)."""

    WATCHES = ("packs", "profile")
    lesson_opened = Signal(str)
    lesson_done = Signal(str)
    playing_started = Signal()

    AUTO_NEXT_S = 5  # in a playlist without a quiz, the next lesson starts by itself

    def __init__(self, ctx: AppContext, nav: Navigator, parent: QWidget | None = None) -> None:
        super().__init__(ctx, nav, parent)
        self.setObjectName("lessonScreen")
        self.store = ctx.services.media
        self.session: LessonSession | None = None
        self.player: PlayerWidget | None = None  # made on the first lesson: a fast start
        self.quiz: QuizWidget | None = None
        self._opened_at_ms = 0
        self._moved = False
        self.opened_monotonic = 0.0
        app = QCoreApplication.instance()
        if app is not None:  # before the player's own handler: save while it still exists
            app.aboutToQuit.connect(self.leave)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 16, 24, 12)
        outer.setSpacing(8)
        self.title = heading("", 1.5)
        outer.addWidget(self.title)
        self.where = text_label()
        outer.addWidget(self.where)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setChildrenCollapsible(False)
        outer.addWidget(self.splitter, 1)

        left = QWidget()
        left_box = QVBoxLayout(left)
        left_box.setContentsMargins(0, 0, 0, 0)
        self.stack = QStackedWidget()
        self.player_page = QWidget()
        self.player_box = QVBoxLayout(self.player_page)
        self.player_box.setContentsMargins(0, 0, 0, 0)
        self.stack.addWidget(self.player_page)
        self.end_panel = EndPanel()
        self.end_panel.quiz_clicked.connect(self.start_quiz)
        self.end_panel.next_clicked.connect(self.go_next)
        self.end_panel.again_clicked.connect(self.watch_again)
        self.end_panel.home_clicked.connect(self._go_home)
        self.stack.addWidget(self.end_panel)
        self.quiz_page = QWidget()
        quiz_outer = QVBoxLayout(self.quiz_page)
        quiz_outer.setContentsMargins(0, 0, 0, 0)
        quiz_body = QWidget()
        quiz_outer.addWidget(VerticalScroll(quiz_body))  # never squeezed at the largest text
        self.quiz_box = QVBoxLayout(quiz_body)
        self.quiz_box.setContentsMargins(0, 0, 0, 0)
        self.stack.addWidget(self.quiz_page)
        left_box.addWidget(self.stack, 1)
        self.summary = text_label()
        left_box.addWidget(self.summary)
        self.splitter.addWidget(left)

        self.tabs = QTabWidget()
        # Three tabs in a narrow column: shorten the titles rather than hide one behind arrows.
        self.tabs.setUsesScrollButtons(False)
        self.tabs.setElideMode(Qt.TextElideMode.ElideRight)
        self.notes_tab = NotesTab()
        self.notes_tab.insert_time_requested.connect(self.insert_time)
        self.notes_tab.time_clicked.connect(self.jump_to)
        self.notes_tab.saved.connect(self._notes_saved)
        # The tab's parts, by the names the shell's focus order and the tests know them by.
        self.notes_edit = self.notes_tab.notes_edit
        self.autosave = self.notes_tab.autosave
        self.insert_time_button = self.notes_tab.insert_time_button
        self.saved_label = self.notes_tab.saved_label
        self.tabs.addTab(self.notes_tab, "")
        self.trainer_notes = TrainerNotesView()
        self.tabs.addTab(self.trainer_notes, "")
        self.discussion = DiscussionPanel(ctx)
        self.discussion.written.connect(self._comment_written)
        self.tabs.addTab(self.discussion, "")
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.focus_keeper = FocusKeeper(self, self.stack, self.tabs, self._focus_page)
        self.reflow = LessonReflow(
            self, self.splitter, self.tabs, self.title, self.where, self.summary,
            lambda: self.session.lesson.summary if self.session is not None else "")

        self.time_shortcut = QShortcut(QKeySequence("Ctrl+T"), self)
        self.time_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.time_shortcut.activated.connect(self.insert_time)
        self._problem = ""
        self.retranslate()

    # -- texts -------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.notes_tab.retranslate()
        # Short tab titles: three must fit a narrow column at 1024x768; the tips say it all.
        self.tabs.setTabText(0, self.tr("Notes"))
        self.tabs.setTabToolTip(0, self.tr("My notes for this lesson"))
        self.tabs.setTabText(1, self.tr("Trainer"))
        self.tabs.setTabToolTip(1, self.tr("The trainer's notes for this lesson"))
        self.tabs.setTabToolTip(2, self.tr("The group's discussion of this lesson"))
        self.tabs.setTabText(2, self.discussion.title())
        self.reflow.request()
        self.trainer_notes.setAccessibleName(self.tr("The trainer's notes for this lesson"))
        if self.session is not None:
            self._show_header()
            self._show_end()
            self._show_trainer_notes()

    # -- opening and leaving -----------------------------------------------------------------
    def open_lesson(self, lesson_id: str, playlist: list[str] | None = None,
                    start_s: float = -1.0) -> None:
        """Show ``lesson_id`` and play it from ``start_s`` (-1: where the person was)."""
        self.leave()
        self.opened_monotonic = time.perf_counter()
        try:
            session = LessonSession(self.ctx.services, self.store, self.ctx.profile_id,
                                    lesson_id, playlist, start_s, self.ctx.sessions)
        except LibraryError:
            log.warning("lesson %s is not in the library", lesson_id)
            self.nav.home()
            return
        self.session = session
        self._problem = ""
        self._stale = False
        self._show_header()
        self.notes_tab.load(session.notes_text(), session.save_notes)
        self._show_trainer_notes()
        self.tabs.setCurrentIndex(0)
        # The discussion fills in right after the player has been started: not on its path.
        QTimer.singleShot(0, self._show_discussion)
        self._clear_quiz()
        self.stack.setCurrentIndex(PAGE_PLAYER)
        video = session.video_path()
        if video is None:  # not downloaded yet: notes, quiz and the next lesson still work
            self._show_end()
            self._show_page(PAGE_END)
            if self.isVisible():  # as the player would have it: keys work at once
                self.end_panel.focus_first()
            self.lesson_opened.emit(lesson_id)
            return
        player = self._ensure_player()
        prefs, pid = self.ctx.services.preferences, session.profile_id
        subtitles = session.subtitle_path(self.ctx.profile.language)
        self._moved = False
        self._opened_at_ms = round(session.start_s * 1000)
        self._apply_player_prefs(prefs.get_bool("subtitles", pid))
        player.open(video, subtitles, session.start_s, autoplay=True)
        self._apply_player_prefs(prefs.get_bool("subtitles", pid))
        player.setFocus()  # Space, arrows, F, M, C work at once; a click in the notes types
        self.lesson_opened.emit(lesson_id)

    def leave(self) -> None:
        """Keep everything (notes, position, the stretch played) and stop playing."""
        self.end_panel.stop_countdown()
        session = self.session
        if session is None:
            return
        self.notes_tab.close_lesson()
        player = self.player
        if player is not None:
            try:
                session.record(session.stretches.stopped(player.current_time_s()))
                if player.controller.is_playing():
                    player.controller.pause()
                player.controller.save_position()
            except RuntimeError:  # the player was already shut down (the app is quitting)
                log.debug("player already released", exc_info=True)
        self.session = None

    def reload(self) -> None:
        """Packs changed: if this lesson went away, go home; else refresh its texts."""
        session = self.session
        if session is None:
            return
        try:
            session.detail = self.ctx.services.catalog.detail(session.profile_id,
                                                              session.lesson_id)
        except LibraryError:
            self.leave()
            self.nav.home()
            return
        self._show_header()

    def _on_changed(self, changes: Redraw) -> None:
        if changes.profile and self.session is not None \
                and self.session.profile_id != self.ctx.profile_id:
            self.leave()  # saved for the person who typed it; the next person starts at home
            self.nav.home()
            return
        if changes.sync and self.session is not None and changes.lesson_id in (
                None, self.session.lesson_id):
            self._show_discussion()  # comments arrived or were sent
        super()._on_changed(changes)

    def show_discussion(self, comment_id: str) -> None:
        """After :meth:`open_lesson`: the discussion tab, at ``comment_id`` (a notification)."""
        def show() -> None:  # after the discussion filled in (open_lesson queued that)
            self._show_discussion()
            self.tabs.setCurrentWidget(self.discussion)
            self.discussion.scroll_to(comment_id)
        QTimer.singleShot(0, show)

    def _show_discussion(self) -> None:
        session = self.session
        if session is None:
            return
        self.discussion.show_lesson(session.profile_id, session.lesson_id)
        self.tabs.setTabText(2, self.discussion.title())
        self.reflow.request()

    def _comment_written(self) -> None:
        self.tabs.setTabText(2, self.discussion.title())
        self.reflow.request()
        lesson_id = self.session.lesson_id if self.session is not None else None
        self.ctx.bus.announce(Redraw(sync=True, lesson_id=lesson_id))

    def closeEvent(self, event: QEvent) -> None:
        self.leave()
        super().closeEvent(event)

    def hideEvent(self, event: QEvent) -> None:
        self.autosave.flush()
        super().hideEvent(event)

    def prepare_player(self) -> None:
        """Start the video player now (about 0.1 s) rather than on the first lesson: the shell
        may call this once the home screen is up, so the first lesson opens as fast as the
        next ones."""
        self._ensure_player()

    # -- the player --------------------------------------------------------------------------
    def _ensure_player(self) -> PlayerWidget:
        if self.player is None:
            backend, notice = create_backend(self.ctx.services.preferences.get("player"))
            self.player = PlayerWidget(backend, notice, self.player_page)
            self.player_box.addWidget(self.player, 1)
            c = self.player.controller
            self.player.position_saved_needed.connect(self._save_position)
            self.player.watched_90.connect(self._save_position)
            self.player.ended.connect(self._ended)
            self.player.error.connect(self._player_failed)
            c.state_changed.connect(self._state_changed)
            c.position_changed.connect(self._position_changed)
            prefs = self.ctx.services.preferences
            c.subtitles_visible_changed.connect(
                lambda on: prefs.set("subtitles", on, self.ctx.profile_id))
            c.volume_changed.connect(lambda v: prefs.set("volume", v))
            c.muted_changed.connect(lambda m: prefs.set("muted", m))
        return self.player

    def _apply_player_prefs(self, subtitles: bool) -> None:
        assert self.player is not None
        c, prefs = self.player.controller, self.ctx.services.preferences
        c.set_volume(prefs.get_int("volume"))
        c.set_muted(prefs.get_bool("muted"))
        c.set_subtitles_visible(subtitles)

    def _save_position(self, seconds: float) -> None:
        session = self.session
        if session is None or self.player is None:
            return
        try:
            became_done = session.save_position(seconds, self.player.duration_s())
        except LibraryError:
            log.warning("position of %s not saved", session.lesson_id, exc_info=True)
            return
        self.ctx.announce(Redraw(progress=True, lesson_id=session.lesson_id))
        if became_done:
            self.lesson_done.emit(session.lesson_id)

    def _state_changed(self, state: PlaybackState) -> None:
        session, player = self.session, self.player
        if session is None or player is None:
            return
        if state == PlaybackState.PLAYING:
            session.stretches.started(player.current_time_s())
        else:
            session.record(session.stretches.stopped(player.current_time_s()))

    def _position_changed(self, position_ms: int) -> None:
        session = self.session
        if session is None:
            return
        session.record(session.stretches.moved(position_ms / 1000))
        if not self._moved and position_ms > self._opened_at_ms and self.player is not None \
                and self.player.controller.is_playing():
            self._moved = True
            self.playing_started.emit()

    def _ended(self) -> None:
        session = self.session
        if session is None or self.player is None:
            return
        duration = self.player.duration_s() or session.lesson.duration_s
        # Reaching the end is not "done" by itself (a jump to the end reaches it too): the
        # core counts the seconds actually played, and the quiz passed counts as done.
        session.record(session.stretches.stopped(duration))
        try:
            became_done = session.save_position(duration, duration or None)
        except LibraryError:
            log.warning("the end of lesson %s was not saved", session.lesson_id, exc_info=True)
            became_done = False
        self.ctx.announce(Redraw(progress=True, lesson_id=session.lesson_id))
        if became_done:
            self.lesson_done.emit(session.lesson_id)
        self._show_end()
        self._show_page(PAGE_END)
        next_lesson = session.next_lesson()
        if session.playlist and next_lesson is not None and not session.detail.quiz:
            self.end_panel.start_countdown(self.AUTO_NEXT_S)

    def _player_failed(self, message: str) -> None:
        """The video will not play: say so, and keep the notes, quiz and next lesson."""
        if self.session is None:
            return
        self._problem = message
        self._show_end()
        self._show_page(PAGE_END)

    # -- notes -------------------------------------------------------------------------------
    def _notes_saved(self) -> None:
        if self.session is not None:
            self.ctx.announce(Redraw(notes=True, lesson_id=self.session.lesson_id))

    def insert_time(self) -> None:
        """Mark the current video time at the start of the current notes line."""
        seconds = self.player.current_time_s() if self.player is not None else 0.0
        self.tabs.setCurrentIndex(0)
        self.notes_tab.insert_time(seconds)

    def jump_to(self, seconds: float) -> None:
        """Show the video at ``seconds`` (a time clicked in the notes)."""
        if self.player is None or self.session is None or self.session.video_path() is None:
            return
        self.end_panel.stop_countdown()
        self._show_page(PAGE_PLAYER)
        ended = self.player.controller.state() in (PlaybackState.ENDED, PlaybackState.STOPPED)
        self.player.seek_s(seconds)
        if ended:  # after the end, a time in the notes means "show me that part again"
            self.player.controller.play()

    # -- the end: quiz and next lesson -------------------------------------------------------
    def _show_header(self) -> None:
        session = self.session
        if session is None:
            return
        lesson = session.lesson
        self.title.setText(lesson.title)
        n, of = session.number
        pack = session.pack.title if session.pack else ""
        self.where.setText(self.tr("%1 · lesson %2 of %3").replace("%1", pack).replace(
            "%2", str(n)).replace("%3", str(of)))
        self.reflow.show_header()

    def _show_trainer_notes(self) -> None:
        if self.session is None:
            return
        text = self.session.detail.trainer_notes or self.tr(
            "The trainer has no notes for this lesson.")
        self.trainer_notes.show_markdown(text)

    def _show_end(self) -> None:
        session = self.session
        if session is None:
            return
        progress = session.progress()
        self.end_panel.show_lesson(
            done=progress.done, has_video=session.video_path() is not None, problem=self._problem,
            quiz_questions=len(session.detail.quiz), quiz_best=progress.quiz_best,
            quiz_total=progress.quiz_total, next_lesson=session.next_lesson())

    def start_quiz(self) -> None:
        session = self.session
        if session is None or not session.detail.quiz:
            return
        self.end_panel.stop_countdown()
        self._clear_quiz()
        self.quiz = QuizWidget(session.detail.quiz, self._submit_quiz)
        self.quiz.closed.connect(self._quiz_closed)
        self.quiz_box.addWidget(self.quiz)
        self._show_page(PAGE_QUIZ)

    def _submit_quiz(self, answers: list[int]) -> QuizResult:
        assert self.session is not None
        result = self.session.answer_quiz(answers)
        self.ctx.announce(Redraw(progress=True, lesson_id=self.session.lesson_id))
        return result

    def _quiz_closed(self) -> None:
        self._show_end()
        self._show_page(PAGE_END)
        self.end_panel.focus_next()

    # -- focus -------------------------------------------------------------------------------
    def _show_page(self, index: int) -> None:
        """Switch between the player, the end and the quiz (the focus follows: see
        :class:`FocusKeeper`)."""
        self.focus_keeper.show_page(index)

    def _focus_page(self, index: int) -> None:
        if index == PAGE_END:
            self.end_panel.focus_first()
        elif index == PAGE_QUIZ and self.quiz is not None:
            self.quiz.focus_first()
        elif index == PAGE_PLAYER and self.player is not None:
            self.player.setFocus(Qt.FocusReason.OtherFocusReason)

    def focus_order(self) -> list[QWidget]:
        return self.focus_keeper.order()

    def focusNextPrevChild(self, next: bool) -> bool:
        return self.focus_keeper.step(next) or super().focusNextPrevChild(next)

    def _clear_quiz(self) -> None:
        if self.quiz is not None:
            self.quiz.setParent(None)
            self.quiz.deleteLater()
            self.quiz = None

    def next_lesson(self) -> NextLesson | None:
        return self.session.next_lesson() if self.session is not None else None

    def go_next(self) -> None:
        """Ask for the next lesson (the playlist's, else the next unfinished of the pack)."""
        self.end_panel.stop_countdown()
        following = self.next_lesson()
        if following is not None:
            self.nav.lesson(following.lesson_id, following.playlist, -1.0)

    def watch_again(self) -> None:
        self.end_panel.stop_countdown()
        if self.player is not None and self.session is not None \
                and self.session.video_path() is not None:
            self._show_page(PAGE_PLAYER)
            self.player.seek_s(0)
            self.player.controller.play()

    def _go_home(self) -> None:
        self.end_panel.stop_countdown()
        self.nav.home()

