"""The scripting commands over notes, progress and comments."""

from __future__ import annotations

import json
from pathlib import Path

from companion.cli import main
from companion.services import build_services
from tests.core.fake_library import add_pack


def cli(capsys, home: Path, *args: str) -> tuple[int, str, str]:
    status = main(["--home", str(home), "--profile", "Anna", *args])
    out, err = capsys.readouterr()
    return status, out, err


def make_library(home: Path) -> str:
    svc = build_services(home=home)
    (lesson,) = add_pack(svc.db, "pack", 1, duration_s=100)
    svc.close()
    return lesson


def test_note_add_and_list(home: Path, capsys) -> None:
    """`note add` stores a note that `notes --json` lists; a short lesson key works too."""
    lesson = make_library(home)
    status, out, _ = cli(capsys, home, "note", "add", "les-0000", "[0:42] bio aanpassen")
    assert status == 0
    note_id = out.strip()
    _, out, _ = cli(capsys, home, "notes", "--json")
    assert json.loads(out) == [{**json.loads(out)[0], "id": note_id, "lesson": lesson,
                                "body": "[0:42] bio aanpassen"}]
    assert cli(capsys, home, "note", "delete", note_id)[0] == 0
    assert json.loads(cli(capsys, home, "notes", "--json")[1]) == []


def test_progress_position_and_done(home: Path, capsys) -> None:
    """`progress` saves a position, marks done, and reports the state as JSON."""
    lesson = make_library(home)
    status, out, _ = cli(capsys, home, "progress", lesson, "--position", "30", "--json")
    assert status == 0 and json.loads(out)["position_s"] == 30
    out = cli(capsys, home, "progress", lesson, "--done", "--json")[1]
    assert json.loads(out)["done"] is True
    status, _, err = cli(capsys, home, "progress", lesson, "--position", "-5")
    assert status == 1 and err.startswith("error: ")


def test_comment_add_reply_and_list(home: Path, capsys) -> None:
    """`comment add` (also as a reply) shows in `comments --json`, waiting to send."""
    lesson = make_library(home)
    first = cli(capsys, home, "comment", "add", lesson, "Wie doet mee?")[1].strip()
    status, _, _ = cli(capsys, home, "comment", "add", lesson, "Ik!", "--reply-to", first)
    assert status == 0
    rows = json.loads(cli(capsys, home, "comments", lesson, "--json")[1])
    assert [(r["body"], r["reply_to"], r["waiting_to_send"]) for r in rows] == [
        ("Wie doet mee?", None, True), ("Ik!", first, True)]
    status, _, err = cli(capsys, home, "comment", "add", lesson, "  ")
    assert status == 1 and "needs some text" in err


def test_unknown_lesson_is_an_error(home: Path, capsys) -> None:
    """Naming a lesson that is not installed gives one error line and exit 1."""
    make_library(home)
    status, _, err = cli(capsys, home, "note", "add", "nope", "x")
    assert status == 1 and err == "error: no lesson 'nope' in the library\n"
