"""Lesson packs on the hub: registering a signed manifest for a group, catalogs, who may fetch.

The hub does not unpack ``.cpack`` files: a trainer's client sends the files the hub lacks one by
one (see :mod:`companion.hub.media`), then the manifest and its signature. The hub keeps the
manifest text exactly as signed; clients verify the signature against the trainer keys they trust.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, and_, exists, func, insert, select
from sqlalchemy.exc import IntegrityError

# The pack format's own limits (a manifest any valid .cpack may have), never a stricter copy.
from companion.core.packs.format import MAX_MANIFEST_BYTES, MAX_SIGNATURE_BYTES
from companion.hub import tables as t
from companion.hub.errors import ApiError, conflict
from companion.hub.limits import MAX_INT64, value_problem
from companion.hub.media import SHA256_RE
from companion.hub.storage import now

MAX_PACK_FILES = 20_000
# The publish body is ``{"manifest": "...", "signature": "..."}``: the manifest as a JSON string.
# Escaping grows text at most threefold (an emoji's 4 UTF-8 bytes as a 12-byte surrogate pair
# with ``ensure_ascii``; a backslash or quote to 2 bytes), the signature at most sixfold.
MAX_PUBLISH_BODY_BYTES = 3 * MAX_MANIFEST_BYTES + 6 * MAX_SIGNATURE_BYTES + 64 * 1024


@dataclass(frozen=True)
class ManifestFile:
    path: str
    sha256: str
    size: int


@dataclass(frozen=True)
class ManifestInfo:
    pack_id: str
    version: str
    title: str
    language: str
    files: list[ManifestFile]

    @property
    def size(self) -> int:
        return sum(f.size for f in self.files)


def _bad(message: str) -> ApiError:
    return ApiError(422, "invalid_manifest", message)


def _files(raw: Any) -> list[ManifestFile]:
    if isinstance(raw, dict):  # {"path": {"sha256": ..., "size": ...}}
        raw = [{"path": k, **v} if isinstance(v, dict) else None for k, v in raw.items()]
    if not isinstance(raw, list) or not raw:
        raise _bad("manifest: files must be a list of {path, sha256, size}")
    if len(raw) > MAX_PACK_FILES:
        raise _bad(f"manifest: at most {MAX_PACK_FILES} files")
    out, seen = [], set()
    for i, entry in enumerate(raw):
        if not isinstance(entry, dict):
            raise _bad(f"manifest: files[{i}] must be an object")
        path, sha, size = entry.get("path"), entry.get("sha256"), entry.get("size")
        if not isinstance(path, str) or not path or len(path) > 1000:
            raise _bad(f"manifest: files[{i}].path must be text")
        if not isinstance(sha, str) or not SHA256_RE.match(sha):
            raise _bad(f"manifest: files[{i}].sha256 must be 64 lower-case hex digits")
        if isinstance(size, bool) or not isinstance(size, int) or not 0 <= size <= MAX_INT64:
            raise _bad(f"manifest: files[{i}].size must be a whole number from 0 to {MAX_INT64}")
        if path in seen:
            raise _bad(f"manifest: {path!r} is listed twice")
        seen.add(path)
        out.append(ManifestFile(path, sha, size))
    if sum(f.size for f in out) > MAX_INT64:
        raise _bad(f"manifest: the files add up to more than {MAX_INT64} bytes")
    return out


def parse_manifest(text: str) -> ManifestInfo:
    """Read what the hub needs from a pack manifest (``manifest.json`` of a ``.cpack``).

    The pack's fields may sit at the top level or under ``"pack"``; ``files`` is a list of
    ``{path, sha256, size}`` (or an object keyed by path).
    """
    if len(text.encode("utf-8")) > MAX_MANIFEST_BYTES:
        raise _bad(f"manifest: at most {MAX_MANIFEST_BYTES} bytes")
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise _bad(f"manifest: not JSON ({exc})"[:300]) from exc
    problem = value_problem(doc, 32)
    if problem:
        raise _bad(f"manifest: {problem}")
    if not isinstance(doc, dict):
        raise _bad("manifest: must be a JSON object")
    pack = doc.get("pack") if isinstance(doc.get("pack"), dict) else doc
    fields = {}
    for key in ("id", "version", "title", "language"):
        value = pack.get(key, "" if key in ("title", "language") else None)
        if not isinstance(value, str) or (key in ("id", "version") and not value):
            raise _bad(f"manifest: {key} must be text")
        fields[key] = value
    if len(fields["id"]) > 64 or len(fields["version"]) > 32:
        raise _bad("manifest: id has at most 64 and version at most 32 characters")
    return ManifestInfo(fields["id"], fields["version"], fields["title"] or fields["id"],
                        fields["language"][:16], _files(doc.get("files")))


def visible_media(conn: Connection, account_id: int, hashes: list[str]) -> set[str]:
    """The hashes among these that the account may know the hub has: files it uploaded, and
    files of packs offered to its groups. Others are answered as missing, whether the hub has
    them or not, so a hash cannot be used to probe another group's files."""
    wanted = list(dict.fromkeys(hashes))
    mo, pf, gp, ms = t.media_owners, t.pack_files, t.group_packs, t.memberships
    mine = select(ms.c.group_id).where(ms.c.account_id == account_id)
    seen: set[str] = set()
    for i in range(0, len(wanted), 500):
        chunk = wanted[i:i + 500]
        seen.update(conn.execute(select(mo.c.sha256).where(
            mo.c.account_id == account_id, mo.c.sha256.in_(chunk))).scalars())
        seen.update(conn.execute(
            select(pf.c.sha256).distinct().join(gp, gp.c.pack_row == pf.c.pack_row)
            .where(gp.c.group_id.in_(mine), pf.c.sha256.in_(chunk))).scalars())
    return seen


