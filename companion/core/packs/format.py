"""The built ``.cpack`` format: constants, limits, safe entry paths and the manifest schema.

A ``.cpack`` is a zip with ``manifest.json`` at its root (every file with its size and SHA-256),
an optional ``signature.json`` (Ed25519 over the exact bytes of ``manifest.json``) and the files
themselves under the paths the manifest gives. ``docs/pack-format.md`` is the reference; keep it
in step with this module.

Validation is strict and names the field (``manifest.json: lessons[2].title must be a string``):
a pack comes from a USB stick of unknown history, so nothing in it is trusted until checked.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import json
import math
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from companion.core.errors import PackFormatError
from companion.core.packs.header import HeaderFields, PackHeader

FORMAT_NAME = "companion-pack"
FORMAT_VERSION = 1
PACK_SUFFIX = ".cpack"
MANIFEST_NAME = "manifest.json"
SIGNATURE_NAME = "signature.json"
RESERVED_NAMES = frozenset({MANIFEST_NAME, SIGNATURE_NAME})
SIGNATURE_ALGORITHM = "ed25519"

# Limits. They are far above what a pack of micro-lessons needs (a 3-minute 1080p video is about
# 100 MB) and low enough that a hostile pack cannot fill a shop PC's disk or memory.
MAX_MANIFEST_BYTES = 4 * 1024 * 1024
MAX_SIGNATURE_BYTES = 16 * 1024
MAX_FILES = 2_000
MAX_LESSONS = 500
MAX_FILE_BYTES = 1024 * 1024 * 1024
MAX_TOTAL_BYTES = 8 * 1024 * 1024 * 1024
MAX_TEXT_BYTES = 2 * 1024 * 1024  # one subtitle or notes file: read into memory on import
MAX_TOTAL_TEXT_BYTES = 64 * 1024 * 1024
MAX_PATH_LENGTH = 240
MAX_DURATION_S = 4 * 3600.0
# Deflated text shrinks 3 to 10 times; far more than 100 times means a crafted entry. Tiny
# entries are exempt: a short file of spaces compresses absurdly well and harms no one.
MAX_COMPRESSION_RATIO = 100
BOMB_CHECK_MIN_BYTES = 1024 * 1024

MAX_TITLE_LENGTH = 200
MAX_TEXT_FIELD_LENGTH = 20_000
MAX_TAGS = 20
MAX_TAG_LENGTH = 50
MAX_QUIZ_QUESTIONS = 20
MIN_CHOICES, MAX_CHOICES = 2, 6

ID_RE = re.compile(r"^[a-z0-9._-]{3,64}$")
VERSION_RE = re.compile(r"^[0-9]{1,9}(\.[0-9]{1,9}){0,5}$")
LANGUAGE_RE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,3}$")
SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
_DRIVE_RE = re.compile(r"^[A-Za-z]:")

# Already-compressed media is stored as is: deflating it again costs time and saves nothing,
# and stored entries can be copied straight from the zip at disk speed.
STORED_SUFFIXES = frozenset({
    ".mp4", ".m4v", ".mov", ".webm", ".mkv", ".m4a", ".mp3", ".ogg", ".opus",
    ".png", ".jpg", ".jpeg", ".webp", ".gif", ".zip", ".gz",
})
VIDEO_SUFFIXES = frozenset({".mp4", ".m4v", ".webm"})


def compression_for(path: str) -> int:
    """The zip compression a pack file gets: stored for media, deflated for text."""
    suffix = PurePosixPath(path).suffix.lower()
    return zipfile.ZIP_STORED if suffix in STORED_SUFFIXES else zipfile.ZIP_DEFLATED


def path_problem(path: str) -> str | None:
    """Why ``path`` is not a safe entry path inside a pack, or None if it is.

    The rules hold on every platform, so a pack that passes here is safe on Windows too
    (no drive letters, no backslashes, no ``:`` alternate streams, no device-like control bytes).
    """
    if not path:
        return "is empty"
    if len(path) > MAX_PATH_LENGTH:
        return f"is longer than {MAX_PATH_LENGTH} characters"
    if "\\" in path:
        return "contains a backslash (paths in a pack use /)"
    if path.startswith("/"):
        return "is an absolute path"
    if _DRIVE_RE.match(path):
        return "starts with a drive letter"
    if ":" in path:
        return "contains ':'"
    if any(ord(c) < 32 or ord(c) == 127 for c in path):
        return "contains a control character"
    parts = path.split("/")
    if any(p in ("", ".", "..") for p in parts):
        return "has an empty, '.' or '..' part"
    if path in RESERVED_NAMES:
        return "is a name the pack format reserves"
    return None


def parse_version(version: str) -> tuple[int, ...]:
    """``"1.10.2"`` as ``(1, 10, 2)``, trailing zeros dropped so ``1.0`` equals ``1``."""
    parts = [int(p) for p in version.split(".")]
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


def compare_versions(a: str, b: str) -> int:
    """-1, 0 or 1 as pack version ``a`` is older than, equal to or newer than ``b``."""
    va, vb = parse_version(a), parse_version(b)
    return (va > vb) - (va < vb)


def encode_json(value: Any) -> bytes:
    """The bytes the builder writes for manifest.json and signature.json (UTF-8, stable)."""
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class FileEntry:
    path: str
    size: int
    sha256: str


@dataclass(frozen=True)
class SubtitleRef:
    language: str
    path: str


@dataclass(frozen=True)
class QuizItem:
    question: str
    choices: tuple[str, ...]
    answer: int
    explanation: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"question": self.question, "choices": list(self.choices), "answer": self.answer,
                "explanation": self.explanation}


@dataclass(frozen=True)
class LessonEntry:
    id: str
    title: str
    summary: str
    video: str
    duration_s: float
    subtitles: tuple[SubtitleRef, ...]
    notes: str | None
    tags: tuple[str, ...]
    quiz: tuple[QuizItem, ...]

    def subtitle_for(self, language: str) -> SubtitleRef | None:
        """The subtitles in ``language`` (or the same base language, ``nl`` for ``nl-BE``)."""
        base = language.split("-")[0].lower()
        exact = [s for s in self.subtitles if s.language.lower() == language.lower()]
        close = [s for s in self.subtitles if s.language.split("-")[0].lower() == base]
        found = exact or close
        return found[0] if found else None


@dataclass(frozen=True)
class PackInfo(HeaderFields):
    header: PackHeader
    cover: str | None


@dataclass(frozen=True)
class Manifest:
    format_version: int
    pack: PackInfo
    lessons: tuple[LessonEntry, ...]
    files: tuple[FileEntry, ...]
    created_at: str
    generator: str

    @property
    def total_size(self) -> int:
        return sum(f.size for f in self.files)

    @functools.cached_property
    def _by_path(self) -> dict[str, FileEntry]:
        return {f.path: f for f in self.files}

    def file(self, path: str) -> FileEntry:
        """The listed file at ``path`` (KeyError if the manifest does not list it)."""
        return self._by_path[path]


@dataclass(frozen=True)
class Signature:
    algorithm: str
    signer: str
    public_key: bytes
    signature: bytes


class _Checker:
    """Type checks that name the file and the field in every error."""

    def __init__(self, file_name: str, pack_path: str | None) -> None:
        self.file_name = file_name
        self.pack_path = pack_path

    def error(self, where: str, problem: str) -> PackFormatError:
        return PackFormatError(f"{self.file_name}: {where} {problem}", self.pack_path)

    def obj(self, value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.error(where, "must be an object")
        return value

    def get(self, obj: dict[str, Any], key: str, where: str, required: bool) -> Any:
        if key not in obj or obj[key] is None:
            if required:
                raise self.error(f"{where}{key}", "is missing")
            return None
        return obj[key]

    def string(self, obj: dict[str, Any], key: str, where: str = "", *, required: bool = True,
               max_length: int = MAX_TEXT_FIELD_LENGTH, pattern: re.Pattern[str] | None = None,
               non_empty: bool = False) -> str | None:
        value = self.get(obj, key, where, required)
        if value is None:
            return None
        if not isinstance(value, str):
            raise self.error(f"{where}{key}", "must be a string")
        if len(value) > max_length:
            raise self.error(f"{where}{key}", f"is longer than {max_length} characters")
        if non_empty and not value.strip():
            raise self.error(f"{where}{key}", "must not be empty")
        if pattern is not None and not pattern.match(value):
            raise self.error(f"{where}{key}", f"{value[:80]!r} is not valid")
        return value

    def integer(self, obj: dict[str, Any], key: str, where: str, low: int, high: int) -> int:
        value = self.get(obj, key, where, True)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(f"{where}{key}", "must be a whole number")
        if not low <= value <= high:
            raise self.error(f"{where}{key}", f"must be between {low} and {high}")
        return value

    def number(self, obj: dict[str, Any], key: str, where: str, low: float, high: float) -> float:
        value = self.get(obj, key, where, True)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.error(f"{where}{key}", "must be a number")
        if not (math.isfinite(value) and low <= value <= high):
            raise self.error(f"{where}{key}", f"must be between {low:g} and {high:g}")
        return float(value)

    def array(self, obj: dict[str, Any], key: str, where: str, *, required: bool,
              max_items: int) -> list[Any]:
        value = self.get(obj, key, where, required)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.error(f"{where}{key}", "must be a list")
        if len(value) > max_items:
            raise self.error(f"{where}{key}", f"has more than {max_items} items")
        return value

    def path(self, obj: dict[str, Any], key: str, where: str, *, required: bool) -> str | None:
        value = self.string(obj, key, where, required=required)
        if value is None:
            return None
        problem = path_problem(value)
        if problem:
            raise self.error(f"{where}{key}", f"{value[:80]!r} {problem}")
        return value


def _reject_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # Two "title" keys would let two readers see two different manifests behind one signature.
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"the key {key!r} appears twice in one object")
        result[key] = value
    return result


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed in JSON")


def load_json(data: bytes, file_name: str, pack_path: str | None) -> Any:
    """Strict JSON: UTF-8 without BOM, no duplicate keys, no NaN/Infinity, bounded nesting."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PackFormatError(f"{file_name} is not UTF-8 text ({exc.reason})", pack_path) from exc
    try:
        return json.loads(text, object_pairs_hook=_reject_duplicate_keys,
                          parse_constant=_reject_constant)
    except RecursionError as exc:
        raise PackFormatError(f"{file_name} is nested too deeply", pack_path) from exc
    except ValueError as exc:  # JSONDecodeError is a ValueError
        raise PackFormatError(f"{file_name} is not valid JSON: {exc}", pack_path) from exc


