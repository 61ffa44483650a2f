"""The real PyInstaller build, checked from the outside: what tests/test_packaging.py can only
check on a stubbed spec. Runs when COMPANION_FROZEN_APP names a built app folder
(tools/ci_install_smoke.sh sets it after `make package`); skipped otherwise.

    COMPANION_FROZEN_APP=dist/companion python -m pytest tests/test_frozen_app.py
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
FROZEN = os.environ.get("COMPANION_FROZEN_APP")

pytestmark = pytest.mark.skipif(not FROZEN, reason="no frozen build (COMPANION_FROZEN_APP)")


@pytest.fixture(scope="module")
def bundle() -> Path:
    path = Path(FROZEN or "").resolve()
    assert (path / "companion").is_file(), f"no companion executable in {path}"
    return path


def run(bundle: Path, *args: str, home: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("PYTHONPATH", None)  # the frozen app must not need the source tree
    cmd = [str(bundle / "companion"), *(["--home", str(home)] if home else []), *args]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120,
                          cwd="/", check=False)


def test_the_frozen_app_signs_verifies_and_imports_a_pack(bundle: Path, tmp_path: Path) -> None:
    """Signing and checking packs needs cryptography: a spec that leaves it out fails here."""
    home = tmp_path / "home"
    assert run(bundle, "keys", "generate", "t", "-o", str(tmp_path / "keys")).returncode == 0
    built = run(bundle, "pack", "build", str(REPO_ROOT / "lessons" / "social-media-en"),
                "-o", str(tmp_path / "packs"), "--key", str(tmp_path / "keys" / "t.key"))
    assert built.returncode == 0, built.stderr
    assert run(bundle, "keys", "trust", str(tmp_path / "keys" / "t.pub"), home=home).returncode == 0
    imported = run(bundle, "pack", "import", str(tmp_path / "packs"), home=home)
    assert imported.returncode == 0, imported.stderr
    listed = run(bundle, "pack", "list", home=home)
    assert "social" in listed.stdout.lower(), listed.stdout


def test_the_frozen_app_has_no_hub(bundle: Path) -> None:
    result = run(bundle, "hub", "serve")
    assert result.returncode == 2 and "invalid choice: 'hub'" in result.stderr


def test_resources_are_where_the_app_looks(bundle: Path) -> None:
    resources = bundle / "_internal" / "resources"
    assert (resources / "icons" / "app-icon.svg").is_file()
    assert sorted(p.name for p in (resources / "i18n").iterdir()) == [
        "companion_en.qm", "companion_nl.qm"]


def test_libvlc_and_a_fresh_plugin_cache_are_bundled(bundle: Path) -> None:
    internal = bundle / "_internal"
    assert (internal / "libvlc.so.5").exists() and (internal / "libvlccore.so.9").exists()
    assert (internal / "vlc" / "plugins" / "plugins.dat").is_file()
    assert not (internal / "vlc" / "plugins" / "gui").exists()


def test_what_the_app_never_uses_is_left_out(bundle: Path) -> None:
    names = {p.name for p in (bundle / "_internal").rglob("*")}
    for unused in ("libQt6Quick.so.6", "libQt6Qml.so.6", "libQt6Pdf.so.6", "libqpdf.so",
                   "libQt6VirtualKeyboard.so.6", "libqtvirtualkeyboardplugin.so",
                   "libffmpegmediaplugin.so", "libavcodec.so.61", "libqeglfs.so"):
        assert unused not in names
    for needed in ("libqxcb.so", "libqwayland.so", "libqoffscreen.so", "libqsvgicon.so",
                   "libcomposeplatforminputcontextplugin.so", "libQt6Multimedia.so.6"):
        assert needed in names
