"""The home screen: continue where you left off, what fits in the break, the packs."""

from __future__ import annotations

from PySide6.QtCore import Qt

from companion.ui.redraw import Redraw
from companion.ui.screens import HomeScreen
from tests.core.fake_library import add_pack
from tests.ui.screen_fixtures import ctx, nav, profile_id, services  # noqa: F401


def _screen(qtbot, ctx, nav) -> HomeScreen:
    screen = HomeScreen(ctx, nav[0])
    qtbot.addWidget(screen)
    screen.resize(1024, 768)
    screen.show()
    return screen


def test_empty_library_offers_the_import(qtbot, ctx, nav) -> None:
    """With no pack installed, a calm message, a button that asks the shell for a file and one
    to the downloads page."""
    screen = _screen(qtbot, ctx, nav)
    assert screen.empty_box.isVisible()
    assert not screen.continue_box.isVisible()
    qtbot.mouseClick(screen.import_button, Qt.MouseButton.LeftButton)
    assert nav[1].imports == [[]]
    asked: list[bool] = []
    nav[0].downloads_requested.connect(lambda: asked.append(True))
    qtbot.mouseClick(screen.downloads_button, Qt.MouseButton.LeftButton)
    assert asked == [True]  # or the packs the group offers, over the internet


def test_continue_shows_the_exact_second_and_plays_it(qtbot, ctx, nav, services,
                                                      profile_id) -> None:
    """The last lesson watched comes first, with its pack and "from 1:42"; Play asks for it."""
    ids = add_pack(services.db, "insta", 4, title="Instagram voor je winkel")
    services.progress.save_position(profile_id, ids[2], 102.4)
    screen = _screen(qtbot, ctx, nav)
    assert screen.continue_title.text() == services.catalog.lesson(profile_id, ids[2]).title
    assert "Instagram voor je winkel" in screen.continue_pack.text()
    assert "1:42" in screen.continue_button.text()
    assert screen.continue_bar.value() == round(1000 * 102.4 / 120)
    qtbot.mouseClick(screen.continue_button, Qt.MouseButton.LeftButton)
    assert nav[1].lessons == [(ids[2], [], -1.0)]


def test_fits_in_break_lists_lessons_and_plays_them_all(qtbot, ctx, nav, services,
                                                        profile_id) -> None:
    """Choosing 5 minutes lists what the catalog says fits, remembers it, and Play all sends
    the first lesson with the rest as the playlist."""
    add_pack(services.db, "kort", 6, duration_s=90.0)
    screen = _screen(qtbot, ctx, nav)
    qtbot.mouseClick(screen.break_buttons[5], Qt.MouseButton.LeftButton)
    expected = [x.id for x in services.catalog.fits_in_break(profile_id, 5)]
    assert len(expected) == 3
    assert [x.id for x in screen.presenter.data.fits] == expected
    assert screen.fits_list.count() == 3
    assert services.preferences.get_int("break_minutes", profile_id) == 5
    qtbot.mouseClick(screen.play_all_button, Qt.MouseButton.LeftButton)
    assert nav[1].lessons[-1] == (expected[0], expected[1:], -1.0)

    qtbot.mouseClick(screen.break_buttons[3], Qt.MouseButton.LeftButton)
    assert services.preferences.get_int("break_minutes", profile_id) == 3
    assert len(screen.presenter.data.fits) == 2
    again = _screen(qtbot, ctx, nav)
    assert again.break_buttons[3].isChecked()


def test_packs_show_progress_and_open_the_library(qtbot, ctx, nav, services,
                                                  profile_id) -> None:
    """Each pack says how many lessons are done; a change on the bus redraws the page."""
    ids = add_pack(services.db, "fb", 3, title="Facebook")
    screen = _screen(qtbot, ctx, nav)
    rows = [screen.packs_list.itemAt(i).widget() for i in range(screen.packs_list.count())]
    assert rows[0].done_text == "0 of 3 lessons done"
    services.progress.mark_done(profile_id, ids[0])
    ctx.announce(Redraw(progress=True, lesson_id=ids[0]))
    qtbot.waitUntil(lambda: screen.packs_list.count() == 1 and screen.packs_list.itemAt(0)
                    .widget().done_text == "1 of 3 lessons done", timeout=3000)
    row = screen.packs_list.itemAt(0).widget()
    qtbot.mouseClick(row.open_button, Qt.MouseButton.LeftButton)
    assert nav[1].libraries == ["fb"]


def test_home_proposes_lessons_in_the_system_language(qtbot, ctx, nav, services, profile_id,
                                                      monkeypatch) -> None:
    """A profile without a language of its own follows the system's: on a Dutch system the
    English pack is neither continued nor proposed for the break."""
    import companion.ui.i18n as i18n

    monkeypatch.setattr(i18n, "system_language", lambda locale=None: "nl")
    services.profiles.update(profile_id, language="")
    english = add_pack(services.db, "a-english", 2, duration_s=60.0)
    dutch = add_pack(services.db, "z-dutch", 2, duration_s=60.0)
    services.db.execute("UPDATE packs SET language = 'en' WHERE id = 'a-english'")
    screen = _screen(qtbot, ctx, nav)
    assert screen.presenter.data.continue_lesson.id == dutch[0]
    assert [x.id for x in screen.presenter.data.fits] == dutch
    assert not set(english) & {x.id for x in screen.presenter.choose_break(10)}
