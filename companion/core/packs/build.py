"""Building a signed ``.cpack`` from a pack source folder (``companion pack build``)."""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from companion import __version__
from companion.core.errors import PackError, PackSourceError
from companion.core.media_store import CHUNK_SIZE
from companion.core.packs.format import (
    FORMAT_NAME,
    FORMAT_VERSION,
    MAX_FILE_BYTES,
    MAX_FILES,
    MAX_TOTAL_BYTES,
    PACK_SUFFIX,
    SIGNATURE_ALGORITHM,
    FileEntry,
    encode_json,
    parse_manifest,
)
from companion.core.packs.keys import SigningKey, load_signing_key
from companion.core.packs.source import LessonSource, PackSource, SourceFile, read_source
from companion.core.packs.writer import write_pack

MAX_LESSON_S = 180.0  # micro-lessons: a shop break is short


@dataclass(frozen=True)
class BuildResult:
    path: Path
    pack_id: str
    version: str
    warnings: list[str] = field(default_factory=list)
    signed: bool = False
    signer_name: str | None = None
    lessons: int = 0
    size: int = 0


def _minutes(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 60} min {whole % 60:02d} s"


def lesson_warnings(pack: PackSource) -> list[str]:
    """What a trainer should fix but that does not stop the build."""
    warnings = []
    for lesson in pack.lessons:
        where = lesson.toml_path.relative_to(pack.root).as_posix()
        if lesson.duration_s > MAX_LESSON_S:
            warnings.append(
                f"{where}: lesson {lesson.id!r} lasts {_minutes(lesson.duration_s)}; micro-lessons"
                f" should be at most {_minutes(MAX_LESSON_S)}"
            )
        if not lesson.subtitles:
            warnings.append(
                f"{where}: lesson {lesson.id!r} has no subtitles (many shops keep the sound off)"
            )
    return warnings


def _hash_file(file: SourceFile) -> FileEntry:
    digest = hashlib.sha256()
    size = 0
    try:
        with open(file.path, "rb", buffering=0) as f:
            buffer = bytearray(CHUNK_SIZE)
            view = memoryview(buffer)
            while n := f.readinto(view):
                digest.update(view[:n])
                size += n
                if size > MAX_FILE_BYTES:
                    raise PackSourceError(
                        f"is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB, the most one file"
                        " in a pack may be", str(file.path),
                    )
    except OSError as exc:
        raise PackSourceError(f"cannot read ({exc.strerror})", str(file.path)) from exc
    return FileEntry(file.pack_path, size, digest.hexdigest())


def _lesson_dict(lesson: LessonSource) -> dict[str, Any]:
    return {
        "id": lesson.id,
        "title": lesson.title,
        "summary": lesson.summary,
        "video": lesson.video.pack_path,
        "duration_s": round(lesson.duration_s, 3),
        "subtitles": [{"language": lang, "path": f.pack_path}
                      for lang, f in sorted(lesson.subtitles.items())],
        "notes": lesson.notes.pack_path if lesson.notes else None,
        "tags": lesson.tags,
        "quiz": lesson.quiz,
    }


def content_date(pack: PackSource) -> str:
    """When the pack's content was last changed: ``$SOURCE_DATE_EPOCH`` if set, else the newest
    modification time of its source files. Never the build time, so building unchanged sources
    again gives the same bytes, and PCs see "unchanged" instead of a needless update."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        stamp = int(epoch)
    else:
        paths = [pack.root / "pack.toml", *(lesson.toml_path for lesson in pack.lessons),
                 *(f.path for f in pack.files())]
        stamp = int(max(p.stat().st_mtime for p in paths))
    return datetime.fromtimestamp(stamp, UTC).isoformat(timespec="seconds")


def manifest_dict(pack: PackSource, files: list[FileEntry]) -> dict[str, Any]:
    return {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "generator": f"companion {__version__}",
        "created_at": content_date(pack),
        "pack": {
            "id": pack.id, "title": pack.title, "version": pack.version,
            "language": pack.language, "author": pack.author,
            "description": pack.description,
            "cover": pack.cover.pack_path if pack.cover else None,
        },
        "lessons": [_lesson_dict(lesson) for lesson in pack.lessons],
        "files": [{"path": f.path, "size": f.size, "sha256": f.sha256} for f in files],
    }


def signature_dict(key: SigningKey, manifest_bytes: bytes) -> dict[str, Any]:
    public = key.public_key
    return {
        "algorithm": SIGNATURE_ALGORITHM,
        "signer": key.name,
        "public_key": public.base64,
        "fingerprint": public.fingerprint,  # informational: readers recompute it
        "signature": base64.b64encode(key.sign(manifest_bytes)).decode("ascii"),
    }


def build_pack(
    source_dir: Path | str,
    out_dir: Path | str,
    signing_key: SigningKey | Path | str | None = None,
) -> BuildResult:
    """Check the source, then write ``<id>-<version>.cpack`` into ``out_dir``."""
    key = (load_signing_key(signing_key) if isinstance(signing_key, str | os.PathLike)
           else signing_key)
    pack = read_source(source_dir)
    sources = pack.files()
    if len(sources) > MAX_FILES:
        raise PackSourceError(f"the pack would hold {len(sources)} files; at most {MAX_FILES}",
                              str(pack.root / "pack.toml"))
    entries = [_hash_file(s) for s in sources]
    total = sum(e.size for e in entries)
    if total > MAX_TOTAL_BYTES:
        raise PackSourceError(
            f"the files add up to {total // (1024 * 1024)} MB; a pack holds at most"
            f" {MAX_TOTAL_BYTES // (1024 * 1024)} MB (split it in two)", str(pack.root),
        )
    manifest_bytes = encode_json(manifest_dict(pack, entries))
    try:
        parse_manifest(manifest_bytes)  # the builder never writes what a reader would refuse
    except PackError as exc:  # pragma: no cover - source checks should have caught it first
        raise PackSourceError(f"the pack cannot be built: {exc}", str(pack.root)) from exc
    signature_bytes = encode_json(signature_dict(key, manifest_bytes)) if key else None
    dest = Path(out_dir) / f"{pack.id}-{pack.version}{PACK_SUFFIX}"
    size = write_pack(
        dest, manifest_bytes, signature_bytes,
        [(entry, source.path) for entry, source in zip(entries, sources, strict=True)],
        damaged_hint="the file changed while the pack was being built; build again",
    )
    return BuildResult(
        path=dest, pack_id=pack.id, version=pack.version, warnings=lesson_warnings(pack),
        signed=key is not None, signer_name=key.name if key else None,
        lessons=len(pack.lessons), size=size,
    )
