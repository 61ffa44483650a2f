"""The hub killed with SIGKILL in the middle of a push, and restarted: no duplicate, no loss.

The hub runs as a real process (``python -m companion hub serve``), on SQLite and, when
``COMPANION_TEST_POSTGRES_URL`` is set, on PostgreSQL. A PC pushes a few thousand changes while
a proxy kills the hub at chosen moments of a push: while the request is still arriving, a
random moment after it started (reading, inside the transaction, or answering), and after the
hub committed but before the client heard the answer. After every kill the hub is started again
on the same data and the PC just syncs again. In the end every change the PC made is on the hub
exactly once, in the PC's order, the hub's merged state is that of a clean run of the same
changes, and a second PC of the same person pulls identical data.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from companion.core.changelog import all_changes
from companion.core.db import write_transaction
from companion.hub import tables as t
from companion.hub.storage import Storage
from companion.sync.client import HubClient, HubError
from tests.hub.conftest import database_url, postgres_schema  # noqa: F401 - fixtures
from tests.hub.helpers import LiveHub, start_hub
from tests.sync.helpers import Pc
from tests.sync.hub_process import HubProcess, PushKiller, hub_settings, prepare_hub

BATCH = 250  # several requests per round, so a kill always finds a push under way
KILLS = (("request", 0.0), ("delay", None), ("response", 0.0))


@pytest.fixture
def hub_process(tmp_path: Path, database_url: str | None
                ) -> Iterator[tuple[HubProcess, str]]:
    data = tmp_path / "hub"
    invite = prepare_hub(data, database_url)
    hub = HubProcess(data, database_url, tmp_path / "hub.log").start()
    try:
        yield hub, invite
    finally:
        hub.stop()


def write_a_lot(pc: Pc, seed: int) -> None:
    """About 1,900 changes: notes (edited, some deleted), progress, comments (edited,
    some deleted), a profile change."""
    with write_transaction(pc.svc.db):  # one commit: quicker to write
        _write_a_lot(pc, random.Random(seed))


def _write_a_lot(pc: Pc, rng: random.Random) -> None:
    notes, comments = [], []
    for i in range(1200):
        lesson = pc.lessons[i % 3]
        notes.append(pc.svc.notes.add(pc.profile_id, lesson,
                                      f"note {i} " + "abcdef" * rng.randrange(40)))
    for i, note in enumerate(notes[::5]):
        pc.svc.notes.update(pc.profile_id, note.id, f"edited {i}")
    for note in notes[::23]:
        pc.svc.notes.delete(pc.profile_id, note.id)
    for i in range(450):
        lesson = pc.lessons[i % 3]
        comments.append(pc.svc.comments.add(
            pc.profile_id, lesson, f"comment {i}",
            reply_to=comments[-3].id if i >= 3 and i % 4 == 0 else None))
    for comment in comments[::9]:
        pc.svc.comments.edit(pc.profile_id, comment.id, comment.body + " (edited)")
    for comment in comments[::31]:
        pc.svc.comments.delete(pc.profile_id, comment.id)
    pc.svc.progress.save_position(pc.profile_id, pc.lessons[0], 42)
    pc.svc.progress.mark_done(pc.profile_id, pc.lessons[1])
    pc.svc.progress.save_position(pc.profile_id, pc.lessons[2], 17)
    pc.svc.profiles.update(pc.profile_id, motto="Nooit opgeven")


def sync_once(pc: Pc, url: str) -> None:
    with HubClient(url, pc.store.token(pc.profile_id)) as client:
        pc.sync(client, batch_size=BATCH)


def sync_until_done(pc: Pc, url: str) -> None:
    for _ in range(5):
        sync_once(pc, url)
        if pc.pending() == 0:
            return
    raise AssertionError(f"{pc.pending()} changes still waiting")


def hub_counts(storage: Storage, change_ids: list[str]) -> dict[str, int]:
    """How many times each of these change ids is in the hub's changes table."""
    counts: dict[str, int] = {}
    with storage.read() as conn:
        for i in range(0, len(change_ids), 500):
            chunk = change_ids[i:i + 500]
            counts.update({cid: n for cid, n in conn.execute(
                select(t.changes.c.change_id, func.count())
                .where(t.changes.c.change_id.in_(chunk)).group_by(t.changes.c.change_id))})
    return counts


