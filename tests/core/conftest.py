from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from companion.services import Services, build_services


@pytest.fixture
def services(home: Path) -> Iterator[Services]:
    """The real services on a fresh library in a temporary portable home."""
    svc = build_services(home=home)
    yield svc
    svc.close()


@pytest.fixture
def profile_id(services: Services) -> int:
    return services.profiles.create("Anna", language="nl", motto="Elke dag vers").id
