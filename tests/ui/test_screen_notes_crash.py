"""Notes survive the app process being killed right after typing (a subprocess test)."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from companion.services import build_services
from tests.ui.screen_fixtures import add_clip_pack

CHILD = textwrap.dedent("""
    import os, signal, sys, time
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    home, lesson_id, text = sys.argv[1:4]
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication
    from companion.services import build_services
    from companion.ui.redraw import ChangeBus
    from companion.ui.context import AppContext
    from companion.ui.navigation import Navigator
    from companion.ui.screens import LessonScreen
    from companion.ui.screens.lesson.notes_editor import SAVE_DEBOUNCE_MS
    from companion.ui.tasks import TaskRunner

    app = QApplication([])
    services = build_services(home)
    ctx = AppContext(services, TaskRunner(lambda: build_services(home)), ChangeBus(),
                     services.profiles.current_or_default().id)
    screen = LessonScreen(ctx, Navigator())
    screen.resize(1024, 768)
    screen.show()
    screen.open_lesson(lesson_id, [], -1.0)
    screen.notes_edit.setFocus()
    QTest.keyClicks(screen.notes_edit, text)
    deadline = time.monotonic() + (SAVE_DEBOUNCE_MS + 200) / 1000  # just past the pause
    while time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.005)
    print("typed", screen.notes_edit.toPlainText(), flush=True)
    os.kill(os.getpid(), signal.SIGKILL)  # no close, no flush, no goodbye
    os._exit(3)
""")


def test_notes_survive_a_kill_right_after_typing(home: Path) -> None:
    """A child app types a note and is killed just past the save pause; the note is there."""
    services = build_services(home=home)
    profile = services.profiles.current_or_default().id
    lesson_id = add_clip_pack(services, "echt", 1)[0]
    services.close()
    text = "Klanten vragen naar glutenvrij [0:03]"
    child = subprocess.run([sys.executable, "-c", CHILD, str(home), lesson_id, text],
                           capture_output=True, text=True, timeout=60)
    assert child.returncode == -signal.SIGKILL, child.stderr
    assert f"typed {text}" in child.stdout

    reopened = build_services(home=home)
    try:
        notes = reopened.notes.for_lesson(profile, lesson_id)
        assert [n.body for n in notes] == [text]
    finally:
        reopened.close()
