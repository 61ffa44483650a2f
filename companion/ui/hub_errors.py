"""The hub's answers in the app's language.

The hub says why it refused something twice: a stable machine ``code`` (see
``companion.hub.errors`` and the routes) and an English sentence for the command line. The app
shows only its own translated sentence for the code, never the English one inside a Dutch
sentence; a code it does not know (a newer hub) gets a general sentence.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from companion.sync.client import HubAuthError, HubError, HubOffline, HubRefused, HubServerError

translate = QCoreApplication.translate  # the name pyside6-lupdate looks for


def _sentences() -> dict[str, str]:
    """Built on every call: the translation depends on the language shown right now."""
    return {
        "unauthorized": translate(
            "HubErrors", "The server no longer accepts this computer's login. Connect again: "
            "Group › Connect to your group."),
        "bad_credentials": translate(
            "HubErrors", "The user name or the password is not right."),
        "too_many_attempts": translate(
            "HubErrors", "Too many tries in a short time. Wait a few minutes, then try again."),
        "forbidden": translate(
            "HubErrors", "You are not allowed to do this in this group."),
        "not_found": translate(
            "HubErrors", "The server does not know this (any more). It may have been removed."),
        "unknown_invite": translate(
            "HubErrors", "This invitation code is not known or no longer valid. Check it, or "
            "ask your trainer for a new one."),
        "username_taken": translate(
            "HubErrors", "This user name is taken. Choose another one, or log in if it is "
            "yours."),
        "invalid_username": translate(
            "HubErrors", "This user name cannot be used. Use letters, digits, dots or dashes."),
        "weak_password": translate(
            "HubErrors", "This password is too easy to guess. Choose a longer one."),
        "too_large": translate(
            "HubErrors", "This is too large for the server."),
        "too_many_changes": translate(
            "HubErrors", "Too many changes at once for the server; they are sent in smaller "
            "parts."),
        "conflict": translate(
            "HubErrors", "Someone changed this at the same time. Look again and retry."),
        "invalid": translate(
            "HubErrors", "The server could not accept this: something in it is not right."),
        "invalid_manifest": translate(
            "HubErrors", "The server could not accept this lesson pack: its contents list is "
            "not right."),
        "hash_mismatch": translate(
            "HubErrors", "A file was damaged on the way to the server. Try again."),
        "missing_files": translate(
            "HubErrors", "Some files of the lesson pack did not reach the server. Try again."),
        "unsupported_encoding": translate(
            "HubErrors", "The server could not read what was sent. Update the app."),
        "server_error": translate(
            "HubErrors", "The server has a problem right now. It is tried again later."),
        "tls": translate(
            "HubErrors", "This computer does not trust the server's certificate. If your "
            "trainer gave you a certificate file, choose it under Certificate file."),
        "offline": translate(
            "HubErrors", "The server cannot be reached. Check the internet connection."),
    }


def hub_error_text(code: str | None) -> str:
    """The sentence for the hub's error ``code``, in the app's language."""
    return _sentences().get(code or "", translate(
        "HubErrors", "The server could not do this. Try again later; if it keeps happening, "
        "tell your trainer."))


def error_code(exc: BaseException) -> str:
    """The stable code of a hub error (the ones the client makes itself included)."""
    if isinstance(exc, HubOffline):
        return "offline"
    if isinstance(exc, HubServerError):
        return "server_error"
    if isinstance(exc, HubAuthError | HubRefused):
        return exc.code
    return "" if isinstance(exc, HubError) else "unexpected"


def explain_hub_error(exc: BaseException) -> str:
    """``exc`` in the app's language."""
    return hub_error_text(error_code(exc))
