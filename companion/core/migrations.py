"""Versioned schema migrations. ``MIGRATIONS[n]`` moves a database from version n to n + 1.

Never edit a migration that has shipped: add a new one. ``tests/core/test_migrations.py`` builds
a database at every earlier version, fills it, and upgrades it to the latest.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

Migration = Callable[[sqlite3.Connection], None]


def run_script(conn: sqlite3.Connection, script: str) -> None:
    """Run SQL statements one by one inside the caller's transaction.

    ``executescript`` would commit first, which breaks "one migration, one transaction".
    """
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            conn.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"incomplete SQL statement in migration: {statement.strip()[:60]}")


def _v1_initial(conn: sqlite3.Connection) -> None:
    """The first schema: library, profiles, progress, notes, quiz attempts, change log, search."""
    run_script(
        conn,
        """
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );

        CREATE TABLE profiles (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            language TEXT,
            motto TEXT NOT NULL DEFAULT '',
            photo_sha256 TEXT,
            pin_hash TEXT,
            record_sessions INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL,
            last_used_at TEXT
        );

        CREATE TABLE trusted_keys (
            fingerprint TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            public_key TEXT NOT NULL,
            added_at TEXT NOT NULL
        );

        CREATE TABLE media (
            sha256 TEXT PRIMARY KEY,
            size INTEGER NOT NULL,
            added_at TEXT NOT NULL
        );

        CREATE TABLE packs (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            version TEXT NOT NULL,
            language TEXT NOT NULL,
            author TEXT NOT NULL DEFAULT '',
            description TEXT NOT NULL DEFAULT '',
            cover_sha256 TEXT,
            signer_name TEXT,
            signer_fingerprint TEXT,
            manifest_sha256 TEXT NOT NULL,
            manifest TEXT NOT NULL,
            signature TEXT,
            installed_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );

        CREATE TABLE pack_files (
            pack_id TEXT NOT NULL REFERENCES packs(id) ON DELETE CASCADE,
            path TEXT NOT NULL,
            sha256 TEXT NOT NULL REFERENCES media(sha256),
            size INTEGER NOT NULL,
            PRIMARY KEY (pack_id, path)
        );
        CREATE INDEX pack_files_sha256 ON pack_files(sha256);

        CREATE TABLE lessons (
            rowid INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            pack_id TEXT NOT NULL REFERENCES packs(id) ON DELETE CASCADE,
            lesson_key TEXT NOT NULL,
            position INTEGER NOT NULL,
            title TEXT NOT NULL,
            summary TEXT NOT NULL DEFAULT '',
            video_path TEXT,
            video_sha256 TEXT,
            duration_s REAL NOT NULL DEFAULT 0,
            subtitles TEXT NOT NULL DEFAULT '[]',
            subtitle_text TEXT NOT NULL DEFAULT '',
            trainer_notes TEXT NOT NULL DEFAULT '',
            quiz TEXT NOT NULL DEFAULT '[]',
            tags TEXT NOT NULL DEFAULT '[]',
            UNIQUE (pack_id, lesson_key)
        );
        CREATE INDEX lessons_pack_position ON lessons(pack_id, position);

        CREATE TABLE progress (
            profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
            lesson_id TEXT NOT NULL,
            position_s REAL NOT NULL DEFAULT 0,
            watched_s REAL NOT NULL DEFAULT 0,
            done INTEGER NOT NULL DEFAULT 0,
            done_at TEXT,
            quiz_best INTEGER,
            quiz_total INTEGER,
            last_watched_at TEXT,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (profile_id, lesson_id)
        );
        CREATE INDEX progress_recent ON progress(profile_id, last_watched_at);

        CREATE TABLE notes (
            rowid INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
            lesson_id TEXT NOT NULL,
            body TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            deleted INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX notes_profile_lesson ON notes(profile_id, lesson_id);

        CREATE TABLE quiz_attempts (
            id TEXT PRIMARY KEY,
            profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
            lesson_id TEXT NOT NULL,
            answers TEXT NOT NULL,
            score INTEGER NOT NULL,
            total INTEGER NOT NULL,
            answered_at TEXT NOT NULL
        );
        CREATE INDEX quiz_attempts_lesson ON quiz_attempts(profile_id, lesson_id);

        CREATE TABLE changes (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            change_id TEXT NOT NULL UNIQUE,
            profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            op TEXT NOT NULL,
            payload TEXT NOT NULL,
            device_id TEXT NOT NULL,
            created_at TEXT NOT NULL,
            pushed_at TEXT
        );
        CREATE INDEX changes_pending ON changes(profile_id, pushed_at, seq);

        CREATE VIRTUAL TABLE lessons_fts USING fts5(
            title, summary, subtitle_text, tags,
            content='lessons', content_rowid='rowid',
            tokenize='unicode61 remove_diacritics 2', prefix='2 3'
        );
        CREATE TRIGGER lessons_fts_ai AFTER INSERT ON lessons BEGIN
            INSERT INTO lessons_fts(rowid, title, summary, subtitle_text, tags)
            VALUES (new.rowid, new.title, new.summary, new.subtitle_text, new.tags);
        END;
        CREATE TRIGGER lessons_fts_ad AFTER DELETE ON lessons BEGIN
            INSERT INTO lessons_fts(lessons_fts, rowid, title, summary, subtitle_text, tags)
            VALUES ('delete', old.rowid, old.title, old.summary, old.subtitle_text, old.tags);
        END;
        CREATE TRIGGER lessons_fts_au AFTER UPDATE ON lessons BEGIN
            INSERT INTO lessons_fts(lessons_fts, rowid, title, summary, subtitle_text, tags)
            VALUES ('delete', old.rowid, old.title, old.summary, old.subtitle_text, old.tags);
            INSERT INTO lessons_fts(rowid, title, summary, subtitle_text, tags)
            VALUES (new.rowid, new.title, new.summary, new.subtitle_text, new.tags);
        END;

        CREATE VIRTUAL TABLE notes_fts USING fts5(
            body, content='notes', content_rowid='rowid',
            tokenize='unicode61 remove_diacritics 2', prefix='2 3'
        );
        CREATE TRIGGER notes_fts_ai AFTER INSERT ON notes BEGIN
            INSERT INTO notes_fts(rowid, body) VALUES (new.rowid, new.body);
        END;
        CREATE TRIGGER notes_fts_ad AFTER DELETE ON notes BEGIN
            INSERT INTO notes_fts(notes_fts, rowid, body) VALUES ('delete', old.rowid, old.body);
        END;
        CREATE TRIGGER notes_fts_au AFTER UPDATE OF body ON notes BEGIN
            INSERT INTO notes_fts(notes_fts, rowid, body) VALUES ('delete', old.rowid, old.body);
            INSERT INTO notes_fts(rowid, body) VALUES (new.rowid, new.body);
        END;
        """
    )


def _v2_comments(conn: sqlite3.Connection) -> None:
    """Peer comments under lessons, kept per local profile (each profile has its own groups)."""
    run_script(
        conn,
        """
        CREATE TABLE comments (
            rowid INTEGER PRIMARY KEY,
            id TEXT NOT NULL,
            profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
            lesson_id TEXT NOT NULL,
            group_id TEXT,
            author_id TEXT NOT NULL,
            author_name TEXT NOT NULL,
            is_own INTEGER NOT NULL DEFAULT 0,
            body TEXT NOT NULL,
            reply_to TEXT,
            created_at TEXT NOT NULL,
            edited_at TEXT,
            deleted INTEGER NOT NULL DEFAULT 0,
            server_seq INTEGER,
            UNIQUE (profile_id, id)
        );
        CREATE INDEX comments_lesson ON comments(profile_id, lesson_id, server_seq);
        """,
    )


def _v3_sync_state(conn: sqlite3.Connection) -> None:
    """Client-side sync state per profile (``companion/sync``).

    - ``sync_logins``: the non-secret half of a profile's hub login and its pull cursor (the
      token itself is in the system keyring, or, only when the person agreed, a file);
    - ``sync_refusals``: changes the hub refused for good, with its reason, to show the person;
    - ``sync_entity_seq``: the hub sequence of the latest write applied to an entity, so a
      pulled change that is older in the hub's order than a local one does not overwrite it
      (merges follow the hub's order, never device clocks);
    - ``sync_people``: the public profiles of the people in the person's groups (comment
      authors' names).
    """
    run_script(
        conn,
        """
        CREATE TABLE sync_logins (
            profile_id INTEGER PRIMARY KEY REFERENCES profiles(id) ON DELETE CASCADE,
            hub_url TEXT NOT NULL,
            username TEXT NOT NULL,
            account_id INTEGER NOT NULL,
            ca_file TEXT,
            token_store TEXT NOT NULL DEFAULT 'keyring',
            cursor TEXT,
            last_success_at TEXT,
            logged_in_at TEXT NOT NULL
        );

        CREATE TABLE sync_refusals (
            change_id TEXT PRIMARY KEY,
            profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            op TEXT NOT NULL,
            payload TEXT NOT NULL,
            code TEXT NOT NULL,
            reason TEXT NOT NULL,
            refused_at TEXT NOT NULL
        );
        CREATE INDEX sync_refusals_profile ON sync_refusals(profile_id, refused_at);

        CREATE TABLE sync_entity_seq (
            profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            entity_key TEXT NOT NULL,
            seq INTEGER NOT NULL,
            PRIMARY KEY (profile_id, kind, entity_key)
        );

        CREATE TABLE sync_people (
            profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
            account_id INTEGER NOT NULL,
            name TEXT NOT NULL DEFAULT '',
            motto TEXT NOT NULL DEFAULT '',
            photo_sha256 TEXT,
            seq INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (profile_id, account_id)
        );
        """,
    )


def _v4_change_hub_seq(conn: sqlite3.Connection) -> None:
    """``changes.hub_seq``: where the hub put an own change in its order, so that after the hub
    was restored from a backup the sync pushes again exactly the changes the restored hub lacks
    (those it had numbered above the backup's last sequence). NULL for changes pushed before this
    version: they are pushed again after a restore, which the hub answers without applying them
    twice."""
    conn.execute("ALTER TABLE changes ADD COLUMN hub_seq INTEGER")


def _v5_courier(conn: sqlite3.Connection) -> None:
    """The courier (a USB stick carries the sync, ``companion/sync/courier.py``) per profile:
    the public halves of the device's keys (the private ones are kept like the token), the
    hub's pinned public keys, the last bundle written and the last answer taken in."""
    run_script(
        conn,
        """
        CREATE TABLE courier_state (
            profile_id INTEGER PRIMARY KEY REFERENCES profiles(id) ON DELETE CASCADE,
            hub_url TEXT NOT NULL,
            hub_box_key TEXT NOT NULL,
            hub_sign_key TEXT NOT NULL,
            sign_key TEXT NOT NULL,
            box_key TEXT NOT NULL,
            key_store TEXT NOT NULL DEFAULT 'keyring',
            bundle_seq INTEGER NOT NULL DEFAULT 0,
            answered_seq INTEGER NOT NULL DEFAULT 0,
            registered_at TEXT NOT NULL
        );
        """,
    )


def _v6_social(conn: sqlite3.Connection) -> None:
    """The social loop (issue 11), per local profile: reactions under comments, followed
    discussions, drafts of comments, the group's announcements, and notifications derived from
    pulled changes (``core/notifications.py``).

    A notification is a bundle per key (one discussion's replies, one announcement...):
    ``last_seq`` is the hub sequence of its newest event, ``read_seq`` how far it was read (on
    any of the person's devices); ``unread`` is kept beside them so the bell's count is one
    indexed lookup.
    """
    run_script(
        conn,
        """
        CREATE TABLE reactions (
            profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
            comment_id TEXT NOT NULL,
            author_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            PRIMARY KEY (profile_id, comment_id, author_id, kind)
        );

        CREATE TABLE follows (
            profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
            lesson_id TEXT NOT NULL,
            following INTEGER NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (profile_id, lesson_id)
        );

        CREATE TABLE drafts (
            profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
            id TEXT NOT NULL,
            lesson_id TEXT NOT NULL,
            reply_to TEXT,
            body TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (profile_id, id)
        );

        CREATE TABLE announcements (
            profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
            id TEXT NOT NULL,
            group_id TEXT,
            author_id TEXT NOT NULL,
            author_name TEXT NOT NULL,
            body TEXT NOT NULL,
            created_at TEXT NOT NULL,
            server_seq INTEGER,
            PRIMARY KEY (profile_id, id)
        );

        CREATE TABLE notifications (
            id INTEGER PRIMARY KEY,
            profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
            key TEXT NOT NULL,
            kind TEXT NOT NULL,
            lesson_id TEXT,
            comment_id TEXT,
            from_names TEXT NOT NULL DEFAULT '[]',
            count INTEGER NOT NULL DEFAULT 0,
            text TEXT NOT NULL DEFAULT '',
            last_seq INTEGER NOT NULL DEFAULT 0,
            read_seq INTEGER NOT NULL DEFAULT -1,
            unread INTEGER NOT NULL DEFAULT 0,
            alerted INTEGER NOT NULL DEFAULT 0,
            updated_at TEXT NOT NULL,
            UNIQUE (profile_id, key)
        );
        CREATE INDEX notifications_unread ON notifications(profile_id, unread);

        CREATE TABLE group_members (
            profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
            group_id INTEGER NOT NULL,
            group_name TEXT NOT NULL,
            account_id INTEGER NOT NULL,
            username TEXT NOT NULL,
            role TEXT NOT NULL,
            joined_at TEXT,
            PRIMARY KEY (profile_id, group_id, account_id)
        );
        CREATE INDEX notifications_recent ON notifications(profile_id, last_seq);
        """,
    )


def _v7_trainer_workspace(conn: sqlite3.Connection) -> None:
    """Issue 10. A comment a trainer hid: the reason, or NULL while it is shown (its author keeps
    the text; everyone else's copy loses it until the trainer restores it). And the last group
    report fetched from the hub, so the trainer's page shows it with its age when offline, and
    the participation ladder of each day a report was fetched (the ladder over time)."""
    run_script(
        conn,
        """
        ALTER TABLE comments ADD COLUMN hidden_reason TEXT;

        CREATE TABLE group_reports (
            profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
            group_id INTEGER NOT NULL,
            days INTEGER NOT NULL,
            fetched_at TEXT NOT NULL,
            body TEXT NOT NULL,
            PRIMARY KEY (profile_id, group_id)
        );

        CREATE TABLE group_ladder_history (
            profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
            group_id INTEGER NOT NULL,
            day TEXT NOT NULL,
            highest TEXT NOT NULL,
            PRIMARY KEY (profile_id, group_id, day)
        );
        """,
    )


MIGRATIONS: list[Migration] = [_v1_initial, _v2_comments, _v3_sync_state, _v4_change_hub_seq,
                              _v5_courier, _v6_social,
                              _v7_trainer_workspace]
