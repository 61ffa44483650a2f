"""All my notes: grouped by pack and lesson, a click opens the lesson, export to Markdown."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from companion.ui.redraw import Redraw
from companion.ui.screens import NotesScreen
from companion.ui.screens.notes import preview
from tests.core.fake_library import add_pack
from tests.ui.screen_fixtures import ctx, nav, profile_id, services  # noqa: F401


def _screen(qtbot, ctx, nav) -> NotesScreen:
    screen = NotesScreen(ctx, nav[0])
    qtbot.addWidget(screen)
    screen.resize(1024, 768)
    screen.show()
    qtbot.waitUntil(lambda: screen.loads >= 1, timeout=5000)
    return screen


def test_notes_grouped_and_open_their_lesson(qtbot, ctx, nav, services,
                                             profile_id) -> None:
    """Packs, then lessons in course order, then the notes; clicking a note opens it."""
    a = add_pack(services.db, "a", 3, title="Bakkerij")
    b = add_pack(services.db, "b", 2, title="Apotheek")
    screen = _screen(qtbot, ctx, nav)
    assert screen.empty.isVisible() and not screen.export_button.isEnabled()
    services.notes.add(profile_id, a[2], "derde les")
    services.notes.add(profile_id, a[0], "[0:10] eerste les\n\ntwee\ndrie\nvier")
    services.notes.add(profile_id, b[1], "apotheek notitie")
    ctx.announce(Redraw(notes=True))
    qtbot.waitUntil(lambda: screen.loads >= 2, timeout=5000)
    title = {x.id: x.title for x in services.catalog.lessons(profile_id)}
    assert [(r.kind, r.text) for r in screen.model.rows] == [
        ("pack", "Apotheek"), ("lesson", title[b[1]]), ("note", "apotheek notitie"),
        ("pack", "Bakkerij"), ("lesson", title[a[0]]), ("note", "[0:10] eerste les\ntwee\ndrie …"),
        ("lesson", title[a[2]]), ("note", "derde les")]
    assert not screen.empty.isVisible() and screen.export_button.isEnabled()
    # A note opens its lesson at the note's time; one without a time where the person was.
    screen.view.clicked.emit(screen.model.index(5))
    screen.view.clicked.emit(screen.model.index(2))
    assert nav[1].lessons == [(a[0], [], 10.0), (b[1], [], -1.0)]
    assert preview("  één\n") == "één"


def test_export_writes_markdown(qtbot, ctx, nav, services, profile_id, tmp_path,
                                monkeypatch) -> None:
    """"Save my notes as a text file…" asks for a file and writes every note as UTF-8 Markdown."""
    ids = add_pack(services.db, "a", 2, title="Bakkerij")
    services.notes.add(profile_id, ids[0], "Één idee: «croissant» & <b>taart</b>")
    target = tmp_path / "mijn notities"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "")))
    screen = _screen(qtbot, ctx, nav)
    qtbot.mouseClick(screen.export_button, Qt.MouseButton.LeftButton)
    written = target.with_suffix(".md")
    qtbot.waitUntil(lambda: screen.last_export == written, timeout=5000)
    text = written.read_text(encoding="utf-8")
    assert text == services.notes.export_markdown(profile_id)
    assert "# Bakkerij" in text and "Één idee: «croissant» & <b>taart</b>" in text
    assert str(written) in screen.status.text()
