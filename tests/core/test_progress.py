"""Progress: resume position, done at 90%, quiz scores, all logged for sync."""

from __future__ import annotations

import pytest

from companion.core.changelog import all_changes, count_pending, mark_pushed
from companion.core.errors import LibraryError
from companion.services import Services
from tests.core.fake_library import add_pack

QUIZ = [
    {"question": "Q1", "choices": ["a", "b"], "answer": 0, "explanation": "A is right"},
    {"question": "Q2", "choices": ["a", "b", "c"], "answer": 2, "explanation": ""},
]


def test_position_is_saved_and_resumed(services: Services, profile_id: int) -> None:
    """The saved position comes back, and the lesson shows as in progress."""
    (lesson,) = add_pack(services.db, "pack", 1, duration_s=100)
    services.progress.save_position(profile_id, lesson, 42.5)
    got = services.catalog.lesson(profile_id, lesson)
    assert got.progress.position_s == 42.5
    assert got.state == "in_progress"
    assert services.catalog.continue_lesson(profile_id).id == lesson


def test_done_at_ninety_percent_and_stays_done(services: Services, profile_id: int) -> None:
    """Watching 90% marks the lesson done; seeking back later does not undo it."""
    (lesson,) = add_pack(services.db, "pack", 1, duration_s=100)
    services.progress.save_position(profile_id, lesson, 89)
    assert not services.progress.get(profile_id, lesson).done
    services.progress.save_position(profile_id, lesson, 90)
    assert services.progress.get(profile_id, lesson).done
    services.progress.save_position(profile_id, lesson, 5)
    state = services.progress.get(profile_id, lesson)
    assert state.done and state.position_s == 5


def test_end_of_video_resumes_from_start(services: Services, profile_id: int) -> None:
    """Reaching the end marks done and the next play starts from the beginning."""
    (lesson,) = add_pack(services.db, "pack", 1, duration_s=100)
    services.progress.save_position(profile_id, lesson, 100)
    state = services.progress.get(profile_id, lesson)
    assert state.done and state.position_s == 0


def test_bad_positions_are_refused(services: Services, profile_id: int) -> None:
    """Negative and NaN positions and unknown lessons give clear errors and change nothing."""
    (lesson,) = add_pack(services.db, "pack", 1)
    for bad in (-1.0, float("nan")):
        with pytest.raises(LibraryError, match="position"):
            services.progress.save_position(profile_id, lesson, bad)
    with pytest.raises(LibraryError, match="no lesson"):
        services.progress.save_position(profile_id, "pack/nope", 3)
    assert all_changes(services.db, profile_id) == [
        c for c in all_changes(services.db, profile_id) if c.kind == "profile"
    ]


def test_pending_position_changes_coalesce(services: Services, profile_id: int) -> None:
    """Many position saves before a sync are one pending change carrying the latest state."""
    (lesson,) = add_pack(services.db, "pack", 1, duration_s=100)
    base = count_pending(services.db, profile_id)
    for second in range(5, 60, 5):
        services.progress.save_position(profile_id, lesson, second)
    assert count_pending(services.db, profile_id) == base + 1
    last = [c for c in all_changes(services.db, profile_id) if c.kind == "progress"][-1]
    assert last.payload["position_s"] == 55
    mark_pushed(services.db, [last.change_id])
    services.progress.save_position(profile_id, lesson, 70)
    progress = [c for c in all_changes(services.db, profile_id) if c.kind == "progress"]
    assert len(progress) == 2 and progress[0].pushed_at is not None


def test_quiz_keeps_best_score(services: Services, profile_id: int) -> None:
    """Each attempt is kept; the lesson shows the best score; wrong answer counts are refused."""
    (lesson,) = add_pack(services.db, "pack", 1, quiz=QUIZ)
    first = services.progress.answer_quiz(profile_id, lesson, [0, 2])
    assert (first.score, first.total, first.correct) == (2, 2, [True, True])
    second = services.progress.answer_quiz(profile_id, lesson, [1, 1])
    assert second.score == 0 and second.best_score == 2
    assert services.catalog.lesson(profile_id, lesson).progress.quiz_best == 2
    with pytest.raises(LibraryError, match="2 questions"):
        services.progress.answer_quiz(profile_id, lesson, [0])
    kinds = [c.kind for c in all_changes(services.db, profile_id)]
    assert kinds.count("quiz_attempt") == 2


def test_progress_is_per_profile(services: Services, profile_id: int) -> None:
    """One person's progress does not show for another person on the same PC."""
    (lesson,) = add_pack(services.db, "pack", 1, duration_s=100)
    jan = services.profiles.create("Jan").id
    services.progress.mark_done(profile_id, lesson)
    assert services.catalog.lesson(profile_id, lesson).state == "done"
    assert services.catalog.lesson(jan, lesson).state == "not_started"


def test_fits_in_break_picks_lessons_that_fit(services: Services, profile_id: int) -> None:
    """A 5-minute break gets the lesson in progress plus the next ones that fit, in order."""
    lessons = add_pack(services.db, "pack", 6, duration_s=120)
    services.progress.mark_done(profile_id, lessons[0])
    services.progress.save_position(profile_id, lessons[1], 60)
    picked = [x.id for x in services.catalog.fits_in_break(profile_id, 5)]
    assert picked == [lessons[1], lessons[2], lessons[3]]
    assert services.catalog.fits_in_break(profile_id, 1) == [
        services.catalog.lesson(profile_id, lessons[1])
    ]


