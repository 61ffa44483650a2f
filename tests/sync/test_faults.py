"""Through a proxy that cuts, stalls and crawls, two PCs still converge: nothing doubled or lost."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import func, select

from companion.core.changelog import all_changes
from companion.hub import tables as t
from companion.sync.client import HubClient, HubError
from tests.hub.helpers import LiveHub
from tests.sync.faulty_proxy import FaultyProxy
from tests.sync.helpers import Pc

WEIGHTS = {"pass": 0.3, "cut_request": 0.2, "cut_response": 0.25, "stall": 0.1, "crawl": 0.15}


def _sync_until_done(pc: Pc, proxy: FaultyProxy, attempts: int = 60) -> int:
    """Retry rounds through the proxy (a fresh connection each time) until one completes."""
    login = pc.store.login(pc.profile_id)
    assert login is not None
    failures = 0
    for _ in range(attempts):
        timeout = httpx.Timeout(1.0, read=0.8)
        with HubClient(proxy.url, pc.store.token(pc.profile_id), timeout=timeout) as client:
            try:
                pc.sync(client, batch_size=7, page_limit=9)
                return failures
            except HubError:
                failures += 1
    raise AssertionError(f"no round completed in {attempts} attempts: {proxy.fates}")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_converge_through_a_faulty_link(hub: LiveHub, invite: str, make_pc, seed: int) -> None:
    """Notes, progress and comments written on two PCs between broken rounds arrive exactly
    once on the hub and identically on both PCs."""
    port = int(hub.url.rsplit(":", 1)[1])
    proxy = FaultyProxy(port, seed, WEIGHTS)
    try:
        shop, home = make_pc(f"shop{seed}"), make_pc(f"home{seed}")
        shop.login(hub.url, "anna", invite)
        home.login(hub.url, "anna")
        failures = 0
        for step in range(6):
            for i, pc in enumerate((shop, home)):
                lesson = pc.lessons[(step + i) % 3]
                note = pc.svc.notes.add(pc.profile_id, lesson, f"note {step}-{i} " + "x" * 300)
                if step % 2:
                    pc.svc.notes.update(pc.profile_id, note.id, f"edited {step}-{i}")
                pc.svc.progress.save_position(pc.profile_id, lesson, 10 * step + i)
                pc.svc.comments.add(pc.profile_id, lesson, f"comment {step}-{i}")
                failures += _sync_until_done(pc, proxy)
        for pc in (shop, home, shop):
            failures += _sync_until_done(pc, proxy)
    finally:
        proxy.close()
    assert shop.snapshot() == home.snapshot()
    assert len(shop.svc.notes.all(shop.profile_id)) == 12
    assert len(shop.comments()) == 12
    assert shop.pending() == home.pending() == 0
    sent = [c.change_id for pc in (shop, home) for c in all_changes(pc.svc.db, pc.profile_id)
            if c.kind != "session"]
    with hub.storage.read() as conn:
        stored = conn.execute(select(t.changes.c.change_id, func.count())
                              .where(t.changes.c.change_id.in_(sent))
                              .group_by(t.changes.c.change_id)).all()
    assert len(stored) == len(sent) and all(n == 1 for _, n in stored)
    assert failures > 0 and sum(proxy.fates.values()) > len(proxy.fates)
