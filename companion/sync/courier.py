"""The USB courier on a shop PC: take in the stick's answer, write the outbound bundle.

The stick holds, under ``companion-courier/``:

- ``<device id>/<profile uid>.bundle``: a profile's outbound bundle (pending changes, the pull
  cursor, the wish list), sealed to the hub's key and signed by the device;
- ``<device id>/<profile uid>.answer``: the hub's answer to it (accepted and refused changes,
  the next pull, the packs wished for), sealed to the device's key and signed by the hub;
- ``media/``: the files of wished packs, content-addressed (a media store like the library's).

An exchange (:func:`exchange`) checks and applies the answer, installs the packs whose files are
on the stick (signed packs, the ordinary import checks), and writes a fresh bundle. The answer's
changes and the new bundle's number are committed in one transaction, and only after the bundle
is safely on the stick (written to a temporary file, flushed, renamed): a stick pulled out
midway leaves the library as it was and no half file that counts. Delivery by an online PC is
in :mod:`companion.sync.courier_delivery`.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlite_utils

from companion.core import courier_format as cf
from companion.core.changelog import (
    Change,
    _row_to_change,
    count_pending,
    mark_pushed,
    pending_changes,
)
from companion.core.db import write_transaction
from companion.core.errors import CompanionError
from companion.core.media_store import PART_SUFFIX, MediaStore
from companion.core.packs.format import sha256_hex
from companion.core.packs.manager import PackManager
from companion.core.packs.reader import UnknownSignerError
from companion.sync import courier_keys, state
from companion.sync.apply import PulledApplier
from companion.sync.credentials import CredentialStore

log = logging.getLogger(__name__)

FOLDER = "companion-courier"
BUNDLE_SUFFIX = ".bundle"
ANSWER_SUFFIX = ".answer"
MAX_BUNDLE_CHANGES = 5000  # the hub's max_courier_changes
MAX_BUNDLE_JSON_BYTES = 24 * 1024 * 1024  # under the hub's unpacked limit (32 MB)
_COLUMNS = "seq, change_id, profile_id, kind, entity_id, op, payload, device_id, created_at," \
           " pushed_at"


class CourierError(CompanionError):
    """The exchange cannot be done (no keys, not logged in once, stick not writable)."""


def courier_dir(path: str | Path) -> Path:
    """The ``companion-courier`` folder of a stick (the stick's root or the folder itself)."""
    path = Path(path)
    return path if path.name == FOLDER else path / FOLDER


def bundle_path(folder: Path, device: str, profile_uid: str) -> Path:
    return folder / device / f"{profile_uid}{BUNDLE_SUFFIX}"


def answer_path(folder: Path, device: str, profile_uid: str) -> Path:
    return folder / device / f"{profile_uid}{ANSWER_SUFFIX}"


def media_store(folder: Path) -> MediaStore:
    return MediaStore(folder / "media")


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that it is either whole or absent: a temporary file,
    flushed to the stick, then renamed; a failure removes the temporary file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    try:
        with open(tmp, "wb") as out:
            _write_all(out, data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    with contextlib.suppress(OSError):  # the rename itself, on file systems that allow it
        fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _write_all(out: Any, data: bytes) -> None:
    """The one place bundle bytes reach the stick (tests make it fail, as a pulled stick)."""
    out.write(data)


@dataclass(frozen=True)
class Untrusted:
    """A trainer whose signed pack came on the stick but whom this PC does not trust yet: the
    app asks, and an exchange after trusting installs the pack from the answer still there."""

    name: str
    fingerprint: str
    public_key: bytes


@dataclass
class ExchangeResult:
    sent: int = 0  # changes in the new outbound bundle
    received: int = 0  # pulled changes applied from the answer
    acknowledged: int = 0  # own changes the hub confirmed
    new_packs: list[str] = field(default_factory=list)
    pack_problems: list[str] = field(default_factory=list)
    untrusted: list[Untrusted] = field(default_factory=list)
    refused: list[state.Refusal] = field(default_factory=list)
    answer_problem: str | None = None  # an answer found but not taken in, and why
    bundle: Path | None = None
    pending: int = 0

    def summary(self) -> str:
        packs = len(self.new_packs)
        line = (f"sent {self.sent} change{'s' * (self.sent != 1)}, received {self.received}"
                f" and {packs} new pack{'s' * (packs != 1)}")
        if self.refused:
            line += f"; {len(self.refused)} refused by the hub"
        return line

    def to_dict(self) -> dict[str, Any]:
        return {"sent": self.sent, "received": self.received,
                "acknowledged": self.acknowledged, "new_packs": self.new_packs,
                "pack_problems": self.pack_problems,
                "refused": [r.to_dict() for r in self.refused],
                "answer_problem": self.answer_problem,
                "bundle": str(self.bundle) if self.bundle else None, "pending": self.pending}


def _read_answer(path: Path, st: courier_keys.CourierState,
                 keys: cf.KeyPair) -> tuple[int, dict[str, Any]] | None:
    """The checked, opened answer on the stick for this profile, or None when there is none.
    Raises SealError with the reason when one is there but cannot be trusted."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise cf.SealError("unreadable", f"the answer cannot be read ({exc})") from exc
    sealed = cf.read_header(data)
    head = sealed.header
    if head["kind"] != cf.KIND_ANSWER or head.get("device_id") != st.device_id \
            or head.get("profile") != st.profile_uid:
        raise cf.SealError("swapped", "the answer is for another device or profile")
    if head["from"] != st.hub_sign_key:
        raise cf.SealError("foreign_hub", "the answer is not signed by this profile's hub")
    cf.check_signature(data, sealed, st.hub_sign_key)
    return sealed.seq, cf.open_body(sealed, keys.box)


def _changes_by_id(db: sqlite_utils.Database, profile_id: int,
                   ids: list[str]) -> dict[str, Change]:
    found: dict[str, Change] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        marks = ",".join("?" * len(chunk))
        for row in db.execute(f"SELECT {_COLUMNS} FROM changes WHERE profile_id = ? AND"
                              f" change_id IN ({marks})", [profile_id, *chunk]).fetchall():
            change = _row_to_change(row)
            found[change.change_id] = change
    return found


def _apply_answer(db: sqlite_utils.Database, profile_id: int, account_id: int,
                  answer: dict[str, Any], result: ExchangeResult) -> None:
    """Inside the exchange's transaction: the same steps as a sync round's answer."""
    applier = PulledApplier(db, profile_id, account_id)
    accepted = [a for a in answer.get("accepted") or [] if isinstance(a, dict)]
    rejected = [r for r in answer.get("rejected") or [] if isinstance(r, dict)]
    ids = [str(a.get("change_id")) for a in accepted + rejected]
    mine = _changes_by_id(db, profile_id, ids)
    done: list[str] = []
    for item in accepted:
        change = mine.get(str(item.get("change_id")))
        if change is not None and isinstance(item.get("seq"), int):
            applier.record_accepted(change, int(item["seq"]))
            if change.pushed_at is None:
                done.append(change.change_id)
    mark_pushed(db, done)
    result.acknowledged = len(done)
    for item in rejected:
        change = mine.get(str(item.get("change_id")))
        if change is None or change.pushed_at is not None:
            continue
        result.refused.append(state.record_refusal(
            db, change, str(item.get("code") or "refused"),
            str(item.get("reason") or "no reason given")))
    for change in answer.get("changes") or []:
        if isinstance(change, dict) and applier.apply(change):
            result.received += 1
    cursor = answer.get("cursor")
    if isinstance(cursor, str) and _newer_cursor(cursor, state.cursor(db, profile_id)):
        state.set_cursor(db, profile_id, cursor)


def _newer_cursor(new: str, old: str | None) -> bool:
    """An old answer taken in after a newer direct sync must not move the cursor back."""
    if not old:
        return True
    try:
        return int(new.split(".", 1)[0]) >= int(old.split(".", 1)[0])
    except ValueError:
        return True


def _install_packs(packs: PackManager, stick: MediaStore, answer: dict[str, Any],
                   result: ExchangeResult) -> None:
    """Install each offered pack whose files are all here or on the stick: the same trust,
    signature and content checks as any import; a pack that fails is reported, not fatal."""
    for offer in answer.get("packs") or []:
        if not isinstance(offer, dict) or not isinstance(offer.get("manifest"), str):
            continue
        manifest = offer["manifest"].encode("utf-8")
        signature = offer.get("signature")
        sig = str(signature).encode("utf-8") if signature else None
        label = f"{offer.get('pack_id')} {offer.get('version', '')} from the stick".strip()
        try:
            if offer.get("manifest_sha256") and sha256_hex(manifest) != offer["manifest_sha256"]:
                raise CourierError("its manifest does not match the hub's hash")
            installed = packs.installed_manifest(str(offer.get("pack_id")))
            if installed is not None and installed[1] == sha256_hex(manifest):
                continue
            reader, _ = packs.check_download(manifest, sig, False, label)
            missing = reader.missing_files()
            if any(not stick.has(f.sha256, f.size) for f in missing):
                result.pack_problems.append(f"{label}: its files are not on the stick yet")
                continue
            for f in missing:
                with open(stick.path_for(f.sha256), "rb") as src:
                    packs.store.ingest(src, f.sha256, f.size)
            imported = packs.import_from_store(manifest, sig, False, label)
        except UnknownSignerError as exc:
            result.pack_problems.append(f"{label}: {exc}")
            _, signer = packs.check_download(manifest, sig, True, label)
            if signer is not None and all(u.fingerprint != signer.fingerprint
                                          for u in result.untrusted):
                result.untrusted.append(Untrusted(signer.name, signer.fingerprint,
                                                  signer.public_key))
            continue
        except (CompanionError, OSError) as exc:  # OSError: the stick went away mid-read
            result.pack_problems.append(f"{label}: {exc}")
            continue
        if imported.status in ("installed", "updated"):
            result.new_packs.append(imported.pack_id)


def _wish(packs: PackManager) -> dict[str, Any]:
    installed = {p.id: m[1] for p in packs.list_packs()
                 if (m := packs.installed_manifest(p.id)) is not None}
    partial = sorted(f.name.removesuffix(PART_SUFFIX) for f in packs.store.tmp_dir.glob(
        f"*{PART_SUFFIX}"))
    return {"installed": installed, "files": partial}


def _outbound(db: sqlite_utils.Database, profile_id: int) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    size = 0
    for change in pending_changes(db, profile_id, limit=MAX_BUNDLE_CHANGES):
        wire = change.to_dict()
        size += len(json.dumps(wire["payload"], ensure_ascii=False)) + 300  # the envelope
        if out and size > MAX_BUNDLE_JSON_BYTES:
            break
        out.append(wire)
    return out


def exchange(credentials: CredentialStore, packs: PackManager, profile_id: int,
             stick: str | Path) -> ExchangeResult:
    """Take in this profile's answer from the stick and write its next outbound bundle
    (``credentials`` on the library connection to write to, ``packs`` on the same)."""
    db = credentials.db
    st = courier_keys.state(db, profile_id)
    login = credentials.login(profile_id)
    if st is None or login is None:
        raise CourierError("this profile cannot use the courier yet: log in to the hub once "
                           "while online (companion login)")
    keys = courier_keys.private_keys(credentials, st)
    folder = courier_dir(stick)
    result = ExchangeResult()
    answer_file = answer_path(folder, st.device_id, st.profile_uid)
    try:
        opened = _read_answer(answer_file, st, keys)
    except cf.SealError as exc:
        result.answer_problem = exc.message
        log.warning("courier answer %s refused: %s", answer_file, exc.message)
        opened = None
    # Taken in before: its changes are not applied twice, but packs still waiting (for a
    # trust answer, for their files) are installed from it now.
    fresh = opened is not None and opened[0] > st.answered_seq
    if opened is not None:
        _install_packs(packs, media_store(folder), opened[1], result)
    target = bundle_path(folder, st.device_id, st.profile_uid)
    with write_transaction(db):
        if fresh and opened is not None:
            _apply_answer(db, profile_id, login.account_id, opened[1], result)
            db.execute("UPDATE courier_state SET answered_seq = ? WHERE profile_id = ?",
                       [opened[0], profile_id])
        seq = st.bundle_seq + 1
        db.execute("UPDATE courier_state SET bundle_seq = ? WHERE profile_id = ?",
                   [seq, profile_id])
        outbound = _outbound(db, profile_id)
        body = {"changes": outbound, "cursor": state.cursor(db, profile_id),
                "wish": _wish(packs)}
        data = cf.seal(body, kind=cf.KIND_BUNDLE, signer=keys.sign, recipient_box=st.hub_box_key,
                       header={"seq": seq, "device_id": st.device_id,
                               "profile": st.profile_uid, "hub": st.hub_url})
        try:
            write_atomic(target, data)
        except OSError as exc:
            raise CourierError(f"the bundle cannot be written to {target} ({exc}); nothing "
                               "was taken in: put the stick back and try again") from exc
    result.sent = len(outbound)
    result.bundle = target
    result.pending = count_pending(db, profile_id)
    if opened is not None and not result.pack_problems:
        with contextlib.suppress(OSError):
            answer_file.unlink()  # kept while a pack of it waits
    return result


def answer_seq(path: Path) -> int | None:
    """The bundle number an answer file on the stick replies to (None: none, or unreadable)."""
    return _bundle_seq(path)


@dataclass(frozen=True)
class StickInfo:
    """What a ``companion-courier`` folder holds, for the app's "a stick is here" offer."""

    folder: Path
    bundles: int  # all bundles on it
    undelivered: int  # bundles without an answer that replies to them
    mine: int  # bundles of this device (any profile)


def stick_info(path: str | Path, device: str) -> StickInfo | None:
    """The courier folder of a drive or folder, or None when it has none (cheap: names and
    headers only, nothing is opened)."""
    folder = courier_dir(path)
    if not folder.is_dir():
        return None
    bundles = undelivered = mine = 0
    for bundle in sorted(folder.glob(f"*/*{BUNDLE_SUFFIX}")):
        bundles += 1
        mine += bundle.parent.name == device
        answer = bundle.with_name(bundle.name.removesuffix(BUNDLE_SUFFIX) + ANSWER_SUFFIX)
        seq = answer_seq(answer)
        if seq is None or seq != _bundle_seq(bundle):
            undelivered += 1
    return StickInfo(folder, bundles, undelivered, mine)


def _bundle_seq(path: Path) -> int | None:
    try:
        with open(path, "rb") as fh:
            return int(cf.peek_header(fh.read(cf.HEADER_PREFIX_BYTES))["seq"])
    except (OSError, cf.SealError):
        return None
