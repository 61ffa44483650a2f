"""The ``companion-hub`` command of the hub distribution: ``companion hub ...`` under its own name.

``companion-hub serve --data DIR`` is ``companion hub serve --data DIR``; the global options
(``--home``, ``--profile``) may come first, as with ``companion``.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

GLOBAL_OPTIONS = ("--home", "--profile")


def hub_argv(argv: Sequence[str]) -> list[str]:
    """``argv`` of ``companion-hub`` as the ``companion`` command's arguments."""
    rest = list(argv)
    leading: list[str] = []
    while rest and (rest[0] in GLOBAL_OPTIONS or rest[0].startswith(tuple(
            f"{o}=" for o in GLOBAL_OPTIONS))):
        option = rest.pop(0)
        leading.append(option)
        if "=" not in option and rest:
            leading.append(rest.pop(0))
    if rest and rest[0] in ("--version", "-V"):
        return ["--version"]
    return [*leading, "hub", *rest]


def main(argv: Sequence[str] | None = None) -> int:
    from companion.cli import main as companion_main

    return companion_main(hub_argv(sys.argv[1:] if argv is None else argv))
