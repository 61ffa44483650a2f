"""Importing lesson packs, without a window: one pack after another through the library lane,
the trust question when a signer is unknown, and the core's errors as plain sentences.

:class:`ImportFlow` is what :class:`~companion.ui.dialogs.import_dialog.ImportDialog` shows;
tests drive it directly.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal

from companion.core.errors import (
    LibraryError,
    PackError,
    PackFormatError,
    PackTrustError,
    Reason,
    StorageError,
)
from companion.core.packs.keys import PublicKey
from companion.core.packs.manager import expand_pack_paths
from companion.core.packs.models import (
    INSTALLED,
    SKIPPED,
    UNCHANGED,
    UPDATED,
    ImportCancelled,
    ImportResult,
)
from companion.core.packs.reader import BadSignatureError, UnsignedPackError, open_pack
from companion.ui.context import AppContext
from companion.ui.redraw import Redraw
from companion.ui.tasks import Cancelled, TaskContext, TaskHandle

translate = QCoreApplication.translate  # the name pyside6-lupdate looks for


class Problem(enum.Enum):
    CANCELLED = "cancelled"
    DAMAGED = "damaged"
    TAMPERED = "tampered"
    NOT_FOUND = "not_found"
    EMPTY_FOLDER = "empty_folder"
    DISK = "disk"
    BUSY = "busy"
    UNREADABLE = "unreadable"
    OTHER = "other"


@dataclass(frozen=True)
class ImportProblem:
    kind: Problem
    message: str  # one or two plain sentences for the person
    details: str  # the technical text, for a trainer or a bug report


def problem_kind(exc: BaseException, path: Path | None = None) -> Problem:
    """Which of the common cases an import error is."""
    if isinstance(exc, ImportCancelled | Cancelled):
        return Problem.CANCELLED
    if isinstance(exc, BadSignatureError):
        return Problem.TAMPERED
    if isinstance(exc, PackFormatError):
        return Problem.DAMAGED
    if isinstance(exc, StorageError):
        return Problem.DISK
    if isinstance(exc, PackError) and not isinstance(exc, PackTrustError):
        if path is not None and path.is_dir():
            return Problem.EMPTY_FOLDER
        if path is not None and not path.exists():
            return Problem.NOT_FOUND
        return Problem.DAMAGED
    if isinstance(exc, LibraryError) and exc.reason is Reason.PACKS_BUSY:
        return Problem.BUSY
    if isinstance(exc, FileNotFoundError):
        return Problem.NOT_FOUND
    if isinstance(exc, OSError):
        return Problem.UNREADABLE
    return Problem.OTHER


def problem_message(kind: Problem) -> str:
    """The plain sentence for a kind of problem, in the language of the app."""
    return {
        Problem.CANCELLED: translate(
            "ImportFlow", "The import was stopped. Nothing was changed."),
        Problem.DAMAGED: translate(
            "ImportFlow", "This file is damaged or is not a lesson pack. Copy it again from "
            "the USB stick, or ask your trainer for a new copy."),
        Problem.TAMPERED: translate(
            "ImportFlow", "This lesson pack was changed after the trainer signed it, so it "
            "is not safe to import. Ask your trainer for a new copy."),
        Problem.NOT_FOUND: translate(
            "ImportFlow", "The file could not be found. Is the USB stick still in the "
            "computer?"),
        Problem.EMPTY_FOLDER: translate(
            "ImportFlow", "There are no lesson packs in this folder. A lesson pack is a file "
            "whose name ends in .cpack."),
        Problem.DISK: translate(
            "ImportFlow", "There is not enough room on this computer, or the lessons cannot "
            "be saved there. Free some space and try again."),
        Problem.BUSY: translate(
            "ImportFlow", "Another import is still busy. Wait until it is done and try "
            "again."),
        Problem.UNREADABLE: translate(
            "ImportFlow", "The file could not be read. Is the USB stick still in the "
            "computer? Try again."),
        Problem.OTHER: translate(
            "ImportFlow", "Something went wrong while importing. The details below can help "
            "your trainer."),
    }[kind]


def describe_problem(exc: BaseException, path: Path | None = None) -> ImportProblem:
    kind = problem_kind(exc, path)
    details = f"{type(exc).__name__}: {exc}"
    return ImportProblem(kind, problem_message(kind), details)


def describe_result(result: ImportResult) -> str:
    """One sentence about a finished import, in the language of the app."""
    title = result.title
    if result.status == INSTALLED:
        # Two sentences rather than Qt's %n plural: pyside6-lupdate only records a plural form
        # whose count is a literal number. Dutch and English both have "one" and "more".
        if result.lessons == 1:
            return translate("ImportFlow", "“%1” is ready, with one lesson.").replace("%1", title)
        text = translate("ImportFlow", "“%1” is ready, with %2 lessons.")
        return text.replace("%1", title).replace("%2", str(result.lessons))
    if result.status == UPDATED:
        text = translate("ImportFlow", "“%1” was updated to version %2.")
        return text.replace("%1", title).replace("%2", result.version)
    if result.status == UNCHANGED:
        text = translate("ImportFlow", "“%1” was already on this computer. Nothing changed.")
        return text.replace("%1", title)
    if result.status == SKIPPED:
        text = translate("ImportFlow",
                         "A newer version of “%1” is already on this computer. Nothing changed.")
        return text.replace("%1", title)
    return title


def trust_signer_and_import(services: Any, path: Path, fingerprint: str, progress: Any,
                            cancel: Any) -> ImportResult:
    """Trust the key that signed ``path`` (only if it is the one the person saw), then
    import. Runs on the library lane."""
    with open_pack(path) as reader:
        signer = reader.check_trust(lambda _fingerprint: True)
    if signer is None or signer.fingerprint != fingerprint:
        raise PackTrustError("the pack's signer changed since the question was asked",
                             str(path))
    services.trust.trust(PublicKey(signer.name, signer.public_key))
    return services.packs.import_pack(path, progress=progress, cancel=cancel)


class ImportFlow(QObject):
    """Imports ``paths`` one by one. The dialog listens to the signals and answers the trust
    question with :meth:`trust_signer`, :meth:`import_once` or :meth:`skip`."""

    pack_started = Signal(int, int, str)        # index, count, file name
    progress = Signal(object, object)           # bytes done, bytes in all
    trust_needed = Signal(str, str)             # signer name, fingerprint ("": unsigned)
    pack_done = Signal(str, object)             # file name, ImportResult
    pack_failed = Signal(str, object)           # file name, ImportProblem
    finished = Signal()

    def __init__(self, ctx: AppContext, paths: list[Path] | None = None) -> None:
        super().__init__()
        self._ctx = ctx
        self._queue: list[Path] = []
        self._index = 0
        self.results: list[ImportResult] = []
        self.problems: list[ImportProblem] = []
        self._handle: TaskHandle | None = None
        self._asking: tuple[Path, str] | None = None
        self._stopped = False
        self.add_paths(paths or [])

    # -- queue ---------------------------------------------------------------------------------
    def add_paths(self, paths: list[Path]) -> None:
        """More files (from a drop or a second start); folders mean the packs inside."""
        for path, problem in expand_pack_paths(paths):
            if problem is not None:
                self.problems.append(describe_problem(problem, path))
                self.pack_failed.emit(path.name, self.problems[-1])
            elif path not in self._queue[self._index:]:
                self._queue.append(path)

    @property
    def count(self) -> int:
        return len(self._queue)

    @property
    def running(self) -> bool:
        return self._handle is not None and not self._handle.done()

    @property
    def asking(self) -> bool:
        return self._asking is not None

    @property
    def idle(self) -> bool:
        return not self.running and not self.asking

    def start(self) -> None:
        """Import the next pack in the queue (or say that all are done)."""
        if self.running or self.asking:
            return
        if self._stopped or self._index >= len(self._queue):
            self.finished.emit()
            return
        self._run(self._queue[self._index], allow_unsigned=False)

    def cancel(self) -> None:
        """Stop: the pack being imported is left as it was, the rest is not started."""
        self._stopped = True
        if self._handle is not None:
            self._handle.cancel()
        if self._asking is not None:
            self._asking = None
            self._finish_one(self._queue[self._index], error=ImportCancelled("cancelled"))

    # -- answers to the trust question ------------------------------------------------------------
    def trust_signer(self) -> None:
        """Trust the signer from now on, and import."""
        if self._asking is None:
            return
        path, fingerprint = self._asking
        self._asking = None
        self._submit(path, lambda svc, progress, cancel: trust_signer_and_import(
            svc, path, fingerprint, progress, cancel))

    def import_once(self) -> None:
        """Import this pack without trusting its signer for later ones."""
        if self._asking is None:
            return
        path, _ = self._asking
        self._asking = None
        self._run(path, allow_unsigned=True)

    def skip(self) -> None:
        """Do not import this pack; go on with the next."""
        if self._asking is None:
            return
        self._asking = None
        self._index += 1
        self.start()

    # -- running ---------------------------------------------------------------------------------
    def _run(self, path: Path, allow_unsigned: bool) -> None:
        self._submit(path, lambda svc, progress, cancel: svc.packs.import_pack(
            path, allow_unsigned=allow_unsigned, progress=progress, cancel=cancel))

    def _submit(self, path: Path, work: Any) -> None:
        self.pack_started.emit(self._index, len(self._queue), path.name)

        def task(tctx: TaskContext) -> ImportResult:
            return work(tctx.services, lambda done, total: tctx.progress((done, total)),
                        lambda: tctx.cancelled)

        self._handle = self._ctx.tasks.run_library(
            task,
            on_done=lambda result: self._finish_one(path, result=result),
            on_error=lambda exc: self._finish_one(path, error=exc),
            on_progress=lambda value: self.progress.emit(value[0], value[1]),
        )

    def _finish_one(self, path: Path, result: ImportResult | None = None,
                    error: BaseException | None = None) -> None:
        self._handle = None
        if error is not None and isinstance(error, UnsignedPackError | PackTrustError) \
                and not isinstance(error, BadSignatureError) and not self._stopped:
            fingerprint = "" if isinstance(error, UnsignedPackError) else error.fingerprint or ""
            if isinstance(error, UnsignedPackError) or fingerprint:
                self._asking = (path, fingerprint)
                self.trust_needed.emit(error.signer_name or "", fingerprint)
                return
        if result is not None:
            self.results.append(result)
            if result.status in (INSTALLED, UPDATED):
                self._ctx.announce(Redraw(packs=True))
            self.pack_done.emit(path.name, result)
        elif error is not None:
            problem = describe_problem(error, path)
            self.problems.append(problem)
            self.pack_failed.emit(path.name, problem)
            if problem.kind is Problem.CANCELLED:
                self._stopped = True
        self._index += 1
        self.start()

