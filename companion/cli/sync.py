"""``companion login``, ``companion logout`` and ``companion sync``: connect a profile to its hub.

- ``login --hub URL --username U [--invite CODE] [--password-stdin]``: with an invite code, joins
  the group and creates the account; otherwise logs in. The token goes to the system keyring;
  where there is none, the command stops and says so, unless ``--store-token-in-home`` agrees
  to keep it in a file in the companion's folder.
- ``logout``: revokes the token on the hub when it can be reached, and always forgets it here.
- ``sync --once``: one round, then a summary; ``sync``: keep syncing until Ctrl+C;
  ``sync --status``: the login, changes waiting, and what the hub refused.

Exit status: 0 done, 1 error, 3 the hub could not be reached, 4 the login is not accepted.
"""

from __future__ import annotations

import argparse
import getpass
import sys
import threading
from typing import TYPE_CHECKING

from companion.cli.context import CliContext
from companion.cli.output import print_json

if TYPE_CHECKING:
    from companion.sync.credentials import CredentialStore

EXIT_OFFLINE = 3
EXIT_AUTH = 4


def register(sub: argparse._SubParsersAction) -> None:
    login = sub.add_parser("login", help="connect this profile to a hub (join a group)",
                           description="Log in to the hub, or with --invite join a group as a "
                                       "new learner. The login is kept per profile.")
    login.add_argument("--hub", required=True, metavar="URL", help="the hub's address")
    login.add_argument("--username", required=True, metavar="U")
    login.add_argument("--invite", metavar="CODE",
                       help="a group's invite code: create the account and join the group")
    login.add_argument("--password-stdin", action="store_true",
                       help="read the password from the first line of standard input")
    login.add_argument("--ca-file", metavar="PEM",
                       help="trust this CA certificate file (a self-hosted hub)")
    login.add_argument("--store-token-in-home", action="store_true",
                       help="where the system has no keyring, keep the login token in a file "
                            "in the companion's folder (anyone who can read it can use it)")
    login.add_argument("--json", action="store_true")
    login.set_defaults(handler=run_login)

    logout = sub.add_parser("logout", help="disconnect this profile from its hub")
    logout.set_defaults(handler=run_logout)

    sync = sub.add_parser("sync", help="sync with the hub (until Ctrl+C, or --once)")
    sync.add_argument("--once", action="store_true", help="one round, then exit")
    sync.add_argument("--status", action="store_true",
                      help="show the login, changes waiting and refused changes; no network")
    sync.add_argument("--interval", type=float, default=60.0, metavar="SECONDS",
                      help="without --once: sync this often (default 60)")
    sync.add_argument("--json", action="store_true")
    sync.set_defaults(handler=run_sync)


def _store(ctx: CliContext) -> CredentialStore:
    return ctx.services.credentials


def _read_password(args: argparse.Namespace, ctx: CliContext) -> str:
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        try:
            password = getpass.getpass("Password: ")
        except (EOFError, KeyboardInterrupt) as exc:
            raise ctx.fail("no password given") from exc
    if not password:
        raise ctx.fail("the password is empty")
    return password


def run_login(ctx: CliContext, args: argparse.Namespace) -> int:
    from companion.sync.account import connect
    from companion.sync.client import HubAuthError, HubError, HubOffline
    from companion.sync.credentials import NO_KEYRING_ADVICE, keyring_problem

    store = _store(ctx)
    profile_id = ctx.profile_id()
    # Ask before contacting the hub: a token made and then not kept would be a loose end.
    problem = keyring_problem()
    if problem is not None and not args.store_token_in_home:
        raise ctx.fail(NO_KEYRING_ADVICE.format(problem=problem,
                                                where=store.token_file(profile_id).parent))
    if problem is not None:
        ctx.warn(f"{problem}; the login token will be kept in {store.token_file(profile_id)} "
                 "(readable by anyone who can read that folder)")
    password = _read_password(args, ctx)
    try:
        connected = connect(store, profile_id,
                            ctx.services.profiles.get(profile_id).name, hub_url=args.hub,
                            username=args.username, password=password, invite=args.invite,
                            ca_file=args.ca_file, allow_file=args.store_token_in_home)
    except HubOffline as exc:
        raise ctx.fail(exc.message, EXIT_OFFLINE) from exc
    except HubAuthError as exc:
        raise ctx.fail(exc.message, EXIT_AUTH) from exc
    except HubError as exc:
        raise ctx.fail(exc.message) from exc
    login, groups = connected.login, connected.groups
    if args.json:
        print_json({**login.to_dict(), "groups": groups})
    else:
        joined = f"; groups: {', '.join(map(str, groups))}" if groups else ""
        print(f"logged in to {login.hub_url} as {login.username}{joined}")
    return 0