def _parse_quiz(c: _Checker, items: list[Any], where: str) -> tuple[QuizItem, ...]:
    quiz = []
    for q, raw in enumerate(items):
        at = f"{where}quiz[{q}]."
        item = c.obj(raw, at[:-1])
        question = c.string(item, "question", at, non_empty=True)
        choices_raw = c.array(item, "choices", at, required=True, max_items=MAX_CHOICES)
        if len(choices_raw) < MIN_CHOICES:
            raise c.error(f"{at}choices", f"must have at least {MIN_CHOICES} items")
        choices = []
        for i, choice in enumerate(choices_raw):
            if not isinstance(choice, str) or not choice.strip():
                raise c.error(f"{at}choices[{i}]", "must be a non-empty string")
            choices.append(choice)
        answer = c.integer(item, "answer", at, 0, len(choices) - 1)
        explanation = c.string(item, "explanation", at, required=False) or ""
        quiz.append(QuizItem(str(question), tuple(choices), answer, explanation))
    return tuple(quiz)


def _parse_lesson(c: _Checker, raw: Any, n: int) -> LessonEntry:
    at = f"lessons[{n}]."
    obj = c.obj(raw, at[:-1])
    subtitles = []
    for s, sub_raw in enumerate(c.array(obj, "subtitles", at, required=False, max_items=20)):
        sat = f"{at}subtitles[{s}]."
        sub = c.obj(sub_raw, sat[:-1])
        subtitles.append(SubtitleRef(
            language=str(c.string(sub, "language", sat, pattern=LANGUAGE_RE)),
            path=str(c.path(sub, "path", sat, required=True)),
        ))
    tags = []
    for t, tag in enumerate(c.array(obj, "tags", at, required=False, max_items=MAX_TAGS)):
        if not isinstance(tag, str) or not tag.strip() or len(tag) > MAX_TAG_LENGTH:
            raise c.error(f"{at}tags[{t}]", f"must be a string of 1 to {MAX_TAG_LENGTH} characters")
        tags.append(tag)
    quiz_raw = c.array(obj, "quiz", at, required=False, max_items=MAX_QUIZ_QUESTIONS)
    return LessonEntry(
        id=str(c.string(obj, "id", at, pattern=ID_RE)),
        title=str(c.string(obj, "title", at, max_length=MAX_TITLE_LENGTH, non_empty=True)),
        summary=c.string(obj, "summary", at, required=False) or "",
        video=str(c.path(obj, "video", at, required=True)),
        duration_s=c.number(obj, "duration_s", at, 0.0, MAX_DURATION_S),
        subtitles=tuple(subtitles),
        notes=c.path(obj, "notes", at, required=False),
        tags=tuple(tags),
        quiz=_parse_quiz(c, quiz_raw, at),
    )


