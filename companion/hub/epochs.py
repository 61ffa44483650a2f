"""The hub's epoch: which restore of the database a device's cursor belongs to.

Restoring a backup rolls the hub's server sequence back: the changes devices pushed after the
backup are gone, and their numbers will be handed out again to other changes. A cursor that
names its epoch lets the hub notice a device from before the restore, however far the sequence
has moved on since, and tell it from which number on its own accepted changes must be pushed
again (see docs/sync-protocol.md, "Restored hubs").
"""

from __future__ import annotations

import secrets
import time

from sqlalchemy import Connection, func, insert, select

from companion.hub import tables as t

_e = t.hub_epochs.c
# The current epoch (the newest row); a scalar subquery so a pull reads it with the sequence.
CURRENT = select(_e.epoch).order_by(_e.id.desc()).limit(1).scalar_subquery()


def _last_seq(conn: Connection) -> int:
    # Not storage.last_sequence: storage creates the first epoch, so this module stays below it.
    return int(conn.execute(select(t.hub_state.c.last_seq).where(t.hub_state.c.id == 1))
               .scalar_one())


def ensure_epoch(conn: Connection) -> str:
    """The current epoch, creating the first one for a new (or older) hub database."""
    current = conn.execute(select(CURRENT)).scalar()
    return current if current is not None else start_epoch(conn)


def start_epoch(conn: Connection) -> str:
    """Begin a new epoch at the database's current sequence (after a restore); returns it."""
    epoch = secrets.token_hex(6)
    conn.execute(insert(t.hub_epochs).values(epoch=epoch, base_seq=_last_seq(conn),
                                             started_at=time.time()))
    return epoch


def resend_base(conn: Connection, epoch: str) -> int:
    """For a cursor of an earlier ``epoch``: the device's own changes the hub numbered above the
    returned sequence may be missing. 0 (everything) for an epoch this database never had (a
    line of history that a restore threw away entirely)."""
    row = conn.execute(select(_e.id).where(_e.epoch == epoch)).first()
    if row is None:
        return 0
    base = conn.execute(select(func.min(_e.base_seq)).where(_e.id > row[0])).scalar()
    return int(base) if base is not None else _last_seq(conn)
