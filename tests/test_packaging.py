"""The installers and launchers in packaging/: desktop entry, MIME type, PyInstaller spec and
runtime hook, the Linux install script and the portable launcher. Fast: no PyInstaller needed."""

from __future__ import annotations

import configparser
import importlib.util
import os
import shutil
import stat
import subprocess
import sys
import types
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from companion.core.packs.format import MANIFEST_NAME, PACK_SUFFIX

REPO_ROOT = Path(__file__).resolve().parent.parent
PACKAGING = REPO_ROOT / "packaging"
SPEC = PACKAGING / "pyinstaller" / "companion.spec"
RTHOOK = PACKAGING / "pyinstaller" / "rthook_vlc.py"
DESKTOP = PACKAGING / "linux" / "companion.desktop"
MIME_XML = PACKAGING / "linux" / "companion-pack.xml"
INSTALL_SH = PACKAGING / "linux" / "install.sh"
BUILD_SH = PACKAGING / "linux" / "build.sh"
PORTABLE_SH = PACKAGING / "portable" / "companion-portable.sh"
PORTABLE_CMD = PACKAGING / "portable" / "companion-portable.cmd"
ISS = PACKAGING / "windows" / "companion.iss"
MIME_NS = "{http://www.freedesktop.org/standards/shared-mime-info}"


# -- helpers ------------------------------------------------------------------------------------

def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


def mime_type_element() -> ET.Element:
    root = ET.parse(MIME_XML).getroot()
    types_ = root.findall(f"{MIME_NS}mime-type")
    assert len(types_) == 1
    return types_[0]


def magic_value(text: str) -> bytes:
    """A shared-mime-info string match value (C escapes such as \\003) as bytes."""
    return text.encode("latin-1").decode("unicode_escape").encode("latin-1")


def magic_matches(match: ET.Element, data: bytes) -> bool:
    """One <match> and its nested matches (all of which must hold) against ``data``."""
    assert match.get("type") == "string"
    offset = int(match.get("offset", "0"))
    value = magic_value(match.get("value", ""))
    if data[offset:offset + len(value)] != value:
        return False
    children = match.findall(f"{MIME_NS}match")
    return not children or any(magic_matches(child, data) for child in children)


def load_rthook() -> types.ModuleType:
    spec = importlib.util.spec_from_file_location("rthook_vlc_under_test", RTHOOK)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class _Recorder:
    """Stands in for PyInstaller's Analysis/PYZ/EXE/COLLECT and keeps what it was given."""

    calls: dict[str, list[tuple[tuple[Any, ...], dict[str, Any]]]]

    def __init__(self, kind: str, calls: dict[str, list[Any]]) -> None:
        self.kind, self.calls = kind, calls

    def __call__(self, *args: Any, **kwargs: Any) -> types.SimpleNamespace:
        self.calls.setdefault(self.kind, []).append((args, kwargs))
        return types.SimpleNamespace(**{"scripts": [], "pure": [], "binaries": [], "datas": [],
                                        **kwargs})


def run_spec(monkeypatch: pytest.MonkeyPatch, platform: str) -> dict[str, list[Any]]:
    """Execute the spec as PyInstaller would, with PyInstaller's classes stubbed out."""
    hooks = types.ModuleType("PyInstaller.utils.hooks")
    hooks.collect_submodules = lambda package, filter=None: [  # type: ignore[attr-defined]
        name for name in ("companion.cli.packs", "companion.ui.screens.home",
                          "companion.hub", "companion.hub.app", "companion.cli.hub")
        if filter is None or filter(name)]
    monkeypatch.setitem(sys.modules, "PyInstaller", types.ModuleType("PyInstaller"))
    monkeypatch.setitem(sys.modules, "PyInstaller.utils", types.ModuleType("PyInstaller.utils"))
    monkeypatch.setitem(sys.modules, "PyInstaller.utils.hooks", hooks)
    calls: dict[str, list[Any]] = {}
    namespace = {"SPECPATH": str(SPEC.parent), "__file__": str(SPEC)}
    for kind in ("Analysis", "PYZ", "EXE", "COLLECT"):
        namespace[kind] = _Recorder(kind, calls)
    code = compile(SPEC.read_text(encoding="utf-8"), str(SPEC), "exec")
    real_platform = sys.platform
    sys.platform = platform  # only while the spec runs: it picks the Windows or Linux branch
    try:
        exec(code, namespace)
    finally:
        sys.platform = real_platform
    return calls


