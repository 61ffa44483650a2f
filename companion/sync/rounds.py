"""One sync round: push the queue, pull until caught up (the engine runs these; so does the CLI).

A round:

1. takes the oldest pending changes of the profile's change log as a batch (at most
   ``batch_size`` changes and ``max_batch_bytes`` of JSON, under the hub's limits);
2. sends them with the stored cursor in one ``POST /v1/sync`` (push and pull in one request);
3. in one local transaction: marks accepted changes pushed and notes their place in the hub's
   order, stores refused ones with their reason (final: never resent, never dropped silently),
   applies the pulled page through the merge rules (:mod:`companion.sync.apply`) and stores the
   new cursor;
4. repeats while the hub says ``more`` or the queue has more, sending only changes it has not
   sent in this round (so a change the hub failed to answer cannot loop).

A round with nothing to push and nothing new is exactly one small request. Every change has a
stable id and the hub applies each exactly once, so a round cut off at any point (the link
drops after the hub committed, the PC is switched off) is simply run again.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from companion.core.changelog import (
    Change,
    count_pending,
    mark_pushed,
    pending_changes,
    push_again_after,
)
from companion.core.db import write_transaction
from companion.core.notifications import Notifications
from companion.sync import state
from companion.sync.apply import PulledApplier
from companion.sync.client import HubClient

log = logging.getLogger(__name__)

BATCH_SIZE = 500
MAX_BATCH_BYTES = 3_000_000  # the hub takes 4 MB unpacked; leave room for the envelope
PAGE_LIMIT = 1000


@dataclass
class RoundResult:
    """What one round did, for a summary line and the status bar."""

    requests: int = 0
    pushed: int = 0
    pulled: int = 0
    refused: list[state.Refusal] = field(default_factory=list)
    pending: int = 0
    reset: bool = False
    resent: int = 0  # own changes queued again because the hub was restored from a backup
    notified: int = 0  # notification bundles that got news
    unread: int = 0  # notification bundles unread after the round (the bell)
    people_changed: bool = False  # the kept group members changed (My group, badges)

    def to_dict(self) -> dict[str, Any]:
        return {"requests": self.requests, "pushed": self.pushed, "pulled": self.pulled,
                "refused": [r.to_dict() for r in self.refused], "pending": self.pending,
                "reset": self.reset, "resent": self.resent, "notified": self.notified,
                "unread": self.unread}

    def summary(self) -> str:
        parts = [f"sent {self.pushed} change{'s' * (self.pushed != 1)}",
                 f"received {self.pulled}"]
        if self.refused:
            parts.append(f"{len(self.refused)} refused by the hub")
        tail = "up to date" if not self.pending else f"{self.pending} still waiting"
        return f"{', '.join(parts)}; {tail}"


def _next_batch(db: sqlite_utils.Database, profile_id: int, after_seq: int, batch_size: int,
                max_bytes: int) -> list[Change]:
    batch: list[Change] = []
    size = 0
    for change in pending_changes(db, profile_id, limit=batch_size, after_seq=after_seq):
        n = len(json.dumps(change.to_dict(), ensure_ascii=False)) + 1
        if batch and size + n > max_bytes:
            break
        batch.append(change)
        size += n
    return batch


def sync_round(db: sqlite_utils.Database, profile_id: int, client: HubClient, account_id: int,
               *, batch_size: int = BATCH_SIZE, max_batch_bytes: int = MAX_BATCH_BYTES,
               page_limit: int = PAGE_LIMIT) -> RoundResult:
    """Push every pending change of the profile and pull until caught up.

    Raises the client's :class:`~companion.sync.client.HubError` subclasses; whatever was
    acknowledged before the error is kept, and the rest is sent again next time.
    """
    result = RoundResult()
    cursor = state.cursor(db, profile_id)
    applier = PulledApplier(db, profile_id, account_id)
    sent_up_to = 0
    while True:
        batch = _next_batch(db, profile_id, sent_up_to, batch_size, max_batch_bytes)
        answer = client.sync(cursor, [c.to_dict() for c in batch], limit=page_limit)
        result.requests += 1
        if batch:
            sent_up_to = batch[-1].seq
        resend = answer.get("resend_after_seq")
        with write_transaction(db):
            if isinstance(resend, int) and not isinstance(resend, bool):
                # The hub was restored from a backup: queue again what it may lack, before
                # this answer's own acknowledgements (numbered in the new epoch) are recorded.
                # The new cursor is stored in this same transaction, so this happens once.
                applier.forget_order_after(resend)
                again = push_again_after(db, profile_id, resend)
                result.resent += again
                if again:
                    sent_up_to = 0
            _acknowledge(db, applier, batch, answer, result)
            for change in answer["changes"]:
                if isinstance(change, dict) and applier.apply(change):
                    result.pulled += 1
            result.notified += applier.finish_page()
            cursor = str(answer["cursor"])
            state.set_cursor(db, profile_id, cursor)
        result.reset = result.reset or bool(answer.get("reset"))
        if answer.get("more"):
            continue
        if (batch or result.resent) and pending_changes(db, profile_id, limit=1,
                                                        after_seq=sent_up_to):
            continue
        break
    with write_transaction(db):
        state.mark_success(db, profile_id)
    result.pending = count_pending(db, profile_id)
    result.unread = Notifications(db).unread_count(profile_id)
    return result


def _acknowledge(db: sqlite_utils.Database, applier: PulledApplier, batch: list[Change],
                 answer: dict[str, Any], result: RoundResult) -> None:
    by_id = {c.change_id: c for c in batch}
    accepted: dict[str, int] = {}
    for item in answer["accepted"]:
        change = by_id.get(str(item.get("change_id")))
        if change is not None:
            applier.record_accepted(change, int(item["seq"]))
            accepted[change.change_id] = int(item["seq"])
    mark_pushed(db, list(accepted), hub_seqs=accepted)
    result.pushed += len(accepted)
    for item in answer["rejected"]:
        change = by_id.get(str(item.get("change_id")))
        index = item.get("index")
        if change is None and isinstance(index, int) and 0 <= index < len(batch):
            change = batch[index]
        if change is None:
            continue
        refusal = state.record_refusal(db, change, str(item.get("code") or "refused"),
                                       str(item.get("reason") or "no reason given"))
        log.warning("%s", refusal.describe())
        result.refused.append(refusal)
