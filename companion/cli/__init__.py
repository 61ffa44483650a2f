"""The ``companion`` command: no arguments opens the desktop app, a subcommand runs the CLI.

Each command group lives in its own module with a ``register(subparsers)`` function. Commands
receive a :class:`~companion.cli.context.CliContext` and return an exit status. Errors the core
raises on purpose become one ``error: ...`` line on stderr and exit status 1; usage errors exit 2.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from companion import __version__
from companion.cli.context import CliContext, CliFailure
from companion.core.errors import CompanionError

COMMAND_MODULES = (
    "companion.cli.keys",
    "companion.cli.packs",
    "companion.cli.lessons",
    "companion.cli.profiles",
    "companion.cli.learning",
    "companion.cli.hub",
    "companion.cli.sync",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="companion",
        description="Offline-first course companion. Without a command it opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"companion {__version__}")
    parser.add_argument(
        "--home", metavar="DIR",
        help="keep everything in this folder (portable install; also $COMPANION_HOME)",
    )
    parser.add_argument("--profile", metavar="NAME", help="the person's profile to act as")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    import importlib

    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:  # command group not built yet
                continue
            raise
        module.register(sub)
    return parser


PACK_SUFFIX = ".cpack"


def gui_request(argv: Sequence[str]) -> tuple[str | None, str | None, list[str]] | None:
    """``(home, profile, files)`` when ``argv`` asks for the app rather than a command.

    That is: nothing but the global options, optionally followed by lesson pack files (what a
    file manager's "open with", the Windows file association and ``Exec=companion %f`` pass).
    Decided before the command modules are imported, so the app starts without loading them.
    """
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--home")
    pre.add_argument("--profile")
    try:
        known, rest = pre.parse_known_args(list(argv))
    except SystemExit:  # e.g. --home without a folder: the full parser explains
        return None
    if any(a.startswith("-") for a in rest):
        return None  # --help, --version, or an option of a command
    if rest and not all(a.lower().endswith(PACK_SUFFIX) for a in rest):
        return None  # a command (or a mistyped one: the full parser says so)
    return known.home, known.profile, rest


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    wanted = gui_request(argv)
    if wanted is not None:
        from companion.app import run_gui

        home, profile, files = wanted
        return run_gui(home=home, profile=profile, files=files)
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if args.command is None:  # only options gui_request() does not take, e.g. --bogus
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    if extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    ctx = CliContext(home=args.home, profile_name=args.profile)
    try:
        return int(args.handler(ctx, args) or 0)
    except CliFailure as exc:
        return exc.status
    except CompanionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader (e.g. `| head`) went away: not an error of ours. Silence the final flush.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    finally:
        ctx.close()
