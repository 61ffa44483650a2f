"""``companion hub ...``: run the hub and administer it on the hub machine.

Every command takes ``--data DIR`` (the hub's folder: its SQLite database and media),
``--database-url URL`` (PostgreSQL instead of the embedded SQLite file) and ``--media-url
s3://BUCKET/PREFIX`` (media in object storage). The operator's commands (revoke, backup...) are
in :mod:`companion.cli.hub_admin`.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from companion.cli.context import CliContext


def register(subparsers: argparse._SubParsersAction) -> None:
    hub = subparsers.add_parser("hub", help="run and administer the sync hub",
                                description="Run the sync hub, and manage trainers and groups.")
    commands = hub.add_subparsers(dest="hub_command", metavar="COMMAND", required=True)

    def common(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--data", metavar="DIR",
                            help="the hub's folder (database, media); default: platform data "
                                 "folder, or $COMPANION_HUB_DATA")
        parser.add_argument("--database-url", metavar="URL",
                            help="postgresql://USER:PASSWORD@HOST/DB instead of the embedded "
                                 "SQLite file (also $COMPANION_HUB_DATABASE_URL)")
        parser.add_argument("--media-url", metavar="s3://BUCKET/PREFIX",
                            help="media in S3-compatible storage instead of DIR/media (also "
                                 "$COMPANION_HUB_MEDIA_URL; endpoint and keys from "
                                 "AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)")

    serve = commands.add_parser("serve", help="serve the hub over HTTP")
    common(serve)
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=int, default=8765, help="port to listen on")
    serve.add_argument("--workers", type=int, default=1, help="worker processes")
    serve.add_argument("--threads", type=int, default=None, metavar="N",
                       help="requests each worker process runs on the database at once "
                            "(default 4; see docs/deploy.md)")
    serve.add_argument("--forwarded-allow-ips", "--trust-proxy", metavar="IPS", default=None,
                       dest="forwarded_allow_ips",
                       help="addresses of reverse proxies whose X-Forwarded-For is believed, "
                            "comma-separated (e.g. 127.0.0.1 for a proxy on this machine); "
                            "default: none, the connection's own address counts")
    serve.add_argument("--access-log", action="store_true",
                       help="log every request (the reverse proxy usually keeps this log)")
    serve.add_argument("--log-format", choices=("text", "json"), default="text",
                       help="json: one JSON object per log line, with the request id "
                            "(X-Request-ID) of the request it belongs to")
    serve.add_argument("--media-cache-mb", type=int, default=None, metavar="MB",
                       help="with --media-url: megabytes of recently downloaded media kept on "
                            "this machine's disk (default 1024; 0: none)")
    serve.add_argument("--no-metrics", action="store_true",
                       help="no GET /metrics (Prometheus) and no counting behind it")
    serve.set_defaults(handler=_serve)

    add = commands.add_parser("add-trainer", help="create a trainer account")
    common(add)
    add.add_argument("username")
    add.add_argument("--password-stdin", action="store_true",
                     help="read the password from the first line of standard input")
    add.set_defaults(handler=_add_trainer)

    group = commands.add_parser("create-group", help="create a group; prints its invite code last")
    common(group)
    group.add_argument("name")
    group.add_argument("--trainer", required=True, metavar="USER", help="the group's trainer")
    group.set_defaults(handler=_create_group)

    groups = commands.add_parser("list-groups", help="list groups with invite codes")
    common(groups)
    groups.set_defaults(handler=_list_groups)

    from companion.cli import hub_admin

    hub_admin.register(commands, common)


def _settings(ctx: CliContext, args: argparse.Namespace):  # -> HubSettings
    from companion.hub.settings import build_settings

    return build_settings(args.data, args.database_url, home=ctx.home,
                          media_url=args.media_url)


def _serve(ctx: CliContext, args: argparse.Namespace) -> int:
    from companion.hub.server import serve

    settings = _settings(ctx, args)
    if args.threads is not None:
        if args.threads < 1:
            raise ctx.fail("--threads needs at least 1")
        settings = settings.with_changes(worker_threads=args.threads)
    if args.media_cache_mb is not None:
        if args.media_cache_mb < 0:
            raise ctx.fail("--media-cache-mb needs 0 or more")
        settings = settings.with_changes(media_cache_bytes=args.media_cache_mb * 1024 * 1024)
    if args.no_metrics:
        settings = settings.with_changes(metrics=False)
    where = "PostgreSQL" if settings.database_url else str(settings.sqlite_path)
    print(f"hub: data in {settings.data_dir}, database {where}", file=sys.stderr)
    serve(settings, host=args.host, port=args.port, workers=args.workers,
          forwarded_allow_ips=args.forwarded_allow_ips, access_log=args.access_log,
          log_format=args.log_format)
    return 0


def _read_password(ctx: CliContext, from_stdin: bool) -> str:
    from companion.hub.auth import MIN_PASSWORD_LENGTH

    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass("Password for the trainer: ")
        if getpass.getpass("The same password again: ") != password:
            raise ctx.fail("the two passwords differ")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ctx.fail(f"a password has at least {MIN_PASSWORD_LENGTH} characters")
    return password


def _add_trainer(ctx: CliContext, args: argparse.Namespace) -> int:
    from companion.hub import accounts, auth
    from companion.hub.errors import ApiError, HubError
    from companion.hub.storage import Storage

    password = _read_password(ctx, args.password_stdin)
    settings = _settings(ctx, args)
    storage = Storage(settings)
    try:
        password_hash = auth.Passwords(settings).hash(password)
        with storage.write() as conn:
            accounts.create_account(conn, args.username, password_hash, is_trainer=True)
    except ApiError as exc:
        raise HubError(exc.message) from exc
    finally:
        storage.close()
    print(f"trainer {args.username.strip().lower()} added")
    return 0


def _create_group(ctx: CliContext, args: argparse.Namespace) -> int:
    from companion.hub import accounts
    from companion.hub.storage import Storage

    storage = Storage(_settings(ctx, args))
    try:
        with storage.write() as conn:
            group = accounts.create_group(conn, args.name, args.trainer)
    finally:
        storage.close()
    print(f"group {group.name!r} created (id {group.id}), trainer {args.trainer}")
    print("invite code:")
    print(group.invite_code)
    return 0


def _list_groups(ctx: CliContext, args: argparse.Namespace) -> int:
    from companion.hub import accounts
    from companion.hub.storage import Storage

    storage = Storage(_settings(ctx, args))
    try:
        with storage.read() as conn:
            groups = accounts.list_groups(conn)
    finally:
        storage.close()
    if not groups:
        print("no groups yet (create one with `companion hub create-group NAME --trainer USER`)")
        return 0
    print(f"{'ID':>4}  {'INVITE':<10}  {'LEARNERS':>8}  {'NAME':<30}  TRAINERS")
    for g in groups:
        print(f"{g['id']:>4}  {g['invite_code']:<10}  {g['learners']:>8}  {g['name']:<30}  "
              f"{', '.join(g['trainers'])}")
    return 0
