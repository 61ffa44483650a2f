"""The hub's admin CLI: add-trainer, create-group, list-groups (through companion.cli.main)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from companion.cli import main


@pytest.fixture
def data_args(tmp_path: Path, database_url: str | None) -> list[str]:
    """--data (and --database-url on PostgreSQL) for a fresh hub."""
    args = ["--data", str(tmp_path / "hub")]
    return args + (["--database-url", database_url] if database_url else [])


@pytest.fixture(autouse=True)
def cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI uses the production Argon2 cost; make it cheap for the tests."""
    from companion.hub import settings

    real = settings.build_settings
    monkeypatch.setattr(settings, "build_settings", lambda *a, **k: real(*a, **k).with_changes(
        argon2_memory_kib=1024, argon2_time_cost=1, argon2_parallelism=1))


def add_trainer(data_args: list[str], monkeypatch: pytest.MonkeyPatch, name: str = "an") -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO("a good password\n"))
    return main(["hub", "add-trainer", name, "--password-stdin", *data_args])


def test_add_trainer_create_group_list(data_args: list[str], monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    """A trainer is added, a group created (invite code on the last line) and listed."""
    assert add_trainer(data_args, monkeypatch) == 0
    assert "trainer an added" in capsys.readouterr().out
    assert main(["hub", "create-group", "Bakers Ghent", "--trainer", "an", *data_args]) == 0
    code = capsys.readouterr().out.strip().splitlines()[-1]
    assert len(code) == 10 and code.isalnum()
    assert main(["hub", "list-groups", *data_args]) == 0
    listing = capsys.readouterr().out
    assert "Bakers Ghent" in listing and code in listing and "an" in listing


def test_password_from_prompt(data_args: list[str], monkeypatch: pytest.MonkeyPatch,
                              capsys: pytest.CaptureFixture[str]) -> None:
    """Without --password-stdin the password is asked twice with getpass."""
    answers = iter(["a good password", "a good password"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert main(["hub", "add-trainer", "an", *data_args]) == 0
    answers = iter(["a good password", "another one!"])
    assert main(["hub", "add-trainer", "bo", *data_args]) == 1
    assert capsys.readouterr().err.strip() == "error: the two passwords differ"


def test_errors_are_one_line(data_args: list[str], monkeypatch: pytest.MonkeyPatch,
                             capsys: pytest.CaptureFixture[str]) -> None:
    """Unknown trainer, duplicate names and short passwords: exit 1, one error line."""
    assert main(["hub", "create-group", "G", "--trainer", "ghost", *data_args]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: no trainer named 'ghost'")
    add_trainer(data_args, monkeypatch)
    assert add_trainer(data_args, monkeypatch) == 1
    assert capsys.readouterr().err.strip() == "error: the username 'an' is taken"
    main(["hub", "create-group", "G", "--trainer", "an", *data_args])
    capsys.readouterr()
    assert main(["hub", "create-group", "G", "--trainer", "an", *data_args]) == 1
    assert capsys.readouterr().err.startswith("error: a group named 'G' already exists")
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["hub", "add-trainer", "cy", "--password-stdin", *data_args]) == 1
    assert capsys.readouterr().err.startswith("error: a password has at least")


def test_bad_database_url(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A database URL the hub cannot use is one clear error line."""
    assert main(["hub", "list-groups", "--data", str(tmp_path),
                 "--database-url", "mysql://x"]) == 1
    assert capsys.readouterr().err.startswith("error: unsupported database 'mysql'")


def test_empty_list(data_args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """Listing groups on a new hub says how to create one."""
    assert main(["hub", "list-groups", *data_args]) == 0
    assert "no groups yet" in capsys.readouterr().out
