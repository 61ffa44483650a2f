"""Installing, updating, exporting and removing lesson packs in the local library.

An import checks the whole pack first (structure, manifest, signature, trust), then copies the
media into the store (the bytes are hashed while they are copied; files the store already has
are not copied again), then changes the database in ONE transaction, and only then deletes media
that no pack uses any more. So a failure at any point before the commit leaves the library as it
was, and a process killed in the middle leaves at most unreferenced files, which
:meth:`PackManager.recover` removes at the next start.

Lesson rows are keyed ``<pack id>/<lesson id>``; progress and notes hang on that key (without a
foreign key), so they survive an update, and even a remove and reinstall.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from companion.core.db import now_local, write_transaction
from companion.core.errors import (
    CompanionError,
    LibraryError,
    PackError,
    PackFormatError,
    Reason,
)
from companion.core.media_store import MediaIntegrityError, MediaStore
from companion.core.packs.format import (
    MANIFEST_NAME,
    PACK_SUFFIX,
    Manifest,
    compare_versions,
    parse_manifest,
    sha256_hex,
)
from companion.core.packs.header import header_row
from companion.core.packs.keys import format_fingerprint
from companion.core.packs.lock import clear_marker, try_lock, write_marker
from companion.core.packs.models import (
    INSTALLED,
    SKIPPED,
    UNCHANGED,
    UPDATED,
    ImportCancelled,
    ImportOutcome,
    ImportResult,
    InstalledPack,
    VerifyResult,
)
from companion.core.packs.reader import (
    LessonText,
    PackReader,
    SignerInfo,
    lesson_texts,
    open_pack,
)
from companion.core.packs.stored import StoredPack
from companion.core.packs.writer import write_pack
from companion.core.paths import Locations
from companion.core.trust import TrustStore

Progress = Callable[[int, int], None]  # bytes done, bytes in all
BatchProgress = Callable[[Path, int, int], None]  # the pack being imported, bytes done, in all
Cancel = Callable[[], bool]

_PACK_COLUMNS = (
    "k.id, k.title, k.version, k.language, k.author, k.description, k.cover_sha256,"
    " k.signer_name, k.signer_fingerprint, k.installed_at, k.updated_at,"
    " (SELECT count(*) FROM lessons l WHERE l.pack_id = k.id),"
    " (SELECT coalesce(sum(l.duration_s), 0) FROM lessons l WHERE l.pack_id = k.id),"
    " (SELECT count(*) FROM pack_files f WHERE f.pack_id = k.id),"
    " (SELECT coalesce(sum(f.size), 0) FROM pack_files f WHERE f.pack_id = k.id)"
)


class PackManager:
    def __init__(self, db: sqlite_utils.Database, locations: Locations, trust: TrustStore,
                 store: MediaStore) -> None:
        self._db = db
        self._trust = trust
        self.store = store  # the services' one media store, shared with the screens
        self._lock_path = locations.data_dir / "packs.lock"
        self._marker_path = locations.data_dir / "pack-operation.json"

    # -- start-up ----------------------------------------------------------------------------
    def recover(self) -> bool:
        """After an import or removal that was killed: drop its temporary and orphan files.

        Files a download has put into the store but not installed yet are not orphans: the
        store's :meth:`~companion.core.media_store.MediaStore.gc` spares what a download holds.

        Returns True if there was something to recover. Skips quietly while another process
        holds the lock (its import is alive and will clean up after itself).
        """
        with try_lock(self._lock_path) as locked:
            if not locked or not self._marker_path.exists():
                return False
            self.store.clean_temp()
            self.store.gc(self._referenced_media())
            clear_marker(self._marker_path)
            return True

    @contextlib.contextmanager
    def _exclusive(self, what: str) -> Iterator[None]:
        """Hold the library's pack lock, with the marker written, for one operation.

        On an error the same clean-up as :meth:`recover` runs at once; if even that fails the
        marker stays, and the next start does it.
        """
        with try_lock(self._lock_path) as locked:
            if not locked:
                raise LibraryError("another pack import or removal is running on this PC; try"
                                   " again when it is done", Reason.PACKS_BUSY)
            write_marker(self._marker_path, {"operation": what,
                                             "started_at": datetime.now().isoformat()})
            try:
                yield
            except BaseException:
                with contextlib.suppress(Exception):
                    self.store.clean_temp()
                    self.store.gc(self._referenced_media())
                    clear_marker(self._marker_path)
                raise
            clear_marker(self._marker_path)

    # -- reading -----------------------------------------------------------------------------
    def list_packs(self) -> list[InstalledPack]:
        rows = self._db.execute(
            f"SELECT {_PACK_COLUMNS} FROM packs k ORDER BY k.title COLLATE NOCASE, k.id"
        ).fetchall()
        return [InstalledPack(*header_row(r)) for r in rows]

    def get_pack(self, pack_id: str) -> InstalledPack:
        row = self._db.execute(f"SELECT {_PACK_COLUMNS} FROM packs k WHERE k.id = ?",
                               [pack_id]).fetchone()
        if row is None:
            raise LibraryError(f"no pack {pack_id!r} is installed")
        return InstalledPack(*header_row(row))

    def _installed_version(self, pack_id: str) -> tuple[str, str, str | None] | None:
        row = self._db.execute(
            "SELECT version, manifest_sha256, signer_fingerprint FROM packs WHERE id = ?",
            [pack_id],
        ).fetchone()
        return (row[0], row[1], row[2]) if row else None

    # -- verify ------------------------------------------------------------------------------
    def verify(self, path: Path | str, allow_unsigned: bool = False,
               progress: Progress | None = None) -> VerifyResult:
        """Check everything an import checks, reading every byte; changes nothing."""
        with open_pack(path) as reader:
            signer = reader.check_trust(self._trust.is_trusted, allow_unsigned)
            m = reader.manifest
            total = m.total_size
            done = 0

            def step(n: int) -> None:
                nonlocal done
                done += n
                if progress is not None:
                    progress(done, total)

            texts = reader.verify_contents(step)
            lesson_texts(m, texts.__getitem__, reader.label)
            installed = self._installed_version(m.pack.id)
            return VerifyResult(
                path=Path(path), pack_id=m.pack.id, title=m.pack.title, version=m.pack.version,
                language=m.pack.language, lessons=len(m.lessons), files=len(m.files),
                total_size=total, signer=signer,
                installed_version=installed[0] if installed else None,
            )

    # -- import ------------------------------------------------------------------------------
    def import_pack(self, path: Path | str, allow_unsigned: bool = False,
                    progress: Progress | None = None, cancel: Cancel | None = None,
                    ) -> ImportResult:
        """Install or update the pack in ``path``; see the module docstring for the steps."""
        path = Path(path)
        with open_pack(path) as reader:
            signer = reader.check_trust(self._trust.is_trusted, allow_unsigned)
            with self._exclusive(f"import {path}"):
                return self._install(reader, signer, progress, cancel)

    def check_download(self, manifest_bytes: bytes, signature_bytes: bytes | None,
                       allow_unsigned: bool = False, label: str = "downloaded pack",
                       ) -> tuple[StoredPack, SignerInfo | None]:
        """Check a pack offered by the hub (manifest, signature, trust) before any file of it
        is fetched: an unknown signer raises the very ``UnknownSignerError`` an import raises,
        so the app asks its "trust this trainer?" question before the download, not after."""
        reader = StoredPack(self.store, manifest_bytes, signature_bytes, label)
        return reader, reader.check_trust(self._trust.is_trusted, allow_unsigned)

    def installed_manifest(self, pack_id: str) -> tuple[str, str] | None:
        """``(version, manifest SHA-256)`` of the installed pack, or None: tells a catalog
        whether an offered pack is this exact build, an update, or older."""
        row = self._installed_version(pack_id)
        return (row[0], row[1]) if row else None

    def import_from_store(self, manifest_bytes: bytes, signature_bytes: bytes | None,
                          allow_unsigned: bool = False, label: str = "downloaded pack",
                          ) -> ImportResult:
        """Install a pack whose files are all in the media store already (a download).

        The same signature, trust and content checks and the same transaction as a ``.cpack``
        import; only the files come from the store, where the downloader put them after
        checking each one's SHA-256. A file still missing is a PackFormatError naming it.
        """
        reader, signer = self.check_download(manifest_bytes, signature_bytes, allow_unsigned,
                                             label)
        reader.check_complete()
        with self._exclusive(f"install {label}"):
            return self._install(reader, signer, None, None)

    def _install(self, reader: PackReader, signer: SignerInfo | None,
                 progress: Progress | None, cancel: Cancel | None) -> ImportResult:
        m = reader.manifest
        installed = self._installed_version(m.pack.id)
        same = installed is not None and installed[1] == reader.manifest_sha256
        result = ImportResult(
            path=reader.path, pack_id=m.pack.id, title=m.pack.title, version=m.pack.version,
            status=UNCHANGED if same else UPDATED if installed else INSTALLED,
            previous_version=installed[0] if installed else None, lessons=len(m.lessons),
            signer_name=signer.name if signer else None,
            signer_fingerprint=signer.fingerprint if signer else None,
        )
        if installed and compare_versions(m.pack.version, installed[0]) < 0:
            return replace(result, status=SKIPPED)
        if same and self._media_complete(m):
            return result  # the same pack again: no file read, nothing written
        warnings = []
        old_signer = installed[2] if installed else None
        if old_signer and (signer is None or signer.fingerprint != old_signer):
            warnings.append(
                f"{m.pack.id} was signed by key {format_fingerprint(old_signer)}; this"
                f" version is signed by {signer.short_fingerprint if signer else 'no one'}"
            )
        copied, nbytes, reused = self._copy_media(reader, progress, cancel)
        texts = lesson_texts(m, self._stored_bytes(m, reader.label), reader.label)
        with write_transaction(self._db):
            old = self._save(reader, signer, texts)
        self._collect(old - {f.sha256 for f in m.files})
        return replace(result, files_copied=copied, bytes_copied=nbytes, files_reused=reused,
                       warnings=tuple(warnings))

    def import_many(self, paths: Iterable[Path | str], allow_unsigned: bool = False,
                    progress: BatchProgress | None = None, cancel: Cancel | None = None,
                    on_outcome: Callable[[ImportOutcome], None] | None = None,
                    ) -> list[ImportOutcome]:
        """Import each file; a folder (a USB stick) means every ``.cpack`` directly in it.

        One bad pack does not stop the others; cancelling stops the batch. ``on_outcome`` hears
        about each pack as soon as it is done.
        """
        outcomes: list[ImportOutcome] = []
        for path, problem in expand_pack_paths(paths):
            if problem is None:
                step = (lambda d, t, p=path: progress(p, d, t)) if progress else None
                try:
                    outcome = ImportOutcome(
                        path, result=self.import_pack(path, allow_unsigned, step, cancel))
                except CompanionError as exc:
                    outcome = ImportOutcome(path, error=exc)
            else:
                outcome = ImportOutcome(path, error=problem)
            outcomes.append(outcome)
            if on_outcome is not None:
                on_outcome(outcome)
            if isinstance(outcome.error, ImportCancelled):
                break
        return outcomes

    def _media_complete(self, m: Manifest) -> bool:
        return all(self.store.has(f.sha256, f.size) for f in m.files)

    def _copy_media(self, reader: PackReader, progress: Progress | None,
                    cancel: Cancel | None) -> tuple[int, int, int]:
        """Copy the files the store lacks, in the order they lie in the pack; each sha once."""
        todo, seen, reused = [], set(), 0
        for f in reader.files_in_pack_order():
            if f.sha256 in seen:
                continue
            seen.add(f.sha256)
            if self.store.has(f.sha256, f.size):
                reused += 1
            else:
                todo.append(f)
        total = sum(f.size for f in todo)
        done = 0

        def step(n: int) -> None:
            nonlocal done
            done += n
            if cancel is not None and cancel():
                raise ImportCancelled("import cancelled; nothing was changed")
            if progress is not None:
                progress(done, total)

        if progress is not None:
            progress(0, total)
        for f in todo:
            if cancel is not None and cancel():
                raise ImportCancelled("import cancelled; nothing was changed")
            with reader.open_file(f.path) as src:
                try:
                    self.store.ingest(src, f.sha256, f.size, progress=step)
                except MediaIntegrityError as exc:
                    raise PackFormatError(
                        f"{f.path}: the bytes do not match {MANIFEST_NAME} ({exc}); the pack is"
                        " damaged or was changed", reader.label,
                    ) from exc
        return len(todo), total, reused

    def _stored_bytes(self, m: Manifest, label: str) -> Callable[[str], bytes]:
        def read(path: str) -> bytes:
            try:
                return self.store.path_for(m.file(path).sha256).read_bytes()
            except OSError as exc:
                raise LibraryError(f"{label}: cannot read {path} back from the library"
                                   f" ({exc.strerror})") from exc
        return read

    def _save(self, reader: PackReader, signer: SignerInfo | None,
              texts: dict[str, LessonText]) -> set[str]:
        """Write the pack to the database (inside the caller's transaction); returns the media
        the previous version used."""
        m, db, now = reader.manifest, self._db, now_local()
        pid = m.pack.id
        old = {r[0] for r in db.execute("SELECT sha256 FROM pack_files WHERE pack_id = ?", [pid])}
        db.conn.executemany(
            "INSERT INTO media(sha256, size, added_at) VALUES (?, ?, ?)"
            " ON CONFLICT(sha256) DO NOTHING",
            [(f.sha256, f.size, now) for f in m.files],
        )
        cover = m.file(m.pack.cover).sha256 if m.pack.cover else None
        db.execute(
            "INSERT INTO packs(id, title, version, language, author, description, cover_sha256,"
            " signer_name, signer_fingerprint, manifest_sha256, manifest, signature,"
            " installed_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(id) DO UPDATE SET title = excluded.title, version = excluded.version,"
            " language = excluded.language, author = excluded.author,"
            " description = excluded.description, cover_sha256 = excluded.cover_sha256,"
            " signer_name = excluded.signer_name, signer_fingerprint = excluded.signer_fingerprint,"
            " manifest_sha256 = excluded.manifest_sha256, manifest = excluded.manifest,"
            " signature = excluded.signature, updated_at = excluded.updated_at",
            [pid, m.pack.title, m.pack.version, m.pack.language, m.pack.author,
             m.pack.description, cover, signer.name if signer else None,
             signer.fingerprint if signer else None, reader.manifest_sha256,
             reader.manifest_bytes.decode("utf-8"),
             reader.signature_bytes.decode("utf-8") if reader.signature_bytes else None,
             now, now],
        )
        db.execute("DELETE FROM pack_files WHERE pack_id = ?", [pid])
        db.conn.executemany(
            "INSERT INTO pack_files(pack_id, path, sha256, size) VALUES (?, ?, ?, ?)",
            [(pid, f.path, f.sha256, f.size) for f in m.files],
        )
        ids = [f"{pid}/{lesson.id}" for lesson in m.lessons]
        db.execute("DELETE FROM lessons WHERE pack_id = ? AND id NOT IN"
                   " (SELECT value FROM json_each(?))", [pid, json.dumps(ids)])
        db.conn.executemany(
            "INSERT INTO lessons(id, pack_id, lesson_key, position, title, summary, video_path,"
            " video_sha256, duration_s, subtitles, subtitle_text, trainer_notes, quiz, tags)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(id) DO UPDATE SET position = excluded.position,"
            " title = excluded.title, summary = excluded.summary,"
            " video_path = excluded.video_path, video_sha256 = excluded.video_sha256,"
            " duration_s = excluded.duration_s, subtitles = excluded.subtitles,"
            " subtitle_text = excluded.subtitle_text, trainer_notes = excluded.trainer_notes,"
            " quiz = excluded.quiz, tags = excluded.tags",
            [self._lesson_row(m, pid, pos, lid, texts) for pos, lid in enumerate(ids)],
        )
        return old

    @staticmethod
    def _lesson_row(m: Manifest, pid: str, pos: int, lesson_id: str,
                    texts: dict[str, LessonText]) -> tuple[Any, ...]:
        lesson = m.lessons[pos]
        subtitles = [{"language": s.language, "path": s.path, "sha256": m.file(s.path).sha256}
                     for s in lesson.subtitles]
        text = texts[lesson.id]
        return (
            lesson_id, pid, lesson.id, pos, lesson.title, lesson.summary, lesson.video,
            m.file(lesson.video).sha256, lesson.duration_s,
            json.dumps(subtitles, ensure_ascii=False), text.subtitle_text, text.trainer_notes,
            json.dumps([q.to_dict() for q in lesson.quiz], ensure_ascii=False),
            json.dumps(list(lesson.tags), ensure_ascii=False),
        )

    # -- media bookkeeping -------------------------------------------------------------------
    def _referenced_media(self) -> set[str]:
        """Everything the database points at: pack files, media rows, profile photos (mine and
        those of the people in my groups, fetched by the sync)."""
        rows = self._db.execute(
            "SELECT sha256 FROM media UNION SELECT sha256 FROM pack_files"
            " UNION SELECT photo_sha256 FROM profiles WHERE photo_sha256 IS NOT NULL"
            " UNION SELECT photo_sha256 FROM sync_people WHERE photo_sha256 IS NOT NULL"
        ).fetchall()
        return {r[0] for r in rows}

    def _still_used(self, shas: Iterable[str]) -> set[str]:
        wanted = json.dumps(sorted(shas))
        rows = self._db.execute(
            "SELECT sha256 FROM pack_files WHERE sha256 IN (SELECT value FROM json_each(?))"
            " UNION SELECT photo_sha256 FROM profiles"
            " WHERE photo_sha256 IN (SELECT value FROM json_each(?))"
            " UNION SELECT photo_sha256 FROM sync_people"
            " WHERE photo_sha256 IN (SELECT value FROM json_each(?))", [wanted, wanted, wanted],
        ).fetchall()
        return {r[0] for r in rows}

    def _collect(self, candidates: set[str]) -> None:
        """Delete media a pack stopped using, unless something else still uses it.

        The rows go first, in a transaction; the files after the commit. Killed in between,
        the files are orphans that recover() deletes; never a row without its file.
        """
        if not candidates:
            return
        with write_transaction(self._db):
            unused = sorted(set(candidates) - self._still_used(candidates))
            self._db.execute("DELETE FROM media WHERE sha256 IN (SELECT value FROM json_each(?))",
                             [json.dumps(unused)])
        held = self.store.held() if unused else set()
        for sha in unused:
            if sha not in held:  # a download about to install a pack that has it keeps it
                self.store.remove(sha)

    # -- export and remove -------------------------------------------------------------------
    def export(self, pack_id: str, out_dir: Path | str) -> Path:
        """Write the installed pack back to ``<id>-<version>.cpack`` in ``out_dir``.

        The manifest and signature are the stored bytes, so the trainer's signature still
        holds, and the zip is laid out as the builder lays it out.
        """
        row = self._db.execute(
            "SELECT version, manifest, manifest_sha256, signature FROM packs WHERE id = ?",
            [pack_id],
        ).fetchone()
        if row is None:
            raise LibraryError(f"no pack {pack_id!r} is installed")
        manifest_bytes = row[1].encode("utf-8")
        if sha256_hex(manifest_bytes) != row[2]:
            raise LibraryError(f"the stored manifest of {pack_id!r} is damaged; import the pack"
                               " again")
        m = parse_manifest(manifest_bytes, f"{pack_id} (installed)")
        files = []
        for f in m.files:
            if not self.store.has(f.sha256, f.size):
                raise LibraryError(f"{self.store.path_for(f.sha256)}: the library copy of"
                                   f" {f.path} is missing; import the pack again")
            files.append((f, self.store.path_for(f.sha256)))
        dest = Path(out_dir) / f"{pack_id}-{row[0]}{PACK_SUFFIX}"
        write_pack(dest, manifest_bytes, row[3].encode("utf-8") if row[3] else None, files,
                   damaged_hint="this library copy is damaged; import the pack again")
        return dest

    def remove(self, pack_id: str) -> None:
        """Uninstall a pack; progress and notes stay (a reinstall finds them again)."""
        self.get_pack(pack_id)
        with self._exclusive(f"remove {pack_id}"):
            with write_transaction(self._db):
                old = {r[0] for r in self._db.execute(
                    "SELECT sha256 FROM pack_files WHERE pack_id = ?", [pack_id])}
                self._db.execute("DELETE FROM packs WHERE id = ?", [pack_id])
            self._collect(old)


def expand_pack_paths(paths: Iterable[Path | str]) -> list[tuple[Path, PackError | None]]:
    """Files as given, folders as the ``.cpack`` files directly in them (sorted)."""
    found: list[tuple[Path, PackError | None]] = []
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            # "._x.cpack" files are macOS metadata on USB sticks, not packs.
            packs = sorted(p for p in path.iterdir() if p.suffix.lower() == PACK_SUFFIX
                           and not p.name.startswith(".") and p.is_file())
            if not packs:
                found.append((path, PackError(f"no {PACK_SUFFIX} files in this folder",
                                              str(path))))
            candidates = packs
        elif path.exists():
            candidates = [path]
        else:
            found.append((path, PackError("no such file or folder", str(path))))
            candidates = []
        for p in candidates:
            key = p.resolve()
            if key not in seen:
                seen.add(key)
                found.append((p, None))
    return found
