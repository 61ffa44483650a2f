"""Importing packs from the window: menu, drag and drop, the trust question, errors, cancel."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from companion.ui.dialogs.import_dialog import ImportDialog
from companion.ui.dialogs.import_flow import Problem, problem_kind
from companion.ui.main import Shell
from companion.ui.redraw import Redraw
from tests.ui.shell_fixtures import *  # noqa: F403
from tests.ui.shell_fixtures import WAIT_MS, build_cpack


def _dialog(shell: Shell) -> ImportDialog:
    dialog = shell.window._import_dialog
    assert isinstance(dialog, ImportDialog)
    return dialog


def _announced(shell: Shell) -> list[Redraw]:
    seen: list[Redraw] = []
    shell.ctx.bus.changed.connect(seen.append)
    return seen


def test_unknown_signer_is_asked_and_trusted(shell: Shell, qtbot, tmp_path: Path) -> None:
    """A pack from an unknown trainer asks with name and fingerprint; trusting imports it."""
    pack = build_cpack(tmp_path, signer="trainer-tine")
    changes = _announced(shell)
    shell.nav.import_packs([str(pack.path)])
    dialog = _dialog(shell)
    qtbot.waitUntil(lambda: dialog.pages.currentWidget() is dialog.trust_page, timeout=WAIT_MS)
    assert "trainer-tine" in dialog.trust_title.text()
    assert dialog.fingerprint.text().replace(" ", "") == pack.fingerprint[:16]
    qtbot.mouseClick(dialog.trust_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.pages.currentWidget() is dialog.done_page, timeout=WAIT_MS)
    assert "Kleine proef" in dialog.done_text.text()
    assert shell.ctx.services.trust.is_trusted(pack.fingerprint)
    assert [p.id for p in shell.ctx.services.catalog.packs(shell.ctx.profile_id)] == [
        "kleine-proef", "sociale-media"]
    assert any(c.packs for c in changes)
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()


def test_import_once_does_not_trust_the_key(shell: Shell, qtbot, tmp_path: Path) -> None:
    """"Only this pack" imports without adding the trainer's key to the trusted keys."""
    pack = build_cpack(tmp_path)
    shell.nav.import_packs([str(pack.path)])
    dialog = _dialog(shell)
    qtbot.waitUntil(lambda: dialog.pages.currentWidget() is dialog.trust_page, timeout=WAIT_MS)
    dialog.once_button.click()
    qtbot.waitUntil(lambda: dialog.pages.currentWidget() is dialog.done_page, timeout=WAIT_MS)
    assert not shell.ctx.services.trust.is_trusted(pack.fingerprint)
    assert "kleine-proef" in {p.id for p in shell.ctx.services.catalog.packs(1)}


def test_unsigned_pack_asks_and_can_be_refused(shell: Shell, qtbot, tmp_path: Path) -> None:
    """An unsigned pack gets a plain warning; "Don't import" leaves the library as it was."""
    pack = build_cpack(tmp_path, signed=False)
    shell.nav.import_packs([str(pack.path)])
    dialog = _dialog(shell)
    qtbot.waitUntil(lambda: dialog.pages.currentWidget() is dialog.trust_page, timeout=WAIT_MS)
    assert not dialog.trust_button.isVisible()
    assert dialog.fingerprint.text() == ""
    dialog.skip_button.click()
    qtbot.waitUntil(lambda: dialog.pages.currentWidget() is dialog.done_page, timeout=WAIT_MS)
    assert {p.id for p in shell.ctx.services.catalog.packs(1)} == {"sociale-media"}


def test_damaged_file_is_explained_with_details(shell: Shell, qtbot, tmp_path: Path) -> None:
    """A file that is not a pack gets a plain sentence; the technical text is folded away."""
    bad = tmp_path / "kapot.cpack"
    bad.write_bytes(b"this is not a zip file at all")
    shell.nav.import_packs([str(bad)])
    dialog = _dialog(shell)
    qtbot.waitUntil(lambda: dialog.pages.currentWidget() is dialog.done_page, timeout=WAIT_MS)
    assert "damaged or is not a lesson pack" in dialog.done_text.text()
    assert not dialog.details.text.isVisible()
    dialog.details.toggle.click()
    assert "PackFormatError" in dialog.details.text.toPlainText()


def test_cancel_leaves_the_library_unchanged(shell: Shell, qtbot, tmp_path: Path) -> None:
    """Cancel while the import waits or runs: nothing is installed and the dialog says so."""
    pack = build_cpack(tmp_path, extra_bytes=3 * 1024 * 1024)
    shell.ctx.services.trust.trust(_public_key(pack.path))
    gate = threading.Event()
    shell.ctx.tasks.run_library(lambda _ctx: gate.wait(10))  # hold the lane
    shell.nav.import_packs([str(pack.path)])
    dialog = _dialog(shell)
    assert dialog.pages.currentWidget() is dialog.busy_page
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    gate.set()
    qtbot.waitUntil(lambda: dialog.pages.currentWidget() is dialog.done_page, timeout=WAIT_MS)
    assert "stopped" in dialog.done_text.text()
    assert {p.id for p in shell.ctx.services.catalog.packs(1)} == {"sociale-media"}


def test_dropping_a_pack_on_the_window_imports_it(shell: Shell, qtbot, tmp_path: Path) -> None:
    """A .cpack dropped on the window opens the import; other files are not accepted."""
    pack = build_cpack(tmp_path)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(pack.path)),
                  QUrl.fromLocalFile(str(tmp_path / "photo.jpg"))])
    event = QDropEvent(QPointF(50, 50), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    shell.window.dropEvent(event)
    dialog = _dialog(shell)
    qtbot.waitUntil(lambda: dialog.pages.currentWidget() is dialog.trust_page, timeout=WAIT_MS)
    assert dialog.flow.count == 1


def test_common_errors_have_their_own_kind(tmp_path: Path) -> None:
    """The error kinds that get their own sentence are told apart."""
    from companion.core.errors import PackError, PackFormatError, StorageError
    from companion.core.packs.models import ImportCancelled

    assert problem_kind(ImportCancelled("x")) is Problem.CANCELLED
    assert problem_kind(PackFormatError("x")) is Problem.DAMAGED
    assert problem_kind(StorageError("full")) is Problem.DISK
    assert problem_kind(PackError("x"), tmp_path / "gone.cpack") is Problem.NOT_FOUND
    assert problem_kind(PackError("x"), tmp_path) is Problem.EMPTY_FOLDER
    assert problem_kind(RuntimeError("x")) is Problem.OTHER


def test_busy_is_told_by_its_reason_not_its_words() -> None:
    """The library's "busy" refusal is BUSY whatever its message says; the same words without
    the reason are not."""
    from companion.core.errors import LibraryError, Reason

    assert problem_kind(LibraryError("reworded", Reason.PACKS_BUSY)) is Problem.BUSY
    assert problem_kind(LibraryError("another pack import is running")) is Problem.OTHER
    assert problem_kind(LibraryError("x", Reason.COMMENT_EMPTY)) is Problem.OTHER


def _public_key(path: Path):
    from companion.core.packs.keys import PublicKey
    from companion.core.packs.reader import open_pack

    with open_pack(path) as reader:
        signer = reader.check_trust(lambda _f: True)
    return PublicKey(signer.name, signer.public_key)
