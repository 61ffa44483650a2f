"""The trainer's workspace on the command line (issue 10), after ``companion login``.

- ``group list [--json]``: my groups, my role, how many learners.
- ``group report NAME [--days N] [--json] [--csv DIR]``: the group's report (trainers).
- ``group ladder NAME [--weeks N] [--json]``: the ladder week by week, from the hub (trainers).
- ``group split NAME --into N``: one ``NAME<TAB>INVITE_CODE`` line per new group (trainers).
- ``comment hide COMMENT_ID --reason TEXT`` / ``comment restore COMMENT_ID`` (trainers).
- ``profile edit [--name N] [--motto M] [--photo FILE]``: anyone; it syncs like the app's edit.

A learner asking for a report, a split or a hide gets exit status 1 and one ``error:`` line;
an unreachable hub exits 3.
"""

from __future__ import annotations

import argparse
import contextlib
import io
from collections.abc import Iterator
from typing import Any

from companion.cli.context import CliContext
from companion.cli.output import print_json, print_table

EXIT_OFFLINE = 3
MAX_DAYS = 366
MAX_WEEKS = 52


def _subparsers(parser: argparse.ArgumentParser) -> argparse._SubParsersAction:
    for action in parser._actions:  # the group's own parser, made by another module
        if isinstance(action, argparse._SubParsersAction):
            return action
    raise RuntimeError(f"{parser.prog} has no sub-commands")  # pragma: no cover


def register(sub: argparse._SubParsersAction) -> None:
    group = sub.add_parser("group", help="my groups on the hub; a trainer's reports and splits")
    gsub = group.add_subparsers(dest="group_command", metavar="ACTION", required=True)
    ls = gsub.add_parser("list", help="my groups, my role in each and how many learners")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(handler=run_list)
    report = gsub.add_parser("report", help="a group's report: learners, lessons, hours "
                                            "(trainers)")
    report.add_argument("name", metavar="NAME", help="the group's name (or number)")
    report.add_argument("--days", type=int, default=30, metavar="N",
                        help=f"the period: the last N days (1 to {MAX_DAYS}, default 30)")
    report.add_argument("--json", action="store_true")
    report.add_argument("--csv", metavar="DIR", dest="csv_dir",
                        help="write learners.csv, lessons.csv and hours.csv into DIR")
    report.set_defaults(handler=run_report)
    ladder = gsub.add_parser("ladder", help="the participation ladder week by week "
                                            "(trainers)")
    ladder.add_argument("name", metavar="NAME", help="the group's name (or number)")
    ladder.add_argument("--weeks", type=int, default=12, metavar="N",
                        help=f"how many weeks back (1 to {MAX_WEEKS}, default 12)")
    ladder.add_argument("--json", action="store_true")
    ladder.set_defaults(handler=run_ladder)
    split = gsub.add_parser("split", help="split a group into N new groups (trainers)")
    split.add_argument("name", metavar="NAME")
    split.add_argument("--into", type=int, required=True, metavar="N")
    split.set_defaults(handler=run_split)

    # ``comment`` and ``profile`` exist already (learning.py, profiles.py): add to them.
    csub = _subparsers(sub.choices["comment"])
    hide = csub.add_parser("hide", help="hide a comment of your group, with a reason "
                                        "(trainers)")
    hide.add_argument("comment_id", metavar="COMMENT_ID")
    hide.add_argument("--reason", required=True, metavar="TEXT",
                      help="the author sees 'hidden by the trainer: TEXT'")
    hide.set_defaults(handler=run_hide)
    restore = csub.add_parser("restore", help="show a hidden comment again (trainers)")
    restore.add_argument("comment_id", metavar="COMMENT_ID")
    restore.set_defaults(handler=run_restore)
    psub = _subparsers(sub.choices["profile"])
    edit = psub.add_parser("edit", help="change my name, motto or photo (syncs to my groups)")
    edit.add_argument("--name", metavar="N")
    edit.add_argument("--motto", metavar="M")
    edit.add_argument("--photo", metavar="FILE", dest="photo_path",
                      help="a JPEG, PNG, WebP or BMP picture; made into a JPEG of its "
                           "centre square, at most 512 pixels, without its metadata")
    edit.add_argument("--json", action="store_true")
    edit.set_defaults(handler=run_profile_edit)


@contextlib.contextmanager
def _api(ctx: CliContext) -> Iterator[Any]:
    """The trainer API on the current profile's hub login; hub errors become error lines."""
    from companion.sync.client import HubClient, HubError, HubOffline
    from companion.sync.credentials import CredentialError
    from companion.sync.trainer import TrainerApi

    store = ctx.services.credentials
    profile_id = ctx.profile_id()
    login = store.login(profile_id)
    if login is None:
        raise ctx.fail("this profile is not connected to a hub: run companion login first")
    try:
        token = store.token(profile_id)
    except CredentialError as exc:
        raise ctx.fail(str(exc)) from exc
    try:
        with HubClient(login.hub_url, token, ca_file=login.ca_file) as client:
            yield TrainerApi(client)
    except HubOffline as exc:
        raise ctx.fail(exc.message, EXIT_OFFLINE) from exc
    except HubError as exc:
        raise ctx.fail(exc.message) from exc