def hub_state(storage: Storage, username: str) -> dict[str, Any]:
    """The person's merged state on a hub, and their changes in the hub's order, without
    the hub's own numbers (server sequence, account ids)."""
    with storage.read() as conn:
        me = conn.execute(select(t.accounts.c.id)
                          .where(t.accounts.c.username == username)).scalar_one()
        n, p, c, pr, ch = t.note_state, t.progress_state, t.comment_state, t.profile_state, \
            t.changes
        return {
            "notes": conn.execute(select(n.c.note_id, n.c.lesson_id, n.c.body, n.c.deleted)
                                  .where(n.c.account_id == me).order_by(n.c.note_id)).all(),
            "progress": conn.execute(
                select(p.c.lesson_id, p.c.position_s, p.c.watched_s, p.c.done, p.c.quiz_best,
                       p.c.quiz_total).where(p.c.account_id == me)
                .order_by(p.c.lesson_id)).all(),
            "comments": conn.execute(
                select(c.c.comment_id, c.c.lesson_id, c.c.reply_to, c.c.body, c.c.deleted,
                       c.c.edited).where(c.c.author_id == me)
                .order_by(c.c.created_seq)).all(),
            "profile": conn.execute(select(pr.c.name, pr.c.motto, pr.c.photo_sha256)
                                    .where(pr.c.account_id == me)).all(),
            "changes": [(cid, kind, entity, op, json.loads(payload)) for cid, kind, entity, op,
                        payload in conn.execute(
                            select(ch.c.change_id, ch.c.kind, ch.c.entity_id, ch.c.op,
                                   ch.c.payload).where(ch.c.account_id == me,
                                                       ch.c.device_id != "hub")
                            .order_by(ch.c.server_seq)).all()],
            "rejected": conn.execute(select(func.count()).select_from(t.rejections)
                                     .where(t.rejections.c.account_id == me)).scalar_one(),
        }


def clean_run(tmp_path: Path, pc: Pc) -> dict[str, Any]:
    """The same changes pushed to a fresh hub that nobody kills."""
    clean: LiveHub = start_hub(hub_settings(tmp_path / "clean-hub", None))
    try:
        clean.add_trainer("tina")
        device = clean.device("anna", invite=clean.create_group("Bakkers", "tina").invite_code)
        changes = [c.to_dict() for c in all_changes(pc.svc.db, pc.profile_id)]
        for i in range(0, len(changes), BATCH):
            answer = device.sync(changes[i:i + BATCH])
            assert len(answer["accepted"]) == len(changes[i:i + BATCH])
        return hub_state(clean.storage, "anna")
    finally:
        clean.stop()


def test_hub_killed_mid_push_and_restarted(tmp_path: Path, hub_process, make_pc,
                                           database_url: str | None) -> None:
    hub, invite = hub_process
    rng = random.Random(4)
    storage = Storage(hub_settings(hub.data_dir, database_url))
    killer = PushKiller(hub)
    try:
        shop = make_pc("shop")
        shop.login(killer.url, "anna", invite)
        write_a_lot(shop, seed=4)
        sent = [c.change_id for c in all_changes(shop.svc.db, shop.profile_id)]
        assert len(sent) == shop.pending() > 1500
        for mode, delay in KILLS:
            acked = len(sent) - shop.pending()
            killer.arm(mode, rng.uniform(0.0, 0.04) if delay is None else delay)
            with pytest.raises(HubError):  # the round is cut off by the kill
                sync_once(shop, killer.url)
            assert killer.fired.wait(10) and hub.proc is not None and hub.proc.poll() == -9
            hub.start()  # the same data, a new process
            killer.retarget(hub.port)
            counts = hub_counts(storage, sent)
            assert set(counts.values()) <= {1}, "a change applied twice"
            now_acked = len(sent) - shop.pending()
            if mode == "request":  # the batch never fully arrived: nothing of it applied
                assert len(counts) == now_acked == acked
            if mode == "response":  # committed, but the PC never heard: it will resend
                assert len(counts) == now_acked + BATCH
            assert len(counts) >= now_acked  # whatever the PC saw accepted is on the hub
        assert killer.kills == [mode for mode, _ in KILLS]
        sync_until_done(shop, killer.url)
        counts = hub_counts(storage, sent)
        assert len(counts) == len(sent) and set(counts.values()) == {1}
        state = hub_state(storage, "anna")
        assert [c[0] for c in state["changes"]] == sent  # in the PC's order, each once
        assert state == clean_run(tmp_path, shop)
        assert state["rejected"] == 0 and len(state["notes"]) == 1200
        home = make_pc("home")
        home.login(hub.url, "anna")
        sync_until_done(home, hub.url)
        assert home.snapshot() == shop.snapshot()
        assert len(home.svc.notes.all(home.profile_id)) == len(shop.svc.notes.all(
            shop.profile_id)) > 1000
    finally:
        killer.close()
        storage.close()
