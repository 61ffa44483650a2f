"""Lesson packs made on the fly for the tests: sources with tiny fake MP4s, built packs,
hand-made (broken) zips, and a snapshot of the library to prove that a failure changed nothing."""

from __future__ import annotations

import hashlib
import json
import struct
import zipfile
from pathlib import Path
from typing import Any

from companion.core.packs.build import build_pack
from companion.core.packs.format import MANIFEST_NAME, SIGNATURE_NAME, compression_for
from companion.core.packs.keys import SigningKey, generate_keypair, load_signing_key
from companion.services import Services

SRT = (
    "1\r\n00:00:00,500 --> 00:00:02,000\r\nWelkom in de <i>winkel</i>\r\n\r\n"
    "2\r\n00:00:02,500 --> 00:00:04,000\r\nOpen Instagram\r\n"
)


def box(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I4s", 8 + len(body), kind) + body


def mp4_bytes(duration_s: float = 60.0, payload: bytes = b"", timescale: int = 1000,
              version: int = 0) -> bytes:
    """A file with just enough MP4 structure for the duration reader: ftyp, moov/mvhd, mdat."""
    ticks = round(duration_s * timescale)
    if version == 0:
        mvhd = bytes(4) + struct.pack(">IIII", 0, 0, timescale, ticks) + bytes(80)
    else:
        mvhd = b"\x01" + bytes(3) + struct.pack(">QQIQ", 0, 0, timescale, ticks) + bytes(80)
    ftyp = box(b"ftyp", b"isom" + struct.pack(">I", 512) + b"isomiso2mp41")
    return ftyp + box(b"moov", box(b"mvhd", mvhd)) + box(b"mdat", payload)


def default_lessons() -> list[dict[str, Any]]:
    return [
        {"id": "intro", "title": "Instagram voor je winkel", "duration_s": 95.0,
         "payload": b"intro-video", "subtitles": SRT, "notes": "# Notities\n\nVraag naar *bio*.",
         "quiz": [{"question": "Wat zet je in je bio?", "choices": ["Openingsuren", "Niets"],
                   "answer": 0}], "tags": ["instagram"]},
        {"id": "second", "title": "Een Facebookpagina", "duration_s": 120.0,
         "payload": b"second-video", "subtitles": SRT.replace("winkel", "bakkerij")},
    ]


def _toml_value(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)  # JSON strings, numbers and lists are TOML too


def write_source(root: Path, pack_id: str = "test-pack", version: str = "1.0",
                 lessons: list[dict[str, Any]] | None = None, language: str = "nl",
                 title: str = "Testpakket") -> Path:
    """A pack source folder; each lesson dict may give id, title, duration_s, payload (bytes
    that make its video unique), video (raw bytes instead), subtitles, notes, quiz, tags."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "pack.toml").write_text(
        f'id = "{pack_id}"\ntitle = "{title}"\nversion = "{version}"\nlanguage = "{language}"\n'
        'author = "Anna Trainer"\ndescription = "Voor de test."\n', encoding="utf-8",
    )
    for n, lesson in enumerate(lessons if lessons is not None else default_lessons(), start=1):
        folder = root / f"{n:02d}-{lesson['id']}"
        folder.mkdir(exist_ok=True)
        video = lesson.get("video") or mp4_bytes(lesson.get("duration_s", 60.0),
                                                 lesson.get("payload", lesson["id"].encode()))
        (folder / "video.mp4").write_bytes(video)
        lines = [f'id = "{lesson["id"]}"', f"title = {_toml_value(lesson['title'])}",
                 'video = "video.mp4"', f"summary = {_toml_value(lesson.get('summary', ''))}"]
        if lesson.get("subtitles") is not None:
            (folder / f"subtitles.{language}.srt").write_text(lesson["subtitles"], "utf-8",
                                                              newline="")
            lines.append(f'subtitles = "subtitles.{language}.srt"')
        if lesson.get("notes") is not None:
            (folder / "notes.md").write_text(lesson["notes"], "utf-8")
            lines.append('notes = "notes.md"')
        if lesson.get("tags"):
            lines.append(f"tags = {_toml_value(lesson['tags'])}")
        for q in lesson.get("quiz", []):
            lines += ["[[quiz]]", f"question = {_toml_value(q['question'])}",
                      f"choices = {_toml_value(q['choices'])}", f"answer = {q['answer']}"]
        (folder / "lesson.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def make_key(folder: Path, name: str = "anna") -> SigningKey:
    key_path, _ = generate_keypair(name, folder)
    return load_signing_key(key_path)


def build(tmp: Path, key: SigningKey | None, name: str = "src", **source: Any) -> Path:
    """Write a source under ``tmp/name`` and build it into ``tmp/out``; the .cpack path."""
    src = write_source(tmp / name, **source)
    return build_pack(src, tmp / "out", key).path


def read_pack(path: Path) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The manifest (as a dict) and the files (path -> bytes) of a built pack."""
    with zipfile.ZipFile(path) as zf:
        manifest = json.loads(zf.read(MANIFEST_NAME))
        files = {n: zf.read(n) for n in zf.namelist() if n not in (MANIFEST_NAME, SIGNATURE_NAME)}
    return manifest, files


def file_entry(path: str, data: bytes) -> dict[str, Any]:
    return {"path": path, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def signature_bytes(key: SigningKey, manifest_bytes: bytes) -> bytes:
    import base64

    return json.dumps({
        "algorithm": "ed25519", "signer": key.name, "public_key": key.public_key.base64,
        "signature": base64.b64encode(key.sign(manifest_bytes)).decode(),
    }).encode()


def write_zip(path: Path, entries: list[tuple[str | zipfile.ZipInfo, bytes]]) -> Path:
    """Any zip at all, duplicates and odd entries included (zipfile only warns)."""
    import warnings

    with warnings.catch_warnings(), zipfile.ZipFile(path, "w") as zf:
        warnings.simplefilter("ignore")
        for name, data in entries:
            if isinstance(name, str):
                name = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
                name.compress_type = compression_for(name.filename)
            zf.writestr(name, data)
    return path


def repack(path: Path, manifest: dict[str, Any] | bytes, files: dict[str, bytes],
           key: SigningKey | None, extra: list[tuple[str | zipfile.ZipInfo, bytes]] = (),
           signature: bytes | None = None) -> Path:
    """A pack from parts: the manifest is signed with ``key`` unless ``signature`` is given."""
    manifest_bytes = manifest if isinstance(manifest, bytes) else json.dumps(manifest).encode()
    entries: list[tuple[str | zipfile.ZipInfo, bytes]] = [(MANIFEST_NAME, manifest_bytes)]
    if signature is None and key is not None:
        signature = signature_bytes(key, manifest_bytes)
    if signature is not None:
        entries.append((SIGNATURE_NAME, signature))
    entries += list(files.items()) + list(extra)
    return write_zip(path, entries)


def snapshot(services: Services) -> dict[str, Any]:
    """Every row of every table and every file under media/ (with its hash)."""
    db = services.db
    tables = [r[0] for r in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        " ORDER BY name")]
    rows = {t: sorted(map(repr, db.execute(f'SELECT * FROM "{t}"').fetchall())) for t in tables}
    media = services.locations.media_dir
    files = {
        p.relative_to(media).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        if p.is_file() else "dir"
        for p in sorted(media.rglob("*"))
    }
    return {"rows": rows, "media": files}


def media_files(services: Services) -> set[str]:
    """The SHA-256 names of the files in the media store."""
    return set(services.packs.store.iter_shas())
