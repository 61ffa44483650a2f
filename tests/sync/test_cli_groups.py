"""`companion group ...`, `comment hide|restore` and `profile edit` against a real hub."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from companion.cli import main
from companion.services import build_services
from tests.core.fake_library import add_pack
from tests.hub.helpers import PASSWORD, LiveHub


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 40)).save(out, "PNG")
    return out.getvalue()


PNG = _png()  # a real picture: the CLI makes it into the app's JPEG with Pillow


def cli(capsys, monkeypatch, home: Path, *args: str, stdin: str = "",
        profile: str = "P") -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    status = main(["--home", str(home), "--profile", profile, *args])
    out, err = capsys.readouterr()
    return status, out, err


def person(capsys, monkeypatch, tmp_path: Path, hub: LiveHub, username: str,
           invite: str | None = None) -> Path:
    home = tmp_path / username
    svc = build_services(home=home)
    add_pack(svc.db, "pack", 2, duration_s=100)
    svc.close()
    extra = ["--invite", invite] if invite else []
    status, _, err = cli(capsys, monkeypatch, home, "login", "--hub", hub.url, "--username",
                         username, "--password-stdin", *extra, stdin=PASSWORD + "\n")
    assert status == 0, err
    return home


def one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    return lines[0]


def test_group_list_report_and_csv(hub: LiveHub, invite: str, tmp_path: Path, capsys,
                                   monkeypatch, memory_keyring) -> None:
    tina = person(capsys, monkeypatch, tmp_path, hub, "tina")
    anna = person(capsys, monkeypatch, tmp_path, hub, "anna", invite)
    status, out, _ = cli(capsys, monkeypatch, anna, "comment", "add", "pack/les-0000", "Hallo!")
    assert status == 0
    assert cli(capsys, monkeypatch, anna, "sync", "--once")[0] == 0
    status, out, _ = cli(capsys, monkeypatch, tina, "group", "list", "--json")
    assert status == 0
    assert [(g["name"], g["role"], g["members"]) for g in json.loads(out)] == [
        ("Bakkers", "trainer", 1)]
    status, out, _ = cli(capsys, monkeypatch, tina, "group", "list")
    assert "Bakkers" in out and "trainer" in out
    status, out, _ = cli(capsys, monkeypatch, tina, "group", "report", "bakkers", "--days", "7",
                         "--json")
    assert status == 0
    report = json.loads(out)
    assert report["group"]["name"] == "Bakkers" and report["days"] == 7
    (row,) = report["learners"]
    for key in ("username", "name", "lessons_done", "lessons_started", "last_active",
                "sessions", "minutes", "rung", "rungs", "needs_help"):
        assert key in row
    assert row["username"] == "anna" and row["rung"] == "creator"
    assert len(report["hours"]) == 7 and all(len(h) == 24 for h in report["hours"])
    assert set(report["ladder"]) == {"highest", "overlapping"}
    assert report["ladder"]["highest"]["creator"] == 1
    status, out, _ = cli(capsys, monkeypatch, tina, "group", "report", "Bakkers", "--csv",
                         str(tmp_path / "out"))
    assert status == 0
    for name in ("learners.csv", "lessons.csv", "hours.csv"):
        assert (tmp_path / "out" / name).is_file()
    with open(tmp_path / "out" / "learners.csv", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert [r["username"] for r in rows] == ["anna"] and rows[0]["rung"] == "creator"
    with open(tmp_path / "out" / "hours.csv", encoding="utf-8-sig") as f:
        hours = list(csv.reader(f))
    assert hours[0][:2] == ["weekday", "0"] and hours[1][0] == "Monday" and len(hours) == 8
    status, out, _ = cli(capsys, monkeypatch, tina, "group", "report", "Bakkers")
    assert status == 0 and "anna" in out and "ladder: creator 1" in out
    # Bad input: one error line each.
    for args in (["--days", "0"], ["--days", "400"]):
        status, _, err = cli(capsys, monkeypatch, tina, "group", "report", "Bakkers", *args)
        assert status == 1 and "--days" in one_error_line(err)
    status, _, err = cli(capsys, monkeypatch, tina, "group", "report", "Nobody")
    assert status == 1 and "no group" in one_error_line(err)
    blocked = tmp_path / "file"
    blocked.write_text("x")
    status, _, err = cli(capsys, monkeypatch, tina, "group", "report", "Bakkers", "--csv",
                         str(blocked))
    assert status == 1 and "cannot write" in one_error_line(err)


def test_a_learner_gets_one_error_line(hub: LiveHub, invite: str, tmp_path: Path, capsys,
                                       monkeypatch, memory_keyring) -> None:
    anna = person(capsys, monkeypatch, tmp_path, hub, "anna", invite)
    cli(capsys, monkeypatch, anna, "comment", "add", "pack/les-0000", "Hallo!")
    cli(capsys, monkeypatch, anna, "sync", "--once")
    comment_id = json.loads(cli(capsys, monkeypatch, anna, "comments", "pack/les-0000",
                                "--json")[1])[0]["id"]
    for args in (["group", "report", "Bakkers"], ["group", "split", "Bakkers", "--into", "2"],
                 ["comment", "hide", comment_id, "--reason", "weg"],
                 ["comment", "restore", comment_id]):
        status, out, err = cli(capsys, monkeypatch, anna, *args)
        assert status == 1 and out == "", args
        one_error_line(err)
    status, out, _ = cli(capsys, monkeypatch, anna, "group", "list", "--json")
    assert status == 0 and json.loads(out)[0]["role"] == "learner"
    assert json.loads(out)[0]["invite_code"] is None


def test_hide_restore_and_split(hub: LiveHub, invite: str, tmp_path: Path, capsys,
                                monkeypatch, memory_keyring) -> None:
    tina = person(capsys, monkeypatch, tmp_path, hub, "tina")
    anna = person(capsys, monkeypatch, tmp_path, hub, "anna", invite)
    bart = person(capsys, monkeypatch, tmp_path, hub, "bart", invite)
    cli(capsys, monkeypatch, anna, "comment", "add", "pack/les-0000", "Koop mijn kaas")
    cli(capsys, monkeypatch, anna, "sync", "--once")
    comment_id = json.loads(cli(capsys, monkeypatch, anna, "comments", "pack/les-0000",
                                "--json")[1])[0]["id"]
    status, _, err = cli(capsys, monkeypatch, tina, "comment", "hide", comment_id, "--reason",
                         "reclame")
    assert status == 0, err
    status, _, err = cli(capsys, monkeypatch, tina, "comment", "hide", "no-such-id", "--reason",
                         "x")
    assert status == 1 and one_error_line(err)
    status, _, err = cli(capsys, monkeypatch, tina, "comment", "hide", comment_id, "--reason",
                         "   ")
    assert status == 1 and "--reason" in one_error_line(err)
    for home in (anna, bart):
        cli(capsys, monkeypatch, home, "sync", "--once")
    mine = json.loads(cli(capsys, monkeypatch, anna, "comments", "pack/les-0000", "--json")[1])[0]
    theirs = json.loads(cli(capsys, monkeypatch, bart, "comments", "pack/les-0000", "--json")[1])[0]
    assert (mine["body"], mine["hidden_reason"]) == ("Koop mijn kaas", "reclame")
    assert (theirs["body"], theirs["hidden"]) == ("", True)
    assert cli(capsys, monkeypatch, tina, "comment", "restore", comment_id)[0] == 0
    cli(capsys, monkeypatch, bart, "sync", "--once")
    theirs = json.loads(cli(capsys, monkeypatch, bart, "comments", "pack/les-0000", "--json")[1])[0]
    assert (theirs["body"], theirs["hidden"]) == ("Koop mijn kaas", False)
    status, out, err = cli(capsys, monkeypatch, tina, "group", "split", "Bakkers", "--into", "2")
    assert status == 0, err
    lines = [line.split("\t") for line in out.strip().splitlines()]
    assert [name for name, _ in lines] == ["Bakkers 1", "Bakkers 2"]
    assert all(len(code) == 10 for _, code in lines)
    status, _, err = cli(capsys, monkeypatch, tina, "group", "split", "Bakkers 1", "--into", "5")
    assert status == 1 and one_error_line(err)


def test_profile_edit_syncs(hub: LiveHub, invite: str, tmp_path: Path, capsys, monkeypatch,
                            memory_keyring) -> None:
    tina = person(capsys, monkeypatch, tmp_path, hub, "tina")
    anna = person(capsys, monkeypatch, tmp_path, hub, "anna", invite)
    photo = tmp_path / "me.png"
    photo.write_bytes(PNG)
    status, out, err = cli(capsys, monkeypatch, anna, "profile", "edit", "--name", "Anna Peeters",
                           "--motto", "Kaas met liefde", "--photo", str(photo), "--json")
    assert status == 0, err
    assert json.loads(out)["photo_sha256"] is not None
    # The profile is called Anna Peeters on this PC now, with its login.
    assert cli(capsys, monkeypatch, anna, "sync", "--once", profile="Anna Peeters")[0] == 0
    (row,) = json.loads(cli(capsys, monkeypatch, tina, "group", "report", "Bakkers",
                            "--json")[1])["learners"]
    assert (row["name"], row["motto"], row["rung"]) == ("Anna Peeters", "Kaas met liefde",
                                                        "joiner")
    assert row["photo"] == json.loads(out)["photo_sha256"]
    status, _, err = cli(capsys, monkeypatch, anna, "profile", "edit")
    assert status == 1 and "nothing to change" in one_error_line(err)
    text = tmp_path / "not-a-picture.png"
    text.write_text("hello")
    status, _, err = cli(capsys, monkeypatch, anna, "profile", "edit", "--photo", str(text))
    assert status == 1 and "not a JPEG" in one_error_line(err)
    status, _, err = cli(capsys, monkeypatch, anna, "profile", "edit", "--motto", "x" * 500)
    assert status == 1 and one_error_line(err)
    status, _, err = cli(capsys, monkeypatch, anna, "profile", "edit", "--photo",
                         str(tmp_path / "missing.png"))
    assert status == 1 and "cannot read" in one_error_line(err)
