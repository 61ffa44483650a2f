"""A pull never skips a change that another transaction commits late (concurrent writers)."""

from __future__ import annotations

import random
import threading
import time
import uuid

import pytest
from sqlalchemy import insert, update

from companion.hub import auth, push_pull
from companion.hub import tables as t
from companion.hub.storage import Storage, last_sequence
from tests.hub.helpers import Device, LiveHub, change


def _caller(storage: Storage, device: Device) -> auth.Caller:
    with storage.read() as conn:
        return auth.caller_for_token(conn, device.token)[0]


@pytest.fixture
def devices(hub: LiveHub) -> tuple[Device, Device, Device]:
    """Three devices of one learner: two writers and a reader."""
    hub.add_trainer("trainer")
    group = hub.create_group("Bakers", "trainer")
    first = hub.device("alice", invite=group.invite_code)
    return first, hub.device("alice"), hub.device("alice")


def _notes(received: list[dict]) -> list[str]:
    return [c["payload"]["body"] for c in received if c["kind"] == "note"]


def test_second_writer_waits_and_reader_never_sees_a_gap(
        hub: LiveHub, devices: tuple[Device, Device, Device]) -> None:
    """T1 takes a number and stalls before commit; T2 cannot overtake it; the reader waits."""
    writer1, writer2, reader = devices
    reader.pull_all()
    caller1 = _caller(hub.storage, writer1)
    holding, release = threading.Event(), threading.Event()

    def slow_writer() -> None:
        with hub.storage.write() as conn:
            push_pull.push(conn, caller1, [change("note", "n1", {"lesson_id": "l", "body": "T1"})])
            holding.set()
            release.wait(10)

    t1 = threading.Thread(target=slow_writer)
    t1.start()
    assert holding.wait(10)
    t2_done = threading.Event()
    t2 = threading.Thread(target=lambda: (
        writer2.sync([change("note", "n2", {"lesson_id": "l", "body": "T2"})]), t2_done.set()))
    t2.start()
    time.sleep(0.4)
    assert not t2_done.is_set(), "the second writer must wait for the first to commit"
    assert _notes(reader.pull_all()) == []
    release.set()
    t1.join(10)
    t2.join(10)
    assert _notes(reader.pull_all()) == ["T1", "T2"]


def test_many_concurrent_writers_one_polling_reader(
        hub: LiveHub, devices: tuple[Device, Device, Device]) -> None:
    """Writers stall at random inside their transactions; a reader polling by cursor gets all."""
    writer1, writer2, reader = devices
    callers = [_caller(hub.storage, writer1), _caller(hub.storage, writer2)]
    expected: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()

    def write(index: int) -> None:
        rnd = random.Random(index)
        for i in range(15):
            body = f"w{index}-{i}"
            with hub.storage.write() as conn:
                push_pull.push(conn, callers[index % 2],
                             [change("note", uuid.uuid4().hex, {"lesson_id": "l", "body": body})])
                time.sleep(rnd.random() * 0.01)
            with lock:
                expected.append(body)

    seen: list[str] = []
    seqs: list[int] = []

    def read() -> None:
        while not stop.is_set():
            got = reader.sync()["changes"]
            seen.extend(_notes(got))
            seqs.extend(c["seq"] for c in got)

    reader_thread = threading.Thread(target=read)
    reader_thread.start()
    writers = [threading.Thread(target=write, args=(i,)) for i in range(4)]
    for w in writers:
        w.start()
    for w in writers:
        w.join(60)
    stop.set()
    reader_thread.join(30)
    final = reader.pull_all()
    seen.extend(_notes(final))
    seqs.extend(c["seq"] for c in final)
    assert sorted(seen) == sorted(expected) and len(seen) == 60
    assert seqs == sorted(seqs)


def test_control_without_the_lock_a_reader_would_skip(
        hub: LiveHub, devices: tuple[Device, Device, Device],
        database_url: str | None) -> None:
    """Control: numbers taken without the lock and committed out of order are skipped."""
    if database_url is None:
        pytest.skip("SQLite allows one writer at a time: the hazard needs PostgreSQL")
    writer1, _, reader = devices
    reader.pull_all()
    account = writer1.account_id
    with hub.storage.read() as conn:
        base = last_sequence(conn)

    def row(seq: int) -> dict:
        return {"server_seq": seq, "change_id": uuid.uuid4().hex, "account_id": account,
                "device_id": "x", "device_seq": 0, "kind": "note", "entity_id": f"e{seq}",
                "op": "upsert", "payload": f'{{"lesson_id":"l","body":"{seq}"}}',
                "created_at": "", "group_id": None, "received_at": 0.0}

    with hub.storage.engine.connect() as late:
        tx = late.begin()
        late.execute(insert(t.changes).values(**row(base + 1)))  # number taken, not committed
        with hub.storage.write() as conn:  # a second writer commits a higher number first
            conn.execute(insert(t.changes).values(**row(base + 2)))
            conn.execute(update(t.hub_state).values(last_seq=base + 2))
        assert _notes(reader.sync()["changes"]) == [str(base + 2)]
        tx.commit()
    assert _notes(reader.pull_all()) == [], "the late commit was skipped, as expected without lock"
