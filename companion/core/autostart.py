"""Start at login (issue 11: the app waits in the tray so replies reach the shopkeeper).

Linux (and other XDG desktops): a ``companion.desktop`` file in ``$XDG_CONFIG_HOME/autostart``
(``~/.config/autostart``). Windows: a value ``Companion`` under
``HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run``. The command starts the app hidden in
the tray (``--tray``) with the same ``--home`` when the install is portable. No Qt here.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

ENTRY_NAME = "companion.desktop"
RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
RUN_VALUE = "Companion"


def launch_command(home: str | None = None, executable: str | None = None) -> list[str]:
    """The command line that starts the app in the tray."""
    if executable is None:
        frozen = getattr(sys, "frozen", False)
        command = [sys.executable] if frozen else [sys.executable, "-m", "companion"]
    else:
        command = [executable]
    if home:
        command += ["--home", str(home)]
    return [*command, "--tray"]


def autostart_dir() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "autostart"


_RESERVED = re.compile(r"""[\s"'\\><~|&;$*?#()`]""")


def exec_argument(arg: str) -> str:
    """One argument of a desktop entry's ``Exec`` as the specification quotes it: in double
    quotes when it holds a reserved character (inside, ``"`$\\`` get a backslash), ``%`` as
    ``%%``, and every backslash doubled once more by the string escaping of the file."""
    if _RESERVED.search(arg):
        arg = '"' + re.sub(r'(["`$\\])', r"\\\1", arg) + '"'
    return arg.replace("%", "%%").replace("\\", "\\\\")


def _desktop_entry(command: list[str]) -> str:
    exec_line = " ".join(exec_argument(part) for part in command)
    return ("[Desktop Entry]\nType=Application\nName=Course companion\nName[nl]=Cursusmaatje\n"
            f"Exec={exec_line}\nTerminal=false\nX-GNOME-Autostart-enabled=true\n"
            "Comment=Waits in the tray for news from your group\n"
            "Comment[nl]=Wacht in het systeemvak op nieuws uit je groep\n")


def is_enabled(platform: str = sys.platform) -> bool:
    if platform == "win32":
        return _windows_value() is not None
    return (autostart_dir() / ENTRY_NAME).is_file()


def set_enabled(enabled: bool, home: str | None = None, platform: str = sys.platform,
                executable: str | None = None) -> None:
    """Switch start-at-login on or off. Raises OSError when the system refuses."""
    command = launch_command(home, executable)
    if platform == "win32":
        _windows_set(subprocess_line(command) if enabled else None)
        return
    path = autostart_dir() / ENTRY_NAME
    if not enabled:
        path.unlink(missing_ok=True)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(_desktop_entry(command), encoding="utf-8")
    tmp.replace(path)


def subprocess_line(command: list[str]) -> str:
    """One Windows command line (the Run key holds a string)."""
    import subprocess

    return subprocess.list2cmdline(command)


def _windows_value() -> str | None:  # pragma: no cover - Windows only
    try:
        import winreg
    except ImportError:
        return None
    try:
        with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
            return str(winreg.QueryValueEx(key, RUN_VALUE)[0])
    except OSError:
        return None


def _windows_set(value: str | None) -> None:  # pragma: no cover - Windows only
    import winreg

    with winreg.CreateKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
        if value is None:
            try:
                winreg.DeleteValue(key, RUN_VALUE)
            except FileNotFoundError:
                pass
        else:
            winreg.SetValueEx(key, RUN_VALUE, 0, winreg.REG_SZ, value)
