"""Fixtures of the shell and dialog tests: the whole main window on a small library, the look
(reset after each test so no test leaks Dutch or 200% text into the next), and real small
``.cpack`` files built from a source folder made in the test's own temporary folder.

Import them into a test module with ``from tests.ui.shell_fixtures import *``."""

from __future__ import annotations

import contextlib
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication, QDialog

import companion.ui.player  # noqa: F401  (applies the PySide6 signal refcount guard)
from companion.services import Services, build_services
from companion.ui.i18n import Translations
from companion.ui.main import Shell, build_main_window
from companion.ui.theme import Appearance
from tests.core.fake_library import add_pack

PACK_TITLE = "Sociale media voor je zaak"
WAIT_MS = 15_000


@dataclass
class Look:
    appearance: Appearance
    translations: Translations

    def reset(self) -> None:
        self.translations.apply("en")
        self.appearance.apply_text_scale(100)
        self.appearance.apply_scheme(False)


@pytest.fixture(scope="session")
def look_parts(qapp) -> Look:
    """One Appearance and one set of translators for the whole test session."""
    appearance = Appearance(qapp)
    look = Look(appearance, Translations())
    look.reset()
    return look


@pytest.fixture
def look(look_parts: Look) -> Iterator[Look]:
    look_parts.reset()
    yield look_parts
    look_parts.reset()


@pytest.fixture
def shell_services(home: Path) -> Iterator[Services]:
    """A library with one person (Anna, in English) and a pack of three lessons."""
    svc = build_services(home=home)
    svc.profiles.create("Anna", language="en", motto="Elke dag vers")
    add_pack(svc.db, "sociale-media", 3, title=PACK_TITLE)
    yield svc
    svc.close()


@pytest.fixture
def anna(shell_services: Services) -> int:
    return shell_services.profiles.by_name("Anna").id


@contextlib.contextmanager
def running_shell(qapp, home: Path, services: Services, profile_id: int, look: Look,
                  **options: Any) -> Iterator[Shell]:
    """The main window, shown, for one person; closed the way the app closes at the end."""
    built = build_main_window(services, profile_id, home=home, appearance=look.appearance,
                              translations=look.translations, **options)
    built.window.show()
    qapp.processEvents()
    try:
        yield built
    finally:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible():
                widget.hide()
        built.close()  # deletes the window; late task results arrived before that
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # its dialogs


@pytest.fixture
def shell(qapp, home: Path, shell_services: Services, anna: int, look: Look) -> Iterator[Shell]:
    """The main window, shown, for Anna."""
    with running_shell(qapp, home, shell_services, anna, look) as built:
        yield built


# -- real small packs --------------------------------------------------------------------------

def fake_mp4(seconds: float = 42.0) -> bytes:
    """The smallest MP4 the pack builder accepts: 'ftyp', then 'moov' with a version 0 'mvhd'
    that says how long the video is. No frames: no player is involved."""
    ftyp = struct.pack(">I4s4sI4s", 20, b"ftyp", b"isom", 0x200, b"isom")
    timescale = 1000
    mvhd_body = struct.pack(">B3sIIII", 0, b"\0\0\0", 0, 0, timescale, int(seconds * timescale))
    mvhd_body += b"\0" * (100 - len(mvhd_body))
    mvhd = struct.pack(">I4s", 8 + len(mvhd_body), b"mvhd") + mvhd_body
    moov = struct.pack(">I4s", 8 + len(mvhd), b"moov") + mvhd
    return ftyp + moov


def make_pack_source(root: Path, pack_id: str = "kleine-proef", title: str = "Kleine proef",
                     extra_bytes: int = 0) -> Path:
    """A pack source folder with one lesson (``extra_bytes`` of padding make the video big)."""
    src = root / pack_id
    lesson = src / "01-welkom"
    lesson.mkdir(parents=True)
    (src / "pack.toml").write_text(
        f'id = "{pack_id}"\ntitle = "{title}"\nversion = "1.0"\nlanguage = "nl"\n'
        'author = "Trainer Tine"\n', encoding="utf-8")
    (lesson / "lesson.toml").write_text(
        'id = "welkom"\ntitle = "Welkom in de winkel"\nsummary = "Een korte proefles."\n'
        'video = "video.mp4"\nsubtitles = "subtitles.nl.srt"\n', encoding="utf-8")
    (lesson / "video.mp4").write_bytes(fake_mp4() + b"\0" * extra_bytes)
    (lesson / "subtitles.nl.srt").write_text(
        "1\n00:00:00,000 --> 00:00:02,000\nWelkom!\n", encoding="utf-8")
    return src


@dataclass
class BuiltPack:
    path: Path
    signer_name: str | None
    fingerprint: str | None


def build_cpack(tmp: Path, *, signed: bool = True, signer: str = "trainer-tine",
                extra_bytes: int = 0, pack_id: str = "kleine-proef") -> BuiltPack:
    """A real ``.cpack`` built with the pack builder; skips when the builder is not there."""
    build = pytest.importorskip("companion.core.packs.build")
    keys = pytest.importorskip("companion.core.packs.keys")
    out = tmp / "out"
    out.mkdir(exist_ok=True)
    source = make_pack_source(tmp / "src", pack_id=pack_id, extra_bytes=extra_bytes)
    key = None
    if signed:
        key_path, _pub = keys.generate_keypair(signer, tmp / "keys")
        key = keys.load_signing_key(key_path)
    result = build.build_pack(source, out, key)
    return BuiltPack(result.path, signer if signed else None,
                     key.public_key.fingerprint if key else None)


__all__ = ["PACK_TITLE", "WAIT_MS", "BuiltPack", "Look", "anna", "build_cpack", "fake_mp4",
           "look", "look_parts", "make_pack_source", "shell", "shell_services"]
