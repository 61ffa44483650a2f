""""Connect to your group": join a group with the trainer's invite code, or log in on another PC.

The login runs in the background (the hub may be slow or far away); the dialog stays open with
its fields kept until it worked, and says in plain words what went wrong otherwise. Where the
PC has no keyring, the person is asked before the login is kept in the app's own folder: it is
never written there silently.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QWidget,
)

from companion.sync.account import Connected, connect
from companion.sync.client import HubAuthError, HubError, HubOffline
from companion.sync.credentials import CredentialError, NoKeyringError, keyring_problem
from companion.ui.context import AppContext
from companion.ui.dialogs.common import (
    Dialog,
    error_label,
    form_label,
    heading_label,
    ok_cancel_box,
    show_error,
    text_label,
)
from companion.ui.hub_errors import explain_hub_error
from companion.ui.tasks import TaskContext

MIN_PASSWORD_LENGTH = 8  # what the hub asks of a new account


class ConnectDialog(Dialog):
    """Join or log in; ``connected`` holds the result once accepted."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None,
                 hub_url: str = "", ca_file: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("connectDialog")
        self.ctx = ctx
        self.connected: Connected | None = None
        self.busy = False
        self._allow_file = False
        layout = self.scrolling_layout()
        self.title = heading_label(self)
        layout.addWidget(self.title)
        self.intro = text_label(self)
        layout.addWidget(self.intro)
        # Said once, plainly, when joining: what the trainer will see (issue 10).
        self.privacy = text_label(self)
        self.privacy.setObjectName("privacyNote")
        self.privacy.setWordWrap(True)
        layout.addWidget(self.privacy)

        self.join_radio = QRadioButton(self)
        self.login_radio = QRadioButton(self)
        self.mode = QButtonGroup(self)
        self.mode.addButton(self.join_radio)
        self.mode.addButton(self.login_radio)
        self.join_radio.setChecked(True)
        self.join_radio.toggled.connect(self._show_mode)
        layout.addWidget(self.join_radio)
        layout.addWidget(self.login_radio)

        form = QFormLayout()
        self.hub_edit = QLineEdit(hub_url, self)
        self.hub_edit.setObjectName("hubEdit")
        self.hub_label = form_label(self)
        self.hub_label.setBuddy(self.hub_edit)
        form.addRow(self.hub_label, self.hub_edit)
        self.invite_edit = QLineEdit(self)
        self.invite_edit.setObjectName("inviteEdit")
        self.invite_label = form_label(self)
        self.invite_label.setBuddy(self.invite_edit)
        form.addRow(self.invite_label, self.invite_edit)
        self.user_edit = QLineEdit(self)
        self.user_edit.setObjectName("userEdit")
        self.user_label = form_label(self)
        self.user_label.setBuddy(self.user_edit)
        form.addRow(self.user_label, self.user_edit)
        self.password_edit = QLineEdit(self)
        self.password_edit.setObjectName("passwordEdit")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_label = form_label(self)
        self.password_label.setBuddy(self.password_edit)
        form.addRow(self.password_label, self.password_edit)
        self.show_password = QCheckBox(self)
        self.show_password.toggled.connect(lambda on: self.password_edit.setEchoMode(
            QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password))
        form.addRow("", self.show_password)
        # A self-hosted server with its own certificate authority: the trainer hands out the
        # CA file; everyone else leaves this empty (the system's certificates are used).
        ca_row = QHBoxLayout()
        self.ca_edit = QLineEdit(ca_file, self)
        self.ca_edit.setObjectName("caEdit")
        ca_row.addWidget(self.ca_edit, 1)
        self.ca_button = QPushButton(self)
        self.ca_button.clicked.connect(self._choose_ca)
        ca_row.addWidget(self.ca_button)
        self.ca_label = form_label(self)
        self.ca_label.setBuddy(self.ca_edit)
        form.addRow(self.ca_label, ca_row)
        layout.addLayout(form)
        self.error = error_label(self)
        layout.addWidget(self.error)
        box, self.ok_button, self.cancel_button = ok_cancel_box(self)
        layout.addWidget(box)
        self.retranslate()
        self._show_mode()

    # -- texts -------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Connect to your group"))
        self.title.setText(self.tr("Connect to your group"))
        self.intro.setText(self.tr(
            "Then your progress, notes and comments are kept safe on your group's server and "
            "reach your other computers, and you can talk with your group. Everything keeps "
            "working without a connection."))
        self.privacy.setText(self.tr(
            "Your trainer will see your progress in the lessons, when you use the app, your "
            "quiz scores and your name, motto and photo. Never your notes."))
        self.join_radio.setText(self.tr("I am new: I have an &invite code from my trainer"))
        self.login_radio.setText(self.tr("I already have an &account (another computer)"))
        self.hub_label.setText(self.tr("&Server address:"))
        self.hub_edit.setPlaceholderText(self.tr("for example https://leren.example.org"))
        self.invite_label.setText(self.tr("In&vite code:"))
        self.user_label.setText(self.tr("&User name:"))
        self.user_edit.setPlaceholderText(self.tr("small letters and digits, e.g. anna.bakker"))
        self.password_label.setText(self.tr("&Password:"))
        self.show_password.setText(self.tr("Show the password"))
        self.ca_label.setText(self.tr("Cer&tificate file:"))
        self.ca_edit.setPlaceholderText(self.tr("only if your trainer gave you one"))
        self.ca_button.setText(self.tr("&Browse…"))
        self.ok_button.setText(self.tr("&Connect"))
        self.cancel_button.setText(self.tr("Cancel"))

    def _choose_ca(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, self.tr("The server's certificate file"), "",
            self.tr("Certificates (*.pem *.crt *.cer);;All files (*)"))
        if path:
            self.ca_edit.setText(path)

    def _show_mode(self) -> None:
        joining = self.join_radio.isChecked()
        self.privacy.setVisible(joining)
        self.invite_edit.setVisible(joining)
        self.invite_label.setVisible(joining)
        self.password_edit.setPlaceholderText(
            self.tr("choose one: at least 8 characters") if joining else "")

    # -- checking and connecting ---------------------------------------------------------------
    def problem(self) -> str:
        """What is missing or wrong in the form, in plain words ('' when it can go)."""
        url = self.hub_edit.text().strip()
        if not url:
            return self.tr("Fill in the server address your trainer gave you.")
        if self.join_radio.isChecked() and not self.invite_edit.text().strip():
            return self.tr("Fill in the invite code your trainer gave you.")
        if not self.user_edit.text().strip():
            return self.tr("Fill in a user name.")
        if not self.password_edit.text():
            return self.tr("Fill in the password.")
        if self.join_radio.isChecked() and len(self.password_edit.text()) < MIN_PASSWORD_LENGTH:
            return self.tr("Choose a password of at least 8 characters.")
        ca = self.ca_edit.text().strip()
        if ca and not Path(ca).is_file():
            return self.tr("The certificate file is not there: %1").replace("%1", ca)
        return ""

    def accept(self) -> None:
        if self.busy:
            return
        show_error(self.error, "")  # a new try: the last one's problem no longer applies
        problem = self.problem()
        if problem:
            show_error(self.error, problem)
            return
        keyring = keyring_problem()
        # Asked once per dialog: a retry after a wrong password keeps the answer given.
        if keyring is not None and not self._allow_file and not self._ask_file_storage():
            show_error(self.error, self.tr("Not connected: there is no safe place for the login on "
                                     "this computer."))
            return
        self._start()

    def _ask_file_storage(self) -> bool:
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("No safe place for the login"),
                          self.tr("This computer has no password safe (keyring) that the app can "
                                  "use. The app can keep your login in its own folder instead. "
                                  "Anyone who can open that folder could then use your login."),
                          QMessageBox.StandardButton.NoButton, self)
        keep = box.addButton(self.tr("Keep it in the app's folder"),
                             QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("Don't connect"), QMessageBox.ButtonRole.RejectRole)
        box.exec()
        self._allow_file = box.clickedButton() is keep
        return self._allow_file

    def _start(self) -> None:
        self._set_busy(True)
        show_error(self.error, "")
        values = dict(
            profile_id=self.ctx.profile_id, profile_name=self.ctx.profile.name,
            hub_url=self.hub_edit.text().strip(), username=self.user_edit.text().strip(),
            password=self.password_edit.text(),
            invite=self.invite_edit.text().strip() if self.join_radio.isChecked() else None,
            ca_file=self.ca_edit.text().strip() or None, allow_file=self._allow_file)

        def work(task: TaskContext) -> Connected:
            return connect(task.services.credentials, **values)

        self.ctx.tasks.run_library(work, on_done=self._done, on_error=self._failed)

    def _done(self, result: Any) -> None:
        self._set_busy(False)
        self.connected = result
        self.password_edit.clear()
        super().accept()

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        show_error(self.error, self.explain(exc))

    def explain(self, exc: BaseException) -> str:
        """An error of the login in words a shopkeeper can act on."""
        if isinstance(exc, HubOffline):
            return self.tr("The server cannot be reached. Check the address and the internet "
                           "connection, and try again.")
        if isinstance(exc, HubAuthError):
            return self.tr("The user name or the password is not right.")
        if isinstance(exc, NoKeyringError):
            return self.tr("There is no safe place for the login on this computer.")
        if isinstance(exc, HubError):  # the hub's reason by its code, never its English
            return explain_hub_error(exc)
        if isinstance(exc, CredentialError):
            return self.tr("Not connected: %1").replace("%1", str(exc))
        return self.tr("Not connected: something unexpected went wrong (%1).").replace(
            "%1", type(exc).__name__)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        for widget in (self.hub_edit, self.invite_edit, self.user_edit, self.password_edit,
                       self.join_radio, self.login_radio, self.ca_edit, self.ca_button,
                       self.ok_button):
            widget.setEnabled(not busy)
        self.ok_button.setText(self.tr("Connecting…") if busy else self.tr("&Connect"))

