"""The people of my groups, kept on this PC for the "My group" page and the trainer badge.

The public profiles (name, motto, photo) come with the sync (``sync_people``); who is a trainer
and since when someone is in the group come from ``GET /v1/groups/{id}/members``, fetched by
:func:`refresh_group_members` when the page opens (never on the 60-second sync, which stays one
small request) and kept in ``group_members`` so the page and the badges work offline.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlite_utils

from companion.core.db import write_transaction
from companion.sync.client import HubClient


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
