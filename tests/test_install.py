"""Installs from the wheel: the plain install has everything the app imports, the wheel carries
resources/, the hub distribution (packaging/hub) has no Qt and its `companion-hub` command works.
The end-to-end proof (fresh virtualenvs, the app started, a hub served) is
tools/ci_install_smoke.sh, which CI runs."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
import zipfile
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

import pytest

from companion.cli import hub_entry
from companion.core import paths

REPO_ROOT = Path(__file__).resolve().parent.parent
PACKAGE = REPO_ROOT / "companion"
HUB_DIST = REPO_ROOT / "packaging" / "hub"


def _names(requirements: Iterable[str]) -> set[str]:
    return {_normal(re.split(r"[<>=!;\[ ~]", r.strip(), maxsplit=1)[0]) for r in requirements}


def _normal(name: str) -> str:
    return name.strip().lower().replace("_", "-")


def _toml(path: Path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def _third_party_imports(files: Iterable[Path]) -> dict[str, Path]:
    """Top-level module name -> a file importing it, for every import outside the stdlib
    (also those inside functions: a lazy import still needs its package at run time)."""
    found: dict[str, Path] = {}
    for file in files:
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names and top != "companion":
                    found.setdefault(top, file)
    return found


def _with_their_requirements(declared: set[str]) -> set[str]:
    """``declared`` and what they require in turn (fastapi brings starlette and pydantic)."""
    closure, todo = set(), list(declared)
    while todo:
        name = todo.pop()
        if name in closure:
            continue
        closure.add(name)
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        todo += _names(r for r in requires if "extra ==" not in r)
    return closure


def _undeclared(files: Iterable[Path], declared: set[str]) -> dict[str, str]:
    """Imported modules whose distribution is not among ``declared`` or their requirements."""
    declared = _with_their_requirements(declared)
    distributions = metadata.packages_distributions()
    missing = {}
    for module, file in _third_party_imports(files).items():
        dists = {_normal(d) for d in distributions.get(module, [])}
        assert dists, f"{module} (imported by {file}) is not installed here"
        if not dists & declared:
            missing[module] = str(file.relative_to(REPO_ROOT))
    return missing


def _desktop_files() -> list[Path]:
    return [f for f in PACKAGE.rglob("*.py") if "hub" not in f.relative_to(PACKAGE).parts[:1]]


def test_the_plain_install_has_everything_the_desktop_app_imports() -> None:
    """`pip install companion` (no extras) starts the app, syncs and runs the CLI: everything
    outside companion/hub imports only plain dependencies (httpx was once only an extra)."""
    declared = _names(_toml(REPO_ROOT / "pyproject.toml")["project"]["dependencies"])
    missing = _undeclared(_desktop_files(), declared)
    # companion/cli/hub.py imports the hub lazily: `companion hub` needs the hub extra.
    missing = {m: f for m, f in missing.items() if f != "companion/cli/hub.py"}
    assert not missing, f"imported but not in [project] dependencies: {missing}"


def test_the_hub_distribution_has_everything_its_packages_import_and_no_qt() -> None:
    hub = _toml(HUB_DIST / "pyproject.toml")["project"]
    declared = _names(hub["dependencies"])
    assert not {d for d in declared if d.startswith(("pyside", "shiboken", "python-vlc"))}
    files = [f for f in PACKAGE.rglob("*.py")
             if f.relative_to(PACKAGE).parts[0] in ("core", "sync", "cli", "hub")
             or (f.parent == PACKAGE and f.name in ("__init__.py", "__main__.py"))]
    assert not _undeclared(files, declared)
    # The hub extra of the app and the hub distribution must not drift apart.
    extra = _names(_toml(REPO_ROOT / "pyproject.toml")["project"]["optional-dependencies"]["hub"])
    assert extra <= declared


@pytest.mark.parametrize(("argv", "expected"), [
    ([], ["hub"]),
    (["serve", "--port", "8080"], ["hub", "serve", "--port", "8080"]),
    (["--home", "/srv/h", "list-groups"], ["--home", "/srv/h", "hub", "list-groups"]),
    (["--home=/srv/h", "serve"], ["--home=/srv/h", "hub", "serve"]),
    (["--version"], ["--version"]),
    (["serve", "--home", "x"], ["hub", "serve", "--home", "x"]),  # the hub parser says no
])
def test_companion_hub_is_companion_hub(argv: list[str], expected: list[str]) -> None:
    assert hub_entry.hub_argv(argv) == expected


def test_companion_hub_runs_the_hub_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        hub_entry.main(["--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert "serve" in out and "add-trainer" in out
    with pytest.raises(SystemExit) as exit_:
        hub_entry.main(["no-such-command"])
    assert exit_.value.code == 2


# -- resources ----------------------------------------------------------------------------------

def test_resources_are_found_in_the_source_tree() -> None:
    assert paths.resources_dir() == REPO_ROOT / "resources"
    assert (paths.resources_dir() / "i18n" / "companion_nl.qm").is_file()


def test_resources_are_found_in_an_installed_package(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site-packages"
    (site / "companion" / "core").mkdir(parents=True)
    (site / "companion" / "resources" / "icons").mkdir(parents=True)
    (tmp_path / "resources").mkdir()  # a stray folder beside site-packages must not win
    monkeypatch.setattr(paths, "__file__", str(site / "companion" / "core" / "paths.py"))
    assert paths.resources_dir() == site / "companion" / "resources"


def test_resources_of_a_frozen_app_win(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert paths.resources_dir() == tmp_path / "resources"


# -- the wheels (real builds, a few seconds each) -----------------------------------------------

def _build_wheel(source: Path, out: Path) -> zipfile.ZipFile:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--wheel-dir", str(out), str(source)], check=True, capture_output=True)
    (wheel,) = out.glob("*.whl")
    return zipfile.ZipFile(wheel)


@pytest.mark.slow
def test_the_wheel_carries_icons_and_compiled_translations(tmp_path: Path) -> None:
    with _build_wheel(REPO_ROOT, tmp_path) as wheel:
        names = set(wheel.namelist())
        meta = next(n for n in names if n.endswith(".dist-info/METADATA"))
        requires = _names(line.split(":", 1)[1] for line in wheel.read(meta).decode().splitlines()
                          if line.startswith("Requires-Dist:") and "extra ==" not in line)
    for qm in (REPO_ROOT / "resources" / "i18n").glob("*.qm"):
        assert f"companion/resources/i18n/{qm.name}" in names
    for icon in (REPO_ROOT / "resources" / "icons").iterdir():
        assert f"companion/resources/icons/{icon.name}" in names
    assert not [n for n in names if n.endswith(".ts") or "/pending/" in n]
    assert {"httpx", "pyside6-essentials", "python-vlc"} <= requires


@pytest.mark.slow
def test_the_hub_wheel_has_the_hub_and_no_desktop_app(tmp_path: Path) -> None:
    with _build_wheel(HUB_DIST, tmp_path) as wheel:
        names = set(wheel.namelist())
        entry_points = next(wheel.read(n).decode() for n in names
                            if n.endswith(".dist-info/entry_points.txt"))
    assert "companion/hub/app.py" in names and "companion/cli/hub_entry.py" in names
    assert not [n for n in names if n.startswith(("companion/ui/", "companion/resources/"))]
    assert "companion-hub = companion.cli.hub_entry:main" in entry_points
    assert "\ncompanion =" not in entry_points


# -- the lock -----------------------------------------------------------------------------------

def _lock() -> dict[str, str]:
    pins = {}
    for line in (REPO_ROOT / "requirements" / "lock.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            assert version and " " not in version, f"not an exact pin: {line!r}"
            pins[_normal(name)] = version
    return pins


def test_the_lock_pins_every_requirement_within_its_range() -> None:
    from packaging.requirements import Requirement

    project = _toml(REPO_ROOT / "pyproject.toml")["project"]
    requirements = [*project["dependencies"],
                    *(r for extra in project["optional-dependencies"].values() for r in extra),
                    *_toml(HUB_DIST / "pyproject.toml")["project"]["dependencies"]]
    pins = _lock()
    for text in requirements:
        req = Requirement(text)
        if req.marker is not None and not req.marker.evaluate():
            continue
        name = _normal(req.name)
        assert name in pins, f"{name} is not in requirements/lock.txt: run make lock"
        assert req.specifier.contains(pins[name], prereleases=True), (
            f"lock has {name}=={pins[name]}, pyproject wants {req.specifier}")
    assert "pyinstaller" in pins  # make package and CI build with the locked PyInstaller
    assert pins["pyside6-essentials"] == pins["pyside6-addons"] == pins["shiboken6"]


def test_hub_commands_without_the_hub_installed_say_what_to_install(
        home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """The plain app install has no FastAPI: `companion hub ...` explains instead of a trace."""
    from companion import cli

    monkeypatch.setitem(sys.modules, "sqlalchemy", None)  # as if not installed
    for name in [m for m in sys.modules if m.startswith("companion.hub")]:
        monkeypatch.delitem(sys.modules, name)
    status = cli.main(["hub", "list-groups", "--data", str(home / "hub")])
    assert status == 1
    err = capsys.readouterr().err
    assert "the hub is not installed here" in err and "companion-hub" in err
