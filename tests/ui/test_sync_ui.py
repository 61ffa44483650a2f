"""The app's side of sync against a real hub on loopback: "Connect to your group", the status
bar, changes leaving shortly after they are made, what others wrote arriving, going offline."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

from companion.services import Services
from companion.sync import engine as sync_engine
from companion.sync.engine import SyncStatus
from companion.sync.state import Refusal
from companion.ui.dialogs.connect import ConnectDialog
from companion.ui.main import Shell
from companion.ui.redraw import Redraw
from companion.ui.sync_ui import status_text
from tests.hub.helpers import PASSWORD, LiveHub
from tests.sync.conftest import (  # noqa: F401
    MemoryKeyring,
    hub,
    invite,
    memory_keyring,
)
from tests.sync.helpers import Pc
from tests.ui.shell_fixtures import anna, look, look_parts, running_shell, shell_services  # noqa: F401

WAIT_MS = 15_000
FAST = {"debounce_s": 0.1, "backoff_initial_s": 0.2, "backoff_max_s": 0.5, "period_s": 60.0}


@pytest.fixture
def app_shell(qapp, home: Path, shell_services: Services, anna: int,
              look, memory_keyring) -> Iterator[Shell]:
    with running_shell(qapp, home, shell_services, anna, look, sync_options=FAST) as built:
        yield built


def _fill(dialog: ConnectDialog, url: str, invite: str | None, user: str,
          password: str = PASSWORD) -> None:
    (dialog.join_radio if invite else dialog.login_radio).setChecked(True)
    dialog.hub_edit.setText(url)
    dialog.invite_edit.setText(invite or "")
    dialog.user_edit.setText(user)
    dialog.password_edit.setText(password)


def _connect(shell: Shell, qtbot, url: str, invite: str | None, user: str) -> None:
    dialog = shell.window.menu_actions.connect_group()
    assert isinstance(dialog, ConnectDialog)
    _fill(dialog, url, invite, user)
    with qtbot.waitSignal(dialog.finished, timeout=WAIT_MS):
        dialog.accept()
    assert dialog.connected is not None and dialog.connected.groups == ["Bakkers"]


def test_status_texts_in_plain_words() -> None:
    """Every state reads as a short line; refusals are counted and explained in the tip."""
    assert status_text(SyncStatus(sync_engine.SIGNED_OUT))[0] == "Not connected to a group"
    assert status_text(SyncStatus(sync_engine.OFFLINE, pending=3))[0] == \
        "Offline · 3 changes waiting"
    assert status_text(SyncStatus(sync_engine.OFFLINE, pending=1))[0] == \
        "Offline · 1 change waiting"
    assert status_text(SyncStatus(sync_engine.SYNCING))[0] == "Syncing…"
    assert status_text(SyncStatus(sync_engine.UP_TO_DATE, last_success=1000.0),
                       now=1000.0 + 150)[0] == "Up to date · 2 min ago"
    assert status_text(SyncStatus(sync_engine.UP_TO_DATE, last_success=1000.0),
                       now=1010.0)[0] == "Up to date · just now"
    refusal = Refusal("c1", "comment", "x1", "upsert", {}, "forbidden", "not in this group",
                      "2026-11-23T10:00:00+01:00")
    text, tip = status_text(SyncStatus(sync_engine.UP_TO_DATE, refused=(refusal,)))
    assert text.endswith("· 1 change refused")
    assert "A comment: You are not allowed to do this in this group." in tip
    assert "not in this group" not in tip  # the hub's English stays out of the app's words
    text, tip = status_text(SyncStatus(sync_engine.ERROR, pending=2, message="hub error 500",
                                       code="server_error"))
    assert text == "Not synced · 2 changes waiting"
    assert tip == "The server has a problem right now. It is tried again later."


def test_connect_then_changes_travel_both_ways(app_shell: Shell, qtbot, hub: LiveHub,
                                               invite: str, tmp_path: Path,
                                               memory_keyring: MemoryKeyring) -> None:
    """Join from the app, see "Up to date"; a comment written here reaches another member's
    PC, and a reply written there shows here after "Sync now"."""
    window, ctx, sync = app_shell.window, app_shell.ctx, app_shell.sync
    assert window.sync_label.text() == "Not connected to a group"
    assert not window.menu_actions.sync_now_action.isEnabled()
    _connect(app_shell, qtbot, hub.url, invite, "anna")
    qtbot.waitUntil(lambda: window.sync_label.text().startswith("Up to date"), timeout=WAIT_MS)
    assert window.menu_actions.sync_now_action.isEnabled()
    assert list(memory_keyring.secrets.values())  # the token is in the keyring, not in a file

    lesson = ctx.services.catalog.lessons(ctx.profile_id)[0].id
    ctx.services.comments.add(ctx.profile_id, lesson, "Wie post al reels?")
    ctx.announce(Redraw(sync=True, lesson_id=lesson))
    # It leaves by itself shortly after (no "Sync now"): the mark goes once the hub has it.
    qtbot.waitUntil(lambda: not ctx.services.comments.for_lesson(
        ctx.profile_id, lesson)[0].waiting_to_send, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.sync_label.text().startswith("Up to date"), timeout=WAIT_MS)
    assert sync.engine is not None and sync.engine.status.pending == 0

    other = Pc.create(tmp_path / "karim", "Karim")
    try:
        other.login(hub.url, "karim", invite)
        other.sync()
        assert [c[2] for c in other.comments()] == ["Wie post al reels?"]
        first, same_lesson = other.comments()[0][:2]
        assert same_lesson == lesson
        other.svc.comments.add(other.profile_id, lesson, "Ik, elke vrijdag!", reply_to=first)
        other.sync()
    finally:
        other.close()
    arrived: list[Redraw] = []
    ctx.bus.changed.connect(arrived.append)
    window.menu_actions.sync_now_action.trigger()
    qtbot.waitUntil(lambda: any(c.from_hub for c in arrived), timeout=WAIT_MS)
    bodies = [c.body for c in ctx.services.comments.for_lesson(ctx.profile_id, lesson)]
    assert bodies == ["Wie post al reels?", "Ik, elke vrijdag!"]


def test_offline_keeps_changes_waiting(app_shell: Shell, qtbot, hub: LiveHub,
                                       invite: str) -> None:
    """The hub goes away: the status says offline with the count, and nothing is lost."""
    window, ctx = app_shell.window, app_shell.ctx
    _connect(app_shell, qtbot, hub.url, invite, "anna")
    qtbot.waitUntil(lambda: window.sync_label.text().startswith("Up to date"), timeout=WAIT_MS)
    hub.stop()
    lesson = ctx.services.catalog.lessons(ctx.profile_id)[0].id
    ctx.services.progress.save_position(ctx.profile_id, lesson, 42.0)
    ctx.announce(Redraw(progress=True, lesson_id=lesson))
    qtbot.waitUntil(lambda: window.sync_label.text().startswith("Offline ·"), timeout=WAIT_MS)
    assert "waiting" in window.sync_label.text()
    assert "Nothing is lost" in window.sync_label.toolTip()


def test_connect_dialog_says_what_is_wrong(app_shell: Shell, qtbot, hub: LiveHub,
                                           invite: str) -> None:
    """Missing fields, a wrong password and an unreachable server: plain words, the dialog
    stays open with what was typed, and nothing is saved."""
    dialog = app_shell.window.menu_actions.connect_group()
    assert isinstance(dialog, ConnectDialog)
    dialog.accept()
    assert dialog.isVisible() and "server address" in dialog.error.text()
    _fill(dialog, hub.url, invite, "anna", password="short")
    dialog.accept()
    assert "at least 8 characters" in dialog.error.text()
    _fill(dialog, hub.url, invite, "anna")
    with qtbot.waitSignal(dialog.finished, timeout=WAIT_MS):
        dialog.accept()  # the account exists now
    app_shell.ctx.services.db.execute("DELETE FROM sync_logins")
    dialog = app_shell.window.menu_actions.connect_group()
    _fill(dialog, hub.url, None, "anna", password="not the password")
    dialog.accept()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=WAIT_MS)
    assert dialog.error.text() == "The user name or the password is not right."
    assert dialog.isVisible() and dialog.user_edit.text() == "anna"
    _fill(dialog, "http://127.0.0.1:9", None, "anna")
    dialog.accept()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=WAIT_MS)
    assert dialog.error.text().startswith("The server cannot be reached")
    assert not app_shell.sync.is_connected()


def test_no_keyring_asks_and_never_writes_silently(app_shell: Shell, qtbot, hub: LiveHub,
                                                   invite: str, home: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a keyring the person is asked; saying no connects nothing and writes nothing."""
    from keyring.backends.fail import Keyring as FailKeyring

    keyring.set_keyring(FailKeyring())
    dialog = app_shell.window.menu_actions.connect_group()
    asked: list[bool] = []
    monkeypatch.setattr(dialog, "_ask_file_storage", lambda: asked.append(True) or False)
    _fill(dialog, hub.url, invite, "anna")
    dialog.accept()
    assert asked and "no safe place" in dialog.error.text()
    assert not app_shell.sync.is_connected()
    assert not [p for p in home.rglob("*.token")]


