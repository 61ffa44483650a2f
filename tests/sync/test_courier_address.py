"""The stick names its hub: `companion courier deliver DIR` without --hub, on a PC that never
logged in, and why a changed address on the stick cannot send bundles to a stranger's hub."""

from __future__ import annotations

import contextlib
import io
import json
import socket
from pathlib import Path

from sqlalchemy import func, select

from companion.cli import main
from companion.core import courier_format as cf
from companion.hub import tables as t
from companion.hub.settings import HubSettings
from companion.sync import courier_keys
from companion.sync.courier import answer_path, bundle_path, courier_dir
from companion.sync.courier_delivery import bundle_hub
from tests.hub.helpers import LiveHub, start_hub
from tests.sync.courier_helpers import online_once, swap
from tests.sync.helpers import Pc


def _deliver(home: Path, stick: Path, *extra: str) -> tuple[int, dict[str, str], str]:
    """``companion courier deliver DIR`` with no --hub: (status, line per bundle name, err)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(["--home", str(home), "courier", "deliver", str(stick), *extra])
    lines = out.getvalue().splitlines()
    return status, {line.split(":", 1)[0]: line for line in lines}, err.getvalue()


def _bundle(pc: Pc, stick: Path) -> Path:
    st = courier_keys.state(pc.svc.db, pc.profile_id)
    assert st is not None
    return bundle_path(courier_dir(stick), st.device_id, st.profile_uid)


def _name(stick: Path, path: Path) -> str:
    return path.relative_to(courier_dir(stick)).as_posix()


def _rewrite_header(path: Path, **changes: object) -> None:
    """Change the clear header as a courier could (the signature is not renewed)."""
    data = path.read_bytes()
    head, _, body_at = cf._header(data)
    if changes.get("hub", "") is None:
        head.pop("hub")
        changes.pop("hub")
    head.update(changes)
    head_bytes = json.dumps(head, sort_keys=True, separators=(",", ":")).encode()
    path.write_bytes(cf.MAGIC + len(head_bytes).to_bytes(4, "big") + head_bytes + data[body_at:])


def _courier_changes(hub: LiveHub) -> int:
    with hub.storage.read() as conn:
        return int(conn.execute(select(func.count()).select_from(t.changes)
                                .where(t.changes.c.device_id != "hub")).scalar_one())


def _closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"


def test_a_pc_without_any_login_delivers_to_the_hub_the_bundle_names(
        hub: LiveHub, invite: str, make_pc, tmp_path: Path) -> None:
    anna = online_once(make_pc, hub, "shop-a", "anna", invite)
    anna.svc.notes.add(anna.profile_id, anna.lessons[0], "een notitie")
    stick = tmp_path / "stick"
    swap(anna, stick)
    bundle = _bundle(anna, stick)
    assert bundle_hub(bundle) == hub.url.rstrip("/")
    status, lines, err = _deliver(tmp_path / "office", stick)
    assert status == 0, err
    assert lines[_name(stick, bundle)].endswith(": ok")
    assert answer_path(courier_dir(stick), bundle.parent.name, bundle.stem).exists()
    assert _courier_changes(hub) == anna.pending() >= 1
    back = swap(anna, stick)
    assert back.answer_problem is None and back.acknowledged >= 1 and anna.pending() == 0


def test_a_changed_address_sends_nothing_to_a_strangers_hub(
        hub: LiveHub, invite: str, make_pc, tmp_path: Path) -> None:
    """The address on the stick is changed to another (running) hub: that hub does not hold
    the key the bundle was sealed to, so the bundle is refused unsent; a bundle whose address
    leads nowhere and one naming no hub (an older app) are refused with their reasons, and the
    good bundle on the same stick still goes."""
    pcs = {n: online_once(make_pc, hub, f"shop-{n}", n, invite, profile=n.title())
           for n in ("ann", "ben", "cas", "dirk")}
    stranger = start_hub(HubSettings(data_dir=tmp_path / "stranger", argon2_time_cost=1,
                                     argon2_memory_kib=1024, argon2_parallelism=1))
    try:
        stick = tmp_path / "stick"
        for pc in pcs.values():
            pc.svc.notes.add(pc.profile_id, pc.lessons[0], "een notitie")
            swap(pc, stick)
        ann, ben, cas, dirk = (_bundle(pcs[n], stick) for n in ("ann", "ben", "cas", "dirk"))
        _rewrite_header(ben, hub=stranger.url)
        _rewrite_header(cas, hub=_closed_port_url())
        _rewrite_header(dirk, hub=None)
        assert bundle_hub(dirk) is None
        status, lines, _ = _deliver(tmp_path / "office", stick)
        assert status == 1 and len(lines) == 4
        assert lines[_name(stick, ann)].endswith(": ok")
        assert "does not hold the key this bundle was sealed to" in lines[_name(stick, ben)]
        assert "could not take it" in lines[_name(stick, cas)]
        assert "does not say which hub" in lines[_name(stick, dirk)]
        assert _courier_changes(stranger) == 0
        for refused in (ben, cas, dirk):
            assert not answer_path(courier_dir(stick), refused.parent.name,
                                   refused.stem).exists()
        # The address is signed with the rest: the right hub refuses the changed headers.
        status, lines, _ = _deliver(tmp_path / "office", stick, "--hub", hub.url)
        for changed in (ben, cas, dirk):
            assert "signature does not match" in lines[_name(stick, changed)]
    finally:
        stranger.stop()


def test_a_logged_in_pc_still_serves_bundles_that_name_no_hub(
        hub: LiveHub, invite: str, make_pc, tmp_path: Path) -> None:
    """A bundle of an older app names no hub: a PC logged in to a hub delivers it there."""
    anna = online_once(make_pc, hub, "shop-a", "anna", invite)
    office = online_once(make_pc, hub, "office", "tina2", invite, profile="Tina")
    with anna.svc.db.conn:
        anna.svc.db.execute("UPDATE courier_state SET hub_url = ''")
    stick = tmp_path / "stick"
    anna.svc.notes.add(anna.profile_id, anna.lessons[0], "een notitie")
    swap(anna, stick)
    assert bundle_hub(_bundle(anna, stick)) is None
    status, lines, err = _deliver(tmp_path / "nobody", stick)
    assert status == 1 and "does not say which hub" in next(iter(lines.values()))
    status, lines, err = _deliver(office.home, stick)
    assert status == 0, err
    assert next(iter(lines.values())).endswith(": ok")
