"""Reading and checking a pack source folder (``docs/pack-source.md``).

Every problem is a :class:`PackSourceError` naming the file and the field, so a trainer can fix
it without guessing. Unknown fields are refused too: ``sumary = "..."`` silently dropped would
be a lesson without a summary that nobody notices.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from companion.core.errors import PackSourceError
from companion.core.packs.format import (
    ID_RE,
    LANGUAGE_RE,
    MAX_CHOICES,
    MAX_DURATION_S,
    MAX_LESSONS,
    MAX_QUIZ_QUESTIONS,
    MAX_TAG_LENGTH,
    MAX_TAGS,
    MAX_TEXT_BYTES,
    MAX_TEXT_FIELD_LENGTH,
    MAX_TITLE_LENGTH,
    MIN_CHOICES,
    VERSION_RE,
    path_problem,
)
from companion.core.packs.header import HeaderFields, PackHeader
from companion.core.packs.mp4 import Mp4Error, read_mp4_duration
from companion.core.packs.subtitles import SrtError, check_srt

PACK_TOML = "pack.toml"
LESSON_TOML = "lesson.toml"
PACK_FIELDS = ("id", "title", "version", "language", "author", "description", "cover", "lessons")
LESSON_FIELDS = ("id", "title", "summary", "video", "subtitles", "notes", "duration_s", "tags",
                 "quiz")
QUIZ_FIELDS = ("question", "choices", "answer", "explanation")
MP4_SUFFIXES = (".mp4", ".m4v")
WEBM_SUFFIXES = (".webm",)
COVER_MAGIC = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG"}


@dataclass(frozen=True)
class SourceFile:
    pack_path: str  # the path inside the built pack, relative to the source folder
    path: Path      # where it is on disk


@dataclass(frozen=True)
class LessonSource:
    folder: Path
    toml_path: Path
    id: str
    title: str
    summary: str
    video: SourceFile
    duration_s: float
    subtitles: dict[str, SourceFile]  # language -> file
    notes: SourceFile | None
    tags: list[str]
    quiz: list[dict[str, Any]]


@dataclass(frozen=True)
class PackSource(HeaderFields):
    root: Path
    header: PackHeader
    cover: SourceFile | None
    lessons: list[LessonSource] = field(default_factory=list)

    def files(self) -> list[SourceFile]:
        """Every file the pack will hold, each once, sorted by pack path."""
        found: dict[str, SourceFile] = {}
        if self.cover:
            found[self.cover.pack_path] = self.cover
        for lesson in self.lessons:
            found[lesson.video.pack_path] = lesson.video
            for sub in lesson.subtitles.values():
                found[sub.pack_path] = sub
            if lesson.notes:
                found[lesson.notes.pack_path] = lesson.notes
        return [found[k] for k in sorted(found)]


class _Table:
    """One TOML table being checked; errors name ``path`` and the field."""

    def __init__(self, data: dict[str, Any], path: Path, prefix: str = "") -> None:
        self.data = data
        self.path = path
        self.prefix = prefix

    def error(self, key: str, problem: str) -> PackSourceError:
        return PackSourceError(f"field '{self.prefix}{key}' {problem}", str(self.path))

    def refuse_unknown(self, known: tuple[str, ...]) -> None:
        for key in self.data:
            if key not in known:
                raise self.error(key, f"is not a known field (known: {', '.join(known)})")

    def string(self, key: str, *, required: bool = False, max_length: int = MAX_TEXT_FIELD_LENGTH,
               ) -> str | None:
        value = self.data.get(key)
        if value is None:
            if required:
                raise self.error(key, "is missing")
            return None
        if not isinstance(value, str):
            raise self.error(key, f"must be a string in quotes, not {_toml_type(value)}")
        if required and not value.strip():
            raise self.error(key, "must not be empty")
        if len(value) > max_length:
            raise self.error(key, f"is longer than {max_length} characters")
        return value

    def matching(self, key: str, pattern: Any, rule: str) -> str:
        value = str(self.string(key, required=True))
        if not pattern.match(value):
            raise self.error(key, f"{value!r} is not valid: {rule}")
        return value

    def string_list(self, key: str, max_items: int, max_length: int) -> list[str]:
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.error(key, f"must be a list of strings, not {_toml_type(value)}")
        if len(value) > max_items:
            raise self.error(key, f"has more than {max_items} items")
        for n, item in enumerate(value):
            if not isinstance(item, str) or not item.strip() or len(item) > max_length:
                raise self.error(f"{key}[{n}]", f"must be a string of 1 to {max_length} characters")
        return list(value)


def _toml_type(value: Any) -> str:
    return {bool: "true/false", int: "a number", float: "a number", list: "a list",
            dict: "a table"}.get(type(value), type(value).__name__)


def _load_toml(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as f:
            return tomllib.load(f)
    except FileNotFoundError as exc:
        raise PackSourceError("file not found", str(path)) from exc
    except UnicodeDecodeError as exc:
        raise PackSourceError("is not UTF-8 text", str(path)) from exc
    except tomllib.TOMLDecodeError as exc:
        raise PackSourceError(f"not valid TOML: {exc}", str(path)) from exc
    except OSError as exc:
        raise PackSourceError(f"cannot read ({exc.strerror})", str(path)) from exc


def _source_file(table: _Table, key: str, rel: str, base: Path, root: Path) -> SourceFile:
    """Resolve ``rel`` (from ``table[key]``) against ``base``; it must stay inside ``root``."""
    if "\\" in rel:
        raise table.error(key, f"{rel!r} contains a backslash; use / in paths")
    if rel.startswith("/") or (len(rel) > 1 and rel[1] == ":"):
        raise table.error(key, f"{rel!r} is an absolute path; give a path relative to the folder")
    resolved = (base / rel).resolve()
    try:
        pack_path = resolved.relative_to(root).as_posix()
    except ValueError as exc:
        raise table.error(key, f"{rel!r} leaves the pack folder") from exc
    if not resolved.exists():
        raise table.error(key, f"names {rel!r}, but there is no such file")
    if not resolved.is_file():
        raise table.error(key, f"names {rel!r}, which is not a file")
    problem = path_problem(pack_path)
    if problem:
        raise table.error(key, f"{rel!r}: the path {problem}")
    return SourceFile(pack_path, resolved)


def _read_text(table: _Table, key: str, file: SourceFile) -> str:
    if file.path.stat().st_size > MAX_TEXT_BYTES:
        raise table.error(key, f"names {file.pack_path!r}, larger than {MAX_TEXT_BYTES} bytes")
    try:
        return file.path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PackSourceError("is not UTF-8 text (save it as UTF-8)", str(file.path)) from exc


def _duration(table: _Table, video: SourceFile) -> float:
    given = table.data.get("duration_s")
    if given is not None:
        if isinstance(given, bool) or not isinstance(given, int | float):
            raise table.error("duration_s", f"must be a number, not {_toml_type(given)}")
        if not math.isfinite(given) or not 0 < given <= MAX_DURATION_S:
            raise table.error("duration_s", f"must be between 0 and {MAX_DURATION_S:g} seconds")
        return float(given)
    suffix = video.path.suffix.lower()
    if suffix in MP4_SUFFIXES:
        try:
            return read_mp4_duration(video.path)
        except Mp4Error as exc:
            raise PackSourceError(
                f"cannot read the video length: {exc}; set duration_s in {LESSON_TOML}",
                str(video.path),
            ) from exc
    raise table.error("duration_s", f"is needed for {video.path.name}: only the length of an MP4 "
                                    "can be read from the file")


def _quiz(table: _Table) -> list[dict[str, Any]]:
    raw = table.data.get("quiz")
    if raw is None:
        return []
    if not isinstance(raw, list) or not all(isinstance(q, dict) for q in raw):
        raise table.error("quiz", "must be a list of [[quiz]] tables")
    if len(raw) > MAX_QUIZ_QUESTIONS:
        raise table.error("quiz", f"has more than {MAX_QUIZ_QUESTIONS} questions")
    questions = []
    for n, item in enumerate(raw):
        q = _Table(item, table.path, f"quiz[{n}].")
        q.refuse_unknown(QUIZ_FIELDS)
        question = str(q.string("question", required=True))
        choices = q.string_list("choices", MAX_CHOICES, MAX_TEXT_FIELD_LENGTH)
        if len(choices) < MIN_CHOICES:
            raise q.error("choices", f"needs {MIN_CHOICES} to {MAX_CHOICES} choices")
        answer = item.get("answer")
        if answer is None:
            raise q.error("answer", "is missing")
        if isinstance(answer, bool) or not isinstance(answer, int):
            raise q.error("answer", "must be the number of the right choice, counting from 0")
        if not 0 <= answer < len(choices):
            raise q.error("answer", f"must be between 0 and {len(choices) - 1} (there are"
                                    f" {len(choices)} choices, counted from 0)")
        questions.append({"question": question, "choices": choices, "answer": answer,
                          "explanation": q.string("explanation") or ""})
    return questions


def _subtitles(table: _Table, language: str, folder: Path, root: Path) -> dict[str, SourceFile]:
    raw = table.data.get("subtitles")
    if raw is None:
        return {}
    if isinstance(raw, str):
        raw = {language: raw}
    if not isinstance(raw, dict):
        raise table.error("subtitles", "must be a file name or a table like { nl = \"x.nl.srt\" }")
    found = {}
    for lang, rel in raw.items():
        key = f"subtitles.{lang}"
        if not LANGUAGE_RE.match(lang):
            raise table.error(key, "is not a language code like nl, en or nl-BE")
        if not isinstance(rel, str):
            raise table.error(key, "must be a file name in quotes")
        file = _source_file(table, key, rel, folder, root)
        if file.path.suffix.lower() != ".srt":
            raise table.error(key, f"names {rel!r}; subtitles must be a SubRip .srt file")
        try:
            check_srt(_read_text(table, key, file))
        except SrtError as exc:
            raise PackSourceError(f"not a valid SubRip file: {exc}", str(file.path)) from exc
        found[lang] = file
    return found


def _read_lesson(folder: Path, root: Path, language: str) -> LessonSource:
    toml_path = folder / LESSON_TOML
    t = _Table(_load_toml(toml_path), toml_path)
    t.refuse_unknown(LESSON_FIELDS)
    lesson_id = t.matching("id", ID_RE, "3 to 64 lower-case letters, digits, '-', '_' or '.'")
    video_rel = str(t.string("video", required=True))
    video = _source_file(t, "video", video_rel, folder, root)
    if video.path.suffix.lower() not in MP4_SUFFIXES + WEBM_SUFFIXES:
        raise t.error("video", f"names {video_rel!r}; a lesson video is an MP4 or WebM file")
    notes_rel = t.string("notes")
    notes = _source_file(t, "notes", notes_rel, folder, root) if notes_rel is not None else None
    if notes is not None:
        _read_text(t, "notes", notes)
    return LessonSource(
        folder=folder, toml_path=toml_path, id=lesson_id,
        title=str(t.string("title", required=True, max_length=MAX_TITLE_LENGTH)),
        summary=t.string("summary") or "",
        video=video, duration_s=_duration(t, video),
        subtitles=_subtitles(t, language, folder, root), notes=notes,
        tags=t.string_list("tags", MAX_TAGS, MAX_TAG_LENGTH), quiz=_quiz(t),
    )


def _lesson_folders(t: _Table, root: Path) -> list[Path]:
    if "lessons" not in t.data:
        return sorted(p for p in root.iterdir() if p.is_dir() and (p / LESSON_TOML).is_file())
    names = t.string_list("lessons", 10_000, 255)
    folders = []
    for n, name in enumerate(names):
        key = f"lessons[{n}]"
        folder = (root / name).resolve()
        if "\\" in name or folder.parent != root:
            raise t.error(key, f"{name!r} must be the name of a folder in the pack folder")
        if not (folder / LESSON_TOML).is_file():
            raise t.error(key, f"names {name!r}, but there is no {name}/{LESSON_TOML}")
        if folder in folders:
            raise t.error(key, f"names {name!r} twice")
        folders.append(folder)
    return folders


def _cover(t: _Table, root: Path) -> SourceFile | None:
    rel = t.string("cover")
    if rel is None:
        return None
    cover = _source_file(t, "cover", rel, root, root)
    with open(cover.path, "rb") as f:
        head = f.read(8)
    if not any(head.startswith(magic) for magic in COVER_MAGIC):
        raise t.error("cover", f"names {rel!r}, which is not a PNG or JPEG image")
    return cover


def read_source(source_dir: Path | str) -> PackSource:
    """Read and check the pack source in ``source_dir``."""
    given = Path(source_dir)
    if not given.is_dir():
        raise PackSourceError("is not a folder", str(given))
    root = given.resolve()
    toml_path = root / PACK_TOML
    if not toml_path.is_file():
        raise PackSourceError(
            f"no {PACK_TOML}: a pack source folder starts with one (see docs/pack-source.md)",
            str(toml_path),
        )
    t = _Table(_load_toml(toml_path), toml_path)
    t.refuse_unknown(PACK_FIELDS)
    if isinstance(t.data.get("version"), int | float) and not isinstance(t.data["version"], bool):
        raise t.error("version", f'must be a string in quotes: version = "{t.data["version"]}"')
    language = t.matching("language", LANGUAGE_RE, "a language code like nl, en or nl-BE")
    pack = PackSource(
        root=root,
        header=PackHeader(
            id=t.matching("id", ID_RE, "3 to 64 lower-case letters, digits, '-', '_' or '.'"),
            title=str(t.string("title", required=True, max_length=MAX_TITLE_LENGTH)),
            version=t.matching("version", VERSION_RE, "dotted numbers like 1, 1.2 or 1.2.3"),
            language=language,
            author=t.string("author", max_length=MAX_TITLE_LENGTH) or "",
            description=t.string("description") or "",
        ),
        cover=_cover(t, root),
    )
    folders = _lesson_folders(t, root)
    if not folders:
        raise PackSourceError(f"the pack has no lessons (no folder with a {LESSON_TOML})",
                              str(toml_path))
    if len(folders) > MAX_LESSONS:
        raise PackSourceError(f"the pack has {len(folders)} lessons; at most {MAX_LESSONS} fit"
                              " in one pack", str(toml_path))
    seen: dict[str, Path] = {}
    for folder in folders:
        lesson = _read_lesson(folder, root, language)
        if lesson.id in seen:
            raise PackSourceError(
                f"field 'id' {lesson.id!r} is also the id of {seen[lesson.id]}; lesson ids must"
                " be unique in a pack", str(lesson.toml_path),
            )
        seen[lesson.id] = lesson.toml_path
        pack.lessons.append(lesson)
    return pack
