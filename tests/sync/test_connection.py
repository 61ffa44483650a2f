"""One connection state for the sync and the downloads: a download that cannot reach the hub
makes the sync say "Offline" at once, and the sync's retries find the hub again."""

from __future__ import annotations

from companion.sync.engine import OFFLINE, UP_TO_DATE
from companion.sync.state import Connection
from tests.hub.helpers import LiveHub
from tests.sync.test_engine import Statuses, _dead_url, _engine


def test_a_failed_download_contact_makes_the_sync_offline(hub: LiveHub, invite: str,
                                                          make_pc) -> None:
    """Up to date, then the downloads lose the hub: the status turns Offline without waiting
    for the next period, the backoff retries, and the first good round says Up to date."""
    pc = make_pc("pc")
    pc.login(hub.url, "anna", invite)
    statuses, url, connection = Statuses(), {}, Connection()
    engine = _engine(pc, statuses, url, period_s=3600, backoff_initial_s=0.2,
                     jitter=lambda: 1.0, connection=connection)
    engine.start()
    try:
        statuses.wait_for(lambda s: s.phase == UP_TO_DATE)
        assert connection.online is True
        url["url"] = _dead_url()
        mark = len(statuses.seen)
        connection.lost("downloads", "the download of file abc stopped")
        statuses.wait_for(lambda s: s.phase == OFFLINE, after=mark)
        rounds = engine.rounds
        statuses.wait_for(lambda s: s.phase == OFFLINE and engine.rounds > rounds, after=mark)
        url.pop("url")  # the hub is back: a backoff retry finds it
        statuses.wait_for(lambda s: s.phase == UP_TO_DATE, after=mark)
        assert connection.online is True and connection.source == "sync"
    finally:
        engine.stop()


def test_a_download_reaching_the_hub_ends_the_backoff(hub: LiveHub, invite: str,
                                                      make_pc) -> None:
    """Offline with a long backoff: a download that reached the hub makes the sync try now."""
    pc = make_pc("pc")
    pc.login(hub.url, "anna", invite)
    statuses, url, connection = Statuses(), {"url": _dead_url()}, Connection()
    engine = _engine(pc, statuses, url, backoff_initial_s=600.0, connection=connection)
    engine.start()
    try:
        statuses.wait_for(lambda s: s.phase == OFFLINE)
        assert connection.online is False
        url.pop("url")
        connection.reached("downloads")
        statuses.wait_for(lambda s: s.phase == UP_TO_DATE)
    finally:
        engine.stop()
