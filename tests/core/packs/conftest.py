"""Fixtures for the pack tests: a signing key, an open library, a trusted trainer."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from companion.core.packs.keys import SigningKey
from companion.services import Services, build_services
from tests.core.packs.pack_factory import build, make_key


@pytest.fixture
def key(tmp_path: Path) -> SigningKey:
    """Anna's signing key, written to tmp_path/keys."""
    return make_key(tmp_path / "keys")


@pytest.fixture
def services(home: Path) -> Iterator[Services]:
    """The library services on an empty portable home."""
    s = build_services(home)
    yield s
    s.close()


@pytest.fixture
def library(services: Services, key: SigningKey, tmp_path: Path) -> Services:
    """A library that trusts Anna and already holds one pack, so 'unchanged' means something."""
    services.trust.trust(key.public_key)
    base = build(tmp_path, key, name="base-src", pack_id="base-pack",
                 lessons=[{"id": "welcome", "title": "Welkom", "payload": b"base",
                           "subtitles": "1\n00:00:01,000 --> 00:00:02,000\nHallo\n"}])
    services.packs.import_pack(base)
    return services
