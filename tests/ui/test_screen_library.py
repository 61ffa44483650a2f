"""The library: packs and lessons with their state, thumbnails made from the video."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap

from companion.ui.screens import LibraryScreen
from companion.ui.screens.library import Role
from tests.core.fake_library import add_pack
from tests.ui.screen_fixtures import (  # noqa: F401
    QUIZ,
    WAIT_MS,
    add_clip_pack,
    ctx,
    nav,
    profile_id,
    services,
)


def _screen(qtbot, ctx, nav) -> LibraryScreen:
    screen = LibraryScreen(ctx, nav[0])
    qtbot.addWidget(screen)
    screen.resize(1024, 768)
    screen.show()
    return screen


def test_lessons_show_a_clear_state(qtbot, ctx, nav, services, profile_id) -> None:
    """Not started, in progress with how far, done with a tick, and the quiz score."""
    ids = add_pack(services.db, "insta", 4, title="Instagram", quiz=QUIZ)
    services.progress.save_position(profile_id, ids[1], 60.0)
    services.progress.mark_done(profile_id, ids[2])
    services.progress.answer_quiz(profile_id, ids[2], [0, 0])
    screen = _screen(qtbot, ctx, nav)
    model = screen.model
    assert model.rowCount() == 5  # the pack header and its four lessons
    assert model.index(0).data(Role.KIND) == "pack"
    assert model.index(0).data(Role.STATE) == "1 of 4 lessons done"
    states = [model.index(i).data(Role.STATE) for i in range(1, 5)]
    assert states[0] == "2:00  ·  Not started"
    assert states[1] == "2:00  ·  In progress: 50% (at 1:00)"
    assert states[2] == "2:00  ·  ✓ Done  ·  Quiz: 1 of 2 right"
    assert "Not started" in states[3]
    accessible = model.index(2).data(Qt.ItemDataRole.AccessibleTextRole)
    assert "In progress" in accessible and screen.model.rows[2].lesson.title in accessible


def test_enter_and_play_open_the_chosen_lesson(qtbot, ctx, nav, services) -> None:
    """Enter on a lesson (or the Play button) asks the Navigator for it; a header does not."""
    add_pack(services.db, "a", 2, title="A")
    ids = add_pack(services.db, "b", 3, title="B")
    screen = _screen(qtbot, ctx, nav)
    screen.show_pack("b")
    assert screen.current_lesson().id == ids[0]
    screen.view.setCurrentIndex(screen.model.index(screen.model.row_of(ids[1])))
    screen.view.setFocus()
    qtbot.keyClick(screen.view, Qt.Key.Key_Return)
    assert nav[1].lessons == [(ids[1], [], -1.0)]
    qtbot.mouseClick(screen.play_button, Qt.MouseButton.LeftButton)
    assert nav[1].lessons[-1] == (ids[1], [], -1.0)
    screen.view.activated.emit(screen.model.index(0))  # the header of pack "a"
    assert len(nav[1].lessons) == 2


def test_thumbnail_is_made_from_the_video_and_cached(qtbot, ctx, nav,
                                                     services) -> None:
    """A visible lesson gets a frame of its video as a PNG under thumbnails_dir; a placeholder
    is painted until then, and a second screen reads the cached file."""
    ids = add_clip_pack(services, "echt", 2)
    sha = services.catalog.lesson(1, ids[0]).video_sha256
    png = services.locations.thumbnails_dir / f"{sha}.png"
    screen = _screen(qtbot, ctx, nav)
    index = screen.model.index(screen.model.row_of(ids[0]))
    screen.view.viewport().repaint()
    qtbot.waitUntil(lambda: isinstance(index.data(Role.THUMBNAIL), QPixmap), timeout=WAIT_MS)
    assert png.is_file()
    pixmap = index.data(Role.THUMBNAIL)
    assert 0 < pixmap.width() <= 320 and not pixmap.isNull()
    image = pixmap.toImage()
    assert image.pixelColor(image.width() // 2, image.height() // 2).isValid()

    second = _screen(qtbot, ctx, nav)
    row = second.model.index(second.model.row_of(ids[0]))
    second.view.viewport().repaint()
    qtbot.waitUntil(lambda: isinstance(row.data(Role.THUMBNAIL), QPixmap), timeout=WAIT_MS)
    assert not second.thumbnails._grabbers  # read from disk, not decoded again


def test_two_thousand_lessons_stay_fast(qtbot, ctx, nav, services) -> None:
    """Model/view: 2,000 lessons load and paint well under a second."""
    for i in range(4):
        add_pack(services.db, f"p{i}", 500)
    start = time.perf_counter()
    screen = _screen(qtbot, ctx, nav)
    screen.view.viewport().repaint()
    elapsed = time.perf_counter() - start
    assert screen.model.rowCount() == 2004
    assert elapsed < 1.0, elapsed


def test_packs_in_other_languages_only_when_asked(qtbot, ctx, nav, services) -> None:
    """A Dutch learner's library lists the Dutch pack; the English one appears after ticking
    "every language", or when it is asked for by name."""
    add_pack(services.db, "a-english", 2)
    add_pack(services.db, "z-dutch", 2)
    services.db.execute("UPDATE packs SET language = 'en' WHERE id = 'a-english'")
    screen = _screen(qtbot, ctx, nav)
    assert {r.pack.id for r in screen.model.rows} == {"z-dutch"}
    assert screen.all_languages.isVisible()
    screen.all_languages.setChecked(True)
    assert {r.pack.id for r in screen.model.rows} == {"z-dutch", "a-english"}
    screen.all_languages.setChecked(False)
    screen.show_pack("a-english")
    assert screen.all_languages.isChecked()
    assert screen.current_lesson().pack_id == "a-english"
