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
    # companion/app.py starts the UI, but only through a lazy import in one place.
    offenders = [o for o in offenders if not o.startswith("app.py: companion.ui")]
    assert offenders == []


def test_core_modules_import_without_qt() -> None:
    """Importing every core, sync and hub module loads no PySide6 module."""
    import importlib
    import subprocess
    import sys

    modules = []
    for part in ("core", "sync", "hub"):
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


# -- the import graph -------------------------------------------------------------------------
#
# Imports are split in two: those a module runs when it is loaded (module level, including
# ``if TYPE_CHECKING:`` blocks, because a type-only import is still a dependency a reader must
# follow) and those inside a function (lazy: run only when called). A circle of module-level
# imports is forbidden outright: it makes import order matter and hides which layer is above
# which. Lazy imports are counted separately: they are the one sanctioned way to load something
# heavy late (the CLI starting the app), so they may point upwards, but together with the
# module-level ones they must still not close a circle.


def _module_name(path: Path) -> str:
    parts = ("companion", *path.relative_to(PACKAGE).with_suffix("").parts)
    return ".".join(parts).removesuffix(".__init__")


def _all_modules() -> dict[str, Path]:
    return {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def _resolve(module: str, node: ast.ImportFrom | ast.Import, modules: dict[str, Path]) -> set[str]:
    """The companion modules that ``node`` (found in ``module``) loads."""
    found: set[str] = set()
    if isinstance(node, ast.Import):
        for alias in node.names:
            if alias.name in modules:
                found.add(alias.name)
        return found
    base = node.module or ""
    if node.level:
        is_package = modules[module].name == "__init__.py"
        anchor = module.split(".")
        anchor = anchor[: len(anchor) - node.level + (1 if is_package else 0)]
        base = ".".join([*anchor, base]) if base else ".".join(anchor)
    for alias in node.names:
        sub = f"{base}.{alias.name}"
        if sub in modules:  # ``from package import module``
            found.add(sub)
        elif base in modules:
            found.add(base)
    return found


def _import_graph() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """(module-level edges, function-level edges) among companion's own modules."""
    modules = _all_modules()
    top: dict[str, set[str]] = {m: set() for m in modules}
    lazy: dict[str, set[str]] = {m: set() for m in modules}

    def visit(module: str, node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                target = lazy if in_function else top
                target[module] |= _resolve(module, child, modules) - {module}
            nested = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef,
                                                       ast.Lambda))
            visit(module, child, nested)

    for module, path in modules.items():
        visit(module, ast.parse(path.read_text(encoding="utf-8"), filename=str(path)), False)
    return top, lazy


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


def test_cycle_finder_finds_a_circle() -> None:
    """The finder itself: a three-module circle is found, a chain is not."""
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def test_no_import_cycle_at_module_level() -> None:
    top, _lazy = _import_graph()
    assert _cycles(top) == []


def test_no_import_cycle_counting_lazy_imports() -> None:
    top, lazy = _import_graph()
    both = {m: top[m] | lazy[m] for m in top}
    assert _cycles(both) == []


def test_services_module_imports_no_ui() -> None:
    """The composition root's services are used by the CLI and the hub's tools: no Qt, no UI."""
    names = _imported_modules(PACKAGE / "services.py")
    ui = [n for n in names if n.split(".")[0] in {"PySide6", "shiboken6"}
          or n.startswith("companion.ui") or n == "companion.app"]
    assert ui == []


def _string_loading(path: Path) -> list[str]:
    """importlib, __import__ or a getattr whose attribute name is not a literal."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
            if any(n.split(".")[0] == "importlib" for n in names):
                found.append(f"{path.name}:{node.lineno} importlib")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id == "__import__":
                found.append(f"{path.name}:{node.lineno} __import__")
            elif node.func.id == "getattr" and len(node.args) >= 2 and not (
                    isinstance(node.args[1], ast.Constant)):
                found.append(f"{path.name}:{node.lineno} getattr by name")
    return found


def test_main_window_loads_no_screen_by_name() -> None:
    """The shell imports its screens: one that cannot load fails loudly, at once."""
    assert _string_loading(PACKAGE / "ui" / "main_window.py") == []


def test_no_importlib_in_ui() -> None:
    offenders = [o for p in (PACKAGE / "ui").rglob("*.py") for o in _string_loading(p)
                 if "importlib" in o or "__import__" in o]
    assert offenders == []
