"""One queued pack and how far it got, and the queue as kept across restarts."""

from __future__ import annotations

import enum
import json
import logging
from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields
from typing import Any

from companion.core.preferences import Preferences
from companion.sync.offers import OfferedPack

log = logging.getLogger(__name__)

PREF_QUEUE = "download_queue"  # the queue kept across restarts (JSON, see queue_to_json)
QUEUE_FORMAT = 1


class State(enum.Enum):
    QUEUED = "queued"          # waits for its turn
    RUNNING = "running"
    STOPPING = "stopping"      # asked to pause or cancel; the worker stops after this chunk
    PAUSED = "paused"          # by the person; the partial files stay
    HOURS = "hours"            # waits for the download hours
    WAITING = "waiting"        # no connection (or another download busy): tries again later
    ASKING = "asking"          # the trust question waits for an answer
    FAILED = "failed"          # cannot go on by itself; "Try again" is possible


@dataclass(eq=False)
class QueueItem:
    """One pack in the queue, with how far it got."""

    pack: OfferedPack
    state: State = State.QUEUED
    done_bytes: int = 0
    total_bytes: int = 0
    bytes_per_s: float = 0.0
    eta_s: float | None = None
    problem: str = ""           # plain words, when it waits or failed
    details: str = ""           # the technical text, for a trainer
    allow_unsigned: bool = False
    trust_fingerprint: str = ""  # the person said "trust this trainer": done before fetching
    signer: tuple[str, str] = ("", "")  # (name, fingerprint) while the question waits
    any_hours: bool = False      # "Start now": this one ignores the download hours

    @property
    def key(self) -> tuple[str, str]:
        return (self.pack.pack_id, self.pack.version)

    @property
    def fraction(self) -> float:
        return min(1.0, self.done_bytes / self.total_bytes) if self.total_bytes else 0.0


# -- the queue across restarts --------------------------------------------------------------------
# The PC is switched off at closing time with a download half done: the partial files stay in the
# media store, and this keeps the queue itself (which packs, in which order, paused or not, how far
# they got), so the next start goes on by itself. Kept per profile with the other settings.

_OFFERED_FIELDS = {f.name: f.type for f in fields(OfferedPack)}


def queue_to_json(entries: Iterable[tuple[QueueItem, bool]],
                  declined: Iterable[tuple[str, str]]) -> str:
    """``entries`` are (item, paused) pairs in queue order; ``declined`` the packs the person
    took out of the queue (automatic downloads leave them out, after a restart too)."""
    return json.dumps({
        "format": QUEUE_FORMAT,
        "items": [{"pack": asdict(item.pack), "paused": paused, "done": item.done_bytes,
                   "total": item.total_bytes, "any_hours": item.any_hours}
                  for item, paused in entries],
        "declined": sorted([p, v] for p, v in declined),
    }, sort_keys=True)


def _offered_from(data: Any) -> OfferedPack:
    if not isinstance(data, dict) or set(data) != set(_OFFERED_FIELDS):
        raise ValueError("not a pack of the queue")
    pack = OfferedPack(**{**data, "group_ids": tuple(int(g) for g in data["group_ids"]),
                          "group_names": tuple(str(g) for g in data["group_names"])})
    text = (pack.pack_id, pack.version, pack.title, pack.language, pack.manifest_sha256)
    numbers = (pack.size, pack.files, pack.bytes_needed)
    if not all(isinstance(t, str) and t for t in text) or not pack.group_ids \
            or not all(isinstance(n, int) and n >= 0 for n in numbers):
        raise ValueError("a pack of the queue lacks its name, version or group")
    return pack


def queue_from_json(text: str) -> tuple[list[QueueItem], set[tuple[str, str]]]:
    """The queue as :func:`queue_to_json` wrote it. What cannot be read is left out (and
    logged): a damaged setting costs at worst a pack to queue again, never the start."""
    if not text.strip():
        return [], set()
    try:
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("format") != QUEUE_FORMAT:
            raise ValueError("an unknown format")
        entries, declined = data.get("items", []), data.get("declined", [])
        if not isinstance(entries, list) or not isinstance(declined, list):
            raise ValueError("items or declined is not a list")
    except ValueError as exc:
        log.warning("the kept download queue cannot be read (%s); starting with none", exc)
        return [], set()
    items: list[QueueItem] = []
    for entry in entries:
        try:
            pack = _offered_from(entry["pack"])
            done, total = int(entry.get("done", 0)), int(entry.get("total", 0))
        except (KeyError, TypeError, ValueError) as exc:
            log.warning("a pack of the kept download queue cannot be read: %s", exc)
            continue
        if any(i.key == (pack.pack_id, pack.version) for i in items):
            continue
        if total <= 0:  # never started: the whole pack, what is here already counted done
            total, done = pack.size, max(done, pack.size - pack.bytes_needed)
        items.append(QueueItem(pack, state=State.PAUSED if entry.get("paused") is True
                               else State.QUEUED, done_bytes=min(max(0, done), total),
                               total_bytes=total, any_hours=entry.get("any_hours") is True))
    kept = {(str(d[0]), str(d[1])) for d in declined
            if isinstance(d, list) and len(d) == 2 and all(isinstance(x, str) for x in d)}
    return items, kept


def load_queue(preferences: Preferences, profile_id: int,
               ) -> tuple[list[QueueItem], set[tuple[str, str]]]:
    return queue_from_json(preferences.get(PREF_QUEUE, profile_id))
