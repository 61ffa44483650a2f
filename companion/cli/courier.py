"""``companion courier``: the USB stick that carries the sync both ways.

- ``courier exchange DIR`` (shop PC, offline): take in what the stick brought for this PC's
  profiles (or ``--profile``), install the packs it carries, and write the outbound bundles;
  one summary line ("sent 12 changes, received 40 and 1 new pack").
- ``courier deliver DIR [--hub URL]`` (any online PC, no login needed): deliver every bundle on
  the stick and write the answers and wished-for pack files onto it; one line per bundle (``ok``
  or why it was refused); exit status 1 when any was refused, after doing all the others.
"""

from __future__ import annotations

import argparse

from companion.cli.context import CliContext
from companion.cli.output import print_json

EXIT_OFFLINE = 3


def register(sub: argparse._SubParsersAction) -> None:
    courier = sub.add_parser("courier", help="carry the sync on a USB stick",
                             description="Sync a PC without a connection through a USB stick "
                                         "that an online PC delivers to the hub.")
    actions = courier.add_subparsers(dest="courier_command", metavar="ACTION", required=True)
    exchange = actions.add_parser("exchange", help="shop PC: take in the stick's answers and "
                                  "write the outbound bundles")
    exchange.add_argument("stick_dir", metavar="DIR", help="the stick (or its "
                          "companion-courier folder)")
    exchange.add_argument("--json", action="store_true")
    exchange.set_defaults(handler=run_exchange)
    deliver = actions.add_parser("deliver", help="online PC: deliver the stick's bundles to "
                                 "the hub and bring back the answers")
    deliver.add_argument("stick_dir", metavar="DIR")
    deliver.add_argument("--hub", metavar="URL", help="send every bundle to this hub (default: "
                         "the hub each bundle names, else this PC's login)")
    deliver.add_argument("--ca-file", metavar="PEM",
                         help="trust this CA certificate file (a self-hosted hub)")
    deliver.add_argument("--json", action="store_true")
    deliver.set_defaults(handler=run_deliver)


def run_exchange(ctx: CliContext, args: argparse.Namespace) -> int:
    from pathlib import Path

    from companion.sync.courier import ExchangeResult, exchange

    if not Path(args.stick_dir).is_dir():  # a typo must not make a folder on the PC
        raise ctx.fail(f"{args.stick_dir} is not there: plug in the stick, or give its folder")
    svc = ctx.services
    if ctx.profile_name:
        profiles = [ctx.profile_id()]
    else:
        profiles = [int(r[0]) for r in svc.db.execute(
            "SELECT profile_id FROM courier_state ORDER BY profile_id").fetchall()]
        if not profiles:
            raise ctx.fail("no profile on this PC can use the courier yet: log in to the hub "
                           "once while online (companion login)")
    total = ExchangeResult()
    results = []
    for profile_id in profiles:
        result = exchange(svc.credentials, svc.packs, profile_id, args.stick_dir)
        results.append(result)
        total.sent += result.sent
        total.received += result.received
        total.new_packs += result.new_packs
        total.refused += result.refused
        for problem in result.pack_problems:
            ctx.warn(problem)
        if result.answer_problem:
            ctx.warn(f"the answer on the stick was not taken in: {result.answer_problem}")
        for refusal in result.refused:
            ctx.warn(refusal.describe())
    if args.json:
        print_json({"summary": total.summary(), "profiles": [r.to_dict() for r in results]})
    else:
        print(total.summary())
    return 0


def run_deliver(ctx: CliContext, args: argparse.Namespace) -> int:
    from companion.sync.client import HubClient, HubError, HubOffline
    from companion.sync.courier import courier_dir
    from companion.sync.courier_delivery import REFUSED, Delivery, deliver, deliver_by_address

    hub_url, ca_file = args.hub, args.ca_file
    if not hub_url:
        # No --hub: each bundle names its hub; this PC's login (if any) serves older bundles.
        row = ctx.services.db.execute(
            "SELECT hub_url, ca_file FROM sync_logins ORDER BY logged_in_at DESC").fetchone()
        fallback, fallback_ca = (row[0], row[1]) if row is not None else (None, None)
    folder = courier_dir(args.stick_dir)
    if not folder.is_dir():
        raise ctx.fail(f"no {folder.name} folder on {args.stick_dir}")

    def show(result: Delivery) -> None:
        if not args.json:
            print(result.line(folder), flush=True)

    try:
        if hub_url:
            with HubClient(hub_url, ca_file=ca_file) as client:
                results = deliver(folder, client, show)
        else:
            results = deliver_by_address(folder, fallback, {fallback: fallback_ca}
                                         if fallback else None, show, ca_file=ca_file)
    except HubOffline as exc:
        raise ctx.fail(exc.message, EXIT_OFFLINE) from exc
    except HubError as exc:
        raise ctx.fail(exc.message) from exc
    if args.json:
        print_json([r.to_dict() for r in results])
    if not results and not args.json:
        print("no bundles on the stick")
    return 1 if any(r.outcome == REFUSED for r in results) else 0

