"""``companion problem-report`` and ``companion media-check``: what a trainer runs at a shop PC
when something does not work (the app has the same report under Help).

- ``problem-report [-o FILE]``: a zip with the recent logs, versions, the library's integrity
  check and sync state, without any token, password, note or comment (companion.support.report).
  Exit status 0, also when the check found problems (they are in the report and on stdout).
- ``media-check [LESSON] [--seconds S] [--json]``: which libvlc this app uses, and with a lesson
  whether it plays that lesson's video (dummy audio and video output: no window, no sound).
  Exit status 0 when it played (or, without a lesson, libvlc loaded), else 1.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from companion.cli.context import CliContext
from companion.cli.output import print_json


def register(sub: argparse._SubParsersAction) -> None:
    report = sub.add_parser("problem-report",
                            help="save a zip for the trainer: logs, versions, checks (no notes)")
    report.add_argument("-o", "--output", metavar="FILE", dest="out_file",
                        help="where to write the zip (default: the current folder)")
    report.set_defaults(handler=run_problem_report)

    check = sub.add_parser("media-check", help="check that the video player (libvlc) works")
    check.add_argument("lesson", nargs="?", help="play this lesson's video for a moment")
    check.add_argument("--seconds", type=float, default=3.0, metavar="S",
                       help="play for at most this long (default 3)")
    check.add_argument("--json", action="store_true")
    check.set_defaults(handler=run_media_check)


def run_problem_report(ctx: CliContext, args: argparse.Namespace) -> int:
    from companion.support.report import build_report, default_report_name

    out = Path(args.out_file) if args.out_file else Path.cwd() / default_report_name()
    try:
        result = build_report(out, ctx.services)
    except OSError as exc:
        raise ctx.fail(f"cannot write {out}: {exc.strerror or exc}") from exc
    state = "no problems found" if result.integrity_ok else "PROBLEMS FOUND (see report.json)"
    print(f"problem report written to {result.path}")
    print(f"library check: {state}; {result.log_files} log file(s) included")
    return 0


def run_media_check(ctx: CliContext, args: argparse.Namespace) -> int:
    from companion.support import vlc_info

    if args.lesson is None:
        version = vlc_info.libvlc_version()
        if args.json:
            print_json({"libvlc": version})
        else:
            print(f"libvlc {version}" if version else "libvlc could not be loaded")
        return 0 if version else 1
    svc = ctx.services
    lesson = svc.catalog.lesson(ctx.profile_id(), svc.catalog.resolve(args.lesson))
    if not lesson.video_sha256:
        raise ctx.fail(f"lesson {lesson.id} has no video")
    path = svc.media.path_for(lesson.video_sha256)
    if not path.is_file():
        raise ctx.fail(f"the video of lesson {lesson.id} is not on this PC ({path})")
    result = vlc_info.play_check(path, seconds=args.seconds)
    if args.json:
        print_json(result.to_dict())
    elif result.played:
        print(f"libvlc {result.libvlc} played {lesson.id} ({result.position_ms} ms)")
    else:
        print(f"libvlc {result.libvlc} did not play {lesson.id}: {result.error or result.state}")
    return 0 if result.played else 1
