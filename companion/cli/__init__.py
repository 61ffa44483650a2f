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
    "companion.cli.support",
    "companion.cli.courier",
    "companion.cli.social",
    "companion.cli.groups",  # after learning and profiles: it adds to their commands
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
    parser.add_argument("--debug", action="store_true",
                        help="write everything to the log file, not only warnings and errors")
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
#: What `companion hub` needs beyond the desktop app (the `hub` extra, or companion-hub).
HUB_LIBRARIES = frozenset({"fastapi", "starlette", "uvicorn", "sqlalchemy", "argon2", "psycopg",
                           "pydantic"})


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
    if rest and not all(a.lower().endswith(PACK_SUFFIX) or _is_folder(a) for a in rest):
        return None  # a command (or a mistyped one: the full parser says so)
    return known.home, known.profile, rest


def _is_folder(arg: str) -> bool:
    """A folder to import every pack of (``companion /media/stick/``, a file manager's "open
    with"). Written as a path: a bare word is a command even where a folder of that name is."""
    looks_like_path = os.sep in arg or "/" in arg or arg in (".", "..")
    return looks_like_path and os.path.isdir(arg)


#: Arguments that are paths: any bytes the system allows. Every other argument is text that
#: goes into the library or over the network, so it must be real text.
PATH_ARGUMENTS = frozenset({"home", "out_dir", "public_key_file", "source_dir", "key", "file",
                            "paths", "ca_file"})


def _not_text(args: argparse.Namespace) -> str | None:
    """The first argument that is not valid text (a terminal in another encoding than UTF-8
    passes its bytes through as surrogates), as the error line names it."""
    for name, value in vars(args).items():
        if name in PATH_ARGUMENTS or "dir" in name or "path" in name:
            continue
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str):
                try:
                    item.encode("utf-8")
                except UnicodeEncodeError:
                    shown = item.encode("utf-8", "surrogateescape").decode(
                        "utf-8", "backslashreplace")  # the bytes, readable in any terminal
                    return f"{name.replace('_', ' ')} '{shown}'"
    return None


def take_debug(argv: Sequence[str]) -> tuple[bool, list[str]]:
    """``--debug`` among the global options (before the command), and ``argv`` without it."""
    rest, debug, i = list(argv), False, 0
    while i < len(rest):
        if rest[i] == "--debug":
            del rest[i]
            debug = True
        elif rest[i] in ("--home", "--profile"):
            i += 2
        elif rest[i].startswith(("--home=", "--profile=")):
            i += 1
        else:
            break
    return debug, rest


def _start_log(home: str | None, debug: bool) -> None:
    from companion.core.paths import resolve_locations
    from companion.support.logs import setup_logging

    setup_logging(resolve_locations(home).log_dir, debug=debug)


def main(argv: Sequence[str] | None = None) -> int:
    debug, argv = take_debug(sys.argv[1:] if argv is None else argv)
    tray = "--tray" in argv  # started at login: the app waits in the tray (no window)
    if tray:
        argv.remove("--tray")
    wanted = gui_request(argv)
    if wanted is not None:
        from companion.app import run_gui

        home, profile, files = wanted
        _start_log(home, debug)
        return run_gui(home=home, profile=profile, files=files, tray=tray)
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if args.command is None:  # only options gui_request() does not take, e.g. --bogus
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    if extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    wrong = _not_text(args)
    if wrong is not None:
        print(f"error: the {wrong} is not valid text: set the terminal to UTF-8 and type it"
              " again", file=sys.stderr)
        return 1
    if args.command != "hub":  # the hub logs to its own output (docs/deploy.md)
        _start_log(args.home, debug or args.debug)
    ctx = CliContext(home=args.home, profile_name=args.profile)
    try:
        return int(args.handler(ctx, args) or 0)
    except CliFailure as exc:
        return exc.status
    except CompanionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except ModuleNotFoundError as exc:
        if args.command != "hub" or exc.name not in HUB_LIBRARIES:
            raise
        print(f"error: the hub is not installed here ({exc.name} is missing): install the "
              "companion-hub distribution (pipx install ./packaging/hub) or the app with its "
              "hub extra (pip install '.[hub]')", file=sys.stderr)
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
