"""The USB courier end to end: two shop PCs offline for good, a third PC delivering their stick
to a real hub, and the ways a stick's files can be wrong."""

from __future__ import annotations

import io
from contextlib import redirect_stdout
from pathlib import Path

import pytest
from sqlalchemy import func, select

from companion.cli import main
from companion.core.changelog import all_changes
from companion.hub import tables as t
from companion.hub.settings import HubSettings
from companion.sync import courier as courier_mod
from companion.sync import courier_keys, state
from companion.sync.courier import CourierError, answer_path, bundle_path, courier_dir
from tests.hub.helpers import LiveHub, start_hub
from tests.sync.courier_helpers import deliver_cli, online_once, stick_bytes, swap
from tests.sync.helpers import Pc

SECRETS = ("GEHEIM notitie van Anna over de kassa", "GEHEIM notitie van Bart",
           "Anna vraagt: wie post dagelijks?", "Bart antwoordt: ik, om acht uur")


def _hub_change_ids(hub: LiveHub) -> list[str]:
    with hub.storage.read() as conn:
        return list(conn.execute(select(t.changes.c.change_id)
                                 .where(t.changes.c.device_id != "hub")).scalars())


def _bundle(pc: Pc, stick: Path) -> Path:
    st = courier_keys.state(pc.svc.db, pc.profile_id)
    assert st is not None
    return bundle_path(courier_dir(stick), st.device_id, st.profile_uid)


def test_two_offline_shops_sync_through_a_stick(hub: LiveHub, invite: str, make_pc,
                                                tmp_path: Path) -> None:
    """Notes, progress and comments written on two PCs that are offline for good reach the hub
    once each by courier, each shop sees the other's comments, the stick shows no text in
    clear, and a later direct sync adds nothing."""
    anna = online_once(make_pc, hub, "shop-a", "anna", invite)
    bart = online_once(make_pc, hub, "shop-b", "bart", invite, profile="Bart")
    lesson = anna.lessons[0]
    anna.svc.notes.add(anna.profile_id, lesson, SECRETS[0])
    anna.svc.progress.save_position(anna.profile_id, lesson, 40)
    anna.svc.comments.add(anna.profile_id, lesson, SECRETS[2])
    bart.svc.notes.add(bart.profile_id, lesson, SECRETS[1])
    bart.svc.progress.mark_done(bart.profile_id, lesson)
    bart.svc.comments.add(bart.profile_id, lesson, SECRETS[3])
    stick = tmp_path / "stick"
    stick.mkdir()
    office = tmp_path / "office"  # the trainer's PC: never logged in
    sent_a, sent_b = swap(anna, stick).sent, swap(bart, stick).sent
    assert sent_a == anna.pending() >= 3 and sent_b == bart.pending() >= 3
    raw = stick_bytes(stick)
    for text in SECRETS:
        assert text.encode() not in raw and text.encode("utf-16-le") not in raw
    status, lines, err = deliver_cli(office, stick, hub.url)
    assert status == 0, err
    assert len(lines) == 2 and all(line.endswith(": ok") for line in lines)
    assert not any(text.encode() in stick_bytes(stick) for text in SECRETS)
    # Two more rounds: the shop delivered first gets the other's comment on the second.
    for _ in range(2):
        swap(anna, stick)
        swap(bart, stick)
        assert deliver_cli(office, stick, hub.url)[0] == 0
    last_a, last_b = swap(anna, stick), swap(bart, stick)
    assert last_a.sent == last_b.sent == 0
    assert anna.pending() == bart.pending() == 0
    bodies_a = {c[2] for c in anna.comments()}
    bodies_b = {c[2] for c in bart.comments()}
    assert bodies_a == bodies_b == {SECRETS[2], SECRETS[3]}
    # The hub has every change of both shops exactly once.
    local = [c.change_id for pc in (anna, bart) for c in all_changes(pc.svc.db, pc.profile_id)]
    on_hub = _hub_change_ids(hub)
    assert sorted(on_hub) == sorted(local)
    # A direct sync later (the shop got a connection) sends and brings nothing new.
    result = anna.sync()
    assert (result.pushed, result.pulled) == (0, 0)
    assert sorted(_hub_change_ids(hub)) == sorted(local)


