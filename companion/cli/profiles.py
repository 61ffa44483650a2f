"""``companion profile ...``: the people who use this PC."""

from __future__ import annotations

import argparse

from companion.cli.context import CliContext
from companion.cli.output import print_json, print_table


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("profile", help="manage the profiles (people) on this PC")
    psub = p.add_subparsers(dest="profile_command", metavar="ACTION", required=True)

    ls = psub.add_parser("list", help="list profiles")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(handler=run_list)

    add = psub.add_parser("add", help="create a profile")
    add.add_argument("name")
    add.add_argument("--language", choices=["nl", "en"])
    add.add_argument("--motto", default="")
    add.set_defaults(handler=run_add)

    use = psub.add_parser("use", help="make a profile the current one")
    use.add_argument("name")
    use.set_defaults(handler=run_use)

    rm = psub.add_parser("remove", help="delete a profile with its progress and notes")
    rm.add_argument("name")
    rm.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    rm.set_defaults(handler=run_remove)


def run_list(ctx: CliContext, args: argparse.Namespace) -> int:
    profiles = ctx.services.profiles.list()
    current = ctx.services.profiles.current()
    if args.json:
        print_json([{**p.to_dict(), "current": current is not None and p.id == current.id}
                    for p in profiles])
        return 0
    print_table(
        ["", "NAME", "LANGUAGE", "MOTTO"],
        [["*" if current and p.id == current.id else "", p.name, p.language or "-", p.motto]
         for p in profiles],
    )
    return 0


def run_add(ctx: CliContext, args: argparse.Namespace) -> int:
    profile = ctx.services.profiles.create(args.name, language=args.language, motto=args.motto)
    print(profile.name)
    return 0


def run_use(ctx: CliContext, args: argparse.Namespace) -> int:
    profiles = ctx.services.profiles
    profiles.switch(profiles.by_name(args.name).id)
    return 0


def run_remove(ctx: CliContext, args: argparse.Namespace) -> int:
    profiles = ctx.services.profiles
    profile = profiles.by_name(args.name)
    if not args.yes:
        answer = input(f"Delete profile {profile.name!r} with all its progress and notes? [y/N] ")
        if answer.strip().lower() not in {"y", "yes", "j", "ja"}:
            raise ctx.fail("not deleted")
    profiles.delete(profile.id)
    return 0
