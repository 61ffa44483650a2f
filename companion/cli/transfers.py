"""``companion pack publish|available|download``: packs over the network, after ``login``.

A trainer publishes a built pack to a group (only the files the hub lacks are sent; an
interrupted publish resumes); a learner sees what the hub offers to their groups and downloads
it (partial files are kept and resumed; every file's hash is checked; the pack is installed
through the same signature and trust checks as a ``.cpack`` import).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator
from typing import Any

from companion.cli.context import CliContext
from companion.cli.output import print_json, print_table

EXIT_OFFLINE = 3


def register_pack_transfers(psub: argparse._SubParsersAction) -> None:
    pub = psub.add_parser("publish", help="offer a .cpack to a group on the hub (trainers)")
    pub.add_argument("file", metavar="FILE")
    pub.add_argument("--group", required=True, metavar="NAME", help="the group's name (or id)")
    pub.add_argument("--allow-unsigned", action="store_true",
                     help="publish a pack that is not signed")
    pub.add_argument("--json", action="store_true")
    pub.set_defaults(handler=run_publish)

    avail = psub.add_parser("available", help="the packs the hub offers to my groups")
    avail.add_argument("--json", action="store_true")
    avail.set_defaults(handler=run_available)

    down = psub.add_parser("download", help="download and install a pack the hub offers")
    down.add_argument("pack_id", metavar="PACK_ID")
    down.add_argument("--max-rate", metavar="KB_PER_S", type=int,
                      help="a bandwidth cap in kilobytes per second")
    down.add_argument("--allow-unsigned", action="store_true",
                      help="accept a pack that is unsigned or signed by an unknown key")
    down.add_argument("--json", action="store_true")
    down.set_defaults(handler=run_download)


@contextlib.contextmanager
def _hub(ctx: CliContext) -> Iterator[Any]:
    """An authorized httpx client for the current profile's hub login."""
    from companion.sync.hub_login import NotConnectedError, open_hub

    svc = ctx.services
    store = svc.credentials
    with contextlib.ExitStack() as stack:
        try:
            http = stack.enter_context(open_hub(store, ctx.profile_id()))
        except NotConnectedError:
            raise ctx.fail("this profile is not connected to a hub: run companion login "
                           "first") from None
        yield http


def _network_errors(ctx: CliContext, exc: Exception) -> Exception:
    from companion.sync.client import HubError, HubOffline

    if isinstance(exc, HubOffline):
        return ctx.fail(exc.message, EXIT_OFFLINE)
    if isinstance(exc, HubError):
        return ctx.fail(exc.message)
    return exc


class _Meter:
    """A one-line progress report on stderr when it is a terminal."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()

    def show(self, text: str) -> None:
        if self.tty:
            sys.stderr.write(f"\r{text[:78]:<78}")
            sys.stderr.flush()

    def done(self) -> None:
        if self.tty:
            sys.stderr.write("\r" + " " * 78 + "\r")


def run_publish(ctx: CliContext, args: argparse.Namespace) -> int:
    from companion.sync.client import HubError
    from companion.sync.publish import publish_pack

    meter = _Meter()

    def progress(done: int, total: int) -> None:
        meter.show(f"uploading {done / 1e6:.1f} of {total / 1e6:.1f} MB")

    try:
        with _hub(ctx) as http:
            result = publish_pack(http, args.file, args.group, progress,
                                  allow_unsigned=args.allow_unsigned)
    except HubError as exc:
        raise _network_errors(ctx, exc) from exc
    finally:
        meter.done()
    if args.json:
        print_json({"pack": result.pack_id, "version": result.version,
                    "group": result.group_name, "files": result.files,
                    "files_sent": result.files_sent, "files_on_hub": result.files_on_hub,
                    "bytes_sent": result.bytes_sent, "signed": result.signed})
    else:
        print(f"published {result.pack_id} {result.version} to {result.group_name}: "
              f"{result.files_sent} of {result.files} files sent "
              f"({result.bytes_sent / 1e6:.1f} MB), {result.files_on_hub} already on the hub")
    return 0


def run_available(ctx: CliContext, args: argparse.Namespace) -> int:
    from companion.sync.client import HubError
    from companion.sync.offers import pack_catalog

    try:
        with _hub(ctx) as http:
            offered = pack_catalog(http, ctx.services.packs)
    except HubError as exc:
        raise _network_errors(ctx, exc) from exc
    rows = [{"id": p.pack_id, "version": p.version, "title": p.title, "language": p.language,
             "size": p.size, "bytes_needed": p.bytes_needed, "status": p.status,
             "installed_version": p.installed_version, "groups": list(p.group_names)}
            for p in offered]
    if args.json:
        print_json(rows)
    elif not rows:
        print("the hub offers no packs to your groups yet")
    else:
        print_table(["id", "version", "title", "status", "to download"],
                    [[r["id"], r["version"], r["title"], r["status"],
                      f"{r['bytes_needed'] / 1e6:.1f} MB"] for r in rows])
    return 0


def run_download(ctx: CliContext, args: argparse.Namespace) -> int:
    from companion.sync.client import HubError
    from companion.sync.downloads import Downloader
    from companion.sync.offers import pack_catalog

    meter = _Meter()

    def progress(p: Any) -> None:
        left = f", {int(p.eta_s)} s left" if p.eta_s is not None else ""
        meter.show(f"{p.done_bytes / 1e6:.1f} of {p.total_bytes / 1e6:.1f} MB, "
                   f"{p.bytes_per_s / 1e6:.1f} MB/s{left}")

    rate = args.max_rate * 1000 if args.max_rate else None
    try:
        with _hub(ctx) as http:
            offered = {p.pack_id: p for p in pack_catalog(http, ctx.services.packs)}
            pack = offered.get(args.pack_id)
            if pack is None:
                raise ctx.fail(f"the hub offers no pack {args.pack_id!r} to your groups "
                               "(see companion pack available)")
            downloader = Downloader(http, ctx.services.packs, rate_limit_bps=rate)
            result = downloader.download_pack(pack.group_ids[0], pack.pack_id, pack.version,
                                              allow_unsigned=args.allow_unsigned,
                                              progress=progress)
    except HubError as exc:
        raise _network_errors(ctx, exc) from exc
    finally:
        meter.done()
    installed = result.result
    if args.json:
        print_json({"pack": pack.pack_id, "version": pack.version,
                    "status": str(getattr(installed, "status", "")),
                    "files_fetched": result.files_fetched, "bytes_fetched": result.bytes_fetched,
                    "bytes_resumed": result.bytes_resumed, "files_reused": result.files_reused})
    else:
        print(f"{pack.title}: {getattr(installed, 'status', 'installed')} "
              f"({result.files_fetched} files, {result.bytes_fetched / 1e6:.1f} MB fetched, "
              f"{result.files_reused} already here)")
    return 0
