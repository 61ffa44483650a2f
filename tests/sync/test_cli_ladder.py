"""`companion group ladder NAME [--weeks N] [--json]` against a real hub."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from tests.hub.helpers import LiveHub
from tests.sync.test_cli_groups import cli, one_error_line, person

RUNGS = ["creator", "critic", "collector", "joiner", "spectator", "inactive"]


def test_ladder_json_and_text(hub: LiveHub, invite: str, tmp_path: Path, capsys, monkeypatch,
                              memory_keyring) -> None:
    tina = person(capsys, monkeypatch, tmp_path, hub, "tina")
    anna = person(capsys, monkeypatch, tmp_path, hub, "anna", invite)
    assert cli(capsys, monkeypatch, anna, "comment", "add", "pack/les-0000", "Hallo!")[0] == 0
    assert cli(capsys, monkeypatch, anna, "sync", "--once")[0] == 0
    status, out, err = cli(capsys, monkeypatch, tina, "group", "ladder", "bakkers", "--weeks",
                           "3", "--json")
    assert status == 0, err
    data = json.loads(out)
    assert set(data) == {"group", "weeks"} and data["group"]["name"] == "Bakkers"
    assert [set(w) for w in data["weeks"]] == [{"week_end", "highest"}] * 3
    assert data["weeks"][-1]["week_end"] == datetime.now(UTC).date().isoformat()
    assert [list(w["highest"]) for w in data["weeks"]] == [RUNGS] * 3
    # anna joined today: she counts in this week only, as the one who started a discussion
    assert [w["highest"]["creator"] for w in data["weeks"]] == [0, 0, 1]
    assert [sum(w["highest"].values()) for w in data["weeks"]] == [0, 0, 1]

    status, out, err = cli(capsys, monkeypatch, tina, "group", "ladder", "Bakkers")
    assert status == 0, err
    lines = out.strip().splitlines()
    assert lines[0].startswith("Bakkers: ") and len(lines) == 1 + 12  # the default: 12 weeks
    assert lines[-1] == (datetime.now(UTC).date().isoformat() + "  creator 1, critic 0, "
                         "collector 0, joiner 0, spectator 0, inactive 0")


def test_ladder_errors_are_one_line(hub: LiveHub, invite: str, tmp_path: Path, capsys,
                                    monkeypatch, memory_keyring) -> None:
    tina = person(capsys, monkeypatch, tmp_path, hub, "tina")
    anna = person(capsys, monkeypatch, tmp_path, hub, "anna", invite)
    for home, args in ((tina, ["--weeks", "0"]), (tina, ["--weeks", "53"]),
                       (anna, []), (tina, ["--json"])):
        name = "Nobody" if args == ["--json"] else "Bakkers"
        status, out, err = cli(capsys, monkeypatch, home, "group", "ladder", name, *args)
        assert status == 1 and out == "", (home, args)
        line = one_error_line(err)
        if "--weeks" in args:
            assert "--weeks must be from 1 to 52" in line
    status, out, err = cli(capsys, monkeypatch, tina, "group", "ladder", "Bakkers", "--weeks",
                           "52", "--json")
    assert status == 0 and len(json.loads(out)["weeks"]) == 52, err
