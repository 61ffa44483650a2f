"""The hub's refusals in the app's own words, and the connect dialog's retries."""

from __future__ import annotations

from pathlib import Path

import keyring
import pytest

from companion.sync.client import HubAuthError, HubOffline, HubRefused, HubServerError
from companion.ui.dialogs.connect import ConnectDialog
from companion.ui.hub_errors import explain_hub_error, hub_error_text
from companion.ui.main import Shell
from tests.hub.helpers import LiveHub
from tests.sync.conftest import hub, invite, memory_keyring  # noqa: F401
from tests.ui.shell_fixtures import anna, look, look_parts, shell_services  # noqa: F401
from tests.ui.test_sync_ui import WAIT_MS, _fill, app_shell  # noqa: F401


def test_codes_become_sentences_never_the_hubs_english(qapp) -> None:
    """Each code has its own sentence; an unknown one a general sentence, not the message."""
    refused = HubRefused("invite code expired (hub's English)", 404, "unknown_invite")
    assert explain_hub_error(refused).startswith("This invitation code is not known")
    assert "hub's English" not in explain_hub_error(HubRefused("hub's English", 400, "new"))
    assert explain_hub_error(HubRefused("x", 429, "too_many_attempts")).startswith("Too many")
    assert explain_hub_error(HubServerError("HTTP 500", 500)).startswith("The server has a")
    assert explain_hub_error(HubOffline("gone")).startswith("The server cannot be reached")
    assert explain_hub_error(HubAuthError("x")) == hub_error_text("unauthorized")
    assert hub_error_text("forbidden") != hub_error_text("not_found") != hub_error_text(None)


def test_a_wrong_invite_is_said_in_the_apps_words(app_shell: Shell, qtbot, hub: LiveHub,
                                                  invite: str) -> None:
    """The hub's refusal of an unknown invite code is shown by its code, not its English."""
    dialog = app_shell.window.menu_actions.connect_group()
    assert isinstance(dialog, ConnectDialog)
    _fill(dialog, hub.url, "NOPE0000", "anna")
    dialog.accept()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=WAIT_MS)
    assert dialog.error.text() == hub_error_text("unknown_invite")


def test_file_storage_is_asked_once_and_a_retry_clears_the_old_error(
        app_shell: Shell, qtbot, hub: LiveHub, invite: str, home: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a keyring: asked on the first try only; the second try starts without the
    first one's error on the screen."""
    from keyring.backends.fail import Keyring as FailKeyring

    keyring.set_keyring(FailKeyring())
    dialog = app_shell.window.menu_actions.connect_group()
    errors_when_asked: list[str] = []

    def ask() -> bool:
        errors_when_asked.append(dialog.error.text() if dialog.error.isVisible() else "")
        dialog._allow_file = True
        return True

    monkeypatch.setattr(dialog, "_ask_file_storage", ask)
    _fill(dialog, hub.url, None, "anna", password="not the password")
    dialog.accept()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=WAIT_MS)
    assert dialog.error.text() == "The user name or the password is not right."
    seen: list[str] = []
    monkeypatch.setattr(dialog, "_start", lambda: seen.append(
        dialog.error.text() if dialog.error.isVisible() else ""))
    dialog.accept()
    assert errors_when_asked == [""] and seen == [""]
