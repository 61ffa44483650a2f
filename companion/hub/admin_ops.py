"""What an operator does to a hub on its machine, besides serving it: cut off a device, reset a
password, take a learner out of a group, back the hub up and restore it.

The CLI (``companion hub ...``, :mod:`companion.cli.hub_admin`) calls these; so do the tests.
Every function takes the open :class:`~companion.hub.storage.Storage` (or the settings, for a
backup and restore) and raises :class:`~companion.hub.errors.HubError` with a message for the
operator when the input is wrong (an unknown user, group or device).
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, delete, func, select, update

from companion.hub import accounts, epochs
from companion.hub import tables as t
from companion.hub.errors import HubError
from companion.hub.settings import HubSettings
from companion.hub.storage import Storage, last_sequence, now

BACKUP_FORMAT = 1
BACKUP_INFO = "backup.json"
BACKUP_DB = "hub.sqlite3"
MEDIA_LIST = "media-list.txt"


def _account(conn: Connection, username: str) -> tuple[int, str]:
    name = username.strip().lower()
    row = conn.execute(select(t.accounts.c.id, t.accounts.c.username)
                       .where(t.accounts.c.username == name)).first()
    if row is None:
        raise HubError(f"there is no account {name!r} on this hub")
    return int(row[0]), str(row[1])


def find_account(storage: Storage, username: str) -> int:
    """The id of an account; HubError when there is none."""
    with storage.read() as conn:
        return _account(conn, username)[0]


def revoke(storage: Storage, username: str, device_id: str | None = None) -> int:
    """Revoke the tokens of an account (all its devices, or one): the device must log in again.
    Returns how many tokens were revoked; an unknown device of a known user is an error."""
    with storage.write() as conn:
        account_id, name = _account(conn, username)
        tk = t.tokens.c
        where = [tk.account_id == account_id, tk.revoked_at.is_(None)]
        if device_id is not None:
            known = conn.execute(select(func.count()).where(
                tk.account_id == account_id, tk.device_id == device_id)).scalar_one()
            if not known:
                raise HubError(f"{name} has no device {device_id!r} (see the tokens table)")
            where.append(tk.device_id == device_id)
        return int(conn.execute(update(t.tokens).where(*where).values(revoked_at=now()))
                   .rowcount or 0)


def reset_password(storage: Storage, username: str, password_hash: str) -> int:
    """Give an account a new password (already hashed) and revoke all its tokens, so every device
    asks for the new one. Returns how many tokens were revoked."""
    with storage.write() as conn:
        account_id, name = _account(conn, username)
        accounts.set_password(conn, account_id, password_hash)
        # Attempts on the old password must not keep the person waiting with the new one.
        conn.execute(delete(t.auth_failures).where(t.auth_failures.c.scope == f"user:{name}"))
        return int(conn.execute(update(t.tokens).where(
            t.tokens.c.account_id == account_id, t.tokens.c.revoked_at.is_(None))
            .values(revoked_at=now())).rowcount or 0)


def remove_member(storage: Storage, username: str, group: str) -> None:
    """Take an account out of a group (found by name, case ignored, or number). Its comments
    stay; it no longer receives the group's discussion or packs, and may not write in it."""
    with storage.write() as conn:
        account_id, name = _account(conn, username)
        g = t.groups.c
        query = select(g.id, g.name)
        query = query.where(g.id == int(group)) if group.strip().isdigit() \
            else query.where(func.lower(g.name) == group.strip().lower())
        row = conn.execute(query).first()
        if row is None:
            raise HubError(f"there is no group {group!r} on this hub")
        m = t.memberships.c
        gone = conn.execute(delete(t.memberships).where(
            m.group_id == row[0], m.account_id == account_id)).rowcount
        if not gone:
            raise HubError(f"{name} is not a member of the group {row[1]!r}")
        # A new membership version makes the account's devices pull afresh (their cursor
        # belonged to the old set of groups).
        conn.execute(update(t.accounts).where(t.accounts.c.id == account_id)
                     .values(membership_version=t.accounts.c.membership_version + 1))


# -- backup and restore ---------------------------------------------------------------------


@dataclass(frozen=True)
class BackupInfo:
    folder: Path
    database: str  # "sqlite" or "postgresql"
    last_seq: int
    media_files: int
    media_bytes: int
    media_copied: int


def _media_rows(conn: Connection) -> list[tuple[str, int]]:
    return [(r[0], int(r[1])) for r in conn.execute(
        select(t.media.c.sha256, t.media.c.size).order_by(t.media.c.sha256))]


def _media_path(root: Path, sha256: str) -> Path:
    return root / sha256[:2] / sha256


