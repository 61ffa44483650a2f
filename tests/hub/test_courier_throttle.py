"""``POST /v1/courier`` limits refused bundles per client address, on SQLite and PostgreSQL:
counted in the database before the signature is checked, given back when a bundle is
accepted, answered ``429`` with ``Retry-After``."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import httpx
import pytest
from sqlalchemy import func, insert, select, update

from companion.core import courier_format as cf
from companion.hub import tables as t
from companion.hub.settings import HubSettings
from companion.hub.storage import now
from tests.hub.helpers import Device, LiveHub, change
from tests.hub.test_courier import bundle, count_changes, learner, post, register

LIMIT = 3
GARBAGE = b"CCOURI1\n" + b"\x00" * 200
SCOPE = "courier:127.0.0.1"
__all__ = ["learner"]  # the fixture, shared with test_courier


@pytest.fixture
def hub_settings(hub_settings: HubSettings) -> HubSettings:
    return replace(hub_settings, courier_max_refusals_per_address=LIMIT)


def _counted(hub: LiveHub, scope: str = SCOPE) -> int:
    with hub.storage.read() as conn:
        return int(conn.execute(select(func.count()).select_from(t.auth_failures)
                                .where(t.auth_failures.c.scope == scope)).scalar_one())


def _code(r: httpx.Response) -> tuple[int, str]:
    return r.status_code, r.json()["error"]["code"]


def test_refused_bundles_run_out_then_429_with_retry_after(hub: LiveHub,
                                                          learner: Device) -> None:
    """Refusals of every kind count; past the limit even a good bundle waits, unopened; when
    the window has passed the address may deliver again."""
    keys = register(learner)
    note = [change("note", "n1", {"lesson_id": "pack/l1", "body": "x"})]
    good = bundle(hub, learner, keys, 1, note)
    assert _code(post(hub, GARBAGE)) == (400, "damaged")
    assert _code(post(hub, good[:-30])) == (403, "bad_signature")
    assert _code(post(hub, bundle(hub, learner, keys, 1, note,
                                  to=cf.KeyPair.generate().box_public))) == (409, "foreign_hub")
    assert _counted(hub) == LIMIT
    before = count_changes(hub)
    r = post(hub, good)
    assert _code(r) == (429, "too_many_attempts")
    retry = int(r.headers["Retry-After"])
    assert 1 <= retry <= hub.settings.login_window_s
    assert count_changes(hub) == before and _counted(hub) == LIMIT
    with hub.storage.write() as conn:  # the window passes
        conn.execute(update(t.auth_failures).values(
            at=t.auth_failures.c.at - hub.settings.login_window_s - 1))
    assert post(hub, good).status_code == 200
    assert count_changes(hub) == before + 1


def test_accepted_bundles_do_not_count(hub: LiveHub, learner: Device) -> None:
    """A trainer delivering a full stick is never slowed down by its good bundles."""
    keys = register(learner)
    for seq in range(1, 2 * LIMIT + 2):
        r = post(hub, bundle(hub, learner, keys, seq,
                             [change("progress", "pack/l1", {"position_s": seq})]))
        assert r.status_code == 200, r.text
    assert _counted(hub) == 0
    assert _code(post(hub, bundle(hub, learner, keys, 1, []))) == (409, "replayed")
    assert _counted(hub) == 1


def test_refusals_sent_at_once_all_count(hub: LiveHub) -> None:
    """Twelve bad bundles at once: each is counted before it is looked at, so exactly the
    limit of them are examined and the rest get 429."""
    def send(_: int) -> int:
        with httpx.Client(base_url=hub.url, timeout=30) as c:
            return c.post("/v1/courier", content=GARBAGE).status_code

    with ThreadPoolExecutor(6) as pool:
        codes = sorted(pool.map(send, range(12)))
    assert codes == [400] * LIMIT + [429] * (12 - LIMIT)
    assert _counted(hub) == LIMIT


def test_the_limit_is_per_address_and_apart_from_logins(hub: LiveHub) -> None:
    """Another address's refusals, and this address's failed logins, leave its courier
    budget alone."""
    with hub.storage.write() as conn:
        for scope in ("courier:10.0.0.9", "addr:127.0.0.1"):
            for _ in range(LIMIT + 1):
                conn.execute(insert(t.auth_failures).values(scope=scope, at=now()))
    assert _code(post(hub, GARBAGE)) == (400, "damaged")
    assert _counted(hub) == 1 and _counted(hub, "courier:10.0.0.9") == LIMIT + 1
