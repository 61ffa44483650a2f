"""The app's log file (companion.support.logs): levels, rotation, uncaught exceptions of any
thread, a folder that cannot be written, and the `--debug` option of the `companion` command."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from companion import cli
from companion.support import logs

REPO_ROOT = Path(__file__).resolve().parents[2]


def _read(log_dir: Path) -> str:
    logs.flush_logging()
    return (log_dir / logs.LOG_NAME).read_text(encoding="utf-8")


def test_warnings_and_errors_by_default(tmp_path: Path) -> None:
    path = logs.setup_logging(tmp_path / "logs")
    assert path == tmp_path / "logs" / logs.LOG_NAME
    logging.getLogger("companion.sync").info("routine detail")
    logging.getLogger("companion.sync").warning("the hub answered 503")
    logging.getLogger("some.library").error("a library's error")
    text = _read(tmp_path / "logs")
    assert "the hub answered 503" in text and "WARNING" in text
    assert "a library's error" in text
    assert "routine detail" not in text


def test_debug_keeps_everything(tmp_path: Path) -> None:
    logs.setup_logging(tmp_path, debug=True)
    logging.getLogger("companion.player").debug("libvlc started in 17 ms")
    assert "libvlc started in 17 ms" in _read(tmp_path)


def test_nothing_logged_writes_nothing(tmp_path: Path) -> None:
    logs.setup_logging(tmp_path / "logs")
    logging.getLogger("companion").info("below the level")
    assert not (tmp_path / "logs").exists()


def test_setting_up_again_replaces_the_file(tmp_path: Path) -> None:
    logs.setup_logging(tmp_path / "a")
    logs.setup_logging(tmp_path / "b")
    logging.getLogger("companion").warning("once")
    assert not (tmp_path / "a").exists()
    assert _read(tmp_path / "b").count("once") == 1


def test_the_files_rotate_and_stay_few(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(logs, "MAX_BYTES", 2_000)
    logs.setup_logging(tmp_path)
    for i in range(400):
        logging.getLogger("companion").warning("line %04d %s", i, "x" * 40)
    logs.close_logging()
    files = logs.log_files(tmp_path)
    assert [f.name for f in files] == [logs.LOG_NAME] + [
        f"{logs.LOG_NAME}.{n}" for n in range(1, logs.BACKUP_COUNT + 1)]
    assert len(list(tmp_path.iterdir())) == logs.BACKUP_COUNT + 1
    assert all(f.stat().st_size <= 2_000 for f in files)
    assert "line 0399" in files[0].read_text(encoding="utf-8")  # newest first
    assert "line 0000" not in "".join(f.read_text(encoding="utf-8") for f in files)


def test_a_folder_that_cannot_be_made_gives_no_log_and_no_crash(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    assert logs.setup_logging(blocker / "logs") is None
    logging.getLogger("companion").error("still fine")
    assert "cannot write a log file" in capsys.readouterr().err


def test_uncaught_exception_in_a_thread_is_logged_and_reported(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    monkeypatch.setattr(threading, "excepthook", lambda args: None)  # not pytest's: it would fail
    logs.setup_logging(tmp_path, on_uncaught=seen.append)

    def work() -> None:
        raise RuntimeError("the download thread broke")

    worker = threading.Thread(target=work, name="downloads")
    worker.start()
    worker.join()
    text = _read(tmp_path)
    assert "CRITICAL" in text and "uncaught exception in thread downloads" in text
    assert "Traceback" in text and "RuntimeError: the download thread broke" in text
    assert seen == ["RuntimeError: the download thread broke"]


def test_uncaught_exception_on_the_main_thread_is_logged_then_passed_on(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    passed_on: list[type[BaseException]] = []
    monkeypatch.setattr(sys, "excepthook", lambda kind, value, tb: passed_on.append(kind))
    failing: list[str] = []

    def broken_listener(summary: str) -> None:
        failing.append(summary)
        raise OSError("the dialog could not open")

    logs.setup_logging(tmp_path, on_uncaught=broken_listener)
    logs.install_excepthooks(broken_listener)  # twice: still one entry per exception
    for kind in (ValueError, KeyboardInterrupt):
        try:
            raise kind("boom")
        except BaseException:
            sys.excepthook(*sys.exc_info())
    text = _read(tmp_path)
    assert text.count("uncaught exception in thread MainThread") == 1
    assert "ValueError: boom" in text
    assert "KeyboardInterrupt" not in text  # Ctrl+C is not a bug
    assert "the uncaught-exception listener failed" in text
    assert passed_on == [ValueError, KeyboardInterrupt]
    assert failing == ["ValueError: boom"]


def test_a_crashing_process_leaves_its_traceback_in_the_log(tmp_path: Path) -> None:
    code = ("import sys; from pathlib import Path; from companion.support.logs import "
            "setup_logging; setup_logging(Path(sys.argv[1])); raise LookupError('no lesson 7')")
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT))
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path)], env=env,
                          capture_output=True, text=True)
    assert done.returncode == 1
    assert "LookupError: no lesson 7" in done.stderr  # still on stderr for a terminal
    text = (tmp_path / logs.LOG_NAME).read_text(encoding="utf-8")
    assert "uncaught exception in thread MainThread" in text
    assert "LookupError: no lesson 7" in text


# -- the `companion` command ---------------------------------------------------------------------

@pytest.mark.parametrize(("argv", "debug", "rest"), [
    (["--debug"], True, []),
    (["--home", "h", "--debug", "pack", "list"], True, ["--home", "h", "pack", "list"]),
    (["--home=h", "--debug", "x.cpack"], True, ["--home=h", "x.cpack"]),
    (["note", "add", "L1", "--debug"], False, ["note", "add", "L1", "--debug"]),  # a note text
    (["--profile", "--debug"], False, ["--profile", "--debug"]),  # a profile named --debug
    ([], False, []),
])
def test_debug_is_taken_from_the_global_options_only(
        argv: list[str], debug: bool, rest: list[str]) -> None:
    assert cli.take_debug(argv) == (debug, rest)


def test_debug_still_opens_the_app() -> None:
    _debug, rest = cli.take_debug(["--home", "h", "--debug", "lesson.cpack"])
    assert cli.gui_request(rest) == ("h", None, ["lesson.cpack"])


def test_commands_log_into_the_portable_home(home: Path, capsys) -> None:
    assert cli.main(["--home", str(home), "--debug", "profile", "list"]) == 0
    logging.getLogger("companion.test").debug("a debug line")
    assert "a debug line" in _read(home / "logs")
    logs.close_logging()
    assert cli.main(["--home", str(home), "profile", "list"]) == 0
    logging.getLogger("companion.test").debug("not kept without --debug")
    assert "not kept" not in _read(home / "logs")


def test_the_app_started_with_debug_logs_everything_into_its_home(
        home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import companion.app

    started: list[tuple] = []
    monkeypatch.setattr(companion.app, "run_gui",
                        lambda **kw: started.append(tuple(kw.values())) or 0)
    assert cli.main(["--debug", "--home", str(home)]) == 0
    assert started == [(str(home), None, [], False)]  # home, profile, files, tray
    assert logging.getLogger().level == logging.DEBUG
    logging.getLogger("companion.ui").debug("window shown")
    assert "window shown" in _read(home / "logs")