def _copy_media(rows: list[tuple[str, int]], source: Path, target: Path,
                verify: bool) -> int:
    """Copy the listed files that ``target`` lacks (they never change: present is complete).
    Returns how many were copied; a missing or damaged source file is an error."""
    copied = 0
    for sha256, size in rows:
        dst = _media_path(target, sha256)
        if dst.is_file() and dst.stat().st_size == size:
            continue
        src = _media_path(source, sha256)
        if not src.is_file():
            raise HubError(f"the media file {sha256} is missing from {source}")
        dst.parent.mkdir(parents=True, exist_ok=True)
        tmp = dst.with_suffix(".part")
        digest = hashlib.sha256()
        with src.open("rb") as fin, tmp.open("wb") as fout:
            while chunk := fin.read(1 << 20):
                digest.update(chunk)
                fout.write(chunk)
            fout.flush()
            os.fsync(fout.fileno())
        if verify and digest.hexdigest() != sha256:
            tmp.unlink()
            raise HubError(f"the media file {src} is damaged (its SHA-256 does not match)")
        os.replace(tmp, dst)
        copied += 1
    return copied


def backup(settings: HubSettings, folder: Path) -> BackupInfo:
    """Back the hub up into ``folder`` while it runs.

    SQLite: a consistent copy by SQLite's online backup (the hub keeps serving), which is then
    given an epoch of its own, so devices notice when it is restored, even by hand. PostgreSQL:
    the database is the operator's to dump (``pg_dump``, see docs/deploy.md); this keeps the
    media and their list. Media files are copied only when the folder lacks them, so a backup
    into the same folder again is incremental.
    """
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    storage = Storage(settings)
    try:
        if storage.is_sqlite:
            target = folder / BACKUP_DB
            source = sqlite3.connect(settings.sqlite_path)
            dest = sqlite3.connect(target)
            try:
                source.backup(dest)
            finally:
                dest.close()
                source.close()
            target.chmod(0o600)
            copy = Storage(HubSettings(data_dir=folder))
            try:
                with copy.write() as conn:
                    epochs.start_epoch(conn)
                    last_seq = last_sequence(conn)
                    rows = _media_rows(conn)
            finally:
                copy.close()
        else:
            with storage.read() as conn:
                last_seq = last_sequence(conn)
                rows = _media_rows(conn)
    finally:
        storage.close()
    # Media in a bucket stay there (its versioning or replication backs them up): list only.
    copied = 0 if settings.media_url else _copy_media(rows, settings.media_dir,
                                                       folder / "media", verify=False)
    (folder / MEDIA_LIST).write_text("".join(f"{h} {s}\n" for h, s in rows), encoding="utf-8")
    info = BackupInfo(folder, "sqlite" if settings.database_url is None else "postgresql",
                      last_seq, len(rows), sum(s for _, s in rows), copied)
    (folder / BACKUP_INFO).write_text(json.dumps({
        "format": BACKUP_FORMAT, "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "database": info.database, "last_seq": last_seq, "media_files": info.media_files,
        "media_bytes": info.media_bytes}, indent=2) + "\n", encoding="utf-8")
    return info


def read_backup_info(folder: Path) -> dict[str, Any]:
    path = folder / BACKUP_INFO
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise HubError(f"{folder} is not a hub backup (it has no {BACKUP_INFO})") from exc
    except ValueError as exc:
        raise HubError(f"{path} is damaged: {exc}") from exc
    if not isinstance(data, dict) or data.get("format") != BACKUP_FORMAT:
        raise HubError(f"{path} is not a backup this hub can read")
    return data


@dataclass(frozen=True)
class RestoreInfo:
    last_seq: int
    epoch: str
    media_copied: int


def restore(settings: HubSettings, folder: Path) -> RestoreInfo:
    """Put a backup back (stop every hub process first). SQLite: the database is replaced by the
    backup's; PostgreSQL: restore the dump with ``pg_restore`` first, this does the rest. Then
    the media the hub lacks are copied back (each checked against its SHA-256) and a new epoch
    begins, so every device pushes again what it holds and the backup lacks."""
    data = read_backup_info(folder)
    is_sqlite = settings.database_url is None
    if is_sqlite:
        source_db = folder / BACKUP_DB
        if data.get("database") != "sqlite" or not source_db.is_file():
            raise HubError(f"{folder} holds no SQLite database: restore a PostgreSQL backup "
                           f"with pg_restore and --database-url (see docs/deploy.md)")
        settings.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        source = sqlite3.connect(f"file:{source_db}?mode=ro", uri=True)
        dest = sqlite3.connect(settings.sqlite_path)
        try:
            source.backup(dest)  # replaces every page, the WAL included
        finally:
            dest.close()
            source.close()
    storage = Storage(settings)
    try:
        with storage.write() as conn:
            epoch = epochs.start_epoch(conn)
            last_seq = last_sequence(conn)
            rows = _media_rows(conn)
    finally:
        storage.close()
    if settings.media_url:
        copied = 0
        _check_bucket(settings, rows)
    else:
        copied = _copy_media(rows, folder / "media", settings.media_dir, verify=True)
    return RestoreInfo(last_seq, epoch, copied)


def _check_bucket(settings: HubSettings, rows: list[tuple[str, int]]) -> None:
    """Media in a bucket are not copied back: check that the bucket still has every file."""
    from companion.hub.media_s3 import S3MediaStore

    store = S3MediaStore(str(settings.media_url))
    missing = [sha for sha, _ in rows if not store.has(sha)]
    if missing:
        raise HubError(f"the database is restored, but the media bucket lacks {len(missing)} "
                       f"of its files (first: {missing[0]}): restore them into the bucket")
