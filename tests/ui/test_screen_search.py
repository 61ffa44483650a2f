"""Search as you type: lessons and the person's own notes, matches in bold, never HTML."""

from __future__ import annotations

from PySide6.QtCore import Qt

from companion.ui.screens import SearchScreen
from companion.ui.screens.search import note_start_s, run_search
from companion.ui.screens.text import snippet_html
from tests.core.fake_library import add_pack
from tests.ui.screen_fixtures import add_clip_pack, ctx, nav, profile_id, services  # noqa: F401

WAIT_MS = 5000


def _screen(qtbot, ctx, nav) -> SearchScreen:
    screen = SearchScreen(ctx, nav[0])
    qtbot.addWidget(screen)
    screen.resize(1024, 768)
    screen.show()
    return screen


def test_snippets_are_escaped_and_matches_bold() -> None:
    """Only the « » marks become bold; anything that looks like HTML is shown as typed."""
    assert snippet_html("a «<b>x</b>» & <script>") == \
        "a <b>&lt;b&gt;x&lt;/b&gt;</b> &amp; &lt;script&gt;"
    assert snippet_html("half «open") == "half open"


def test_note_hit_opens_at_the_time_of_its_line() -> None:
    """A match on a timestamped line opens the lesson at that time; else the one above."""
    body = "[0:05] eerst\n[1:40] de «bakker» post\nzonder tijd over etalage"
    assert note_start_s(body, "de «bakker» post") == 100.0
    assert note_start_s(body, "over «etalage»") == 100.0
    assert note_start_s("geen tijd hier", "«tijd»") == -1.0


def test_results_come_as_you_type_with_notes(qtbot, ctx, nav, services,
                                             profile_id) -> None:
    """Typing shows lesson hits and the person's own note hits after a short pause, and
    Enter on a note opens its lesson at the note's time."""
    ids = add_pack(services.db, "insta", 5, title="Instagram")
    services.notes.add(profile_id, ids[3], "[2:05] mijn <b>vet</b> idee: taart <script>")
    other = services.profiles.create("Bert").id
    services.notes.add(other, ids[1], "taart van Bert")  # never shown to Anna
    screen = _screen(qtbot, ctx, nav)
    qtbot.keyClicks(screen.field, "taa")
    qtbot.waitUntil(lambda: bool(screen.results()), timeout=WAIT_MS)
    notes = [r for r in screen.results() if r.kind == "note"]
    assert len(notes) == 1 and notes[0].lesson_id == ids[3]
    html = screen.model.html_for(notes[0])
    assert "&lt;b&gt;vet&lt;/b&gt;" in html and "&lt;script&gt;" in html
    assert "<b>taart</b>" in html
    assert screen.status.text().endswith("in your notes: 1")

    screen.view.setFocus()
    row = screen.results().index(notes[0])
    screen.view.setCurrentIndex(screen.model.index(row))
    qtbot.keyClick(screen.view, Qt.Key.Key_Return)
    assert nav[1].lessons == [(ids[3], [], 125.0)]


def test_lessons_are_found_and_stale_answers_dropped(qtbot, ctx, nav,
                                                     services) -> None:
    """Fast typing runs one search for the last text only; Enter opens the first hit;
    clearing the field clears the results."""
    add_pack(services.db, "insta", 30, title="Instagram")
    screen = _screen(qtbot, ctx, nav)
    screen.set_query("")
    qtbot.keyClicks(screen.field, "instagram foto")
    qtbot.waitUntil(lambda: bool(screen.results()), timeout=WAIT_MS)
    assert screen.presenter.searches_run == 1
    qtbot.keyClick(screen.field, Qt.Key.Key_Return)
    assert nav[1].lessons and nav[1].lessons[0][0] == screen.results()[0].lesson_id
    screen.field.clear()
    assert screen.results() == []
    qtbot.keyClicks(screen.field, "zzzqqq")
    qtbot.waitUntil(lambda: "Nothing found" in screen.status.text(), timeout=WAIT_MS)


def test_subtitle_hit_opens_at_its_cue(qtbot, ctx, nav, services, profile_id) -> None:
    """A word spoken in the video opens the lesson where it is said (the cue's start); a
    word of the title opens it where the person was."""
    ids = add_clip_pack(services, "echt", 1)
    services.db.execute("UPDATE lessons SET subtitle_text = ? WHERE id = ?",
                        ["First cue: welcome to the shop Second cue: open Instagram", ids[0]])
    spoken = [r for r in run_search(services, profile_id, "instagram") if r.kind == "lesson"]
    assert [(r.lesson_id, r.start_s) for r in spoken] == [(ids[0], 2.2)]
    titled = [r for r in run_search(services, profile_id, "posten") if r.kind == "lesson"]
    assert [(r.lesson_id, r.start_s) for r in titled] == [(ids[0], -1.0)]

    screen = _screen(qtbot, ctx, nav)
    screen.set_query("instagram")
    qtbot.waitUntil(lambda: bool(screen.results()), timeout=WAIT_MS)
    screen.open_current_or_first()
    assert nav[1].lessons == [(ids[0], [], 2.2)]