def fake_vlc(root: Path, libs: tuple[str, str], suffix: str) -> Path:
    """A VLC install: the two libraries, a codec plugin, a GUI plugin and a stale cache."""
    root.mkdir(parents=True)
    for name in libs:
        (root / name).write_bytes(b"\x7fELF fake")
    plugins = root / "plugins" if suffix == ".dll" else root / "vlc" / "plugins"
    for sub, name in (("codec", "libavcodec_plugin"), ("gui", "libqt_plugin"),
                      ("video_output", "libcaca_plugin"), ("video_output", "libxcb_x11_plugin")):
        (plugins / sub).mkdir(parents=True, exist_ok=True)
        (plugins / sub / f"{name}{suffix}").write_bytes(b"plugin")
    (plugins / "plugins.dat").write_bytes(b"stale cache")
    return root


def lay_out_bundle(bundle: Path, entries: list[tuple[str, str]]) -> None:
    """Copy (source, destination folder) pairs into ``bundle`` as PyInstaller's COLLECT does."""
    for source, dest in entries:
        target = bundle / dest / Path(source).name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)


@pytest.fixture
def linux_spec(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[dict[str, Any]]:
    vlc = fake_vlc(tmp_path / "vlc-lib", ("libvlc.so.5", "libvlccore.so.9"), ".so")
    monkeypatch.setenv("VLC_DIR", str(vlc))
    monkeypatch.delenv("VLC_PLUGINS_DIR", raising=False)
    monkeypatch.delenv("COMPANION_BUNDLE_VLC", raising=False)
    yield run_spec(monkeypatch, "linux")["Analysis"][0][1]


# -- the desktop entry and the MIME type --------------------------------------------------------

def test_desktop_entry_has_the_required_keys_in_dutch_and_english() -> None:
    """The .desktop file is a valid application entry, named and described in nl and en."""
    entry = desktop_entry()
    assert entry["Type"] == "Application"
    for key in ("Name", "Name[nl]", "Comment", "Comment[nl]", "Exec", "Icon", "Categories"):
        assert entry.get(key, "").strip(), key
    assert entry["Terminal"] == "false"
    assert entry["Categories"].endswith(";")
    assert entry["Comment"] != entry["Comment[nl]"]


@pytest.mark.skipif(not shutil.which("desktop-file-validate"),
                    reason="desktop-file-utils not installed")
def test_desktop_entry_passes_desktop_file_validate() -> None:
    """freedesktop's own checker finds nothing wrong with the entry."""
    result = subprocess.run(["desktop-file-validate", str(DESKTOP)], capture_output=True,
                            text=True, timeout=30, check=False)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout


def test_desktop_entry_passes_the_opened_file_to_the_app() -> None:
    """Exec ends in %f, so a .cpack opened from the file manager reaches the app."""
    exec_line = desktop_entry()["Exec"].split()
    assert exec_line[0] == "companion"
    assert exec_line[-1] == "%f"


def test_desktop_mime_type_is_the_one_the_mime_xml_defines() -> None:
    """The entry claims exactly the pack type that companion-pack.xml registers."""
    declared = [t for t in desktop_entry()["MimeType"].split(";") if t]
    assert declared == [mime_type_element().get("type")]


def test_mime_glob_is_the_pack_suffix_of_the_code() -> None:
    """The MIME glob follows PACK_SUFFIX; a .cpack is declared a kind of zip."""
    mime = mime_type_element()
    globs = [g.get("pattern") for g in mime.findall(f"{MIME_NS}glob")]
    assert globs == [f"*{PACK_SUFFIX}"]
    assert mime.find(f"{MIME_NS}sub-class-of").get("type") == "application/zip"  # type: ignore[union-attr]
    comments = {c.get("{http://www.w3.org/XML/1998/namespace}lang"): c.text
                for c in mime.findall(f"{MIME_NS}comment")}
    assert comments[None] and comments["nl"]


def test_mime_magic_recognises_a_pack_written_by_the_app(tmp_path: Path) -> None:
    """The magic matches a real pack (manifest.json first) and no other zip."""
    import zipfile

    from companion.core.packs.writer import write_pack

    pack = tmp_path / f"p{PACK_SUFFIX}"
    write_pack(pack, b'{"format": "companion-pack"}', None, [])
    other = tmp_path / "other.zip"
    with zipfile.ZipFile(other, "w") as zf:
        zf.writestr("readme.txt", "not a pack")
        zf.writestr(MANIFEST_NAME, "{}")
    matches = mime_type_element().find(f"{MIME_NS}magic").findall(f"{MIME_NS}match")  # type: ignore[union-attr]
    assert any(magic_matches(m, pack.read_bytes()) for m in matches)
    assert not any(magic_matches(m, other.read_bytes()) for m in matches)


# -- the PyInstaller spec and runtime hook ------------------------------------------------------

@pytest.mark.parametrize("path", [SPEC, RTHOOK], ids=lambda p: p.name)
def test_spec_and_hook_compile(path: Path) -> None:
    """Both files are valid Python."""
    compile(path.read_text(encoding="utf-8"), str(path), "exec")


def test_spec_bundles_resources_where_the_frozen_app_looks(
        linux_spec: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Icons and compiled translations land where theme/i18n/icons look under sys._MEIPASS."""
    datas = linux_spec["datas"]
    assert not [src for src, _ in datas if src.endswith(".ts") or "pending" in Path(src).parts]
    bundle = tmp_path / "bundle"
    lay_out_bundle(bundle, datas)
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    from companion.ui import i18n, theme
    from companion.ui.player import icons

    assert theme.resources_dir() == bundle / "resources"
    assert theme.icon_path("app-icon").is_file()
    assert (icons.icons_dir() / "play.svg").is_file()
    assert {p.name for p in i18n.i18n_dir().glob("*.qm")} >= {"companion_nl.qm", "companion_en.qm"}


def test_spec_bundles_libvlc_and_plugins_where_the_hook_finds_them(
        linux_spec: dict[str, Any], tmp_path: Path) -> None:
    """The spec's libvlc layout and the runtime hook agree; unneeded plugins stay out."""
    binaries = linux_spec["binaries"]
    names = {Path(src).name: dest for src, dest in binaries}
    assert names["libvlc.so.5"] == "." and names["libvlccore.so.9"] == "."
    assert names["libavcodec_plugin.so"] == str(Path("vlc/plugins/codec"))
    assert "libxcb_x11_plugin.so" in names
    assert "libqt_plugin.so" not in names and "libcaca_plugin.so" not in names
    assert "plugins.dat" not in names  # stale for the copies: build.sh writes a fresh one
    assert linux_spec["runtime_hooks"] == [str(RTHOOK)]

    bundle = tmp_path / "bundle"
    lay_out_bundle(bundle, binaries)
    env = load_rthook().bundled_vlc_env(bundle, "linux")
    assert env == {
        "PYTHON_VLC_LIB_PATH": str(bundle / "libvlc.so.5"),
        "PYTHON_VLC_MODULE_PATH": str(bundle / "vlc" / "plugins"),
        "VLC_PLUGIN_PATH": str(bundle / "vlc" / "plugins"),
    }


def test_spec_leaves_out_the_hub_and_the_test_tools(linux_spec: dict[str, Any]) -> None:
    """The desktop build has no hub server, no test tools and no plaintext keyring."""
    excludes = set(linux_spec["excludes"])
    assert {"companion.hub", "companion.cli.hub", "fastapi", "uvicorn", "sqlalchemy",
            "pytest", "keyrings.alt"} <= excludes
    hidden = linux_spec["hiddenimports"]
    assert "companion.cli.packs" in hidden and "companion.ui.screens.home" in hidden
    assert not [name for name in hidden if name.startswith(("companion.hub", "companion.cli.hub"))]


def test_spec_stops_without_libvlc_unless_told(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A build without VLC must be asked for (COMPANION_BUNDLE_VLC=0), never happen silently."""
    monkeypatch.setenv("VLC_DIR", str(tmp_path / "nowhere"))
    monkeypatch.delenv("VLC_PLUGINS_DIR", raising=False)
    monkeypatch.delenv("COMPANION_BUNDLE_VLC", raising=False)
    with pytest.raises(SystemExit, match="libvlc not found"):
        run_spec(monkeypatch, "linux")
    monkeypatch.setenv("COMPANION_BUNDLE_VLC", "0")
    analysis = run_spec(monkeypatch, "linux")["Analysis"][0][1]
    assert analysis["binaries"] == []


def test_windows_spec_makes_the_executables_the_installer_and_launcher_use(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """On Windows: companion.exe without console, companion-cli.exe with, VLC from VLC_DIR."""
    vlc = fake_vlc(tmp_path / "VLC", ("libvlc.dll", "libvlccore.dll"), ".dll")
    monkeypatch.setenv("VLC_DIR", str(vlc))
    monkeypatch.delenv("COMPANION_BUNDLE_VLC", raising=False)
    calls = run_spec(monkeypatch, "win32")
    exes = {kwargs["name"]: kwargs for _, kwargs in calls["EXE"]}
    assert exes["companion"]["console"] is False
    assert exes["companion-cli"]["console"] is True
    assert exes["companion"]["icon"].endswith("app-icon.ico")
    binaries = {Path(src).name: dest for src, dest in calls["Analysis"][0][1]["binaries"]}
    assert binaries["libvlc.dll"] == "."
    assert binaries["libavcodec_plugin.dll"] == str(Path("vlc/plugins/codec"))

    iss = ISS.read_text(encoding="utf-8")
    assert '#define AppExe "companion.exe"' in iss
    assert "companion-cli.exe" in PORTABLE_CMD.read_text(encoding="utf-8")
    assert "companion-windows\\companion.exe" in PORTABLE_CMD.read_text(encoding="utf-8")


def test_rthook_points_python_vlc_at_the_bundle(tmp_path: Path) -> None:
    """With libvlc and plugins in the bundle, all three variables are set to them."""
    hook = load_rthook()
    (tmp_path / "libvlc.so.5").write_bytes(b"")
    (tmp_path / "vlc" / "plugins").mkdir(parents=True)
    environ: dict[str, str] = {"PATH": "/usr/bin"}
    applied = hook.configure_bundled_vlc(tmp_path, environ, "linux")
    assert applied == {
        "PYTHON_VLC_LIB_PATH": str(tmp_path / "libvlc.so.5"),
        "PYTHON_VLC_MODULE_PATH": str(tmp_path / "vlc" / "plugins"),
        "VLC_PLUGIN_PATH": str(tmp_path / "vlc" / "plugins"),
    }
    assert environ == {"PATH": "/usr/bin", **applied}


def test_rthook_keeps_a_libvlc_the_person_chose(tmp_path: Path) -> None:
    """A libvlc named in the environment wins, and no bundled plugins are mixed in with it."""
    hook = load_rthook()
    (tmp_path / "libvlc.dll").write_bytes(b"")
    (tmp_path / "vlc" / "plugins").mkdir(parents=True)
    environ = {"PYTHON_VLC_LIB_PATH": r"D:\vlc\libvlc.dll"}
    assert hook.configure_bundled_vlc(tmp_path, environ, "win32") == {}
    assert environ == {"PYTHON_VLC_LIB_PATH": r"D:\vlc\libvlc.dll"}


def test_rthook_keeps_a_plugin_folder_the_person_chose(tmp_path: Path) -> None:
    """A plugin variable already set stays; the bundled libvlc is still used."""
    hook = load_rthook()
    (tmp_path / "libvlc.so.5").write_bytes(b"")
    (tmp_path / "vlc" / "plugins").mkdir(parents=True)
    environ = {"VLC_PLUGIN_PATH": "/opt/vlc/plugins"}
    applied = hook.configure_bundled_vlc(tmp_path, environ, "linux")
    assert environ["VLC_PLUGIN_PATH"] == "/opt/vlc/plugins"
    assert set(applied) == {"PYTHON_VLC_LIB_PATH", "PYTHON_VLC_MODULE_PATH"}


def test_rthook_sets_nothing_without_a_bundled_libvlc(tmp_path: Path) -> None:
    """A build without VLC leaves python-vlc to find a system VLC (or the Qt player)."""
    hook = load_rthook()
    (tmp_path / "vlc" / "plugins").mkdir(parents=True)
    environ: dict[str, str] = {}
    assert hook.configure_bundled_vlc(tmp_path, environ, "linux") == {}
    assert environ == {}


def test_rthook_gives_no_plugin_path_that_does_not_exist(tmp_path: Path) -> None:
    """python-vlc exits on a missing plugin folder, so only the library path is given then."""
    hook = load_rthook()
    (tmp_path / "libvlc.so.5").write_bytes(b"")
    assert hook.bundled_vlc_env(tmp_path, "linux") == {
        "PYTHON_VLC_LIB_PATH": str(tmp_path / "libvlc.so.5")}


def test_rthook_does_nothing_outside_a_frozen_app(monkeypatch: pytest.MonkeyPatch) -> None:
    """Imported in a normal Python, the hook changes no variable."""
    for key in ("PYTHON_VLC_LIB_PATH", "PYTHON_VLC_MODULE_PATH", "VLC_PLUGIN_PATH"):
        monkeypatch.delenv(key, raising=False)
    load_rthook()
    assert not {"PYTHON_VLC_LIB_PATH", "PYTHON_VLC_MODULE_PATH", "VLC_PLUGIN_PATH"} & set(
        os.environ)


# -- the Linux install script -------------------------------------------------------------------

def fake_build(tmp_path: Path) -> Path:
    """A one-folder build with an executable and the icons, as build.sh leaves it."""
    build = tmp_path / "dist" / "companion"
    icons = build / "_internal" / "resources" / "icons"
    icons.mkdir(parents=True)
    for name in ("app-icon.svg", "app-icon.png"):
        shutil.copyfile(REPO_ROOT / "resources" / "icons" / name, icons / name)
    exe = build / "companion"
    exe.write_text("#!/bin/sh\necho frozen companion \"$@\"\n", encoding="utf-8")
    exe.chmod(0o755)
    return build


def run_install(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", str(INSTALL_SH), *map(str, args)], capture_output=True,
                          text=True, timeout=60, check=False)


def test_install_puts_app_menu_entry_mime_type_and_icons_under_the_prefix(tmp_path: Path) -> None:
    """install.sh --prefix installs everything there, with the menu entry on the full path."""
    build, prefix = fake_build(tmp_path), tmp_path / "prefix"
    result = run_install("--prefix", prefix, "--from", build)
    assert result.returncode == 0, result.stderr

    app = prefix / "lib" / "companion" / "companion"
    assert app.is_file() and app.stat().st_mode & stat.S_IXUSR
    command = prefix / "bin" / "companion"
    assert command.resolve() == app.resolve()
    assert subprocess.run([str(command), "--version"], capture_output=True, text=True,
                          check=True).stdout.strip() == "frozen companion --version"

    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(prefix / "share" / "applications" / "companion.desktop", encoding="utf-8")
    entry = parser["Desktop Entry"]
    assert entry["Exec"] == f'"{app}" %f'
    assert entry["TryExec"] == str(app)
    assert entry["MimeType"] == desktop_entry()["MimeType"]

    mime = prefix / "share" / "mime" / "packages" / "companion-pack.xml"
    assert mime.read_bytes() == MIME_XML.read_bytes()
    hicolor = prefix / "share" / "icons" / "hicolor"
    for icon in ("scalable/apps/companion.svg", "256x256/apps/companion.png",
                 "scalable/mimetypes/application-x-companion-pack.svg"):
        assert (hicolor / icon).is_file(), icon
    if shutil.which("update-mime-database"):  # the XML compiled into the MIME database
        globs = (prefix / "share" / "mime" / "globs2").read_text(encoding="utf-8")
        assert f"application/x-companion-pack:*{PACK_SUFFIX}" in globs


def test_install_again_replaces_the_app_and_uninstall_removes_it(tmp_path: Path) -> None:
    """An update leaves no old files behind; --uninstall removes what install put there."""
    build, prefix = fake_build(tmp_path), tmp_path / "prefix"
    assert run_install("--prefix", prefix, "--from", build).returncode == 0
    leftover = prefix / "lib" / "companion" / "_internal" / "old-version.so"
    leftover.write_bytes(b"old")
    assert run_install("--prefix", prefix, "--from", build).returncode == 0
    assert not leftover.exists()
    assert not list((prefix / "lib").glob(".companion-new.*"))

    result = run_install("--prefix", prefix, "--uninstall")
    assert result.returncode == 0, result.stderr
    assert not (prefix / "lib" / "companion").exists()
    assert not (prefix / "bin" / "companion").is_symlink()
    assert not (prefix / "share" / "applications" / "companion.desktop").exists()
    assert not (prefix / "share" / "mime" / "packages" / "companion-pack.xml").exists()


def test_install_without_a_build_says_what_to_do(tmp_path: Path) -> None:
    """No build folder: a plain error that names build.sh, and nothing installed."""
    result = run_install("--prefix", tmp_path / "prefix", "--from", tmp_path / "missing")
    assert result.returncode == 1
    assert "build.sh" in result.stderr
    assert not (tmp_path / "prefix" / "lib" / "companion").exists()


@pytest.mark.parametrize("script", [INSTALL_SH, BUILD_SH, PORTABLE_SH], ids=lambda p: p.name)
def test_shell_scripts_parse_and_are_executable(script: Path) -> None:
    """Each shell script passes the shell's syntax check and has its x bit."""
    shell = "bash" if "bash" in script.read_text(encoding="utf-8").splitlines()[0] else "sh"
    subprocess.run([shell, "-n", str(script)], check=True, timeout=30)
    assert script.stat().st_mode & stat.S_IXUSR


# -- the portable launcher ----------------------------------------------------------------------

def make_stick(tmp_path: Path) -> Path:
    """A stick with the launcher and a stand-in app that prints its home and arguments."""
    stick = tmp_path / "USB STICK"
    app_dir = stick / "companion-linux"
    app_dir.mkdir(parents=True)
    shutil.copy2(PORTABLE_SH, stick / PORTABLE_SH.name)
    app = app_dir / "companion"
    app.write_text('#!/bin/sh\necho "home=$COMPANION_HOME"\n'
                   'for a in "$@"; do echo "arg=$a"; done\n', encoding="utf-8")
    app.chmod(0o755)
    return stick


def test_portable_launcher_keeps_the_home_beside_it(tmp_path: Path) -> None:
    """COMPANION_HOME is the companion-home folder next to the launcher, whatever was set."""
    stick = make_stick(tmp_path)
    env = {**os.environ, "COMPANION_HOME": str(tmp_path / "elsewhere")}
    result = subprocess.run(["sh", str(stick / PORTABLE_SH.name), "pack", "import", "my packs"],
                            capture_output=True, text=True, cwd=tmp_path, env=env, timeout=30,
                            check=True)
    assert result.stdout.splitlines() == [
        f"home={stick.resolve() / 'companion-home'}", "arg=pack", "arg=import", "arg=my packs"]


def test_portable_launcher_explains_a_missing_app(tmp_path: Path) -> None:
    """Without the build beside it, the launcher says where it looked."""
    stick = make_stick(tmp_path)
    shutil.rmtree(stick / "companion-linux")
    result = subprocess.run(["sh", str(stick / PORTABLE_SH.name)], capture_output=True,
                            text=True, timeout=30, check=False)
    assert result.returncode == 1
    assert "companion-linux" in result.stderr


@pytest.mark.skipif(not any(Path(p).exists() for p in (
    "/lib64/ld-linux-x86-64.so.2", "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2",
    "/lib/ld-linux-aarch64.so.1")), reason="no known dynamic loader")
def test_portable_launcher_runs_from_a_stick_without_executable_bits(tmp_path: Path) -> None:
    """FAT32/exFAT keep no x bit: `sh companion-portable.sh` still starts the app (a real ELF
    program here, /usr/bin/env standing in for the frozen app) through the dynamic loader."""
    stick = make_stick(tmp_path)
    app = stick / "companion-linux" / "companion"
    shutil.copyfile(shutil.which("env") or "/usr/bin/env", app)
    for path in (app, stick / PORTABLE_SH.name):
        path.chmod(0o644)
    assert not app.stat().st_mode & 0o111
    result = subprocess.run(
        ["sh", str(stick / PORTABLE_SH.name), "sh", "-c",
         'echo "home=$COMPANION_HOME"; for a in "$@"; do echo "arg=$a"; done', "-", "my packs"],
        capture_output=True, text=True, cwd=tmp_path, timeout=30, check=True)
    assert result.stdout.splitlines() == [f"home={stick.resolve() / 'companion-home'}",
                                          "arg=my packs"]


def test_app_icon_has_every_size_windows_asks_for() -> None:
    """A multi-size .ico (tools/make_app_ico.py): the title bar, taskbar and Explorer each
    take their own size instead of scaling one 64 px image."""
    import struct

    data = (REPO_ROOT / "resources" / "icons" / "app-icon.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1)
    sizes = set()
    for i in range(count):
        width, height, _colors, _res, _planes, bits, length, offset = struct.unpack(
            "<BBBBHHII", data[6 + 16 * i:22 + 16 * i])
        assert width == height and bits == 32 and offset + length <= len(data)
        assert data[offset:offset + 8] == b"\x89PNG\r\n\x1a\n"
        sizes.add(width or 256)
    assert {16, 24, 32, 48, 256} <= sizes


def test_windows_launcher_sets_the_home_beside_it() -> None:
    """The .cmd launcher sets COMPANION_HOME from its own folder and keeps CRLF line ends."""
    raw = PORTABLE_CMD.read_bytes()
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    assert 'set "COMPANION_HOME=%HERE%companion-home"' in raw.decode("ascii")


# -- a known gap in the app itself --------------------------------------------------------------

def test_app_opens_a_pack_given_on_the_command_line(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """`companion lesson.cpack` (what the file manager runs) starts the app with that file."""
    import companion.app
    from companion.cli import main

    opened: list[Any] = []
    monkeypatch.setattr(companion.app, "run_gui",
                        lambda home, profile, files, tray=False: opened.append(files) or 0)
    pack = tmp_path / f"lessons{PACK_SUFFIX}"
    pack.write_bytes(b"PK")
    try:
        status = main(["--home", str(tmp_path / "home"), str(pack)])
    except SystemExit as exc:
        status = exc.code
    assert status == 0
    assert opened == [[str(pack)]]
