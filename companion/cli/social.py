"""The social loop on the command line (issue 11):

- ``notifications [--json] [--unread]``: newest first, each with ``id``, ``kind``, ``lesson_id``,
  ``from``, ``count``, ``text`` (a short excerpt) and ``read``;
- ``notifications read (--all | ID...)``: read them (my other devices learn it at the next sync);
- ``follow LESSON`` / ``unfollow LESSON``: a lesson's discussion;
- ``react COMMENT_ID useful|thanks [--undo]``: mark a comment, or take the mark back;
- ``announce GROUP TEXT``: a trainer's message to a whole group (asks the hub who may, then
  sends it at once; a learner gets exit 1 and one ``error:`` line).

Notifications come from what the last sync brought (``companion sync --once``).
"""

from __future__ import annotations

import argparse

from companion.cli.context import CliContext
from companion.cli.output import print_json

EXIT_OFFLINE = 3
EXIT_AUTH = 4


def register(sub: argparse._SubParsersAction) -> None:
    notes = sub.add_parser("notifications", help="replies, news and announcements for me",
                           description="List my notifications (newest first), or with 'read' "
                                       "mark them read.")
    notes.add_argument("action", nargs="?", choices=["read"], help="mark notifications read")
    notes.add_argument("ids", nargs="*", type=int, metavar="ID", help="with read: which ones")
    notes.add_argument("--all", action="store_true", help="with read: all of them")
    notes.add_argument("--unread", action="store_true", help="only the unread ones")
    notes.add_argument("--json", action="store_true", help="machine-readable output")
    notes.set_defaults(handler=run_notifications)

    follow = sub.add_parser("follow", help="be told about new comments under a lesson")
    follow.add_argument("lesson")
    follow.set_defaults(handler=run_follow, following=True)
    unfollow = sub.add_parser("unfollow", help="stop being told about a lesson's comments")
    unfollow.add_argument("lesson")
    unfollow.set_defaults(handler=run_follow, following=False)

    react = sub.add_parser("react", help="mark a comment useful, or say thanks")
    react.add_argument("comment_id")
    react.add_argument("reaction", choices=["useful", "thanks"])
    react.add_argument("--undo", action="store_true", help="take the mark back")
    react.add_argument("--json", action="store_true")
    react.set_defaults(handler=run_react)

    announce = sub.add_parser("announce", help="trainers: a message to a whole group")
    announce.add_argument("group", help="the group's name or number")
    announce.add_argument("text")
    announce.set_defaults(handler=run_announce)


def run_notifications(ctx: CliContext, args: argparse.Namespace) -> int:
    from companion.core.notifications import Notifications

    store, profile_id = Notifications(ctx.services.db), ctx.profile_id()
    if args.action == "read":
        if args.all == bool(args.ids):
            raise ctx.fail("say which notifications to mark read: --all, or their ids")
        try:
            done = store.mark_read(profile_id, None if args.all else args.ids)
        except LookupError as exc:
            raise ctx.fail(f"no notification {exc.args[0]}") from exc
        print(f"{done} marked read")
        return 0
    if args.ids or args.all:
        raise ctx.fail("ids and --all go with 'notifications read'", 2)
    found = store.list(profile_id, unread_only=args.unread)
    if args.json:
        print_json([n.to_dict() for n in found])
        return 0
    if not found:
        print("no notifications" if not args.unread else "no unread notifications")
    for n in found:
        mark = " " if n.read else "*"
        tail = f": {n.text}" if n.text and n.kind not in ("pack",) else ""
        print(f"{mark} {n.id}  {n.summary()}{tail}")
    return 0


def run_follow(ctx: CliContext, args: argparse.Namespace) -> int:
    from companion.core.social import Follows

    svc, profile_id = ctx.services, ctx.profile_id()
    lesson_id = svc.catalog.resolve(args.lesson)
    changed = Follows(svc.db).set(profile_id, lesson_id, args.following)
    verb = "following" if args.following else "not following"
    print(f"{verb} {lesson_id}" + ("" if changed else " (already)"))
    return 0


def run_react(ctx: CliContext, args: argparse.Namespace) -> int:
    from companion.core.social import Reactions

    counts = Reactions(ctx.services.db).set(ctx.profile_id(), args.comment_id, args.reaction,
                                            not args.undo)
    if args.json:
        print_json({"comment_id": args.comment_id, **counts.to_dict()})
    else:
        print(f"useful {counts.useful} · thanks {counts.thanks}")
    return 0


def run_announce(ctx: CliContext, args: argparse.Namespace) -> int:
    from companion.core.social import Announcements
    from companion.sync.client import HubAuthError, HubClient, HubError, HubOffline
    from companion.sync.credentials import CredentialError
    from companion.sync.rounds import sync_round

    svc, profile_id = ctx.services, ctx.profile_id()
    store = svc.credentials
    login = store.login(profile_id)
    if login is None:
        raise ctx.fail("this profile is not connected to a hub: run companion login first")
    try:
        token = store.token(profile_id)
    except CredentialError as exc:
        raise ctx.fail(str(exc), EXIT_AUTH) from exc
    try:
        with HubClient(login.hub_url, token, ca_file=login.ca_file) as client:
            groups = client.me().get("groups") or []
            wanted = args.group.strip().casefold()
            group = next((g for g in groups if str(g.get("name", "")).casefold() == wanted
                          or str(g.get("id")) == wanted), None)
            if group is None:
                raise ctx.fail(f"you are not in a group called {args.group!r}")
            if group.get("role") != "trainer":
                raise ctx.fail(f"only a trainer of {group['name']} may post an announcement")
            item = Announcements(svc.db).post(profile_id, int(group["id"]), args.text)
            result = sync_round(svc.db, profile_id, client, login.account_id)
    except HubOffline as exc:
        raise ctx.fail(f"offline: {exc.message}", EXIT_OFFLINE) from exc
    except HubAuthError as exc:
        raise ctx.fail(exc.message, EXIT_AUTH) from exc
    except HubError as exc:
        raise ctx.fail(exc.message) from exc
    for refusal in result.refused:
        if refusal.entity_id == item.id:
            raise ctx.fail(refusal.describe())
    print(f"announced to {group['name']}")
    return 0
