"""The command line's rough edges: folders open the app's import, text that is not UTF-8,
verify that changes nothing, and who may read the files the companion writes."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from companion.cli import gui_request, main
from companion.services import build_services
from tests.cli.test_pack_cli import one_error_line, run
from tests.cli.test_pack_cli import trainer as trainer  # a fixture, used by name

posix_only = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")


def test_a_folder_opens_the_apps_import(tmp_path: Path, monkeypatch) -> None:
    """``companion /media/stick/`` asks the app to import that folder's packs, like a file;
    a bare word stays a command even where a folder has that name."""
    stick = tmp_path / "stick"
    stick.mkdir()
    assert gui_request([str(stick)]) == (None, None, [str(stick)])
    assert gui_request([f"{stick}/", "a.cpack"]) == (None, None, [f"{stick}/", "a.cpack"])
    monkeypatch.chdir(tmp_path)
    (tmp_path / "lessons").mkdir()
    assert gui_request(["lessons"]) is None
    assert gui_request(["./lessons"]) == (None, None, ["./lessons"])
    assert gui_request([str(tmp_path / "missing")]) is None


def test_text_that_is_not_utf8_is_one_error_line(home: Path, capsys) -> None:
    """A terminal in Latin-1 passes "café" as bytes Python cannot store: one ``error:`` line
    and status 1, not a traceback; nothing is written."""
    cafe = b"caf\xe9".decode("utf-8", "surrogateescape")
    status, out, err = run(capsys, "--home", str(home), "note", "add", "x", cafe)
    assert status == 1 and out == ""
    one_error_line(err, "caf\\xe9", "UTF-8")
    status, _, err = run(capsys, "--home", str(home), "--profile", cafe, "lessons")
    assert status == 1
    one_error_line(err, "profile")


def test_verify_creates_no_library(tmp_path: Path, trainer: dict[str, Path], capsys,
                                   monkeypatch) -> None:
    """Without --home, verify looks at the pack and leaves the user's folders alone."""
    user = tmp_path / "user"
    user.mkdir()
    monkeypatch.delenv("COMPANION_HOME", raising=False)
    for var, sub in (("HOME", ""), ("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"),
                     ("XDG_CACHE_HOME", "cache"), ("XDG_STATE_HOME", "state"),
                     ("APPDATA", "appdata"), ("LOCALAPPDATA", "local")):
        monkeypatch.setenv(var, str(user / sub))
    status, out, err = run(capsys, "pack", "verify", "--allow-unsigned", str(trainer["pack"]))
    assert status == 0, err
    assert "NOT trusted on this PC" in out
    assert list(user.rglob("*")) == []


def test_verify_reads_an_existing_library_without_changing_it(
        home: Path, trainer: dict[str, Path], capsys) -> None:
    """With a library, verify knows its trusted keys, and writes nothing to it."""
    assert run(capsys, "--home", str(home), "keys", "trust", str(trainer["pub"]))[0] == 0
    database = home / "data" / "library.sqlite3"
    before = database.read_bytes()
    status, out, _ = run(capsys, "--home", str(home), "pack", "verify", str(trainer["pack"]))
    assert status == 0 and ", trusted" in out
    assert database.read_bytes() == before


@posix_only
def test_packs_are_readable_and_the_library_is_private(home: Path, trainer: dict[str, Path],
                                                       capsys) -> None:
    """A pack is for handing around (0644); the library with its notes is the owner's only
    (0600, its -wal and -shm too), also a library made before with 0644."""
    assert stat.S_IMODE(trainer["pack"].stat().st_mode) == 0o644
    services = build_services(home)
    database = services.locations.database_path
    services.profiles.create("Anna")
    for path in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    services.close()
    database.chmod(0o644)
    build_services(home).close()
    assert stat.S_IMODE(database.stat().st_mode) == 0o600
    assert main(["--home", str(home), "pack", "list"]) == 0
