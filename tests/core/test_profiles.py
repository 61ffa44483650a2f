"""Profiles: several people on one PC, each with their own data."""

from __future__ import annotations

import pytest

from companion.core.changelog import all_changes
from companion.core.errors import ProfileError
from companion.services import Services


def test_create_and_find_profiles(services: Services) -> None:
    """A created profile is found by name regardless of case and extra spaces."""
    anna = services.profiles.create("Anna  Peeters", language="nl", motto="Vers is beter")
    assert services.profiles.find("anna peeters") == anna
    assert anna.motto == "Vers is beter"
    assert [p.name for p in services.profiles.list()] == ["Anna Peeters"]


def test_duplicate_and_empty_names_are_refused(services: Services) -> None:
    """Two profiles cannot share a name, and a blank name is refused."""
    services.profiles.create("Jan")
    with pytest.raises(ProfileError, match="already exists"):
        services.profiles.create("JAN")
    with pytest.raises(ProfileError, match="needs a name"):
        services.profiles.create("   ")
    with pytest.raises(ProfileError, match="at most"):
        services.profiles.create("x" * 61)


def test_current_profile_defaults_and_switches(services: Services) -> None:
    """Without profiles a default one is made; switching is remembered."""
    default = services.profiles.current_or_default()
    assert default.name == "default"
    jan = services.profiles.create("Jan")
    services.profiles.switch(jan.id)
    assert services.profiles.current_or_default().id == jan.id


def test_pin_guards_a_profile(services: Services) -> None:
    """A PIN is checked; a profile without PIN opens with anything; bad PINs are refused."""
    anna = services.profiles.create("Anna")
    assert services.profiles.check_pin(anna.id, "")
    services.profiles.set_pin(anna.id, "1234")
    assert services.profiles.get(anna.id).has_pin
    assert services.profiles.check_pin(anna.id, "1234")
    assert not services.profiles.check_pin(anna.id, "4321")
    with pytest.raises(ProfileError, match="4 to 8 digits"):
        services.profiles.set_pin(anna.id, "12a4")
    services.profiles.set_pin(anna.id, None)
    assert services.profiles.check_pin(anna.id, "")


def test_public_profile_edits_go_to_the_change_log(services: Services) -> None:
    """Name, motto and photo edits are logged for sync; the language stays local."""
    anna = services.profiles.create("Anna")
    services.profiles.update(anna.id, motto="Bloemen maken blij", language="en")
    services.profiles.update(anna.id, language="nl")
    changes = [c for c in all_changes(services.db, anna.id) if c.kind == "profile"]
    # Creating sends only what was filled in: an empty motto from a new PC wipes nothing.
    assert [c.payload for c in changes] == [{"name": "Anna"}, {"motto": "Bloemen maken blij"}]
    assert all(c.entity_id == anna.uid for c in changes)


def test_delete_profile_removes_its_data_only(services: Services) -> None:
    """Deleting one profile removes its notes and changes, not another profile's."""
    anna = services.profiles.create("Anna")
    jan = services.profiles.create("Jan")
    services.notes.add(anna.id, "p/l", "mijn notitie")
    services.notes.add(jan.id, "p/l", "notitie van Jan")
    services.profiles.delete(anna.id)
    assert services.notes.all(jan.id)[0].body == "notitie van Jan"
    assert all_changes(services.db, anna.id) == []
    with pytest.raises(ProfileError):
        services.profiles.get(anna.id)
