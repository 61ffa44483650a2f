"""`companion login`, `logout` and `sync` against a real hub, as a person or script runs them."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from companion.cli import main
from companion.hub import tables as t
from companion.services import build_services
from tests.core.fake_library import add_pack
from tests.hub.helpers import PASSWORD, LiveHub


def cli(capsys, monkeypatch, home: Path, *args: str, stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    status = main(["--home", str(home), "--profile", "Anna", *args])
    out, err = capsys.readouterr()
    return status, out, err


def library(home: Path) -> str:
    svc = build_services(home=home)
    (lesson,) = add_pack(svc.db, "pack", 1, duration_s=100)
    svc.close()
    return lesson


def login(capsys, monkeypatch, home: Path, hub: LiveHub, *extra: str) -> tuple[int, str, str]:
    return cli(capsys, monkeypatch, home, "login", "--hub", hub.url, "--username", "anna",
               "--password-stdin", *extra, stdin=PASSWORD + "\n")


def test_join_sync_and_second_pc(hub: LiveHub, invite: str, tmp_path: Path, capsys,
                                 monkeypatch, memory_keyring) -> None:
    """Join with an invite, write a note, `sync --once`; a second PC logs in and gets it."""
    shop, home = tmp_path / "shop", tmp_path / "home"
    lesson = library(shop)
    library(home)
    status, out, _ = login(capsys, monkeypatch, shop, hub, "--invite", invite)
    assert status == 0 and out.strip() == f"logged in to {hub.url} as anna; groups: Bakkers"
    cli(capsys, monkeypatch, shop, "note", "add", lesson, "zuurdesem")
    status, out, _ = cli(capsys, monkeypatch, shop, "sync", "--once")
    assert status == 0 and out.startswith("sent 2 changes") and "up to date" in out
    assert login(capsys, monkeypatch, home, hub)[0] == 0
    status, out, _ = cli(capsys, monkeypatch, home, "sync", "--once", "--json")
    assert status == 0 and json.loads(out)["pending"] == 0
    notes = json.loads(cli(capsys, monkeypatch, home, "notes", "--json")[1])
    assert [n["body"] for n in notes] == ["zuurdesem"]
    status, out, _ = cli(capsys, monkeypatch, home, "sync", "--status", "--json")
    assert json.loads(out)["login"]["username"] == "anna"


def test_logout_revokes_and_forgets(hub: LiveHub, invite: str, tmp_path: Path, capsys,
                                    monkeypatch, memory_keyring) -> None:
    """`logout` revokes the token on the hub and forgets it; `sync` then asks for a login."""
    home = tmp_path / "pc"
    library(home)
    login(capsys, monkeypatch, home, hub, "--invite", invite)
    (token,) = memory_keyring.secrets.values()
    status, out, _ = cli(capsys, monkeypatch, home, "logout")
    assert status == 0 and out.strip() == f"logged out of {hub.url}"
    assert memory_keyring.secrets == {}
    assert hub.client(token).get("/v1/me").status_code == 401
    status, _, err = cli(capsys, monkeypatch, home, "sync", "--once")
    assert status == 1 and "run companion login" in err


def test_errors_are_plain_words_with_exit_codes(hub: LiveHub, invite: str, tmp_path: Path,
                                                capsys, monkeypatch, memory_keyring) -> None:
    """Wrong password: exit 4; unknown invite: exit 1; hub gone: exit 3 with the queue size."""
    home = tmp_path / "pc"
    lesson = library(home)
    status, _, err = cli(capsys, monkeypatch, home, "login", "--hub", hub.url, "--username",
                         "nobody", "--password-stdin", stdin="wrong-password\n")
    assert status == 4 and err == "error: wrong username or password\n"
    status, _, err = login(capsys, monkeypatch, home, hub, "--invite", "NOPE")
    assert status == 1 and "invite code is not known" in err
    assert login(capsys, monkeypatch, home, hub, "--invite", invite)[0] == 0
    cli(capsys, monkeypatch, home, "note", "add", lesson, "x")
    hub.stop()
    status, _, err = cli(capsys, monkeypatch, home, "sync", "--once")
    assert status == 3 and err.startswith("error: offline:") and "2 change(s) waiting" in err
    assert "Traceback" not in err


def test_no_keyring_refuses_before_contacting_the_hub(hub: LiveHub, invite: str,
                                                      tmp_path: Path, capsys,
                                                      monkeypatch) -> None:
    """Without a keyring, `login` stops with advice and creates nothing on the hub; with
    --store-token-in-home it warns and keeps the token in a file in the home."""
    home = tmp_path / "pc"
    library(home)
    status, _, err = login(capsys, monkeypatch, home, hub, "--invite", invite)
    assert status == 1 and "--store-token-in-home" in err
    with hub.storage.read() as conn:
        assert conn.execute(select(t.accounts.c.id)
                            .where(t.accounts.c.username == "anna")).first() is None
    status, _, err = login(capsys, monkeypatch, home, hub, "--invite", invite,
                           "--store-token-in-home")
    assert status == 0 and "warning:" in err and str(home.resolve()) in err
    assert cli(capsys, monkeypatch, home, "sync", "--once")[0] == 0


@pytest.mark.parametrize("args", [["sync", "--status"], ["logout"]])
def test_without_login(tmp_path: Path, capsys, monkeypatch, args: list[str]) -> None:
    """Status and logout of a profile that never logged in just say so."""
    status, out, _ = cli(capsys, monkeypatch, tmp_path / "pc", *args)
    assert status == 0 and "not" in out


def test_sync_keeps_running_until_ctrl_c(hub: LiveHub, invite: str, tmp_path: Path, capsys,
                                         monkeypatch) -> None:
    """`companion sync` prints the status as it changes and stops cleanly on Ctrl+C."""
    import signal
    import subprocess
    import sys

    home = tmp_path / "pc"
    library(home)
    assert login(capsys, monkeypatch, home, hub, "--invite", invite,
                 "--store-token-in-home")[0] == 0
    proc = subprocess.Popen([sys.executable, "-m", "companion", "--home", str(home),
                             "--profile", "Anna", "sync", "--interval", "1"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        lines = []
        while not any(line.startswith("Up to date") for line in lines):
            line = proc.stdout.readline()
            assert line, f"ended early: {lines} {proc.stderr.read() if proc.stderr else ''}"
            lines.append(line)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0 and "stopped" in out and "Traceback" not in err
