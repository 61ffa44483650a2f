"""``companion lessons``: the installed lessons with the person's progress."""

from __future__ import annotations

import argparse

from companion.cli.context import CliContext
from companion.cli.output import format_duration, print_json, print_table


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("lessons", help="list installed lessons with progress")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--pack", metavar="PACK_ID", help="only this pack")
    p.set_defaults(handler=run_lessons)

    s = sub.add_parser("search", help="search lessons, subtitles and your notes")
    s.add_argument("query", nargs="+")
    s.add_argument("--json", action="store_true", help="machine-readable output")
    s.set_defaults(handler=run_search)


def _state_label(lesson_state: str, fraction: float) -> str:
    if lesson_state == "in_progress":
        return f"{int(fraction * 100)}%"
    return {"done": "done", "not_started": "-"}[lesson_state]


def run_lessons(ctx: CliContext, args: argparse.Namespace) -> int:
    profile_id = ctx.profile_id()
    if args.pack and args.pack not in {p.id for p in ctx.services.catalog.packs(profile_id)}:
        raise ctx.fail(f"no pack {args.pack!r} is installed")
    lessons = ctx.services.catalog.lessons(profile_id, args.pack)
    if args.json:
        print_json([x.to_dict() for x in lessons])
        return 0
    if not lessons:
        print("No lessons installed yet. Import a pack with: companion pack import FILE")
        return 0
    print_table(
        ["ID", "TITLE", "TIME", "SUBS", "PROGRESS", "QUIZ"],
        [
            [x.id, x.title, format_duration(x.duration_s), "yes" if x.has_subtitles else "no",
             _state_label(x.state, x.fraction_watched),
             f"{x.progress.quiz_best}/{x.progress.quiz_total}"
             if x.progress.quiz_total else "-"]
            for x in lessons
        ],
    )
    return 0


def run_search(ctx: CliContext, args: argparse.Namespace) -> int:
    hits = ctx.services.search.all(ctx.profile_id(), " ".join(args.query))
    if args.json:
        print_json([h.to_dict() for h in hits])
        return 0
    for hit in hits:
        label = "note" if hit.kind == "note" else "lesson"
        print(f"{hit.lesson_id}  [{label}] {hit.title}\n    {hit.snippet}")
    if not hits:
        print("Nothing found.")
    return 0
