"""The scripting surface over the same core calls the app uses: notes, progress, comments.

Trainers automate with these and tests drive them: ``companion notes [--json]``,
``companion note add LESSON TEXT``, ``companion progress LESSON [--position S] [--done]``,
``companion comments LESSON [--json]``, ``companion comment add LESSON TEXT [--reply-to ID]``.
"""

from __future__ import annotations

import argparse

from companion.cli.context import CliContext
from companion.cli.output import format_duration, print_json


def register(sub: argparse._SubParsersAction) -> None:
    notes = sub.add_parser("notes", help="list my notes")
    notes.add_argument("--json", action="store_true", help="machine-readable output")
    notes.add_argument("--lesson", metavar="LESSON", help="only the notes of this lesson")
    notes.add_argument("--markdown", action="store_true", help="all notes as one Markdown text")
    notes.set_defaults(handler=run_notes)

    note = sub.add_parser("note", help="add, edit or delete a note")
    nsub = note.add_subparsers(dest="note_command", metavar="ACTION", required=True)
    add = nsub.add_parser("add", help="add a note to a lesson")
    add.add_argument("lesson")
    add.add_argument("text")
    add.add_argument("--json", action="store_true")
    add.set_defaults(handler=run_note_add)
    edit = nsub.add_parser("edit", help="replace the text of a note")
    edit.add_argument("note_id")
    edit.add_argument("text")
    edit.set_defaults(handler=run_note_edit)
    delete = nsub.add_parser("delete", help="delete a note")
    delete.add_argument("note_id")
    delete.set_defaults(handler=run_note_delete)

    prog = sub.add_parser("progress", help="show or set progress on a lesson")
    prog.add_argument("lesson")
    prog.add_argument("--position", type=float, metavar="SECONDS",
                      help="where to resume (seconds)")
    prog.add_argument("--done", action="store_true", help="mark the lesson done")
    prog.add_argument("--json", action="store_true")
    prog.set_defaults(handler=run_progress)

    comments = sub.add_parser("comments", help="the group's discussion under a lesson")
    comments.add_argument("lesson")
    comments.add_argument("--json", action="store_true")
    comments.set_defaults(handler=run_comments)

    comment = sub.add_parser("comment", help="write, edit or delete a comment")
    csub = comment.add_subparsers(dest="comment_command", metavar="ACTION", required=True)
    cadd = csub.add_parser("add", help="write a comment under a lesson")
    cadd.add_argument("lesson")
    cadd.add_argument("text")
    cadd.add_argument("--reply-to", metavar="ID", help="the comment this replies to")
    cadd.add_argument("--json", action="store_true")
    cadd.set_defaults(handler=run_comment_add)
    cedit = csub.add_parser("edit", help="change the text of your comment")
    cedit.add_argument("comment_id")
    cedit.add_argument("text")
    cedit.set_defaults(handler=run_comment_edit)
    cdel = csub.add_parser("delete", help="delete your comment")
    cdel.add_argument("comment_id")
    cdel.set_defaults(handler=run_comment_delete)


def run_notes(ctx: CliContext, args: argparse.Namespace) -> int:
    svc, profile_id = ctx.services, ctx.profile_id()
    if args.markdown:
        print(svc.notes.export_markdown(profile_id), end="")
        return 0
    if args.lesson:
        notes = svc.notes.for_lesson(profile_id, svc.catalog.resolve(args.lesson))
    else:
        notes = svc.notes.all(profile_id)
    if args.json:
        print_json([n.to_dict() for n in notes])
        return 0
    for n in notes:
        first, *rest = n.body.splitlines() or [""]
        more = f" (+{len(rest)} lines)" if rest else ""
        print(f"{n.id}  {n.lesson_id}  {first}{more}")
    return 0


def run_note_add(ctx: CliContext, args: argparse.Namespace) -> int:
    svc, profile_id = ctx.services, ctx.profile_id()
    note = svc.notes.add(profile_id, svc.catalog.resolve(args.lesson), args.text)
    if args.json:
        print_json(note.to_dict())
    else:
        print(note.id)
    return 0


def run_note_edit(ctx: CliContext, args: argparse.Namespace) -> int:
    ctx.services.notes.update(ctx.profile_id(), args.note_id, args.text)
    return 0


def run_note_delete(ctx: CliContext, args: argparse.Namespace) -> int:
    ctx.services.notes.delete(ctx.profile_id(), args.note_id)
    return 0


def run_progress(ctx: CliContext, args: argparse.Namespace) -> int:
    svc, profile_id = ctx.services, ctx.profile_id()
    lesson_id = svc.catalog.resolve(args.lesson)
    if args.position is not None:
        svc.progress.save_position(profile_id, lesson_id, args.position)
    if args.done:
        svc.progress.mark_done(profile_id, lesson_id)
    lesson = svc.catalog.lesson(profile_id, lesson_id)
    if args.json:
        print_json(lesson.to_dict())
        return 0
    p = lesson.progress
    quiz = f", quiz {p.quiz_best}/{p.quiz_total}" if p.quiz_total else ""
    print(f"{lesson.id}: {lesson.state.replace('_', ' ')}, at "
          f"{format_duration(p.position_s)} of {format_duration(lesson.duration_s)}{quiz}")
    return 0


def run_comments(ctx: CliContext, args: argparse.Namespace) -> int:
    svc, profile_id = ctx.services, ctx.profile_id()
    comments = svc.comments.for_lesson(profile_id, svc.catalog.resolve(args.lesson))
    if args.json:
        print_json([c.to_dict() for c in comments])
        return 0
    for c in comments:
        if c.deleted:
            print(f"{c.id}  (deleted)")
            continue
        flag = "  [waiting to send]" if c.waiting_to_send else ""
        indent = "    " if c.reply_to else ""
        print(f"{indent}{c.id}  {c.author_name}: {c.body}{flag}")
    return 0


def run_comment_add(ctx: CliContext, args: argparse.Namespace) -> int:
    svc, profile_id = ctx.services, ctx.profile_id()
    comment = svc.comments.add(profile_id, svc.catalog.resolve(args.lesson), args.text,
                               reply_to=args.reply_to)
    if args.json:
        print_json(comment.to_dict())
    else:
        print(comment.id)
    return 0


def run_comment_edit(ctx: CliContext, args: argparse.Namespace) -> int:
    ctx.services.comments.edit(ctx.profile_id(), args.comment_id, args.text)
    return 0


def run_comment_delete(ctx: CliContext, args: argparse.Namespace) -> int:
    ctx.services.comments.delete(ctx.profile_id(), args.comment_id)
    return 0
