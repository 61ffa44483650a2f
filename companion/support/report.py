"""The problem report: one zip a shopkeeper can hand to a trainer when something went wrong.

Inside: ``report.json`` (versions of the app, Python, Qt, libvlc and the OS; the library's
integrity check; the sync state of each profile) and ``logs/`` (the recent log files).

Never inside: login tokens, passwords, PINs, notes, comments, profile names or any other text
the learners wrote. The report is built from counts and states, never from rows of text; the log
files are the one place such text could hide (an exception message quoting a note, a URL with a
token), so every known secret of this library (the stored tokens, every note and comment) is
cut out of them, as are bearer tokens and ``password=``/``token=`` values by their shape.
tests/support/test_report.py fills a library with known secrets and scans every byte of the zip.
"""

from __future__ import annotations

import itertools
import json
import platform
import re
import sqlite3
import sys
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

import sqlite_utils

from companion import __version__
from companion.core.errors import CompanionError
from companion.core.media_store import MediaStore
from companion.core.paths import Locations
from companion.support import logs, vlc_info
from companion.sync.credentials import CredentialStore

if TYPE_CHECKING:
    from companion.services import Services

REMOVED = "[removed]"
#: Shorter texts are not cut from the logs (a note "ok" must not blank every "ok" in them).
MIN_SECRET_LENGTH = 4
#: Secrets by their shape, wherever they come from.
SHAPES = (
    re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+"),
    re.compile(r"(?i)((?:password|passwd|token|secret|pin)[\"']?\s*[=:]\s*[\"']?)[^\s\"'&,;]+"),
)


@dataclass(frozen=True)
class ReportResult:
    path: Path
    integrity_ok: bool
    log_files: int


def default_report_name(now: datetime | None = None) -> str:
    return f"companion-problem-report-{(now or datetime.now()).strftime('%Y%m%d-%H%M%S')}.zip"


# -- what goes in -------------------------------------------------------------------------------

def versions(extra: Mapping[str, str] | None = None) -> dict[str, str | None]:
    """The app's, Python's, PySide6's (Qt's), libvlc's; ``extra`` adds or overrides (the app
    passes the Qt version it runs on)."""
    found: dict[str, str | None] = {
        "companion": __version__,
        "python": platform.python_version(),
        "frozen": "yes" if getattr(sys, "frozen", False) else "no",
    }
    for dist in ("PySide6-Essentials", "python-vlc", "httpx", "sqlite-utils"):
        try:
            found[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            found[dist] = None

    found["sqlite"] = sqlite3.sqlite_version
    found["libvlc"] = vlc_info.libvlc_version()
    found.update(extra or {})
    return found


def system() -> dict[str, str]:
    return {"os": platform.platform(), "machine": platform.machine(),
            "system": platform.system(), "release": platform.release()}


def integrity(db: sqlite_utils.Database, locations: Locations,
              media: MediaStore) -> dict[str, Any]:
    """SQLite's own integrity and foreign-key checks, the schema version, how much there is,
    and lessons whose video file is missing from the media folder (by name; not re-hashed)."""
    problems = [row[0] for row in db.execute("PRAGMA integrity_check(20)").fetchall()]
    foreign = db.execute("PRAGMA foreign_key_check").fetchall()
    counts = {}
    for table in ("profiles", "packs", "lessons", "notes", "comments", "changes", "media"):
        if db[table].exists():
            counts[table] = db.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0]
    missing = 0
    if db["lessons"].exists():
        for (sha,) in db.execute("SELECT DISTINCT video_sha256 FROM lessons"
                                 " WHERE video_sha256 IS NOT NULL"):
            try:
                present = media.path_for(sha).is_file()
            except ValueError:  # not a SHA-256 at all
                present = False
            missing += not present
    ok = problems == ["ok"] and not foreign
    return {"ok": ok and missing == 0, "sqlite_integrity_check": problems,
            "foreign_key_problems": len(foreign),
            "schema_version": db.execute("PRAGMA user_version").fetchone()[0],
            "rows": counts, "videos_missing": missing,
            "database_bytes": _size(locations.database_path)}


