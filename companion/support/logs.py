"""The app's log: rotating files in the log folder, uncaught exceptions written to it.

The log folder is :attr:`Locations.log_dir`: the platform's user log folder (platformdirs), or
``HOME/logs`` with a portable ``--home``. By default only warnings and errors are kept; with
``--debug`` everything. On Windows the app has no console, so this file is what a trainer has
to look at when something failed at a shop: every uncaught exception of any thread ends up in
it, with its traceback.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

LOG_NAME = "companion.log"
#: Five files of at most 1 MB: weeks of warnings, and still small enough to mail.
MAX_BYTES = 1_000_000
BACKUP_COUNT = 4
FORMAT = "%(asctime)s %(levelname)-8s %(name)s [%(threadName)s] %(message)s"

log = logging.getLogger("companion")

#: Called with a one-line summary after an uncaught exception was logged (the app shows a
#: dialog). Must not raise; runs on the thread the exception happened on.
UncaughtListener = Callable[[str], None]


class _CompanionFileHandler(logging.handlers.RotatingFileHandler):
    """Ours, so that calling :func:`setup_logging` again replaces it instead of adding one.

    Opened at the first record (``delay``), the folder made only then: a command that logs
    nothing (``pack verify`` without a library) leaves the user's folders untouched."""

    def _open(self):  # type: ignore[no-untyped-def]
        Path(self.baseFilename).parent.mkdir(parents=True, exist_ok=True)
        return super()._open()


def _writable(folder: Path) -> bool:
    """Whether ``folder`` exists writable, or could be made in its nearest existing parent."""
    for candidate in (folder, *folder.parents):
        if candidate.exists():
            return candidate.is_dir() and os.access(candidate, os.W_OK | os.X_OK)
    return False


def log_files(log_dir: Path) -> list[Path]:
    """The log files in ``log_dir``, newest first (``companion.log``, ``companion.log.1``...)."""
    files = [log_dir / LOG_NAME] + [log_dir / f"{LOG_NAME}.{n}"
                                    for n in range(1, BACKUP_COUNT + 1)]
    return [f for f in files if f.is_file()]


def setup_logging(log_dir: Path, *, debug: bool = False,
                  on_uncaught: UncaughtListener | None = None) -> Path | None:
    """Log to ``log_dir/companion.log`` (rotating), warnings and up unless ``debug``.

    Also sends Python warnings and every uncaught exception (main thread and other threads) to
    the log. Returns the log file, or None when the folder cannot be written (a read-only stick):
    the app then runs on, logging to stderr only, rather than not starting at all.
    """
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, _CompanionFileHandler)]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(logging.DEBUG if debug else logging.WARNING)
    logging.captureWarnings(True)
    install_excepthooks(on_uncaught)
    path = Path(log_dir).resolve() / LOG_NAME
    if not _writable(path.parent):
        print(f"warning: cannot write a log file in {path.parent}", file=sys.stderr)
        return None
    handler = _CompanionFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT,
                                    encoding="utf-8", delay=True)
    handler.setFormatter(logging.Formatter(FORMAT))
    root.addHandler(handler)
    return path


def close_logging() -> None:
    """Flush and close the log file (tests, and before a problem report reads it)."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, _CompanionFileHandler)]:
        root.removeHandler(handler)
        handler.close()


def flush_logging() -> None:
    for handler in logging.getLogger().handlers:
        if isinstance(handler, _CompanionFileHandler):
            handler.flush()


# -- uncaught exceptions --------------------------------------------------------------------------

_listener: list[UncaughtListener | None] = [None]


def install_excepthooks(on_uncaught: UncaughtListener | None = None) -> None:
    """Log uncaught exceptions of every thread, then tell ``on_uncaught`` (if given).

    The previous hooks still run after the log entry (the traceback stays on stderr for a
    terminal); Ctrl+C is left alone. Installing twice does not log twice.
    """
    _listener[0] = on_uncaught
    if getattr(sys.excepthook, "_companion", False):
        return
    previous_sys, previous_thread = sys.excepthook, threading.excepthook

    def sys_hook(kind: type[BaseException], value: BaseException,
                 tb: TracebackType | None) -> None:
        if not issubclass(kind, KeyboardInterrupt):
            _report(kind, value, tb, threading.current_thread().name)
        previous_sys(kind, value, tb)

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if not issubclass(args.exc_type, SystemExit):
            name = args.thread.name if args.thread is not None else "?"
            _report(args.exc_type, args.exc_value, args.exc_traceback, name)
        previous_thread(args)

    sys_hook._companion = True  # type: ignore[attr-defined]
    sys.excepthook = sys_hook
    threading.excepthook = thread_hook


def _report(kind: type[BaseException], value: BaseException | None,
            tb: TracebackType | None, thread: str) -> None:
    try:
        log.critical("uncaught exception in thread %s", thread,
                     exc_info=(kind, value, tb) if value is not None else None)
        flush_logging()
    except Exception:  # the hook itself must never raise
        pass
    listener = _listener[0]
    if listener is not None:
        summary = f"{kind.__name__}: {value}" if str(value or "") else kind.__name__
        try:
            listener(summary)
        except Exception:
            log.exception("the uncaught-exception listener failed")
