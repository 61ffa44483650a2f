"""Two hub processes on one PostgreSQL database, PCs syncing through both at the same time.

The hub keeps no state between requests, so several processes can serve one PostgreSQL behind
a load balancer. Anna's two PCs and Bart (in the same group) write notes, progress and comments
and sync concurrently, each round through another process (as a load balancer would send
them); they end with identical data, and the hub's merged state is that data.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from threading import Barrier

import pytest
from sqlalchemy import func, select

from companion.core.changelog import all_changes
from companion.hub import tables as t
from companion.hub.storage import Storage
from companion.sync.client import HubClient
from tests.hub.conftest import database_url, postgres_base_url, postgres_schema  # noqa: F401
from tests.sync.helpers import Pc
from tests.sync.hub_process import HubProcess, hub_settings, prepare_hub

pytestmark = pytest.mark.skipif(postgres_base_url() is None,
                                reason="needs COMPANION_TEST_POSTGRES_URL")

ROUNDS = 5


@pytest.fixture
def two_hubs(tmp_path: Path, database_url: str | None
             ) -> Iterator[tuple[list[HubProcess], str, Storage]]:
    """Two ``companion hub serve`` processes (own ports, own data folders) on one PostgreSQL
    schema; their processes, the group's invite code and a reader of the database."""
    if database_url is None:
        pytest.skip("PostgreSQL only")
    invite = prepare_hub(tmp_path / "hub0", database_url)
    hubs = [HubProcess(tmp_path / f"hub{i}", database_url, tmp_path / f"hub{i}.log")
            for i in range(2)]
    storage = Storage(hub_settings(tmp_path / "hub0", database_url))
    try:
        for hub in hubs:
            hub.start()
        assert hubs[0].port != hubs[1].port
        yield hubs, invite, storage
    finally:
        for hub in hubs:
            hub.stop()
        storage.close()


def sync_through(pc: Pc, url: str) -> None:
    with HubClient(url, pc.store.token(pc.profile_id)) as client:
        pc.sync(client, batch_size=7, page_limit=11)  # several requests per round


def write_round(pc: Pc, who: str, r: int, shared_note: str) -> None:
    """One round of someone's work: new notes, an edit of a note both of Anna's PCs edit,
    progress on a lesson both of Anna's PCs watch, comments and replies to the others', an
    edit and a delete of an own comment."""
    lesson = pc.lessons[r % 3]
    for k in range(4):
        pc.svc.notes.add(pc.profile_id, lesson, f"{who} round {r} note {k}")
    if shared_note:
        pc.svc.notes.update(pc.profile_id, shared_note, f"shared, edited by {who} in round {r}")
    pc.svc.progress.save_position(pc.profile_id, lesson, 10.0 * r + len(who))
    if r == 2 and who == "home":
        pc.svc.progress.mark_done(pc.profile_id, pc.lessons[0])
    for k in range(3):
        pc.svc.comments.add(pc.profile_id, lesson, f"{who} round {r} comment {k}")
    others = [c for c in pc.svc.comments.for_lesson(pc.profile_id, lesson)
              if not c.is_own and not c.deleted]
    if others:
        pc.svc.comments.add(pc.profile_id, lesson, f"{who} answers in round {r}",
                            reply_to=others[-1].id)
    own = [c for c in pc.svc.comments.for_lesson(pc.profile_id, lesson)
           if c.is_own and not c.deleted]
    pc.svc.comments.edit(pc.profile_id, own[0].id, own[0].body + " (edited)")
    if r % 2:
        pc.svc.comments.delete(pc.profile_id, own[-1].id)


def test_two_hub_processes_three_pcs_converge(two_hubs, make_pc) -> None:
    hubs, invite, storage = two_hubs
    urls = [h.url for h in hubs]
    shop, home, bart = make_pc("shop"), make_pc("home"), make_pc("bart", profile="Bart")
    shop.login(urls[0], "anna", invite)
    home.login(urls[1], "anna")
    bart.login(urls[1], "bart", invite)
    shared = shop.svc.notes.add(shop.profile_id, shop.lessons[0], "shared note").id
    sync_through(shop, urls[0])
    sync_through(home, urls[1])
    pcs = {"shop": shop, "home": home, "bart": bart}
    barrier = Barrier(len(pcs))

    def work(who: str, r: int) -> None:
        pc = pcs[who]
        barrier.wait(10)  # all three write and sync at the same time
        write_round(pc, who, r, shared if who != "bart" else "")
        sync_through(pc, urls[(list(pcs).index(who) + r) % 2])
        barrier.wait(10)
        write_round(pc, who, r + ROUNDS, "")  # and once more, while the others still push
        sync_through(pc, urls[(list(pcs).index(who) + r + 1) % 2])

    with ThreadPoolExecutor(len(pcs)) as pool:
        for r in range(ROUNDS):
            for future in [pool.submit(work, who, r) for who in pcs]:
                future.result(60)
    for i in range(2):  # settle: everyone gets what the others pushed last
        for who, pc in pcs.items():
            sync_through(pc, urls[(list(pcs).index(who) + i) % 2])

    assert shop.pending() == home.pending() == bart.pending() == 0
    assert shop.snapshot() == home.snapshot()
    assert shop.comments() == home.comments() == bart.comments()
    notes = shop.svc.notes.all(shop.profile_id)
    assert len(notes) == 1 + 2 * 2 * ROUNDS * 4  # nothing of Anna's lost, nothing doubled
    assert {n.body for n in notes} >= {"home round 3 note 2", "shop round 8 note 0"}
    assert not any(n.body.startswith("bart") for n in notes)  # notes stay with their person
    assert {n.body for n in bart.svc.notes.all(bart.profile_id)} == {
        f"bart round {r} note {k}" for r in range(2 * ROUNDS) for k in range(4)}
    comments = shop.comments()
    assert len(comments) == len({c[0] for c in comments}) > 3 * 3 * 2 * ROUNDS
    assert any(body.startswith("bart answers") for _, _, body, _, _ in comments)
    assert shop.svc.progress.get(shop.profile_id, shop.lessons[0]).done  # done stays done
    # The hub's merged state is what the PCs hold, and every change is on it once.
    sent = [c.change_id for pc in pcs.values() for c in all_changes(pc.svc.db, pc.profile_id)]
    with storage.read() as conn:
        stored = conn.execute(select(func.count(), func.count(t.changes.c.change_id.distinct()))
                              .where(t.changes.c.change_id.in_(sent))).one()
        hub_notes = conn.execute(select(t.note_state.c.note_id, t.note_state.c.body,
                                        t.note_state.c.deleted)
                                 .join(t.accounts, t.accounts.c.id == t.note_state.c.account_id)
                                 .where(t.accounts.c.username == "anna")).all()
        hub_comments = conn.execute(select(t.comment_state.c.comment_id,
                                           t.comment_state.c.body,
                                           t.comment_state.c.deleted)).all()
    assert tuple(stored) == (len(sent), len(sent))
    assert sorted((i, b, bool(d)) for i, b, d in hub_notes) == sorted(
        (i, b, bool(d)) for i, _, b, d in shop.snapshot()["notes"])
    assert sorted((i, b, bool(d)) for i, b, d in hub_comments) == sorted(
        (i, b, bool(d)) for i, _, b, _, d in comments)
