"""Starting the desktop app: one running copy per library, the services, the language and look,
who is learning, then the main window.

A second start (double-clicking a ``.cpack`` while the app runs) finds the running copy through a
local socket named after the library folder and the user, hands over its files and exits; the
running copy comes forward and imports them.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import logging
import os
import signal
import socket
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSocketNotifier, QTimer, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from companion.core.db import open_database
from companion.core.paths import resolve_locations
from companion.core.profiles import Profiles
from companion.services import Services, build_services
from companion.ui.context import AppContext
from companion.ui.courier import StickWatcher
from companion.ui.dialogs.problems import show_uncaught_errors
from companion.ui.i18n import Translations, resolve_language
from companion.ui.main_window import MainWindow
from companion.ui.navigation import Navigator
from companion.ui.redraw import ChangeBus, Redraw
from companion.ui.startup_probe import install as install_startup_probe
from companion.ui.sync_ui import SyncController
from companion.ui.tasks import TaskRunner
from companion.ui.theme import Appearance, app_icon

log = logging.getLogger(__name__)

APP_NAME = "Course companion"
ORGANISATION = "companion"
HANDOVER_TIMEOUT_MS = 2000


# -- one running copy per library ----------------------------------------------------------------

# Qt for Python releases with a crash bug this app cannot work around (a reference to True,
# False and None is lost on every signal emit and every call returning None; the process aborts
# within minutes of playing a video). pyproject.toml excludes them too.
BAD_PYSIDE_VERSIONS = {"6.12.0"}


def known_bad_qt() -> str | None:
    """A plain explanation if the installed PySide6 is known to crash, else None."""
    import PySide6

    if PySide6.__version__ in BAD_PYSIDE_VERSIONS and sys.version_info < (3, 12):
        return (f"PySide6 {PySide6.__version__} crashes on Python 3.11 (a known bug); install "
                "another version: pip install 'PySide6-Essentials!=6.12.0' "
                "'PySide6-Addons!=6.12.0'")
    return None


def instance_name(data_dir: Path, user: str | None = None) -> str:
    """The local socket name of the app running on ``data_dir`` for ``user``."""
    if user is None:
        try:
            user = getpass.getuser()
        except (OSError, KeyError):  # no user name on this system: the home folder will do
            user = str(Path.home())
    key = f"{user}\0{Path(data_dir).expanduser().resolve()}"
    return "companion-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]


class SingleInstance(QObject):
    """``hand_over()`` from a second start; ``listen()`` in the first. ``files_received``
    fires in the first when a second start handed over its files (possibly none)."""

    files_received = Signal(list)

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.server: QLocalServer | None = None
        self._buffers: dict[QLocalSocket, bytes] = {}

    def hand_over(self, files: list[str], timeout_ms: int = HANDOVER_TIMEOUT_MS) -> bool:
        """True when another copy runs and got the files (this one should then exit)."""
        socket = QLocalSocket()
        socket.connectToServer(self.name)
        if not socket.waitForConnected(min(timeout_ms, 500)):
            return False
        message = json.dumps({"files": [str(Path(f).absolute()) for f in files]})
        socket.write((message + "\n").encode("utf-8"))
        socket.flush()
        socket.waitForBytesWritten(timeout_ms)
        if not socket.waitForReadyRead(timeout_ms):
            log.warning("the running copy did not answer; it may be busy")
        socket.disconnectFromServer()
        return True  # never a second copy on the same library, even if the first is slow

    def listen(self) -> bool:
        """Become the running copy. A socket left behind by a crash is cleared first."""
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.name):
            QLocalServer.removeServer(self.name)
            if not server.listen(self.name):
                log.warning("single-instance server failed: %s", server.errorString())
                return False
        server.newConnection.connect(self._accept)
        self.server = server
        return True

    def close(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server = None

    def _accept(self) -> None:
        assert self.server is not None
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            self._buffers[socket] = b""
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(lambda s=socket: self._forget(s))

    def _read(self, socket: QLocalSocket) -> None:
        data = self._buffers.get(socket, b"") + bytes(socket.readAll().data())
        if b"\n" not in data:
            self._buffers[socket] = data
            return
        line, _rest = data.split(b"\n", 1)
        self._buffers[socket] = b""
        try:
            files = [str(f) for f in json.loads(line.decode("utf-8")).get("files", [])]
        except (ValueError, AttributeError, UnicodeDecodeError):
            log.warning("ignored a malformed message from a second start")
            files = []
        socket.write(b"ok\n")
        socket.flush()
        self.files_received.emit(files)

    def _forget(self, socket: QLocalSocket) -> None:
        self._buffers.pop(socket, None)
        socket.deleteLater()


# -- the look of the person who is learning ----------------------------------------------------

class ProfileLook(QObject):
    """Applies the current profile's language and text size, now and after every change to
    the settings or the profile (a switch brings the next person's own)."""

    def __init__(self, ctx: AppContext, appearance: Appearance,
                 translations: Translations) -> None:
        super().__init__(ctx)
        self.ctx = ctx
        self.appearance = appearance
        self.translations = translations
        ctx.bus.changed.connect(self._changed)
        self.apply()

    def _changed(self, changes: Redraw) -> None:
        if changes.settings or changes.profile:
            self.apply()

    def detach(self) -> None:
        self.ctx.bus.changed.disconnect(self._changed)

    def apply(self) -> None:
        profile = self.ctx.profile
        self.translations.apply(resolve_language(profile.language))
        self.appearance.apply_text_scale(
            self.ctx.services.preferences.get_int("text_scale", profile.id))


# -- building the window -------------------------------------------------------------------------

@dataclass
class Shell:
    """The running app's parts, as built by :func:`build_main_window`."""

    window: MainWindow
    ctx: AppContext
    nav: Navigator
    look: ProfileLook
    sync: SyncController

    def close(self) -> None:
        """Close the window, record the end of the session, stop the background work, and
        delete the window with its timers. Call it from outside the window's own events."""
        self.window.close()
        self.look.detach()
        self.ctx.sessions.close_all()
        self.sync.shutdown()
        self.ctx.tasks.shutdown(wait=True)
        # Now, not at a later turn of an event loop: until then its pages still answered a
        # language change or a timer by reading a library that is closed by then.
        self.window.deleteLater()
        QCoreApplication.sendPostedEvents(self.window, QEvent.Type.DeferredDelete)


def build_main_window(
    services: Services, profile_id: int, *, home: str | os.PathLike[str] | None = None,
    appearance: Appearance | None = None, translations: Translations | None = None,
    services_factory: Callable[[], Services] | None = None,
    sync_options: dict[str, Any] | None = None,
) -> Shell:
    """Everything but the event loop: usable from tests. The session of ``profile_id`` starts
    here."""
    app = QApplication.instance()
    assert isinstance(app, QApplication), "create the QApplication first"
    if appearance is None:
        appearance = Appearance(app)
        appearance.apply_scheme()
    translations = translations or Translations()
    factory = services_factory or (lambda: build_services(home))
    tasks = TaskRunner(services_factory=factory)
    bus = ChangeBus()
    services.profiles.switch(profile_id)
    ctx = AppContext(services, tasks, bus, profile_id)
    ctx.sessions.app_opened(profile_id)
    nav = Navigator(ctx)
    look = ProfileLook(ctx, appearance, translations)
    window = MainWindow(ctx, nav)
    appearance.changed.connect(window.retranslate)  # icons are redrawn in the new colours
    database_path = services.locations.database_path
    sync = SyncController(ctx, lambda: open_database(database_path), parent=window,
                          **(sync_options or {}))
    window.attach_sync(sync)
    sync.start()
    courier = StickWatcher(ctx, parent=window)
    window.attach_courier(courier)
    courier.start()
    return Shell(window, ctx, nav, look, sync)


def install_quit_signals(window: QWidget) -> Callable[[], None]:
    """SIGTERM (a shutdown, ``kill``) and SIGINT (Ctrl+C in a terminal) close ``window`` the
    normal way, through the event loop, so the lesson saves its position and notes; before,
    the process died and the last seconds played were lost. Returns a function that puts the
    previous handlers back.

    Python runs a signal handler only when it gets control, and Qt's event loop may keep it
    waiting indefinitely: the signal's wake-up byte goes to a socket that Qt watches."""
    reader, writer = socket.socketpair()
    reader.setblocking(False)
    writer.setblocking(False)
    notifier = QSocketNotifier(reader.fileno(), QSocketNotifier.Type.Read, window)

    def drain() -> None:  # the handler itself has run by now (Python got control)
        try:
            reader.recv(256)
        except OSError:
            pass

    def close_window(_signum: int, _frame: object) -> None:
        QTimer.singleShot(0, window.close)

    notifier.activated.connect(drain)
    previous_fd = signal.set_wakeup_fd(writer.fileno())
    wanted = (signal.SIGTERM, signal.SIGINT)
    previous = {sig: signal.signal(sig, close_window) for sig in wanted}

    def uninstall() -> None:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        signal.set_wakeup_fd(previous_fd)
        notifier.setEnabled(False)
        notifier.deleteLater()
        reader.close()
        writer.close()

    return uninstall


def choose_profile(services: Services, requested: str | None, translations: Translations,
                   on_language: Callable[[str], None]) -> int | None:
    """Who is learning: the welcome on the first run, the picker (with the PIN) on a shared
    PC, else the last person. None when the person closed the window instead."""
    from companion.ui.dialogs.profile_form import ProfileDialog
    from companion.ui.dialogs.profiles import ProfilePickerDialog

    profiles: Profiles = services.profiles
    if not profiles.list():
        welcome = ProfileDialog(services, welcome=True, on_language=on_language)
        if welcome.exec() != QDialog.DialogCode.Accepted or welcome.profile is None:
            return None
        return welcome.profile.id
    chosen = profiles.find(requested) if requested else None
    current = chosen or profiles.current_or_default()
    translations.apply(resolve_language(current.language))
    everyone = profiles.list()
    shared_with_pins = len(everyone) > 1 and any(p.has_pin for p in everyone)
    if not current.has_pin and (chosen is not None or not shared_with_pins):
        return current.id
    while True:
        picker = ProfilePickerDialog(services, current.id, at_start=True)
        result = picker.exec()
        if result == 2:  # "New profile…"
            dialog = ProfileDialog(services, None)
            if dialog.exec() == QDialog.DialogCode.Accepted and dialog.profile is not None:
                return dialog.profile.id
            continue
        return picker.chosen_id if result == QDialog.DialogCode.Accepted else None


def run(home: str | os.PathLike[str] | None = None, profile: str | None = None,
        files: list[Path] | None = None, tray: bool = False) -> int:
    """The desktop app's main: returns the exit status."""
    problem = known_bad_qt()
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 1
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORGANISATION)
    app.setWindowIcon(app_icon())
    wanted = [str(f) for f in files or []]
    instance = SingleInstance(instance_name(resolve_locations(home).data_dir))
    if instance.hand_over(wanted):
        return 0
    instance.listen()
    services = build_services(home)
    appearance = Appearance(app)
    appearance.apply_scheme()
    translations = Translations()
    translations.apply(resolve_language(None))
    profile_id = choose_profile(services, profile, translations,
                                lambda code: translations.apply(resolve_language(code or None)))
    if profile_id is None:
        instance.close()
        services.close()
        return 0
    shell = build_main_window(services, profile_id, home=home, appearance=appearance,
                              translations=translations)
    instance.files_received.connect(shell.window.receive_files)
    # An error nobody caught: in the log already (companion.support.logs), now also a dialog.
    show_uncaught_errors(shell.window, shell.window.menu_actions.problems,
                         services.locations.log_dir)
    install_startup_probe(shell.window.screens.get("home") or shell.window)  # off unless asked
    if not (tray and shell.window.social.tray is not None) or wanted:
        shell.window.show()  # started at login with a tray: only the tray icon shows
    if wanted:
        shell.window.receive_files(wanted)
    restore_signals = install_quit_signals(shell.window)
    try:
        status = app.exec()
    finally:
        restore_signals()
        shell.close()
        instance.close()
        services.close()
    return int(status)
