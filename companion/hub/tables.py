"""The hub's tables (SQLAlchemy Core): the same definitions on SQLite and PostgreSQL.

Times are the hub's own clock as seconds since the epoch (float); device times travel only inside
change records, for information. ``changes.server_seq`` is the hub's receive order: every merge and
every pull cursor follows it, never a device clock.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

# 2: the text of comments deleted before version 2 is erased from the change log at the upgrade.
SCHEMA_VERSION = 3
metadata = MetaData()

# One row (id = 1): the schema version and the last server sequence handed out. The push
# transaction locks this row first, so sequence order is commit order (see docs/sync-protocol.md).
hub_state = Table(
    "hub_state", metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("schema_version", Integer, nullable=False),
    Column("last_seq", BigInteger, nullable=False),
)

accounts = Table(
    "accounts", metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(64), nullable=False, unique=True),  # stored lower-case
    Column("password_hash", Text, nullable=False),
    Column("is_trainer", Boolean, nullable=False, default=False),
    Column("membership_version", Integer, nullable=False, default=0),
    Column("created_at", Float, nullable=False),
    Column("disabled", Boolean, nullable=False, default=False),
)

groups = Table(
    "groups", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(120), nullable=False, unique=True),
    Column("invite_code", String(32), nullable=False, unique=True),
    Column("created_at", Float, nullable=False),
)

memberships = Table(
    "memberships", metadata,
    Column("group_id", Integer, ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True),
    Column("account_id", Integer, ForeignKey("accounts.id", ondelete="CASCADE"),
           primary_key=True),
    Column("role", String(16), nullable=False),  # learner | trainer
    Column("joined_at", Float, nullable=False),
    Index("memberships_account", "account_id"),
)

tokens = Table(
    "tokens", metadata,
    Column("token_hash", String(64), primary_key=True),  # SHA-256 of the secret, hex
    Column("account_id", Integer, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("device_id", String(64), nullable=False),
    Column("device_name", String(120), nullable=False, default=""),
    Column("created_at", Float, nullable=False),
    Column("last_used_at", Float, nullable=False),
    Column("expires_at", Float, nullable=False),
    Column("revoked_at", Float),
    Index("tokens_account", "account_id"),
)

# Failed logins and invite-code guesses, per username and per client address; a row per failure
# so every hub process sharing the database sees the same count.
auth_failures = Table(
    "auth_failures", metadata,
    Column("id", Integer, primary_key=True),
    Column("scope", String(200), nullable=False),
    Column("at", Float, nullable=False),
    Index("auth_failures_scope_at", "scope", "at"),
)

changes = Table(
    "changes", metadata,
    Column("server_seq", BigInteger, primary_key=True, autoincrement=False),
    Column("change_id", String(64), nullable=False, unique=True),
    Column("account_id", Integer, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("device_id", String(64), nullable=False),
    Column("device_seq", BigInteger, nullable=False, default=0),
    Column("kind", String(16), nullable=False),
    Column("entity_id", String(128), nullable=False),
    Column("op", String(8), nullable=False),
    Column("payload", Text, nullable=False),  # JSON
    Column("created_at", String(40), nullable=False, default=""),  # the device's, informational
    Column("group_id", Integer),  # comments: the group that may read it
    Column("received_at", Float, nullable=False),
    Index("changes_account_seq", "account_id", "server_seq"),
    Index("changes_group_seq", "group_id", "server_seq"),
    # The daily push quota sums an account's changes of the last 24 hours (schema 3).
    Index("changes_account_received", "account_id", "received_at"),
)

# A refused change is answered the same way on every retry: the refusal is final.
rejections = Table(
    "rejections", metadata,
    Column("change_id", String(64), primary_key=True),
    Column("account_id", Integer, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("code", String(32), nullable=False),
    Column("reason", Text, nullable=False),
    Column("at", Float, nullable=False),
)

# Materialized current state, kept with the merge rules of companion.core.merge.
progress_state = Table(
    "progress_state", metadata,
    Column("account_id", Integer, ForeignKey("accounts.id", ondelete="CASCADE"),
           primary_key=True),
    Column("lesson_id", String(128), primary_key=True),
    Column("position_s", Float, nullable=False),
    Column("watched_s", Float, nullable=False),
    Column("done", Boolean, nullable=False),
    Column("quiz_best", Integer),
    Column("quiz_total", Integer),
    Column("last_seq", BigInteger, nullable=False),
)

note_state = Table(
    "note_state", metadata,
    Column("account_id", Integer, ForeignKey("accounts.id", ondelete="CASCADE"),
           primary_key=True),
    Column("note_id", String(128), primary_key=True),
    Column("lesson_id", String(128), nullable=False),
    Column("body", Text, nullable=False),
    Column("deleted", Boolean, nullable=False),
    Column("last_seq", BigInteger, nullable=False),
)

comment_state = Table(
    "comment_state", metadata,
    Column("comment_id", String(128), primary_key=True),
    Column("group_id", Integer, ForeignKey("groups.id", ondelete="CASCADE"), nullable=False),
    Column("author_id", Integer, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("lesson_id", String(128), nullable=False),
    Column("reply_to", String(128)),
    Column("body", Text, nullable=False),
    Column("deleted", Boolean, nullable=False),
    Column("deleted_by", Integer),
    Column("edited", Boolean, nullable=False),
    Column("created_seq", BigInteger, nullable=False),
    Column("last_seq", BigInteger, nullable=False),
    # When the hub received it (schema 3): the report read it from the change log, a join
    # that PostgreSQL answered by reading the whole log.
    Column("created_at", Float),
    Index("comment_state_group_lesson", "group_id", "lesson_id", "created_seq"),
)

profile_state = Table(
    "profile_state", metadata,
    Column("account_id", Integer, ForeignKey("accounts.id", ondelete="CASCADE"),
           primary_key=True),
    Column("name", String(120), nullable=False),
    Column("motto", Text, nullable=False),
    Column("photo_sha256", String(64)),
    Column("last_seq", BigInteger, nullable=False),
)

sessions = Table(
    "sessions", metadata,
    Column("server_seq", BigInteger, primary_key=True, autoincrement=False),
    Column("account_id", Integer, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("session_id", String(128), nullable=False),  # one run of the app: several records
    Column("event", String(32), nullable=False),  # app_opened, app_closed, lesson_played, ""
    Column("local_hour", Integer, nullable=False),  # 0-23 on the shop's own clock
    Column("duration_s", Float, nullable=False),
    Column("started_at", String(40), nullable=False),
    Index("sessions_account", "account_id"),
)

media = Table(
    "media", metadata,
    Column("sha256", String(64), primary_key=True),
    Column("size", BigInteger, nullable=False),
    Column("added_at", Float, nullable=False),
    Column("added_by", Integer, ForeignKey("accounts.id", ondelete="SET NULL")),
)

packs = Table(
    "packs", metadata,
    Column("id", Integer, primary_key=True),
    Column("pack_id", String(64), nullable=False),
    Column("version", String(32), nullable=False),
    Column("title", Text, nullable=False),
    Column("language", String(16), nullable=False),
    Column("manifest", Text, nullable=False),  # the exact bytes that were signed, as UTF-8
    Column("manifest_sha256", String(64), nullable=False, unique=True),
    Column("signature", Text),
    Column("size", BigInteger, nullable=False),
    Column("file_count", Integer, nullable=False),
    Column("published_by", Integer, ForeignKey("accounts.id", ondelete="SET NULL")),
    Column("published_at", Float, nullable=False),
    UniqueConstraint("pack_id", "version", name="packs_id_version"),
)

pack_files = Table(
    "pack_files", metadata,
    Column("pack_row", Integer, ForeignKey("packs.id", ondelete="CASCADE"), primary_key=True),
    Column("path", Text, primary_key=True),
    Column("sha256", String(64), ForeignKey("media.sha256"), nullable=False),
    Column("size", BigInteger, nullable=False),
    Index("pack_files_sha256", "sha256"),
)

group_packs = Table(
    "group_packs", metadata,
    Column("group_id", Integer, ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True),
    Column("pack_row", Integer, ForeignKey("packs.id", ondelete="CASCADE"), primary_key=True),
    Column("offered_at", Float, nullable=False),
)

# Who has shown the hub the bytes of a file (uploaded it, even when it was there already): a
# trainer may only probe for and publish files they uploaded or that their groups' packs have.
media_owners = Table(
    "media_owners", metadata,
    Column("sha256", String(64), ForeignKey("media.sha256", ondelete="CASCADE"),
           primary_key=True),
    Column("account_id", Integer, ForeignKey("accounts.id", ondelete="CASCADE"),
           primary_key=True),
)

# Profile photos (small JPEGs), kept apart from the packs' media: one is served only to the
# members of a group its owner is in, and never through the packs' routes (issue 11).
profile_photos = Table(
    "profile_photos", metadata,
    Column("sha256", String(64), primary_key=True),
    Column("account_id", Integer, ForeignKey("accounts.id", ondelete="CASCADE"),
           nullable=False),
    Column("data", LargeBinary, nullable=False),
    Column("size", Integer, nullable=False),
    Column("added_at", Float, nullable=False),
)

# The hub's epochs: a new row each time the database is restored from a backup (and in every
# backup taken by `companion hub backup`). A device whose cursor names an earlier epoch may hold
# changes the restored hub lacks; ``base_seq`` (the last sequence of the restored database) tells
# it which: every own change the old hub numbered above it (see docs/sync-protocol.md).
hub_epochs = Table(
    "hub_epochs", metadata,
    Column("id", Integer, primary_key=True),
    Column("epoch", String(32), nullable=False, unique=True),
    Column("base_seq", BigInteger, nullable=False),
    Column("started_at", Float, nullable=False),
)

# The courier (a USB stick carries a device's changes; see docs/sync-protocol.md "By courier").
# The public keys of a logged-in device: the signature of its bundles is its proof of who it is.
device_keys = Table(
    "device_keys", metadata,
    Column("sign_key", String(64), primary_key=True),  # Ed25519, base64
    Column("account_id", Integer, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("device_id", String(64), nullable=False),
    Column("box_key", String(64), nullable=False),  # X25519, base64: answers are sealed to it
    Column("last_bundle_seq", BigInteger, nullable=False, default=0),
    Column("registered_at", Float, nullable=False),
    UniqueConstraint("account_id", "device_id", name="device_keys_account_device"),
)

# The hub's own courier keys (one row each, made once): kept in the database so every hub
# process on it answers with the same keys.
hub_keys = Table(
    "hub_keys", metadata,
    Column("name", String(32), primary_key=True),
    Column("secret", Text, nullable=False),
    Column("created_at", Float, nullable=False),
)

# What a courier may fetch for a device: the packs wished for, until the ticket expires.
courier_tickets = Table(
    "courier_tickets", metadata,
    Column("ticket_hash", String(64), primary_key=True),
    Column("account_id", Integer, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("expires_at", Float, nullable=False),
)

# The social loop (issue 11). Current state of the kinds ``reaction`` and ``follow`` (the change
# log has their history); the participation ladder counts "useful" marks and follows from these.
reactions = Table(
    "reactions", metadata,
    Column("account_id", Integer, ForeignKey("accounts.id", ondelete="CASCADE"),
           primary_key=True),
    Column("comment_id", String(128), primary_key=True),
    Column("kind", String(16), primary_key=True),  # useful | thanks
    Column("created_at", Float, nullable=False),
    Index("reactions_comment", "comment_id"),
)

follows = Table(
    "follows", metadata,
    Column("account_id", Integer, ForeignKey("accounts.id", ondelete="CASCADE"),
           primary_key=True),
    Column("lesson_id", String(128), primary_key=True),
    Column("group_id", Integer),  # unknown for a follow set by hand; kept for the ladder
    Column("created_at", Float, nullable=False),
)

# Issue 10: a trainer hides a comment with a reason (and may restore it). The comment's text
# stays in comment_state for its author; everyone else's pull leaves it out while it is hidden.
comment_moderation = Table(
    "comment_moderation", metadata,
    Column("comment_id", String(128), primary_key=True),
    Column("group_id", Integer, ForeignKey("groups.id", ondelete="CASCADE"), nullable=False),
    Column("hidden", Boolean, nullable=False),
    Column("reason", Text, nullable=False),
    Column("hidden_by", Integer),
    Column("last_seq", BigInteger, nullable=False),
)

# Issue 10: running summaries for the trainer's report, kept at every push (hub/activity.py).
# One row per run of the app: its start on the shop's clock (the offset the device sent).
session_summary = Table(
    "session_summary", metadata,
    Column("account_id", Integer, ForeignKey("accounts.id", ondelete="CASCADE"),
           primary_key=True),
    Column("session_id", String(128), primary_key=True),
    Column("start_at", Float, nullable=False),  # seconds since the epoch
    Column("local_day", Integer, nullable=False),  # the shop's date, as an ordinal
    Column("weekday", Integer, nullable=False),  # 0 = Monday, on the shop's clock
    Column("hour", Integer, nullable=False),  # 0-23 on the shop's clock
    Column("duration_s", Float, nullable=False),
    Column("played", Boolean, nullable=False),  # a lesson was played in it
    # Covering (schema 3): the report's two session queries read the index alone, never the
    # table, which halved them on the seeds' group.
    Index("session_summary_report", "account_id", "start_at", "duration_s", "played",
          "local_day", "hour"),
)

# When a learner first and last touched a lesson, and first finished it (hub receive times).
lesson_activity = Table(
    "lesson_activity", metadata,
    Column("account_id", Integer, ForeignKey("accounts.id", ondelete="CASCADE"),
           primary_key=True),
    Column("lesson_id", String(128), primary_key=True),
    Column("first_at", Float, nullable=False),
    Column("last_at", Float, nullable=False),
    Column("done_at", Float),
    # Covering (schema 3): the report joins a row of this table to every progress row.
    Index("lesson_activity_report", "account_id", "lesson_id", "first_at", "last_at", "done_at"),
)

# Every quiz attempt, with the answers given (indexes of the choices) where the app sent them.
quiz_log = Table(
    "quiz_log", metadata,
    Column("id", Integer, primary_key=True),
    Column("account_id", Integer, ForeignKey("accounts.id", ondelete="CASCADE"),
           nullable=False),
    Column("lesson_id", String(128), nullable=False),
    Column("at", Float, nullable=False),
    Column("score", Integer, nullable=False),
    Column("total", Integer, nullable=False),
    Column("answers", Text),
    Index("quiz_log_account", "account_id"),
)
