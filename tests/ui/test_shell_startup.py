"""Starting the app: who is learning (welcome, picker with PIN) and one running copy."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from companion.services import build_services
from companion.ui.dialogs.profile_form import ProfileDialog
from companion.ui.dialogs.profiles import ProfilePickerDialog
from companion.ui.i18n import Translations
from companion.ui.main import SingleInstance, choose_profile, instance_name
from tests.ui.shell_fixtures import *  # noqa: F403
from tests.ui.shell_fixtures import WAIT_MS

REPO = Path(__file__).resolve().parents[2]


def _answer_modal(answer) -> None:
    """Answer the dialog that exec() is about to show, from inside its event loop."""
    def attempt() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(10, attempt)
            return
        answer(dialog)
    QTimer.singleShot(0, attempt)


def test_first_start_shows_the_welcome(qapp, home: Path, look) -> None:
    """With no profile yet, the welcome asks who you are and creates the profile."""
    services = build_services(home)

    def fill(dialog) -> None:
        assert isinstance(dialog, ProfileDialog) and dialog.objectName() == "welcomeDialog"
        dialog.form.name_edit.setText("Fatima")
        dialog.ok_button.click()

    _answer_modal(fill)
    chosen = choose_profile(services, None, look.translations, lambda _code: None)
    assert chosen == services.profiles.by_name("Fatima").id
    services.close()


def test_shared_pc_with_a_pin_asks_who_is_learning(qapp, home: Path, look) -> None:
    """Several profiles and a PIN: the picker comes first and wants the right PIN."""
    services = build_services(home)
    services.profiles.create("Anna", language="en")
    bert = services.profiles.create("Bert", language="en")
    services.profiles.set_pin(bert.id, "1357")

    def pick(dialog) -> None:
        assert isinstance(dialog, ProfilePickerDialog)
        dialog.select(bert.id)
        dialog.pin_edit.setText("1357")
        dialog.ok_button.click()

    _answer_modal(pick)
    assert choose_profile(services, None, look.translations, lambda _c: None) == bert.id
    services.close()


def test_single_profile_without_pin_starts_straight_away(home: Path, look) -> None:
    """One person without a PIN: no question at all."""
    services = build_services(home)
    anna = services.profiles.create("Anna")
    assert choose_profile(services, None, Translations(), lambda _c: None) == anna.id
    services.close()


def test_instance_name_depends_on_library_and_user(tmp_path: Path) -> None:
    """Two libraries, or two users, never share a running copy."""
    a = instance_name(tmp_path / "a" / "data", "anna")
    assert a == instance_name(tmp_path / "a" / "data", "anna")
    assert a != instance_name(tmp_path / "b" / "data", "anna")
    assert a != instance_name(tmp_path / "a" / "data", "bert")


def test_second_start_hands_its_pack_to_the_running_app(qapp, qtbot, home: Path,
                                                        tmp_path: Path) -> None:
    """Starting the app again with a .cpack: the running one receives it, the second exits 0."""
    from companion.core.paths import resolve_locations

    running = SingleInstance(instance_name(resolve_locations(home).data_dir))
    assert running.listen()
    received: list[list[str]] = []
    running.files_received.connect(received.append)
    pack = tmp_path / "les.cpack"
    pack.write_bytes(b"x")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO))
    code = ("import sys\nfrom companion.ui.main import run\n"
            f"sys.exit(run(home={str(home)!r}, files=[{str(pack)!r}]))\n")
    second = subprocess.Popen([sys.executable, "-c", code], env=env, cwd=REPO)
    try:
        qtbot.waitUntil(lambda: bool(received), timeout=WAIT_MS)
        assert received == [[str(pack)]]
        assert second.wait(WAIT_MS / 1000) == 0
    finally:
        if second.poll() is None:
            second.kill()
        running.close()


def test_a_stale_socket_does_not_block_the_start(qapp, tmp_path: Path) -> None:
    """A name left by a crashed copy is taken over; no one answers, so no hand-over."""
    name = instance_name(tmp_path, "crash-test")
    crashed = SingleInstance(name)
    assert crashed.listen()
    crashed.close()
    fresh = SingleInstance(name)
    assert not fresh.hand_over([])
    assert fresh.listen()
    fresh.close()
