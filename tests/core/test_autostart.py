"""Start at login: the XDG autostart entry is written, read and removed (Linux); the command
starts the app in the tray with the portable home."""

from __future__ import annotations

import configparser
from pathlib import Path

import pytest

from companion.core import autostart


def test_linux_autostart_entry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    assert not autostart.is_enabled("linux")
    home = tmp_path / "USB stick" / "100% winkel"
    autostart.set_enabled(True, home=str(home), platform="linux", executable="/opt/companion")
    entry = tmp_path / "config" / "autostart" / "companion.desktop"
    assert autostart.is_enabled("linux") and entry.is_file()
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(entry, encoding="utf-8")
    section = parser["Desktop Entry"]
    assert section["Type"] == "Application" and section["Name[nl]"] == "Cursusmaatje"
    assert section["Exec"] == f'/opt/companion --home "{tmp_path}/USB stick/100%% winkel" --tray'

    autostart.set_enabled(True, platform="linux", executable="/opt/companion")  # rewritten
    assert "--home" not in entry.read_text(encoding="utf-8")
    autostart.set_enabled(False, platform="linux")
    autostart.set_enabled(False, platform="linux")  # already off: fine
    assert not autostart.is_enabled("linux") and not entry.exists()


def test_exec_quoting_follows_the_desktop_entry_rules() -> None:
    assert autostart.exec_argument("/plain/path") == "/plain/path"
    assert autostart.exec_argument("a b") == '"a b"'
    assert autostart.exec_argument('say "hi" $x') == r'"say \\"hi\\" \\$x"'
    assert autostart.exec_argument("50%") == "50%%"


def test_windows_command_line_is_quoted() -> None:
    line = autostart.subprocess_line(autostart.launch_command(
        r"C:\Winkel map", r"C:\Program Files\Companion\companion.exe"))
    assert line == r'"C:\Program Files\Companion\companion.exe" --home "C:\Winkel map" --tray'


def test_the_default_command_runs_this_python() -> None:
    import sys

    assert autostart.launch_command()[:3] == [sys.executable, "-m", "companion"]
