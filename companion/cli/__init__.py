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


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if args.command is None:
        files = [a for a in extra if not a.startswith("-")]
        unknown = [a for a in extra if a.startswith("-")]
        if unknown:
            parser.error(f"unrecognized arguments: {' '.join(unknown)}")
        from companion.app import run_gui

        return run_gui(home=args.home, profile=args.profile, files=files)
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