def _parse_files(c: _Checker, items: list[Any]) -> tuple[FileEntry, ...]:
    files = []
    seen: set[str] = set()
    total = 0
    for n, raw in enumerate(items):
        at = f"files[{n}]."
        obj = c.obj(raw, at[:-1])
        path = str(c.path(obj, "path", at, required=True))
        if path in seen:
            raise c.error(f"{at}path", f"{path!r} is listed twice")
        seen.add(path)
        size = c.integer(obj, "size", at, 0, MAX_FILE_BYTES)
        sha = str(c.string(obj, "sha256", at, pattern=SHA256_RE))
        total += size
        files.append(FileEntry(path, size, sha))
    if total > MAX_TOTAL_BYTES:
        raise c.error("files", f"add up to {total} bytes, more than the {MAX_TOTAL_BYTES} allowed")
    return tuple(files)


def _check_references(c: _Checker, pack: PackInfo, lessons: tuple[LessonEntry, ...],
                      files: tuple[FileEntry, ...]) -> None:
    """Every path a lesson or the pack names must be a listed file; text files must be small."""
    by_path = {f.path: f for f in files}
    text_total = 0

    def need(path: str, where: str, text: bool) -> None:
        nonlocal text_total
        entry = by_path.get(path)
        if entry is None:
            raise c.error(where, f"names {path!r}, which is not in the pack")
        if text:
            if entry.size > MAX_TEXT_BYTES:
                raise c.error(where, f"names {path!r}, larger than {MAX_TEXT_BYTES} bytes")
            text_total += entry.size

    if pack.cover:
        need(pack.cover, "pack.cover", text=False)
    seen: set[str] = set()
    for n, lesson in enumerate(lessons):
        if lesson.id in seen:
            raise c.error(f"lessons[{n}].id", f"{lesson.id!r} is used by two lessons")
        seen.add(lesson.id)
        need(lesson.video, f"lessons[{n}].video", text=False)
        for s, sub in enumerate(lesson.subtitles):
            need(sub.path, f"lessons[{n}].subtitles[{s}].path", text=True)
        if lesson.notes:
            need(lesson.notes, f"lessons[{n}].notes", text=True)
    if text_total > MAX_TOTAL_TEXT_BYTES:
        raise c.error("lessons", f"name more than {MAX_TOTAL_TEXT_BYTES} bytes of text files")


