"""Shop PCs that use the USB courier, and the third PC that delivers their stick."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

from companion.cli import main
from companion.sync import courier_keys
from companion.sync.client import HubClient
from companion.sync.courier import ExchangeResult, exchange
from tests.hub.helpers import LiveHub
from tests.sync.helpers import Pc


def online_once(make_pc, hub: LiveHub, name: str, username: str, invite: str | None = None,
                profile: str = "Anna") -> Pc:
    """A shop PC that logs in once while online (keys made and registered, the hub's pinned),
    and is offline from then on."""
    pc = make_pc(name, profile=profile)
    pc.login(hub.url, username, invite)
    with HubClient(hub.url, pc.store.token(pc.profile_id)) as client:
        assert courier_keys.ensure_registered(pc.svc.credentials, pc.profile_id, client,
                                              force=True)
    return pc


def swap(pc: Pc, stick: Path) -> ExchangeResult:
    """The shop PC's exchange with the stick."""
    return exchange(pc.svc.credentials, pc.svc.packs, pc.profile_id, stick)


def deliver_cli(home: Path, stick: Path, hub_url: str) -> tuple[int, list[str], str]:
    """``companion courier deliver`` on a PC without any login: (status, lines, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(["--home", str(home), "courier", "deliver", str(stick), "--hub", hub_url])
    return status, out.getvalue().splitlines(), err.getvalue()


def stick_bytes(stick: Path) -> bytes:
    """Every byte on the stick, file names included."""
    parts = []
    for path in sorted(stick.rglob("*")):
        parts.append(str(path.relative_to(stick)).encode())
        if path.is_file():
            parts.append(path.read_bytes())
    return b"\n".join(parts)
