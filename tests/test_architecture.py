"""Architecture rules that keep the core usable without a screen."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "companion"



def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_no_qt_outside_ui() -> None:
    """No module outside companion/ui imports PySide6 or companion.ui, even lazily."""
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE)
        if rel.parts[0] == "ui":
            continue
        for name in _imported_modules(path):
            is_qt = name.split(".")[0] in {"PySide6", "shiboken6"}
            if is_qt or name.startswith("companion.ui"):
                offenders.append(f"{rel}: {name}")
    # The composition root may start the UI, but only through a lazy import in one place.
    offenders = [o for o in offenders if not o.startswith("app.py: companion.ui")]
    assert offenders == []


def test_core_modules_import_without_qt() -> None:
    """Importing every core, sync and hub module loads no PySide6 module."""
    import importlib
    import subprocess
    import sys

    modules = []
    for part in ("core", "sync", "hub", "support"):
        for path in (PACKAGE / part).rglob("*.py"):
            mod = ".".join(("companion", *path.relative_to(PACKAGE).with_suffix("").parts))
            modules.append(mod.removesuffix(".__init__"))
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}:\n"
        "    try:\n"
        "        importlib.import_module(m)\n"
        "    except ImportError as e:\n"
        "        if 'PySide6' in str(e): raise\n"
        "print(sorted(k for k in sys.modules if k.startswith('PySide6')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    assert importlib.util.find_spec("companion.core") is not None