def test_refused_bundles_each_say_why_and_the_rest_go_through(
        hub: LiveHub, invite: str, make_pc, tmp_path: Path) -> None:
    """Tampered, truncated, swapped, replayed and foreign-hub bundles are refused (or left
    alone) with their reason; the good ones on the same stick are delivered; exit status 1."""
    pcs = {n: online_once(make_pc, hub, f"shop-{n}", n, invite, profile=n.title())
           for n in ("ann", "ben", "cas")}
    other = start_hub(HubSettings(data_dir=tmp_path / "other-hub", argon2_time_cost=1,
                                  argon2_memory_kib=1024, argon2_parallelism=1))
    try:
        other.add_trainer("olga")
        far = online_once(make_pc, other, "shop-far", "fay",
                          other.create_group("Ver", "olga").invite_code, profile="Fay")
    finally:
        other.stop()
    for pc in [*pcs.values(), far]:
        pc.svc.notes.add(pc.profile_id, pc.lessons[0], "een notitie")
    stick = tmp_path / "stick"
    for pc in [*pcs.values(), far]:
        swap(pc, stick)
    ann, ben, cas = (_bundle(pcs[n], stick) for n in ("ann", "ben", "cas"))
    data = bytearray(ann.read_bytes())
    data[len(data) // 2] ^= 0x01
    ann.write_bytes(bytes(data))
    ben.write_bytes(ben.read_bytes()[:-100])
    cas_first = cas.read_bytes()
    status, lines, _ = deliver_cli(tmp_path / "office", stick, hub.url)
    by_name = {line.split(":", 1)[0]: line for line in lines}
    assert status == 1 and len(lines) == 4
    assert "refused: the signature does not match" in by_name[_rel(stick, ann)]
    assert "refused:" in by_name[_rel(stick, ben)]
    assert by_name[_rel(stick, cas)].endswith(": ok")
    assert by_name[_rel(stick, _bundle(far, stick))].endswith("left alone: for another hub")
    assert answer_path(courier_dir(stick), cas.parent.name, cas.stem).exists()
    assert not answer_path(courier_dir(stick), ann.parent.name, ann.stem).exists()
    # Second round: ann writes a good bundle; cas's old one comes back (a replay); ben's
    # place holds cas's bundle renamed (a swap).
    swap(pcs["ann"], stick)
    answer_path(courier_dir(stick), cas.parent.name, cas.stem).unlink()
    cas.write_bytes(cas_first)
    ben.write_bytes(cas_first)
    status, lines, _ = deliver_cli(tmp_path / "office", stick, hub.url)
    by_name = {line.split(":", 1)[0]: line for line in lines}
    assert status == 1
    assert by_name[_rel(stick, ann)].endswith(": ok")
    assert "swapped or renamed" in by_name[_rel(stick, ben)]
    assert "not newer than bundle 1" in by_name[_rel(stick, cas)]
    assert "left alone" in by_name[_rel(stick, _bundle(far, stick))]
    # Ann's changes reached the hub by the second bundle, cas's by the first; ben's never.
    expected = [c.change_id for n in ("ann", "cas")
                for c in all_changes(pcs[n].svc.db, pcs[n].profile_id)]
    assert sorted(_hub_change_ids(hub)) == sorted(expected)


def _rel(stick: Path, path: Path) -> str:
    return path.relative_to(courier_dir(stick)).as_posix()


def test_stick_pulled_out_mid_exchange_leaves_nothing_half_done(
        hub: LiveHub, invite: str, make_pc, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The bundle write fails halfway (the stick is pulled): the answer is not taken in, the
    cursor, acknowledgements and bundle number stay, no half file is left; the next exchange
    completes."""
    anna = online_once(make_pc, hub, "shop-a", "anna", invite)
    bart = online_once(make_pc, hub, "shop-b", "bart", invite, profile="Bart")
    stick = tmp_path / "stick"
    bart.svc.comments.add(bart.profile_id, bart.lessons[0], "Bart schrijft")
    swap(bart, stick)
    assert deliver_cli(tmp_path / "office", stick, hub.url)[0] == 0  # Bart's reach the hub
    anna.svc.notes.add(anna.profile_id, anna.lessons[0], "Anna's notitie")
    swap(anna, stick)
    assert deliver_cli(tmp_path / "office", stick, hub.url)[0] == 0
    target = _bundle(anna, stick)
    before = target.read_bytes()
    db = anna.svc.db
    st_before = courier_keys.state(db, anna.profile_id)
    cursor_before = state.cursor(db, anna.profile_id)
    waiting = anna.pending()
    assert waiting >= 1

    def half_then_fail(out, data: bytes) -> None:
        out.write(data[: len(data) // 2])
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(courier_mod, "_write_all", half_then_fail)
    with pytest.raises(CourierError, match="nothing was taken in"):
        swap(anna, stick)
    assert target.read_bytes() == before
    assert not list(target.parent.glob("*.tmp"))
    assert courier_keys.state(db, anna.profile_id) == st_before
    assert state.cursor(db, anna.profile_id) == cursor_before
    assert anna.pending() == waiting and anna.comments() == []
    monkeypatch.undo()
    result = swap(anna, stick)
    assert (result.acknowledged, result.sent) == (waiting, 0) and result.received >= 1
    assert [c[2] for c in anna.comments()] == ["Bart schrijft"]
    assert anna.pending() == 0


def test_old_answer_after_a_direct_sync_changes_nothing(hub: LiveHub, invite: str, make_pc,
                                                        tmp_path: Path) -> None:
    """The shop synced directly after its bundle went out: the stick's older answer, taken in
    afterwards, moves neither the cursor back nor any value."""
    anna = online_once(make_pc, hub, "shop-a", "anna", invite)
    bart = online_once(make_pc, hub, "shop-b", "bart", invite, profile="Bart")
    lesson = anna.lessons[0]
    note = anna.svc.notes.add(anna.profile_id, lesson, "eerste versie")
    stick = tmp_path / "stick"
    swap(anna, stick)
    assert deliver_cli(tmp_path / "office", stick, hub.url)[0] == 0
    anna.svc.notes.update(anna.profile_id, note.id, "tweede versie")
    bart.svc.comments.add(bart.profile_id, lesson, "later")
    bart.sync()
    anna.sync()
    snapshot, cursor = anna.snapshot(), state.cursor(anna.svc.db, anna.profile_id)
    result = swap(anna, stick)
    assert result.received >= 0
    assert anna.snapshot() == snapshot
    assert state.cursor(anna.svc.db, anna.profile_id) == cursor
    assert anna.svc.notes.get(anna.profile_id, note.id).body == "tweede versie"


def test_exchange_needs_an_online_login_first(make_pc, tmp_path: Path) -> None:
    """A profile that never logged in has no keys: the exchange says what to do."""
    pc = make_pc("never")
    with pytest.raises(CourierError, match="log in to the hub once"):
        swap(pc, tmp_path / "stick")
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["--home", str(pc.home), "courier", "exchange",
                     str(tmp_path / "stick")]) == 1


def test_logout_forgets_the_keys_and_the_hub_refuses_later_bundles(
        hub: LiveHub, invite: str, make_pc, tmp_path: Path) -> None:
    """After a logout the hub no longer knows the device's key: a bundle written before is
    refused as from an unknown device."""
    from companion.sync.account import disconnect

    anna = online_once(make_pc, hub, "shop-a", "anna", invite)
    stick = tmp_path / "stick"
    swap(anna, stick)
    disconnect(anna.svc.credentials, anna.profile_id)
    assert courier_keys.state(anna.svc.db, anna.profile_id) is None
    status, lines, _ = deliver_cli(tmp_path / "office", stick, hub.url)
    assert status == 1 and "not logged in to this hub" in lines[0]
    with hub.storage.read() as conn:
        assert conn.execute(select(func.count()).select_from(t.device_keys)).scalar() == 0


def test_devices_logged_in_before_the_courier_register_at_next_sync(
        hub: LiveHub, invite: str, make_pc) -> None:
    """A login made without keys (an older version) gets them at its next sync: by the
    command line's `sync --once` and by the app's background engine."""
    import threading

    from companion.core.db import open_database
    from companion.sync.engine import SyncEngine

    cli_pc, app_pc = make_pc("cli"), make_pc("app", profile="Bart")
    cli_pc.login(hub.url, "anna", invite)
    app_pc.login(hub.url, "bart", invite)
    assert courier_keys.state(cli_pc.svc.db, cli_pc.profile_id) is None
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["--home", str(cli_pc.home), "sync", "--once"]) == 0
    assert courier_keys.state(cli_pc.svc.db, cli_pc.profile_id) is not None
    done = threading.Event()
    engine = SyncEngine(lambda: open_database(app_pc.svc.locations.database_path),
                        app_pc.profile_id, app_pc.svc.credentials,
                        lambda s: done.set() if s.phase == "up_to_date" else None)
    engine.start()
    try:
        assert done.wait(20)
    finally:
        engine.stop()
    assert courier_keys.state(app_pc.svc.db, app_pc.profile_id) is not None
    with hub.storage.read() as conn:
        assert conn.execute(select(func.count()).select_from(t.device_keys)).scalar() == 2


def test_exchange_command_prints_one_summary_line(hub: LiveHub, invite: str, make_pc,
                                                  tmp_path: Path) -> None:
    """`companion courier exchange DIR` with a stick's root: one line, the plain summary."""
    anna = online_once(make_pc, hub, "shop-a", "anna", invite)
    anna.svc.notes.add(anna.profile_id, anna.lessons[0], "notitie")
    waiting = anna.pending()
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["--home", str(anna.home), "courier", "exchange", str(tmp_path)]) == 0
    assert out.getvalue() == f"sent {waiting} changes, received 0 and 0 new packs\n"
    assert _bundle(anna, tmp_path).is_file()
    with redirect_stdout(io.StringIO()):
        assert main(["--home", str(anna.home), "courier", "exchange",
                     str(tmp_path / "no-stick")]) == 1
    assert not (tmp_path / "no-stick").exists()


def test_stick_info_counts_bundles_waiting_for_the_hub(hub: LiveHub, invite: str, make_pc,
                                                       tmp_path: Path) -> None:
    """What the app offers when a stick is seen: this PC's bundles and those still to
    deliver; a folder without a courier folder is no stick."""
    from companion.core.db import device_id
    from companion.sync.courier import stick_info

    anna = online_once(make_pc, hub, "shop-a", "anna", invite)
    bart = online_once(make_pc, hub, "shop-b", "bart", invite, profile="Bart")
    stick = tmp_path / "stick"
    assert stick_info(stick, "x") is None
    swap(anna, stick)
    swap(bart, stick)
    info = stick_info(stick, device_id(anna.svc.db))
    assert info is not None and (info.bundles, info.undelivered, info.mine) == (2, 2, 1)
    assert deliver_cli(tmp_path / "office", stick, hub.url)[0] == 0
    info = stick_info(courier_dir(stick), device_id(anna.svc.db))
    assert info is not None and (info.bundles, info.undelivered) == (2, 0)
    swap(anna, stick)
    assert stick_info(stick, "someone").undelivered == 1


def test_a_change_the_hub_refuses_comes_back_as_a_final_refusal(
        hub: LiveHub, invite: str, make_pc, tmp_path: Path) -> None:
    """Refusals travel like acknowledgements: stored with the hub's reason, out of the queue,
    never sent again."""
    from companion.core.changelog import record_change
    from companion.core.db import write_transaction

    anna = online_once(make_pc, hub, "shop-a", "anna", invite)
    with write_transaction(anna.svc.db):
        bad = record_change(anna.svc.db, anna.profile_id, "progress", anna.lessons[0],
                            "upsert", {"position_s": -5})
    stick = tmp_path / "stick"
    swap(anna, stick)
    assert deliver_cli(tmp_path / "office", stick, hub.url)[0] == 0
    result = swap(anna, stick)
    assert [r.change_id for r in result.refused] == [bad.change_id]
    assert result.refused[0].code == "invalid" and "1 refused by the hub" in result.summary()
    assert [r.change_id for r in state.refusals(anna.svc.db, anna.profile_id)] == [bad.change_id]
    assert anna.pending() == 0 and result.sent == 0


def test_without_a_keyring_the_keys_go_where_the_token_went(hub: LiveHub, invite: str,
                                                            tmp_path: Path) -> None:
    """No keyring, and the person agreed to keep the token in a file: the courier keys are
    kept beside it, owner-only, and nothing is written otherwise."""
    from companion.core.db import device_id
    from companion.sync.client import HubClient

    pc = Pc.create(tmp_path / "pc")
    try:
        with HubClient(hub.url) as client:
            info = client.join(invite, "anna", "correct horse battery",
                               device_id(pc.svc.db))
        pc.store.save(pc.profile_id, hub_url=hub.url, username="anna",
                      account_id=info.account_id, token=info.token, allow_file=True)
        with HubClient(hub.url, info.token) as client:
            assert courier_keys.ensure_registered(pc.svc.credentials, pc.profile_id, client)
        st = courier_keys.state(pc.svc.db, pc.profile_id)
        assert st is not None and st.key_store == "file"
        files = list((pc.svc.locations.config_dir / "hub-tokens").glob("*.keys"))
        assert len(files) == 1 and files[0].stat().st_mode & 0o777 == 0o600
        assert swap(pc, tmp_path / "stick").bundle is not None
        files[0].unlink()
        with pytest.raises(courier_keys.CourierKeysError, match="log in to the hub again"):
            swap(pc, tmp_path / "stick")
    finally:
        pc.close()


def test_deliver_json_and_an_unreachable_hub(hub: LiveHub, invite: str, make_pc,
                                             tmp_path: Path) -> None:
    """`--json` lists each bundle's outcome; a hub that cannot be reached is exit status 3 and
    leaves the stick as it was."""
    import json
    import socket

    anna = online_once(make_pc, hub, "shop-a", "anna", invite)
    stick = tmp_path / "stick"
    swap(anna, stick)
    before = stick_bytes(stick)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{s.getsockname()[1]}"
    status, _, err = deliver_cli(tmp_path / "office", stick, closed)
    assert status == 3 and "error:" in err and stick_bytes(stick) == before
    out = io.StringIO()
    with redirect_stdout(out):
        status = main(["--home", str(tmp_path / "office"), "courier", "deliver", str(stick),
                       "--hub", hub.url, "--json"])
    assert status == 0
    [entry] = json.loads(out.getvalue())
    assert entry["outcome"] == "ok" and entry["path"].endswith(".bundle")
