"""The menu bar of the main window and what its actions do: mostly opening a dialog and acting on
its answer. Kept out of the main window so that the window stays a shell.

Dialogs are opened with ``open()`` (window-modal, the event loop keeps running), and the last
one is kept in :attr:`ShellActions.dialog` so tests can answer it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QMenu, QMenuBar, QMessageBox

from companion.sync.account import disconnect
from companion.ui.context import AppContext
from companion.ui.dialogs.announce import AnnounceDialog, trained_groups
from companion.ui.dialogs.connect import ConnectDialog
from companion.ui.dialogs.help import AboutDialog, ShortcutsDialog
from companion.ui.dialogs.problems import ProblemReports
from companion.ui.dialogs.profile_form import ProfileDialog
from companion.ui.dialogs.profiles import PinDialog, ProfilePickerDialog
from companion.ui.dialogs.settings import SettingsDialog, SettingsModel
from companion.ui.navigation import Navigator
from companion.ui.redraw import Redraw
from companion.ui.theme import TEXT_SCALE_STEP, icon

if TYPE_CHECKING:
    from companion.ui.screens.base import Screen
    from companion.ui.sync_ui import SyncController


class MenuWindow(Protocol):
    """What the menus need of the main window. A protocol rather than ``MainWindow`` itself,
    which builds the menus: naming it here would close an import circle."""

    screens: Mapping[str, Screen]

    def menuBar(self) -> QMenuBar: ...
    def addAction(self, action: QAction) -> None: ...
    def close(self) -> bool: ...
    def show_screen(self, key: str) -> Screen | None: ...
    def show_notice(self, text: str) -> None: ...
    def leave_lesson(self) -> None: ...
    def toggle_sidebar(self) -> None: ...

NEW_PROFILE = 2  # what the profile picker returns for "New profile…"


class ShellActions(QObject):
    def __init__(self, window: MenuWindow, ctx: AppContext, nav: Navigator) -> None:
        super().__init__(window)
        self.window = window
        self.ctx = ctx
        self.nav = nav
        self.dialog: QDialog | None = None
        self.settings = SettingsModel(ctx)

        def action(name: str, slot: Callable[[], object], icon_name: str = "",
                   keys: tuple[QKeySequence | QKeySequence.StandardKey | str, ...] = ()
                   ) -> QAction:
            act = QAction(window)
            act.setObjectName(name)
            if icon_name:
                act.setIcon(icon(icon_name))
                act.setProperty("iconName", icon_name)
            if keys:
                act.setShortcuts([QKeySequence(k) for k in keys])
            act.triggered.connect(lambda _checked=False: slot())
            window.addAction(act)  # shortcuts work even with the menu bar hidden
            return act

        self.import_action = action("importAction", lambda: nav.import_packs([]),
                                    "action-import", ("Ctrl+O",))
        self.export_notes_action = action("exportNotesAction", self.export_notes,
                                          "action-export")
        self.quit_action = action("quitAction", window.close, "action-quit", ("Ctrl+Q",))
        self.switch_profile_action = action("switchProfileAction", self.switch_profile,
                                            "action-switch")
        self.new_profile_action = action("newProfileAction", self.new_profile,
                                         "action-profile-add")
        self.edit_profile_action = action("editProfileAction", self.edit_profile,
                                          "action-profile")
        self.set_pin_action = action("setPinAction", lambda: self.change_pin(False),
                                     "action-pin")
        self.remove_pin_action = action("removePinAction", lambda: self.change_pin(True))
        self.go_actions = {
            key: action(f"go{key.title()}Action", slot, icon_name, (f"Ctrl+{n}",))
            for n, (key, slot, icon_name) in enumerate((
                ("home", nav.home, "nav-home"),
                ("library", lambda: nav.library(""), "nav-library"),
                ("search", lambda: nav.search(""), "nav-search"),
                ("notes", nav.notes, "nav-notes"),
                # Ctrl+5, after the four that people already know by heart
                ("downloads", nav.downloads, "nav-downloads")), start=1)
        }
        # Ctrl+B: free everywhere (the notes are plain text, no bold), and the key other
        # programs use for their side bar.
        self.sidebar_action = action("sidebarAction", window.toggle_sidebar, "", ("Ctrl+B",))
        self.sidebar_action.setCheckable(True)
        self.find_action = action("findAction", lambda: nav.search(""), "",
                                  (QKeySequence.StandardKey.Find,))
        self.larger_action = action("largerTextAction", lambda: self.step_text(+1),
                                    "action-text-larger",
                                    (QKeySequence.StandardKey.ZoomIn, "Ctrl+="))
        self.smaller_action = action("smallerTextAction", lambda: self.step_text(-1),
                                     "action-text-smaller", (QKeySequence.StandardKey.ZoomOut,))
        self.reset_size_action = action("resetTextAction", lambda: self.step_text(0), "",
                                        ("Ctrl+0",))
        # On the menu bar itself: a word, not an icon (a gear alone says nothing to many).
        self.settings_action = action("settingsAction", self.open_settings, "", ("Ctrl+,",))
        self.shortcuts_action = action("shortcutsAction", self.show_shortcuts,
                                       "action-keyboard", (QKeySequence.StandardKey.HelpContents,))
        self.about_action = action("aboutAction", self.show_about, "action-about")
        self.problems = ProblemReports(ctx, window)  # type: ignore[arg-type]  # a QWidget
        self.problem_report_action = action("problemReportAction", self.problems.ask_and_save)
        self.connect_action = action("connectAction", self.connect_group)
        self.sync_now_action = action("syncNowAction", self.sync_now, "", ("F5",))
        self.disconnect_action = action("disconnectAction", self.disconnect_group)
        self.group_page_action = action("groupPageAction", nav.group)
        self.announce_action = action("announceAction", self.announce)
        self.trainer_view_action = action("trainerViewAction", self.trainer_view)
        self.publish_action = action("publishAction", self.publish_pack)
        self.sync: SyncController | None = None

        bar = window.menuBar()
        self.file_menu = bar.addMenu("")
        self.file_menu.addActions([self.import_action, self.export_notes_action])
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
        self.profile_menu = bar.addMenu("")
        self.profile_menu.addActions([self.switch_profile_action, self.new_profile_action,
                                      self.edit_profile_action])
        self.profile_menu.addSeparator()
        self.profile_menu.addActions([self.set_pin_action, self.remove_pin_action])
        self.view_menu = bar.addMenu("")
        self.view_menu.addActions(list(self.go_actions.values()))
        self.view_menu.addSeparator()
        self.view_menu.addAction(self.sidebar_action)
        self.view_menu.addSeparator()
        self.view_menu.addActions([self.larger_action, self.smaller_action,
                                   self.reset_size_action])
        self.group_menu = bar.addMenu("")
        self.group_menu.addActions([self.connect_action, self.sync_now_action,
                                    self.trainer_view_action, self.publish_action])
        self.group_menu.addSeparator()
        self.group_menu.addActions([self.group_page_action, self.announce_action])
        # Only a trainer of a group may post to it: the entry shows for them alone.
        self.group_menu.aboutToShow.connect(
            lambda: self.announce_action.setVisible(bool(trained_groups(self.ctx))))
        self.group_menu.addSeparator()
        self.group_menu.addAction(self.disconnect_action)
        bar.addAction(self.settings_action)
        self.help_menu = bar.addMenu("")
        self.help_menu.addActions([self.shortcuts_action, self.problem_report_action])
        self.help_menu.addSeparator()
        self.help_menu.addAction(self.about_action)
        self.menus: list[QMenu] = [self.file_menu, self.profile_menu, self.view_menu,
                                   self.group_menu, self.help_menu]
        self.update_sync_actions()

    # -- texts -------------------------------------------------------------------------------------
    def retranslate(self) -> None:
        has_pin = self.ctx.profile.has_pin
        texts = {
            self.import_action: self.tr("&Import lesson pack…"),
            self.export_notes_action: self.tr("&Export my notes…"),
            self.quit_action: self.tr("&Quit"),
            self.switch_profile_action: self.tr("&Switch profile…"),
            self.new_profile_action: self.tr("&New profile…"),
            self.edit_profile_action: self.tr("&Edit my profile…"),
            self.set_pin_action: self.tr("&Change PIN…") if has_pin else self.tr("Set a &PIN…"),
            self.remove_pin_action: self.tr("&Remove PIN…"),
            self.go_actions["home"]: self.tr("&Home"),
            self.go_actions["library"]: self.tr("&Library"),
            self.go_actions["downloads"]: self.tr("&Downloads"),
            self.go_actions["search"]: self.tr("&Search"),
            self.go_actions["notes"]: self.tr("&My notes"),
            self.find_action: self.tr("Find"),
            self.sidebar_action: self.tr("Names in the side&bar"),
            self.larger_action: self.tr("&Larger text"),
            self.smaller_action: self.tr("S&maller text"),
            self.reset_size_action: self.tr("&Normal text size"),
            self.settings_action: self.tr("&Settings…"),
            self.shortcuts_action: self.tr("&Keyboard shortcuts"),
            self.about_action: self.tr("&About Course companion"),
            self.problem_report_action: self.tr("Save a &problem report…"),
            self.connect_action: self.tr("&Connect to your group…"),
            self.sync_now_action: self.tr("&Sync now"),
            self.disconnect_action: self.tr("&Disconnect this computer…"),
            self.group_page_action: self.tr("&My group"),
            self.announce_action: self.tr("Post an &announcement…"),
            self.trainer_view_action: self.tr("&What my trainer sees…"),
            self.publish_action: self.tr("&Publish a lesson pack…"),
        }
        for act, text in texts.items():
            act.setText(text)
            act.setToolTip(text.replace("&", "").rstrip("…"))
            if act.property("iconName"):
                act.setIcon(icon(str(act.property("iconName"))))
        self.remove_pin_action.setEnabled(has_pin)
        self.export_notes_action.setEnabled("notes" in self.window.screens)
        self.file_menu.setTitle(self.tr("&File"))
        self.profile_menu.setTitle(self.tr("&Profile"))
        self.view_menu.setTitle(self.tr("&View"))
        self.help_menu.setTitle(self.tr("&Help"))
        self.group_menu.setTitle(self.tr("&Group"))

    # -- sync --------------------------------------------------------------------------------------
    def attach_sync(self, controller: SyncController) -> None:
        self.sync = controller
        self.update_sync_actions()

    def announce(self) -> QDialog:
        """A trainer's message to a whole group."""
        dialog = AnnounceDialog(self.ctx, trained_groups(self.ctx), self.window)
        dialog.open()
        return dialog

    def update_sync_actions(self) -> None:
        connected = self.sync is not None and self.sync.is_connected()
        self.connect_action.setEnabled(self.sync is not None)
        self.sync_now_action.setEnabled(connected)
        self.disconnect_action.setEnabled(connected)
        self.trainer_view_action.setEnabled(connected)
        self.publish_action.setEnabled(connected)

    def connect_group(self) -> QDialog | None:
        if self.sync is None:
            return None
        login = self.sync.login()
        dialog = ConnectDialog(self.ctx, self.window,
                               hub_url=login.hub_url if login is not None else "",
                               ca_file=(login.ca_file or "") if login is not None else "")

        def done(result: int) -> None:
            if result == QDialog.DialogCode.Accepted and self.sync is not None:
                self.sync.connected()
                groups = dialog.connected.groups if dialog.connected else []
                self.window.show_notice(self.tr("Connected: %1").replace(
                    "%1", ", ".join(groups) or (dialog.connected.login.hub_url
                                                if dialog.connected else "")))
            self.update_sync_actions()

        return self._open(dialog, done)

    def trainer_view(self) -> QDialog:
        """What my trainer sees: my own row of each group's report."""
        from companion.ui.dialogs.trainer_view import TrainerViewDialog

        return self._open(TrainerViewDialog(self.ctx, self.window))

    def publish_pack(self) -> QDialog:
        """Offer a .cpack to the groups I train (their trainers only; the hub checks)."""
        from companion.ui.dialogs.publish import PublishDialog

        return self._open(PublishDialog(self.ctx, self.window))

    def sync_now(self) -> None:
        if self.sync is not None:
            self.sync.sync_now()

    def disconnect_group(self) -> QMessageBox | None:
        if self.sync is None or not self.sync.is_connected():
            return None
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Disconnect this computer"),
                          self.tr("Stop syncing this profile on this computer? Your notes and "
                                  "progress stay here; what has not been sent yet is sent when "
                                  "you connect again."),
                          QMessageBox.StandardButton.NoButton, self.window)
        yes = box.addButton(self.tr("&Disconnect"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("Cancel"), QMessageBox.ButtonRole.RejectRole)
        sync = self.sync
        profile_id = self.ctx.profile_id

        def done(_result: int) -> None:
            if box.clickedButton() is not yes:
                return
            sync.shutdown_engine()
            self.ctx.tasks.run_library(
                lambda task: disconnect(task.services.credentials, profile_id),
                on_done=lambda _revoked: (sync.disconnected(), self.update_sync_actions()),
                on_error=lambda exc: self.window.show_notice(str(exc)))

        box.finished.connect(done)
        box.open()
        return box

    # -- what the actions do -----------------------------------------------------------------------
    def _open(self, dialog: QDialog, on_done: Callable[[int], None] | None = None) -> QDialog:
        self.dialog = dialog
        if on_done is not None:
            dialog.finished.connect(on_done)
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        dialog.open()
        return dialog

    def export_notes(self) -> None:
        screen = self.window.show_screen("notes")
        if screen is not None:
            screen.export_dialog()

    def switch_profile(self) -> QDialog:
        picker = ProfilePickerDialog(self.ctx.services, self.ctx.profile_id, parent=self.window)

        def done(result: int) -> None:
            if result == NEW_PROFILE:
                self.new_profile()
            elif result == QDialog.DialogCode.Accepted and picker.chosen_id is not None:
                self.switch_to(picker.chosen_id)

        return self._open(picker, done)

    def switch_to(self, profile_id: int) -> None:
        """Another person takes over: the lesson on screen is saved for the one leaving."""
        if profile_id == self.ctx.profile_id:
            return
        self.window.leave_lesson()
        self.ctx.switch_profile(profile_id)
        self.nav.home()

    def new_profile(self) -> QDialog:
        dialog = ProfileDialog(self.ctx.services, None, parent=self.window)

        def done(result: int) -> None:
            if result == QDialog.DialogCode.Accepted and dialog.profile is not None:
                self.switch_to(dialog.profile.id)

        return self._open(dialog, done)

    def edit_profile(self) -> QDialog:
        dialog = ProfileDialog(self.ctx.services, self.ctx.profile, parent=self.window)

        def done(result: int) -> None:
            if result == QDialog.DialogCode.Accepted:
                self.ctx.announce(Redraw(profile=True, settings=True))

        return self._open(dialog, done)

    def change_pin(self, remove: bool) -> QDialog:
        dialog = PinDialog(self.ctx.services, self.ctx.profile_id, remove=remove,
                           parent=self.window)

        def done(result: int) -> None:
            if result == QDialog.DialogCode.Accepted:
                self.ctx.announce(Redraw(profile=True))

        return self._open(dialog, done)

    def step_text(self, direction: int) -> int:
        """One step larger (+1) or smaller (-1), or back to 100% (0)."""
        current = self.settings.text_scale
        wanted = 100 if direction == 0 else current + direction * TEXT_SCALE_STEP
        self.settings.set_text_scale(wanted)
        return self.settings.text_scale

    def open_settings(self) -> QDialog:
        return self._open(SettingsDialog(self.ctx, self.window))

    def show_shortcuts(self) -> QDialog:
        return self._open(ShortcutsDialog(self.window))

    def show_about(self) -> QDialog:
        return self._open(AboutDialog(self.window))
