"""Text from the hub or other people is shown as it is, never as rich text, and a web address
with direction controls neither shows another address nor opens."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices

from companion.ui.main import Shell
from companion.ui.screens import links
from companion.ui.screens.discussion import comment_html
from tests.ui.shell_fixtures import *  # noqa: F403

HOSTILE = '<img src="file:///etc/passwd"><a href="file:///c:/">Click <b>here</b></a>'
RLO = "\u202e"


def test_hub_text_in_the_status_bar_is_plain(shell: Shell, qtbot) -> None:
    window = shell.window
    window.set_sync_status(f"Not synced · {HOSTILE}", f"The server said: {HOSTILE}")
    window.show_notice(f"Joined {HOSTILE}")
    for label in (window.sync_label, window.notice_label):
        assert label.textFormat() == Qt.TextFormat.PlainText
    assert window.sync_label.text().endswith(HOSTILE)
    tip = window.sync_label.toolTip()
    assert "<img" not in tip and "&lt;img" in tip  # shown as the characters it has


def test_a_right_to_left_override_does_not_disguise_a_link() -> None:
    body = f"Kijk op https://bank.example/{RLO}gpj.exe en {RLO}https://good.example"
    out = comment_html(body)
    assert RLO not in out
    assert '<a href="https://bank.example/gpj.exe">' in out
    assert '<a href="https://good.example">' in out


def test_links_with_direction_controls_are_not_opened(qapp, monkeypatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toString()))
    links.open_web_link(f"https://bank.example/{RLO}gpj.exe")
    links.open_web_link(QUrl(f"https://bank.example/{RLO}gpj.exe"))
    links.open_web_link("https://bank.example/%E2%80%AEgpj.exe")
    links.open_web_link("https://bank.example/\u2067x\u2069")
    assert opened == []
    links.open_web_link("https://bank.example/ok")
    assert opened == ["https://bank.example/ok"]