def missing_for(conn: Connection, account_id: int, hashes: list[str]) -> list[str]:
    """The hashes, in the order given, the account has to upload (see :func:`visible_media`)."""
    visible = visible_media(conn, account_id, hashes)  # only files the hub has are visible
    return [h for h in dict.fromkeys(hashes) if h not in visible]


def record_media(conn: Connection, sha256: str, size: int, account_id: int) -> None:
    if conn.execute(select(t.media.c.sha256).where(t.media.c.sha256 == sha256)).first() is None:
        conn.execute(insert(t.media).values(sha256=sha256, size=size, added_at=now(),
                                            added_by=account_id))
    owned = select(t.media_owners.c.sha256).where(t.media_owners.c.sha256 == sha256,
                                                  t.media_owners.c.account_id == account_id)
    if conn.execute(owned).first() is None:
        try:
            with conn.begin_nested():  # the same trainer uploading the file twice at once
                conn.execute(insert(t.media_owners).values(sha256=sha256, account_id=account_id))
        except IntegrityError:
            pass


def publish(conn: Connection, group_id: int, account_id: int, manifest_text: str,
            signature: str | None) -> dict[str, Any]:
    """Register a pack version (if new) and offer it to a group. 409 lists missing files."""
    info = parse_manifest(manifest_text)
    missing = missing_for(conn, account_id, [f.sha256 for f in info.files])
    if missing:
        raise ApiError(409, "missing_files",
                       f"{len(missing)} file(s) of this pack are not on the hub yet; upload them "
                       "first: " + ", ".join(missing[:20]))
    digest = hashlib.sha256(manifest_text.encode("utf-8")).hexdigest()
    row = conn.execute(select(t.packs.c.id, t.packs.c.manifest_sha256).where(
        t.packs.c.pack_id == info.pack_id, t.packs.c.version == info.version)).first()
    if row is not None and row.manifest_sha256 != digest:
        raise conflict(f"pack {info.pack_id} version {info.version} was published with other "
                       "content; give the new build a higher version", "version_exists")
    if row is None:
        pack_row = int(conn.execute(insert(t.packs).values(
            pack_id=info.pack_id, version=info.version, title=info.title,
            language=info.language, manifest=manifest_text, manifest_sha256=digest,
            signature=signature, size=info.size, file_count=len(info.files),
            published_by=account_id, published_at=now())).inserted_primary_key[0])
        conn.execute(insert(t.pack_files), [
            {"pack_row": pack_row, "path": f.path, "sha256": f.sha256, "size": f.size}
            for f in info.files])
    else:
        pack_row = int(row.id)
    offered = conn.execute(select(t.group_packs.c.pack_row).where(
        t.group_packs.c.group_id == group_id, t.group_packs.c.pack_row == pack_row)).first()
    if offered is None:
        conn.execute(insert(t.group_packs).values(group_id=group_id, pack_row=pack_row,
                                                  offered_at=now()))
    return {"pack_id": info.pack_id, "version": info.version, "size": info.size,
            "files": len(info.files), "manifest_sha256": digest}


def catalog(conn: Connection, group_id: int) -> list[dict[str, Any]]:
    """The newest offered version of every pack of a group (by publish time)."""
    p, gp = t.packs, t.group_packs
    rows = conn.execute(
        select(p.c.pack_id, p.c.version, p.c.title, p.c.language, p.c.size, p.c.file_count,
               p.c.manifest_sha256, p.c.signature.isnot(None).label("signed"),
               p.c.published_at)
        .join(gp, gp.c.pack_row == p.c.id).where(gp.c.group_id == group_id)
        .order_by(p.c.pack_id, p.c.published_at.desc(), p.c.id.desc())
    ).all()
    out: dict[str, dict[str, Any]] = {}
    for r in rows:
        if r.pack_id not in out:
            out[r.pack_id] = {"pack_id": r.pack_id, "version": r.version, "title": r.title,
                              "language": r.language, "size": int(r.size),
                              "files": int(r.file_count), "manifest_sha256": r.manifest_sha256,
                              "signed": bool(r.signed), "published_at": r.published_at}
    return list(out.values())


def manifest(conn: Connection, group_id: int, pack_id: str,
             version: str | None = None) -> dict[str, Any] | None:
    p, gp = t.packs, t.group_packs
    query = (select(p.c.pack_id, p.c.version, p.c.manifest, p.c.signature, p.c.manifest_sha256)
             .join(gp, gp.c.pack_row == p.c.id)
             .where(gp.c.group_id == group_id, p.c.pack_id == pack_id))
    if version is not None:
        query = query.where(p.c.version == version)
    row = conn.execute(query.order_by(p.c.published_at.desc(), p.c.id.desc()).limit(1)).first()
    if row is None:
        return None
    return {"pack_id": row.pack_id, "version": row.version, "manifest": row.manifest,
            "signature": row.signature, "manifest_sha256": row.manifest_sha256}


def may_download(conn: Connection, account_id: int, sha256: str) -> bool:
    """True when a group of the account is offered a pack with this file."""
    pf, gp, m = t.pack_files, t.group_packs, t.memberships
    query = select(exists().where(
        pf.c.sha256 == sha256, gp.c.pack_row == pf.c.pack_row,
        and_(m.c.group_id == gp.c.group_id, m.c.account_id == account_id)))
    return bool(conn.execute(query).scalar())


def media_size(conn: Connection, sha256: str) -> int | None:
    return conn.execute(select(func.max(t.media.c.size)).where(t.media.c.sha256 == sha256)
                        ).scalar_one_or_none()
