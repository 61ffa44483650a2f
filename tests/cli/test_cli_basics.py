"""The CLI contract: global options, JSON output, exit statuses and error lines."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from companion.cli import main
from companion.services import build_services
from tests.core.fake_library import add_pack


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_lessons_json_has_the_contract_fields(home: Path, capsys) -> None:
    """`lessons --json` lists id, pack, title, duration_s, has_subtitles and progress."""
    svc = build_services(home=home)
    add_pack(svc.db, "pack", 2, duration_s=90)
    svc.close()
    status, out, _ = run(capsys, "--home", str(home), "--profile", "Anna", "lessons", "--json")
    assert status == 0
    rows = json.loads(out)
    assert [r["id"] for r in rows] == ["pack/les-0000", "pack/les-0001"]
    for key in ("id", "pack", "title", "duration_s", "has_subtitles", "done", "position_s",
                "state", "quiz_best"):
        assert key in rows[0]
    assert rows[0]["duration_s"] == 90 and rows[0]["has_subtitles"] is True


def test_home_from_environment(home: Path, capsys, monkeypatch) -> None:
    """COMPANION_HOME selects the portable home like --home does."""
    monkeypatch.setenv("COMPANION_HOME", str(home))
    assert run(capsys, "profile", "add", "Jan")[0] == 0
    assert (home / "data" / "library.sqlite3").exists()
    status, out, _ = run(capsys, "profile", "list", "--json")
    assert status == 0
    assert [p["name"] for p in json.loads(out)] == ["Jan"]


def test_errors_are_one_line_with_status_1(home: Path, capsys) -> None:
    """A failing command prints one `error:` line on stderr and exits 1."""
    status, out, err = run(capsys, "--home", str(home), "lessons", "--pack", "nope")
    assert status == 1 and out == ""
    assert err.startswith("error: ") and err.count("\n") == 1
    status, _, err = run(capsys, "--home", str(home), "profile", "use", "Nobody")
    assert status == 1 and err.startswith("error: no profile named")


def test_usage_errors_exit_2(home: Path) -> None:
    """An unknown option or command is a usage error: exit status 2."""
    for args in (["--nope"], ["lessons", "--nope"], ["profile"]):
        result = subprocess.run([sys.executable, "-m", "companion", "--home", str(home), *args],
                                capture_output=True, text=True)
        assert result.returncode == 2, args
        assert "usage:" in result.stderr


def test_search_finds_own_notes_only(home: Path, capsys) -> None:
    """`search` shows lessons and the current profile's notes, not someone else's."""
    svc = build_services(home=home)
    (lesson,) = add_pack(svc.db, "pack", 1)
    anna = svc.profiles.create("Anna").id
    jan = svc.profiles.create("Jan").id
    svc.notes.add(anna, lesson, "taart van de week")
    svc.notes.add(jan, lesson, "taart van Jan")
    svc.close()
    status, out, _ = run(capsys, "--home", str(home), "--profile", "Anna", "search", "taart",
                         "--json")
    hits = json.loads(out)
    assert status == 0
    assert [h["snippet"] for h in hits if h["kind"] == "note"] == ["«taart» van de week"]


def test_gui_request_tells_the_app_from_a_command(tmp_path) -> None:
    """Packs or nothing open the app; commands, --help and typos go to the CLI parser."""
    from companion.cli import gui_request

    assert gui_request([]) == (None, None, [])
    assert gui_request(["--home", "H", "--profile", "Anna", "a.cpack", "B.CPACK"]) == (
        "H", "Anna", ["a.cpack", "B.CPACK"])
    assert gui_request(["--home=H"]) == ("H", None, [])
    for argv in (["pack", "list"], ["--help"], ["--version"], ["lessons"], ["a.cpack", "x"],
                 ["--home"], ["a.cpack", "--bogus"]):
        assert gui_request(argv) is None, argv