def run_list(ctx: CliContext, args: argparse.Namespace) -> int:
    with _api(ctx) as api:
        groups = api.groups()
    if args.json:
        print_json([g.to_dict() for g in groups])
        return 0
    print_table(["NAME", "ROLE", "LEARNERS", "INVITE CODE"],
                [[g.name, g.role, g.members, g.invite_code or "-"] for g in groups])
    return 0


def run_report(ctx: CliContext, args: argparse.Namespace) -> int:
    from companion.sync.trainer import write_csv

    if not 1 <= args.days <= MAX_DAYS:
        raise ctx.fail(f"--days must be from 1 to {MAX_DAYS}")
    with _api(ctx) as api:
        report = api.report(api.find(args.name).id, args.days)
    if args.csv_dir:
        paths = write_csv(report, args.csv_dir)
        if not args.json:
            print("wrote " + ", ".join(str(p) for p in paths))
    if args.json:
        print_json(report)
    elif not args.csv_dir:
        _print_report(report)
    return 0


def _print_report(report: dict[str, Any]) -> None:
    print(f"{report['group']['name']}: the last {report['days']} days")
    print_table(
        ["USERNAME", "NAME", "DONE", "STARTED", "LAST ACTIVE", "SESSIONS", "MINUTES", "RUNG",
         "NEEDS HELP"],
        [[r["username"], r["name"], r["lessons_done"], r["lessons_started"],
          (r["last_active"] or "-")[:10], r["sessions"], r["minutes"], r["rung"],
          "; ".join(h["text"] for h in r["needs_help"]) or "-"] for r in report["learners"]])
    highest = report["ladder"]["highest"]
    print("ladder: " + ", ".join(f"{rung} {count}" for rung, count in highest.items()))


def run_ladder(ctx: CliContext, args: argparse.Namespace) -> int:
    if not 1 <= args.weeks <= MAX_WEEKS:
        raise ctx.fail(f"--weeks must be from 1 to {MAX_WEEKS}")
    with _api(ctx) as api:
        history = api.ladder(api.find(args.name).id, args.weeks)
    weeks = [{"week_end": w["week_end"], "highest": w["highest"]} for w in history["weeks"]]
    if args.json:
        print_json({"group": history["group"], "weeks": weeks})
        return 0
    print(f"{history['group']['name']}: each learner's highest rung over the "
          f"{history.get('days', 30)} days up to each week's end")
    for w in weeks:
        print(w["week_end"] + "  " + ", ".join(f"{rung} {count}"
                                               for rung, count in w["highest"].items()))
    return 0


def run_split(ctx: CliContext, args: argparse.Namespace) -> int:
    if args.into < 2:
        raise ctx.fail("--into must be 2 or more")
    with _api(ctx) as api:
        groups = api.split(api.find(args.name).id, args.into)
    for g in groups:
        print(f"{g['name']}\t{g['invite_code']}")
    return 0


def run_hide(ctx: CliContext, args: argparse.Namespace) -> int:
    if not args.reason.strip():
        raise ctx.fail("--reason needs some text: the author reads it")
    with _api(ctx) as api:
        api.hide(args.comment_id, args.reason)
    return 0


def run_restore(ctx: CliContext, args: argparse.Namespace) -> int:
    with _api(ctx) as api:
        api.restore(args.comment_id)
    return 0


def _store_photo(ctx: CliContext, path: str) -> str:
    """The picture at ``path`` made small as the app makes it (companion/cli/photo.py), kept in
    the media store; nothing is kept when it cannot be made."""
    from companion.cli.photo import PhotoError, photo_jpeg
    from companion.core.media_store import MediaStore

    try:
        data = photo_jpeg(path)
    except PhotoError as exc:
        raise ctx.fail(str(exc)) from exc
    sha, _size = MediaStore(ctx.services.locations.media_dir).ingest(io.BytesIO(data), None,
                                                                      len(data))
    return sha


def run_profile_edit(ctx: CliContext, args: argparse.Namespace) -> int:
    if args.name is None and args.motto is None and args.photo_path is None:
        raise ctx.fail("nothing to change: give --name, --motto or --photo")
    profiles = ctx.services.profiles
    profile_id = ctx.profile_id()
    photo = _store_photo(ctx, args.photo_path) if args.photo_path is not None else None
    profile = profiles.update(profile_id, name=args.name, motto=args.motto, photo_sha256=photo)
    if args.json:
        print_json(profile.to_dict())
    else:
        print(profile.name)
    return 0