def test_pack_summary_counts_done(services: Services, profile_id: int) -> None:
    """A pack's summary counts its lessons, done lessons and total time."""
    lessons = add_pack(services.db, "pack", 3, duration_s=60, title="Sociale media")
    services.progress.mark_done(profile_id, lessons[2])
    (summary,) = services.catalog.packs(profile_id)
    assert (summary.title, summary.lesson_count, summary.done_count) == ("Sociale media", 3, 1)
    assert summary.total_duration_s == 180


def test_resolve_lesson_reference(services: Services) -> None:
    """A lesson is found by full id or by a key unique across packs; ambiguity is explained."""
    add_pack(services.db, "a", 2)
    add_pack(services.db, "b", 1)
    assert services.catalog.resolve("a/les-0001") == "a/les-0001"
    assert services.catalog.resolve("les-0001") == "a/les-0001"
    with pytest.raises(LibraryError, match="several packs"):
        services.catalog.resolve("les-0000")
    with pytest.raises(LibraryError, match="no lesson"):
        services.catalog.resolve("nope")


def test_packs_in_own_language_come_first(services: Services) -> None:
    """A Dutch-speaking profile gets the Dutch pack first in lists and suggestions."""
    add_pack(services.db, "a-english", 2, title="A English pack")
    dutch = add_pack(services.db, "z-dutch", 2, title="Z Nederlands pakket")
    services.db.execute("UPDATE packs SET language = 'en' WHERE id = 'a-english'")
    services.db.execute("UPDATE packs SET language = 'nl-BE' WHERE id = 'z-dutch'")
    anna = services.profiles.create("Anna", language="nl").id
    assert [p.id for p in services.catalog.packs(anna)] == ["z-dutch", "a-english"]
    assert services.catalog.fits_in_break(anna, 3)[0].id == dutch[0]
    john = services.profiles.create("John", language="en").id
    assert [p.id for p in services.catalog.packs(john)] == ["a-english", "z-dutch"]


def test_next_unfinished_keeps_course_order_after_a_lesson(services: Services) -> None:
    """Unfinished lessons come after ``after`` in its own pack first, then every other pack in
    the person's order (own language first); done lessons and ``after`` itself are left out."""
    english = add_pack(services.db, "a-english", 3, title="A English pack")
    dutch = add_pack(services.db, "z-dutch", 4, title="Z Nederlands pakket")
    services.db.execute("UPDATE packs SET language = 'en' WHERE id = 'a-english'")
    services.db.execute("UPDATE packs SET language = 'nl' WHERE id = 'z-dutch'")
    anna = services.profiles.create("Anna", language="nl").id
    services.progress.mark_done(anna, dutch[3])
    services.progress.mark_done(anna, english[1])
    services.progress.save_position(anna, english[0], 10)
    after = services.catalog.lesson(anna, english[0])
    everything = services.catalog.next_unfinished(anna, after=after)
    assert [x.id for x in everything] == [english[2], dutch[0], dutch[1], dutch[2]]
    assert [x.id for x in services.catalog.next_unfinished(anna, after=after, limit=2)] == [
        english[2], dutch[0]]
    assert [x.id for x in services.catalog.next_unfinished(anna, limit=4)] == [
        dutch[0], dutch[1], dutch[2], english[0]]


def test_watched_time_counts_only_what_was_played(services: Services, profile_id: int) -> None:
    """The player reports the seconds played: a jump to the end adds nothing, so it does not
    make the lesson done; playing 90% does. The watched time never passes the length."""
    (lesson,) = add_pack(services.db, "pack", 1, duration_s=100)
    services.progress.save_position(profile_id, lesson, 30, played_s=30)
    state = services.progress.save_position(profile_id, lesson, 100, played_s=0.4)
    assert not state.done and state.watched_s == pytest.approx(30.4)
    change = [c for c in all_changes(services.db, profile_id) if c.kind == "progress"][-1]
    assert change.payload["watched_s"] == pytest.approx(30.4) and not change.payload["done"]
    state = services.progress.save_position(profile_id, lesson, 60, played_s=59.6)
    assert state.done and state.watched_s == 90
    state = services.progress.save_position(profile_id, lesson, 90, played_s=30)
    assert state.watched_s == 100
    with pytest.raises(LibraryError, match="played"):
        services.progress.save_position(profile_id, lesson, 10, played_s=float("nan"))


def test_a_passed_quiz_makes_the_lesson_done(services: Services, profile_id: int) -> None:
    """Half the answers right or more counts as done; fewer does not."""
    lessons = add_pack(services.db, "pack", 2, quiz=QUIZ)
    assert not services.progress.answer_quiz(profile_id, lessons[0], [1, 1]).passed
    assert not services.progress.get(profile_id, lessons[0]).done
    assert services.progress.answer_quiz(profile_id, lessons[1], [0, 1]).passed
    state = services.progress.get(profile_id, lessons[1])
    assert state.done and state.watched_s == 0
    change = [c for c in all_changes(services.db, profile_id) if c.kind == "progress"][-1]
    assert change.payload["done"] and change.payload["quiz_best"] == 1