def sync_state(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Per profile (by number, not name): the hub, the login's name, when it last synced,
    what waits, what the hub refused (kind, code and reason; never the change's content)."""
    if not db["sync_logins"].exists():
        return []
    waiting = dict(db.execute("SELECT profile_id, count(*) FROM changes WHERE pushed_at IS NULL"
                              " GROUP BY profile_id").fetchall()) if db["changes"].exists() else {}
    state = []
    for profile_id, hub_url, username, token_store, cursor, last_success, logged_in in db.execute(
            "SELECT profile_id, hub_url, username, token_store, cursor, last_success_at,"
            " logged_in_at FROM sync_logins ORDER BY profile_id").fetchall():
        refused = [{"kind": k, "code": c, "reason": r, "refused_at": at} for k, c, r, at in
                   db.execute("SELECT kind, code, reason, refused_at FROM sync_refusals"
                              " WHERE profile_id = ? ORDER BY refused_at", [profile_id])]
        state.append({"profile": profile_id, "hub": _without_userinfo(hub_url),
                      "username": username, "token_kept_in": token_store,
                      "has_cursor": cursor is not None, "last_success_at": last_success,
                      "logged_in_at": logged_in, "changes_waiting": waiting.get(profile_id, 0),
                      "refused": refused})
    return state


def known_secrets(db: sqlite_utils.Database, credentials: CredentialStore) -> list[str]:
    """Every text of this library that must not leave it: login tokens, notes, comments,
    profile names and mottos."""
    secrets: list[str] = []
    queries = ("SELECT body FROM notes", "SELECT body FROM comments",
               "SELECT name FROM profiles", "SELECT motto FROM profiles")
    for query in queries:
        try:
            secrets += [row[0] for row in db.execute(query) if isinstance(row[0], str)]
        except sqlite3.Error:  # a damaged or older library: skip that table
            continue
    secrets += _tokens(db, credentials)
    return secrets


def _tokens(db: sqlite_utils.Database, credentials: CredentialStore) -> list[str]:
    if not db["sync_logins"].exists():
        return []
    tokens = []
    for (profile_id,) in db.execute("SELECT profile_id FROM sync_logins").fetchall():
        try:
            tokens.append(credentials.token(profile_id))
        except (CompanionError, OSError):
            continue
    return tokens


def scrub(text: str, secrets: Iterable[str]) -> str:
    """``text`` without any of ``secrets`` (long ones first) nor anything shaped like one.

    A multi-line note is looked for whole and line by line (it is logged either way). Searching
    the whole text for each of thousands of notes would take seconds per megabyte, so a secret
    is first checked against the text's words: its inner words (all but the first and last)
    have whitespace on both sides, so wherever the secret is in the text, each inner word and
    each pair of neighbouring inner words is there as a word or pair of words of the text too.
    Only secrets that pass are searched for."""
    pieces = set()
    for secret in secrets:
        for piece in (secret, *secret.splitlines()):
            if len(piece.strip()) >= MIN_SECRET_LENGTH:
                pieces.add(piece.strip())
    tokens = text.split()
    words = set(tokens)
    pairs = set(itertools.pairwise(tokens))
    present = []
    for piece in pieces:
        inner = piece.split()[1:-1]
        if not all(word in words for word in inner):
            continue
        if not all(pair in pairs for pair in itertools.pairwise(inner)):
            continue
        if piece in text:
            present.append(piece)
    for piece in sorted(present, key=len, reverse=True):
        text = text.replace(piece, REMOVED)
    for shape in SHAPES:
        text = shape.sub(lambda m: m.group(1) + REMOVED, text)
    return text


# -- the zip ------------------------------------------------------------------------------------

def build_report(out: Path, services: Services, *,
                 extra_versions: Mapping[str, str] | None = None,
                 now: datetime | None = None) -> ReportResult:
    """Write the problem report of ``services``' library to ``out`` (a .zip); returns where
    and what it found."""
    logs.flush_logging()
    db, locations = services.db, services.locations
    secrets = known_secrets(db, services.credentials)
    checked = integrity(db, locations, services.media)
    report = {
        "created_at": (now or datetime.now(UTC)).isoformat(timespec="seconds"),
        "versions": versions(extra_versions),
        "system": system(),
        "portable_home": locations.portable,
        "library": checked,
        "sync": sync_state(db),
    }
    text = scrub(json.dumps(report, indent=2, ensure_ascii=False), secrets)
    files = logs.log_files(locations.log_dir)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".part")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("report.json", text)
        for file in files:
            raw = file.read_text(encoding="utf-8", errors="replace")
            archive.writestr(f"logs/{file.name}", scrub(raw, secrets))
    partial.replace(out)
    return ReportResult(out, bool(checked["ok"]), len(files))


def _without_userinfo(url: str) -> str:
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit(parts._replace(netloc=netloc))


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except OSError:
        return None
