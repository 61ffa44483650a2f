"""The people of my groups, kept on this PC for the "My group" page and the trainer badge.

The public profiles (name, motto, photo) come with the sync (``sync_people``); who is a trainer
and since when someone is in the group come from ``GET /v1/groups/{id}/members``, fetched by
:func:`refresh_group_members` and kept in ``group_members`` so the page, the badges and the
trainer's announcement groups work offline. The sync engine fetches them as part of an online
round when :func:`members_due` says so: at the first round, then every ``MEMBERS_PERIOD_S``, and
at once when a pull brought someone not in the kept list (a new member). The other 60-second
rounds stay one small request.
"""

from __future__ import annotations

import io
import logging
import math
from datetime import UTC, datetime
from typing import Any

import sqlite_utils

from companion.core.db import get_setting, set_setting, write_transaction
from companion.core.media_store import MediaStore
from companion.sync.client import HubClient, HubRefused

log = logging.getLogger(__name__)

PHOTO_SENT_SETTING = "photo_sent:"  # + profile id: the SHA-256 of my photo the hub has


def refresh_group_members(client: HubClient, db: sqlite_utils.Database,
                          profile_id: int) -> int:
    """Fetch the members of every group of mine and keep them; returns how many were stored.
    Raises the client's ``HubError`` subclasses (the kept list stays as it was)."""
    groups = [g for g in client.me().get("groups") or [] if isinstance(g, dict)]
    fetched = [(g, client.group_members(int(g["id"]))) for g in groups]
    rows: list[list[Any]] = []
    people: list[list[Any]] = []
    for group, members in fetched:
        for m in members:
            joined = m.get("joined_at")
            since = (datetime.fromtimestamp(float(joined), UTC).isoformat(timespec="seconds")
                     if isinstance(joined, int | float) else None)
            rows.append([profile_id, int(group["id"]), str(group.get("name") or ""),
                         int(m["account_id"]), str(m.get("username") or ""),
                         str(m.get("role") or "learner"), since])
            people.append([profile_id, int(m["account_id"]), str(m.get("name") or ""),
                           str(m.get("motto") or ""), m.get("photo_sha256")])
    with write_transaction(db):
        # The public profile travels with the sync; this fills it in only for people whose
        # profile change this PC has not pulled yet (the sync's values win).
        db.conn.executemany(
            "INSERT OR IGNORE INTO sync_people(profile_id, account_id, name, motto,"
            " photo_sha256) VALUES (?, ?, ?, ?, ?)", people)
        db.execute("DELETE FROM group_members WHERE profile_id = ?", [profile_id])
        db.conn.executemany(
            "INSERT OR REPLACE INTO group_members(profile_id, group_id, group_name, account_id,"
            " username, role, joined_at) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    return len(rows)


#: How often an online round fetches the members again when nothing pointed to a change.
MEMBERS_PERIOD_S = 900.0


def _kept(db: sqlite_utils.Database, profile_id: int) -> set[tuple[Any, ...]]:
    members = db.execute(
        "SELECT group_id, group_name, account_id, username, role, joined_at FROM group_members"
        " WHERE profile_id = ?", [profile_id]).fetchall()
    people = db.execute(
        "SELECT account_id, name, motto, photo_sha256 FROM sync_people WHERE profile_id = ?",
        [profile_id]).fetchall()
    return {("m", *r) for r in members} | {("p", *r) for r in people}


def unknown_people(db: sqlite_utils.Database, profile_id: int) -> set[int]:
    """People the sync brought (their profile or comments) who are not in the kept member
    list: a new member, most likely."""
    return {int(r[0]) for r in db.execute(
        "SELECT p.account_id FROM sync_people p WHERE p.profile_id = ? AND NOT EXISTS ("
        " SELECT 1 FROM group_members m WHERE m.profile_id = p.profile_id"
        " AND m.account_id = p.account_id)", [profile_id])}


def members_due(db: sqlite_utils.Database, profile_id: int, *, last_fetch: float,
                now: float, pulled: int, known_unknown: set[int],
                period_s: float = MEMBERS_PERIOD_S) -> bool:
    """Should this online round fetch the members? ``last_fetch`` is when it last did
    (-inf: never), ``known_unknown`` the people still missing after that fetch (someone who
    left the group: not fetched for again and again)."""
    if math.isinf(last_fetch) or now - last_fetch >= period_s:
        return True
    return bool(pulled) and bool(unknown_people(db, profile_id) - known_unknown)


def sync_group_members(client: HubClient, db: sqlite_utils.Database, profile_id: int) -> bool:
    """:func:`refresh_group_members` for the sync round: True when the kept list changed (the
    screens then redraw). Raises the client's ``HubError`` subclasses."""
    before = _kept(db, profile_id)
    refresh_group_members(client, db, profile_id)
    return _kept(db, profile_id) != before


def photo_to_send(db: sqlite_utils.Database, media: MediaStore, profile_id: int) -> str | None:
    """My profile photo when the hub does not have it yet (and this PC does)."""
    mine = db.execute("SELECT photo_sha256 FROM profiles WHERE id = ?", [profile_id]).fetchone()
    sha = mine[0] if mine else None
    if sha and get_setting(db, f"{PHOTO_SENT_SETTING}{profile_id}") != sha and media.has(sha):
        return str(sha)
    return None


def sync_photos(client: HubClient, db: sqlite_utils.Database, media: MediaStore,
                profile_id: int) -> int:
    """Send my own profile photo to the hub once (the profile change carries only its hash),
    and fetch the photos of the people in my groups that this PC lacks into the media store,
    where the discussion and My group find them. Returns how many photos were fetched. A photo
    the hub refuses (not there yet, or no longer shared) is left for a later round; the
    client's ``HubOffline`` and ``HubAuthError`` go up to the caller."""
    sha = photo_to_send(db, media, profile_id)
    if sha is not None:
        try:
            client.put_photo(sha, media.path_for(sha).read_bytes())
        except HubRefused as exc:  # the profile change is not through yet: next time
            log.info("my photo waits: %s", exc)
        else:
            with write_transaction(db):
                set_setting(db, f"{PHOTO_SENT_SETTING}{profile_id}", sha)
    wanted = {str(r[0]) for r in db.execute(
        "SELECT DISTINCT photo_sha256 FROM sync_people WHERE profile_id = ?"
        " AND photo_sha256 IS NOT NULL AND photo_sha256 != ''", [profile_id])}
    fetched = 0
    for photo in sorted(wanted):
        if media.has(photo):
            continue
        try:
            data = client.get_photo(photo)
        except HubRefused as exc:  # not uploaded yet by its owner, or not shared with me
            log.info("no photo %s yet: %s", photo[:12], exc)
            continue
        try:
            media.ingest(io.BytesIO(data), photo, len(data))
        except Exception as exc:  # a wrong or broken answer: never kept, tried again later
            log.warning("a fetched photo did not match its hash: %s", exc)
            continue
        fetched += 1
    return fetched
