"""`companion pack publish|available|download` against a real hub, as trainers' scripts run them."""

from __future__ import annotations

import json
from pathlib import Path

from tests.hub.helpers import LiveHub
from tests.sync.test_cli_sync import cli, login
from tests.sync.test_publish import big_pack


def test_publish_then_a_learner_downloads(hub: LiveHub, tmp_path: Path, capsys, monkeypatch,
                                          memory_keyring) -> None:
    """The trainer publishes (a second time sends nothing); the learner lists and installs."""
    hub.add_trainer("anna")  # the cli helpers act as "anna": here she is the trainer
    group = hub.create_group("Bakkers", "anna")
    trainer, learner = tmp_path / "trainer", tmp_path / "learner"
    pack = big_pack(tmp_path, None, 200_000)
    assert login(capsys, monkeypatch, trainer, hub)[0] == 0
    status, out, err = cli(capsys, monkeypatch, trainer, "pack", "publish", str(pack),
                           "--group", "Bakkers", "--allow-unsigned", "--json")
    assert status == 0, err
    first = json.loads(out)
    assert first["pack"] == "bakken-nl" and first["files_sent"] == first["files"] > 0
    status, out, err = cli(capsys, monkeypatch, trainer, "pack", "publish", str(pack),
                           "--group", "Bakkers", "--allow-unsigned", "--json")
    again = json.loads(out)  # a repeated publish (a script run twice) is safe and sends nothing
    assert status == 0 and again["files_sent"] == 0 and again["bytes_sent"] == 0

    status, _, err = cli(capsys, monkeypatch, learner, "login", "--hub", hub.url, "--invite",
                         group.invite_code, "--username", "lea", "--password-stdin",
                         stdin="lea-password-1\n")
    assert status == 0, err
    status, out, _ = cli(capsys, monkeypatch, learner, "pack", "available", "--json")
    (offered,) = json.loads(out)
    assert offered["id"] == "bakken-nl" and offered["status"] == "new"
    assert offered["bytes_needed"] > 200_000 and offered["groups"] == ["Bakkers"]
    status, out, err = cli(capsys, monkeypatch, learner, "pack", "download", "bakken-nl")
    assert status == 1 and "error:" in err  # unsigned: refused unless allowed, like an import
    status, out, err = cli(capsys, monkeypatch, learner, "pack", "download", "bakken-nl",
                           "--allow-unsigned", "--json")
    assert status == 0, err
    assert json.loads(out)["files_fetched"] >= 2
    status, out, _ = cli(capsys, monkeypatch, learner, "pack", "available", "--json")
    assert json.loads(out)[0]["status"] == "installed"
    status, out, _ = cli(capsys, monkeypatch, learner, "lessons", "--json")
    assert {x["pack"] for x in json.loads(out)} == {"bakken-nl"}


def test_transfers_need_a_login_and_a_known_pack(hub: LiveHub, invite: str, tmp_path: Path,
                                                 capsys, monkeypatch, memory_keyring) -> None:
    """Not logged in, an unknown pack, a learner publishing: one plain error line each."""
    home = tmp_path / "pc"
    status, _, err = cli(capsys, monkeypatch, home, "pack", "available")
    assert status == 1 and "companion login" in err
    assert login(capsys, monkeypatch, home, hub, "--invite", invite)[0] == 0
    status, _, err = cli(capsys, monkeypatch, home, "pack", "download", "nope")
    assert status == 1 and "no pack 'nope'" in err
    pack = big_pack(tmp_path, None, 10_000)
    status, _, err = cli(capsys, monkeypatch, home, "pack", "publish", str(pack), "--group",
                         "Bakkers", "--allow-unsigned")
    assert status == 1 and "trainer" in err