def parse_manifest(data: bytes, pack_path: str | None = None) -> Manifest:
    """Check and read the bytes of manifest.json; every error names the field."""
    c = _Checker(MANIFEST_NAME, pack_path)
    if len(data) > MAX_MANIFEST_BYTES:
        raise c.error("", f"is larger than {MAX_MANIFEST_BYTES} bytes")
    root = c.obj(load_json(data, MANIFEST_NAME, pack_path), "the top level")
    fmt = root.get("format")
    if fmt != FORMAT_NAME:
        raise c.error("format", f"must be {FORMAT_NAME!r}: this is not a companion lesson pack")
    version = c.integer(root, "format_version", "", 1, 2**31)
    if version > FORMAT_VERSION:
        raise c.error("format_version", f"is {version}: the pack was made by a newer companion "
                      f"(this one reads format {FORMAT_VERSION}); update the app")
    pack_obj = c.obj(c.get(root, "pack", "", True), "pack")
    pack = PackInfo(
        header=PackHeader(
            id=str(c.string(pack_obj, "id", "pack.", pattern=ID_RE)),
            title=str(c.string(pack_obj, "title", "pack.", max_length=MAX_TITLE_LENGTH,
                               non_empty=True)),
            version=str(c.string(pack_obj, "version", "pack.", pattern=VERSION_RE)),
            language=str(c.string(pack_obj, "language", "pack.", pattern=LANGUAGE_RE)),
            author=c.string(pack_obj, "author", "pack.", required=False,
                            max_length=MAX_TITLE_LENGTH) or "",
            description=c.string(pack_obj, "description", "pack.", required=False) or "",
        ),
        cover=c.path(pack_obj, "cover", "pack.", required=False),
    )
    lessons_raw = c.array(root, "lessons", "", required=True, max_items=MAX_LESSONS)
    if not lessons_raw:
        raise c.error("lessons", "is empty: a pack has at least one lesson")
    lessons = tuple(_parse_lesson(c, raw, n) for n, raw in enumerate(lessons_raw))
    files = _parse_files(c, c.array(root, "files", "", required=True, max_items=MAX_FILES))
    _check_references(c, pack, lessons, files)
    return Manifest(
        format_version=version, pack=pack, lessons=lessons, files=files,
        created_at=c.string(root, "created_at", "", required=False, max_length=64) or "",
        generator=c.string(root, "generator", "", required=False, max_length=200) or "",
    )


def parse_signature(data: bytes, pack_path: str | None = None) -> Signature:
    """Check and read signature.json (its cryptographic check is the reader's job)."""
    c = _Checker(SIGNATURE_NAME, pack_path)
    if len(data) > MAX_SIGNATURE_BYTES:
        raise c.error("", f"is larger than {MAX_SIGNATURE_BYTES} bytes")
    root = c.obj(load_json(data, SIGNATURE_NAME, pack_path), "the top level")
    algorithm = str(c.string(root, "algorithm", "", max_length=32))
    if algorithm != SIGNATURE_ALGORITHM:
        raise c.error("algorithm", f"is {algorithm!r}; only {SIGNATURE_ALGORITHM!r} is known")
    signer = str(c.string(root, "signer", "", max_length=100, non_empty=True))

    def decode(key: str, length: int) -> bytes:
        text = str(c.string(root, key, "", max_length=200))
        try:
            raw = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise c.error(key, "is not valid base64") from exc
        if len(raw) != length:
            raise c.error(key, f"must be {length} bytes, not {len(raw)}")
        return raw

    return Signature(algorithm, signer, decode("public_key", 32), decode("signature", 64))
