"""A library "PC" for the sync tests: a portable home, a profile, and the real sync calls."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

import companion.core.db as core_db
from companion.core.db import device_id
from companion.services import Services, build_services
from companion.sync.client import HubClient
from companion.sync.credentials import CredentialStore
from companion.sync.rounds import RoundResult, sync_round
from tests.core.fake_library import add_pack
from tests.hub.helpers import PASSWORD


@dataclass
class Pc:
    home: Path
    svc: Services
    profile_id: int
    lessons: list[str]
    transport: httpx.BaseTransport | None = None
    clients: list[HubClient] = field(default_factory=list)

    @classmethod
    def create(cls, home: Path, profile: str = "Anna") -> Pc:
        svc = build_services(home=home)
        lessons = add_pack(svc.db, "pack", 3, duration_s=100)
        return cls(home, svc, svc.profiles.ensure(profile).id, lessons)

    @property
    def store(self) -> CredentialStore:
        return self.svc.credentials

    def login(self, hub_url: str, username: str, invite: str | None = None) -> int:
        """Join (with an invite) or log in, and keep the login like `companion login` does."""
        with HubClient(hub_url) as client:
            dev = device_id(self.svc.db)
            info = (client.join(invite, username, PASSWORD, dev) if invite
                    else client.login(username, PASSWORD, dev))
        self.store.save(self.profile_id, hub_url=hub_url, username=username,
                        account_id=info.account_id, token=info.token)
        return info.account_id

    def client(self, url: str | None = None, **kwargs: Any) -> HubClient:
        login = self.store.login(self.profile_id)
        assert login is not None
        client = HubClient(url or login.hub_url, self.store.token(self.profile_id),
                           transport=kwargs.pop("transport", self.transport), **kwargs)
        self.clients.append(client)
        return client

    def sync(self, client: HubClient | None = None, **kwargs: Any) -> RoundResult:
        login = self.store.login(self.profile_id)
        assert login is not None
        return sync_round(self.svc.db, self.profile_id, client or self.client(),
                          login.account_id, **kwargs)

    def snapshot(self) -> dict[str, Any]:
        """Everything that must end the same on every PC of a person (ids and values)."""
        db = self.svc.db
        return {
            "notes": db.execute(
                "SELECT id, lesson_id, body, deleted FROM notes WHERE profile_id = ? ORDER BY id",
                [self.profile_id]).fetchall(),
            "progress": db.execute(
                "SELECT lesson_id, position_s, watched_s, done, quiz_best, quiz_total"
                " FROM progress WHERE profile_id = ? ORDER BY lesson_id",
                [self.profile_id]).fetchall(),
            "comments": self.comments(),
        }

    def comments(self) -> list[tuple[Any, ...]]:
        """The discussion as every member sees it: hub order, body, reply, tombstone."""
        return self.svc.db.execute(
            "SELECT id, lesson_id, body, reply_to, deleted FROM comments WHERE profile_id = ?"
            " ORDER BY server_seq, id", [self.profile_id]).fetchall()

    def pending(self) -> int:
        from companion.core.changelog import count_pending

        return count_pending(self.svc.db, self.profile_id)

    def close(self) -> None:
        for c in self.clients:
            c.close()
        self.svc.close()


@contextmanager
def clock_offset(monkeypatch: pytest.MonkeyPatch, offset: timedelta) -> Iterator[None]:
    """Run with the core's wall clock (``companion.core.db.now_local``) off by ``offset``."""

    class SkewedDatetime(datetime):
        @classmethod
        def now(cls, tz: Any = None) -> SkewedDatetime:  # type: ignore[override]
            return super().now(tz) + offset

    with monkeypatch.context() as m:
        m.setattr(core_db, "datetime", SkewedDatetime)
        yield