def test_connection_returning_syncs_at_once(app_shell: Shell, qtbot, hub: LiveHub,
                                            invite: str) -> None:
    """While the hub was away the engine backs off; the network coming back skips the wait."""
    window, sync = app_shell.window, app_shell.sync
    _connect(app_shell, qtbot, hub.url, invite, "anna")
    qtbot.waitUntil(lambda: window.sync_label.text().startswith("Up to date"), timeout=WAIT_MS)
    engine = sync.engine
    assert engine is not None
    engine.backoff_initial_s = engine.backoff_max_s = 3600.0  # a long wait after a failure
    engine.period_s = 3600.0
    rounds = engine.rounds
    sync.connection_returned()
    qtbot.waitUntil(lambda: engine.rounds > rounds, timeout=WAIT_MS)


def test_a_missing_certificate_file_is_named(app_shell: Shell, hub: LiveHub, invite: str,
                                             tmp_path: Path) -> None:
    """For a self-hosted server the CA file is checked before anything is sent."""
    dialog = app_shell.window.menu_actions.connect_group()
    _fill(dialog, hub.url, invite, "anna")
    dialog.ca_edit.setText(str(tmp_path / "missing-ca.pem"))
    dialog.accept()
    assert "certificate file is not there" in dialog.error.text() and not dialog.busy
