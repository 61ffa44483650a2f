"""``companion pack ...``: build, verify, import, export, list and remove lesson packs."""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import TextIO

import sqlite_utils

from companion.cli.context import CliContext
from companion.cli.output import format_duration, print_json, print_table
from companion.core.db import open_database, open_database_readonly
from companion.core.errors import PackError
from companion.core.media_store import MediaStore
from companion.core.packs.build import build_pack
from companion.core.packs.manager import PackManager
from companion.core.packs.models import ImportOutcome
from companion.core.paths import portable_locations, resolve_locations
from companion.core.trust import TrustStore


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("pack", help="build, check, import and export lesson packs")
    psub = p.add_subparsers(dest="pack_command", metavar="ACTION", required=True)

    build = psub.add_parser("build", help="build a .cpack from a pack source folder")
    build.add_argument("source_dir", metavar="SOURCE_DIR")
    build.add_argument("-o", "--out-dir", default=".", metavar="OUT_DIR",
                       help="where to write the .cpack (default: here)")
    build.add_argument("--key", metavar="KEY_FILE", help="sign with this private key")
    build.set_defaults(handler=run_build)

    verify = psub.add_parser("verify", help="check a .cpack as an import would; changes nothing")
    verify.add_argument("file", metavar="FILE")
    verify.add_argument("--allow-unsigned", action="store_true",
                        help="accept a pack that is unsigned or signed by an unknown key")
    verify.set_defaults(handler=run_verify)

    imp = psub.add_parser("import", help="install or update packs (a folder: every .cpack in it)")
    imp.add_argument("paths", nargs="+", metavar="FILE_OR_DIR")
    imp.add_argument("--allow-unsigned", action="store_true",
                     help="accept packs that are unsigned or signed by an unknown key")
    imp.set_defaults(handler=run_import)

    export = psub.add_parser("export", help="write an installed pack back to a .cpack")
    export.add_argument("pack_id", metavar="PACK_ID")
    export.add_argument("-o", "--out-dir", required=True, metavar="DIR")
    export.set_defaults(handler=run_export)

    from companion.cli.transfers import register_pack_transfers

    register_pack_transfers(psub)

    ls = psub.add_parser("list", help="list the installed packs")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(handler=run_list)

    rm = psub.add_parser("remove", help="uninstall a pack (progress and notes stay)")
    rm.add_argument("pack_id", metavar="PACK_ID")
    rm.set_defaults(handler=run_remove)


def _mb(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


class ProgressBar:
    """One line on a terminal, redrawn at most ten times a second."""

    WIDTH = 24

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self._last = 0.0
        self._shown = False

    def update(self, path: Path, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self._last < 0.1 and done < total:
            return
        self._last = now
        fraction = done / total if total else 1.0
        filled = int(fraction * self.WIDTH)
        name = path.name if len(path.name) <= 32 else path.name[:29] + "..."
        self.stream.write(f"\r{name} [{'#' * filled}{'.' * (self.WIDTH - filled)}]"
                          f" {fraction:4.0%} {_mb(done)} of {_mb(total)}\x1b[K")
        self.stream.flush()
        self._shown = True

    def clear(self) -> None:
        if self._shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._shown = False


def _bar() -> ProgressBar | None:
    return ProgressBar(sys.stderr) if sys.stderr.isatty() else None


def run_build(ctx: CliContext, args: argparse.Namespace) -> int:
    result = build_pack(args.source_dir, args.out_dir, args.key)
    for warning in result.warnings:
        ctx.warn(warning)
    if not result.signed:
        ctx.warn(f"{result.path}: the pack is not signed (no --key); PCs refuse it unless it is"
                 " imported with --allow-unsigned")
    print(result.path)
    return 0


def run_verify(ctx: CliContext, args: argparse.Namespace) -> int:
    bar = _bar()
    path = Path(args.file)
    with tempfile.TemporaryDirectory(prefix="companion-verify-") as scratch:
        packs, db = _looking_packs(ctx, Path(scratch))
        try:
            result = packs.verify(
                path, allow_unsigned=args.allow_unsigned,
                progress=(lambda d, t: bar.update(path, d, t)) if bar else None,
            )
        finally:
            db.close()
            if bar:
                bar.clear()
    if result.signer is None:
        signed = "not signed"
    else:
        trust = "trusted" if result.signer.trusted else "NOT trusted on this PC"
        signed = f"signed by {result.signer.name} ({result.signer.short_fingerprint}), {trust}"
    installed = (f"; version {result.installed_version} is installed"
                 if result.installed_version else "")
    print(f"ok: {path}: {result.pack_id} {result.version}, {result.lessons} lessons,"
          f" {_mb(result.total_size)}, {signed}{installed}")
    return 0


def _looking_packs(ctx: CliContext, scratch: Path) -> tuple[PackManager, sqlite_utils.Database]:
    """Packs that can check a file against the trusted keys and installed versions without
    creating a library where there is none (verify "changes nothing"): the library read-only
    if there is one, else an empty one in memory (nothing trusted, nothing installed) with
    its folders in ``scratch``."""
    locations = resolve_locations(ctx.home)
    db = open_database_readonly(locations.database_path)
    if db is None:
        db, locations = open_database(":memory:"), portable_locations(scratch)
    return PackManager(db, locations, TrustStore(db), MediaStore(locations.media_dir)), db


def _describe_error(outcome: ImportOutcome) -> str:
    error = outcome.error
    if isinstance(error, PackError) and error.path:
        return str(error)
    return f"{outcome.path}: {error}"


def run_import(ctx: CliContext, args: argparse.Namespace) -> int:
    bar = _bar()

    def report(outcome: ImportOutcome) -> None:
        if bar:
            bar.clear()
        if outcome.result is not None:
            print(f"{outcome.path}: {outcome.result.describe()}", flush=True)
            for warning in outcome.result.warnings:
                ctx.warn(warning)
        else:
            print(f"error: {_describe_error(outcome)}", file=sys.stderr, flush=True)

    try:
        outcomes = ctx.services.packs.import_many(
            args.paths, allow_unsigned=args.allow_unsigned,
            progress=bar.update if bar else None, on_outcome=report,
        )
    finally:
        if bar:
            bar.clear()
    counts = Counter(o.result.status for o in outcomes if o.result is not None)
    failed = sum(1 for o in outcomes if not o.ok)
    parts = [f"{counts[s]} {s}" for s in ("installed", "updated", "unchanged", "skipped")
             if counts[s]]
    if failed:
        parts.append(f"{failed} failed")
    print(f"{len(outcomes)} pack{'s' if len(outcomes) != 1 else ''}: {', '.join(parts)}")
    return 1 if failed else 0


def run_export(ctx: CliContext, args: argparse.Namespace) -> int:
    print(ctx.services.packs.export(args.pack_id, args.out_dir))
    return 0


def run_list(ctx: CliContext, args: argparse.Namespace) -> int:
    packs = ctx.services.packs.list_packs()
    if args.json:
        print_json([p.to_dict() for p in packs])
        return 0
    print_table(
        ["ID", "VERSION", "LESSONS", "LENGTH", "SIZE", "SIGNED BY", "TITLE"],
        [[p.id, p.version, p.lesson_count, format_duration(p.duration_s), _mb(p.total_size),
          p.signer_name or "(unsigned)", p.title] for p in packs],
    )
    return 0


def run_remove(ctx: CliContext, args: argparse.Namespace) -> int:
    ctx.services.packs.remove(args.pack_id)
    print(f"removed {args.pack_id}")
    return 0