def run_logout(ctx: CliContext, args: argparse.Namespace) -> int:
    from companion.sync.account import disconnect

    store = _store(ctx)
    profile_id = ctx.profile_id()
    login = store.login(profile_id)
    if login is None:
        print("this profile is not logged in")
        return 0
    problem = disconnect(store, profile_id)
    if problem is not None:
        ctx.warn(f"the token could not be revoked on the hub ({problem}); it is forgotten here "
                 "and expires on the hub after 180 days without use")
    print(f"logged out of {login.hub_url}" + ("" if problem is None else " on this PC"))
    return 0


def run_sync(ctx: CliContext, args: argparse.Namespace) -> int:
    from companion.sync.credentials import CredentialError

    store = _store(ctx)
    profile_id = ctx.profile_id()
    if args.status:
        return _status(ctx, store, profile_id, args.json)
    login = store.login(profile_id)
    if login is None:
        raise ctx.fail("this profile is not connected to a hub: run companion login first")
    try:
        token = store.token(profile_id)
    except CredentialError as exc:
        raise ctx.fail(str(exc), EXIT_AUTH) from exc
    if args.once:
        return _once(ctx, login, token, args.json)
    return _forever(ctx, args.interval)


def _once(ctx: CliContext, login, token: str, as_json: bool) -> int:  # login: HubLogin
    from companion.core.changelog import count_pending
    from companion.sync import courier_keys
    from companion.sync.client import HubAuthError, HubClient, HubError, HubOffline
    from companion.sync.rounds import sync_round

    db = ctx.services.db
    try:
        with HubClient(login.hub_url, token, ca_file=login.ca_file) as client:
            courier_keys.try_register(ctx.services.credentials, login.profile_id, client)
            result = sync_round(db, login.profile_id, client, login.account_id)
    except HubOffline as exc:
        waiting = count_pending(db, login.profile_id)
        raise ctx.fail(f"offline: {exc.message}; {waiting} change(s) waiting",
                       EXIT_OFFLINE) from exc
    except HubAuthError as exc:
        raise ctx.fail(exc.message, EXIT_AUTH) from exc
    except HubError as exc:
        raise ctx.fail(exc.message) from exc
    if as_json:
        print_json(result.to_dict())
        return 0
    print(result.summary())
    for refusal in result.refused:
        ctx.warn(refusal.describe())
    return 0


def _forever(ctx: CliContext, interval_s: float) -> int:
    from companion.core.db import open_database
    from companion.sync.engine import SyncEngine, SyncStatus

    svc = ctx.services
    last: list[str] = []
    printed = threading.Lock()

    def show(status: SyncStatus) -> None:
        line = status.text()
        with printed:
            if not last or last[-1] != line:
                print(line, flush=True)
                last.append(line)
            for refusal in status.refused:
                ctx.warn(refusal.describe())

    engine = SyncEngine(lambda: open_database(svc.locations.database_path),
                        ctx.profile_id(), svc.credentials, show,
                        period_s=max(1.0, interval_s))
    engine.start()
    try:
        threading.Event().wait()  # until Ctrl+C
    except KeyboardInterrupt:
        print("stopped", flush=True)
    finally:
        engine.stop()
    return 0


def _status(ctx: CliContext, store, profile_id: int, as_json: bool) -> int:
    from companion.core.changelog import count_pending
    from companion.sync import state

    login = store.login(profile_id)
    pending = count_pending(ctx.services.db, profile_id)
    refused = state.refusals(ctx.services.db, profile_id)
    if as_json:
        print_json({"login": login.to_dict() if login else None, "pending": pending,
                    "refused": [r.to_dict() for r in refused]})
        return 0
    if login is None:
        print("not connected to a hub")
    else:
        when = login.last_success_at or "never"
        print(f"connected to {login.hub_url} as {login.username}; last sync: {when}")
    print(f"{pending} change(s) waiting")
    for refusal in refused:
        print(refusal.describe())
    return 0
