"""Home proposes lessons in the person's own language; other languages only when started."""

from __future__ import annotations

from companion.services import Services
from tests.core.fake_library import add_pack


def _two_languages(services: Services) -> tuple[list[str], list[str]]:
    english = add_pack(services.db, "a-english", 3, title="A English pack", duration_s=60)
    dutch = add_pack(services.db, "z-dutch", 3, title="Z Nederlands pakket", duration_s=60)
    services.db.execute("UPDATE packs SET language = 'en' WHERE id = 'a-english'")
    services.db.execute("UPDATE packs SET language = 'nl-BE' WHERE id = 'z-dutch'")
    return english, dutch


def test_break_and_continue_skip_other_languages(services: Services) -> None:
    """A Dutch learner who finished the Dutch pack is not offered the English one."""
    english, dutch = _two_languages(services)
    anna = services.profiles.create("Anna", language="nl").id
    assert [x.id for x in services.catalog.fits_in_break(anna, 10)] == dutch
    for lesson in dutch:
        services.progress.mark_done(anna, lesson)
    assert services.catalog.fits_in_break(anna, 10) == []
    assert services.catalog.continue_lesson(anna) is None
    assert services.catalog.next_unfinished(anna) == []
    john = services.profiles.create("John", language="en").id
    assert [x.id for x in services.catalog.fits_in_break(john, 10)] == english


def test_a_started_pack_in_another_language_is_proposed(services: Services) -> None:
    """Someone who chose to start the English pack gets to continue it."""
    english, dutch = _two_languages(services)
    anna = services.profiles.create("Anna", language="nl").id
    services.progress.save_position(anna, english[0], 10)
    assert services.catalog.continue_lesson(anna).id == english[0]
    picked = [x.id for x in services.catalog.fits_in_break(anna, 10)]
    assert picked[0] == english[0] and set(picked) == {*english, *dutch}


def test_system_language_when_the_profile_has_none(services: Services) -> None:
    """Without a language of its own, the profile learns in the language the UI passes."""
    english, dutch = _two_languages(services)
    nobody = services.profiles.create("Kim").id
    assert [x.id for x in services.catalog.next_unfinished(nobody, language="nl")] == dutch
    assert [x.id for x in services.catalog.next_unfinished(nobody, language="en")] == english
    assert len(services.catalog.next_unfinished(nobody)) == 6  # nothing known: every pack


def test_only_other_languages_installed_are_still_proposed(services: Services) -> None:
    """With not one pack in the person's language, the other languages are all there is."""
    english = add_pack(services.db, "a-english", 2, duration_s=60)
    services.db.execute("UPDATE packs SET language = 'en' WHERE id = 'a-english'")
    anna = services.profiles.create("Anna", language="nl").id
    assert [x.id for x in services.catalog.fits_in_break(anna, 10)] == english
