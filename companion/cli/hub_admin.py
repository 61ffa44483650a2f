"""``companion hub revoke | reset-password | remove-member | backup | restore``: operating a hub.

Registered under ``companion hub`` by :mod:`companion.cli.hub`; the work is done in
:mod:`companion.hub.admin_ops`, so the tests and the CLI run the same code.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from companion.cli.context import CliContext


def register(commands: argparse._SubParsersAction,
             common: Callable[[argparse.ArgumentParser], None]) -> None:
    revoke = commands.add_parser(
        "revoke", help="cut off an account's devices (all, or one): they must log in again")
    common(revoke)
    revoke.add_argument("user")
    revoke.add_argument("--device", metavar="ID", help="only this device (its device id)")
    revoke.set_defaults(handler=_revoke)

    reset = commands.add_parser(
        "reset-password", help="give an account a new password; its devices log in again")
    common(reset)
    reset.add_argument("user")
    reset.add_argument("--password-stdin", action="store_true",
                       help="read the password from the first line of standard input")
    reset.set_defaults(handler=_reset_password)

    remove = commands.add_parser("remove-member", help="take an account out of a group")
    common(remove)
    remove.add_argument("user")
    remove.add_argument("--group", required=True, metavar="NAME", help="group name or number")
    remove.set_defaults(handler=_remove_member)

    backup = commands.add_parser(
        "backup", help="back the hub up into DIR while it runs (database and media)")
    common(backup)
    backup.add_argument("dir", metavar="DIR")
    backup.set_defaults(handler=_backup)

    restore = commands.add_parser(
        "restore", help="restore a backup from DIR (stop every hub process first)")
    common(restore)
    restore.add_argument("dir", metavar="DIR")
    restore.set_defaults(handler=_restore)


def _settings(ctx: CliContext, args: argparse.Namespace):  # -> HubSettings
    from companion.hub.settings import build_settings

    return build_settings(args.data, args.database_url, home=ctx.home,
                          media_url=args.media_url)


def _revoke(ctx: CliContext, args: argparse.Namespace) -> int:
    from companion.hub import admin_ops
    from companion.hub.storage import Storage

    storage = Storage(_settings(ctx, args))
    try:
        count = admin_ops.revoke(storage, args.user, args.device)
    finally:
        storage.close()
    which = f"device {args.device}" if args.device else "every device"
    print(f"{args.user.strip().lower()}: {which} cut off ({count} login"
          f"{'s' * (count != 1)} revoked)")
    return 0


def _reset_password(ctx: CliContext, args: argparse.Namespace) -> int:
    from companion.hub import admin_ops, auth
    from companion.hub.storage import Storage

    settings = _settings(ctx, args)
    storage = Storage(settings)
    try:
        admin_ops.find_account(storage, args.user)  # before asking for a password
        password = _read_new_password(ctx, args.user, args.password_stdin)
        count = admin_ops.reset_password(storage, args.user,
                                         auth.Passwords(settings).hash(password))
    finally:
        storage.close()
    print(f"password of {args.user.strip().lower()} changed; {count} login"
          f"{'s' * (count != 1)} revoked")
    return 0


def _read_new_password(ctx: CliContext, user: str, from_stdin: bool) -> str:
    import getpass

    from companion.hub.auth import MIN_PASSWORD_LENGTH

    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass(f"New password for {user}: ")
        if getpass.getpass("The same password again: ") != password:
            raise ctx.fail("the two passwords differ")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ctx.fail(f"a password has at least {MIN_PASSWORD_LENGTH} characters")
    return password


def _remove_member(ctx: CliContext, args: argparse.Namespace) -> int:
    from companion.hub import admin_ops
    from companion.hub.storage import Storage

    storage = Storage(_settings(ctx, args))
    try:
        admin_ops.remove_member(storage, args.user, args.group)
    finally:
        storage.close()
    print(f"{args.user.strip().lower()} removed from the group {args.group}")
    return 0


def _backup(ctx: CliContext, args: argparse.Namespace) -> int:
    from companion.hub import admin_ops

    info = admin_ops.backup(_settings(ctx, args), Path(args.dir).expanduser())
    print(f"backup in {info.folder}: sequence {info.last_seq}, {info.media_files} media files "
          f"({info.media_bytes} bytes, {info.media_copied} copied now)")
    if info.database == "postgresql":
        print("the PostgreSQL database itself is not in this folder: dump it with\n"
              f"  pg_dump --format=custom --file {info.folder}/hub.pgdump \"$DATABASE_URL\"\n"
              "(see docs/deploy.md, Backups)", file=sys.stderr)
    return 0


def _restore(ctx: CliContext, args: argparse.Namespace) -> int:
    from companion.hub import admin_ops

    settings = _settings(ctx, args)
    if settings.database_url:
        print("PostgreSQL: this assumes the dump was restored with pg_restore already; it "
              "restores the media and starts a new epoch", file=sys.stderr)
    info = admin_ops.restore(settings, Path(args.dir).expanduser())
    print(f"restored: sequence {info.last_seq}, new epoch {info.epoch}, {info.media_copied} "
          f"media files copied back; devices push again what they hold and the backup lacks")
    return 0
