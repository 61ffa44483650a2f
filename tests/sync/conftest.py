"""Sync test set-up: a real hub on a loopback port, an in-memory keyring, library PCs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

from companion.hub.settings import HubSettings
from tests.hub.helpers import LiveHub, start_hub
from tests.sync.helpers import Pc


class MemoryKeyring(KeyringBackend):
    """A keyring that keeps secrets in a dict: the happy path without a desktop session."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.secrets.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    """Install an in-memory keyring for one test (the session default is the null backend)."""
    before = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    try:
        yield ring
    finally:
        keyring.set_keyring(before)


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[LiveHub]:
    """A hub (SQLite) served by uvicorn on a free loopback port, with cheap password hashing."""
    settings = HubSettings(data_dir=tmp_path / "hub", argon2_time_cost=1,
                           argon2_memory_kib=1024, argon2_parallelism=1)
    live = start_hub(settings)
    try:
        yield live
    finally:
        live.stop()


@pytest.fixture
def invite(hub: LiveHub) -> str:
    """The invite code of a group "Bakkers" with trainer "tina"."""
    hub.add_trainer("tina")
    return hub.create_group("Bakkers", "tina").invite_code


@pytest.fixture
def make_pc(tmp_path: Path, memory_keyring: MemoryKeyring) -> Iterator:
    """Build library PCs (portable homes with one pack of 3 lessons); closed at the end."""
    pcs: list[Pc] = []

    def build(name: str, profile: str = "Anna") -> Pc:
        pc = Pc.create(tmp_path / name, profile)
        pcs.append(pc)
        return pc

    yield build
    for pc in pcs:
        pc.close()
