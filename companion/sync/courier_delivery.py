"""The USB courier on an online PC: deliver every bundle on a stick and bring back the answers.

No login is needed: each bundle carries its own proof (the device's signature) and, in its signed
clear header, the address of the hub it goes to (:func:`deliver_by_address`). That address is
only a hint: before a bundle is sent, the hub reached must publish the very key the bundle was
sealed to, so a changed address at most sends an unreadable bundle nowhere useful. For each bundle
the hub's answer is written beside it (sealed to that device; this PC cannot read it), and the
files of the packs the device wished for are fetched onto the stick's content-addressed media
folder, only those not already there, resuming partial files. A bundle that is refused gets
its reason and the others still go; a bundle sealed for another hub is left alone.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx

from companion.core import courier_format as cf
from companion.core.errors import CompanionError
from companion.core.media_store import MediaIntegrityError, MediaStore
from companion.sync.client import HubClient, HubError, HubOffline, normalize_hub_url
from companion.sync.courier import (
    ANSWER_SUFFIX,
    BUNDLE_SUFFIX,
    answer_seq,
    courier_dir,
    media_store,
    write_atomic,
)

OK, REFUSED, LEFT_ALONE = "ok", "refused", "left_alone"
FETCH_ATTEMPTS = 4
SENDERS = 2  # bundles on their way to the hub at a time
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Delivery:
    """What happened to one bundle on the stick."""

    path: Path
    outcome: str  # ok, refused, left_alone
    reason: str = ""  # why refused or left alone, for people
    code: str = ""  # the hub's (or the check's) stable code
    files: int = 0  # files fetched onto the stick for it

    def line(self, folder: Path) -> str:
        name = self.path.relative_to(folder).as_posix()
        if self.outcome == OK:
            extra = f" ({self.files} file{'s' * (self.files != 1)} fetched)" if self.files \
                else ""
            return f"{name}: ok{extra}"
        if self.outcome == LEFT_ALONE:
            return f"{name}: left alone: {self.reason}"
        return f"{name}: refused: {self.reason}"

    def to_dict(self) -> dict[str, object]:
        return {"path": str(self.path), "outcome": self.outcome, "reason": self.reason,
                "code": self.code, "files": self.files}


def bundles(folder: Path) -> list[Path]:
    """Every bundle on the stick, in a stable order."""
    return sorted(p for p in folder.glob(f"*/*{BUNDLE_SUFFIX}") if p.is_file())


def deliver(stick: str | Path, client: HubClient,
            on_result: Callable[[Delivery], None] | None = None,
            parallel: int = SENDERS, only: list[Path] | None = None,
            other_hub: str = LEFT_ALONE) -> list[Delivery]:
    """Deliver every bundle under ``stick`` through ``client`` (no token needed).

    ``parallel`` bundles are on their way to the hub at a time (the hub checks and opens one
    while it applies another); the wished files are fetched one bundle after the other, in
    the stick's order, so two never write the same file. ``only``: these bundles instead of
    all; ``other_hub``: the outcome of a bundle sealed to another hub's key (refused when the
    stick itself said it goes to this hub: its address was changed, or the hub replaced).
    """
    folder = courier_dir(stick)
    info = client.info()
    hub_keys = info.get("courier") if isinstance(info, dict) else None
    if not isinstance(hub_keys, dict) or not hub_keys.get("box_key"):
        raise HubError(f"the hub at {client.base_url} does not take courier bundles (update it)")
    store = media_store(folder)
    hub_box = str(hub_keys["box_key"])
    out = []
    with ThreadPoolExecutor(max(1, parallel), thread_name_prefix="courier") as pool:
        todo = bundles(folder) if only is None else only
        for result, reply in pool.map(lambda p: _send(p, client, hub_box, other_hub), todo):
            if reply is not None:
                result = _fetch(result, client, store, reply)
            out.append(result)
            if on_result is not None:
                on_result(result)
    return out


def bundle_hub(path: Path) -> str | None:
    """The hub address a bundle's header names (None: none, or the header cannot be read)."""
    try:
        with open(path, "rb") as fh:
            url = cf.peek_header(fh.read(cf.HEADER_PREFIX_BYTES)).get("hub")
        return normalize_hub_url(url) if isinstance(url, str) else None
    except (OSError, cf.SealError, HubError):
        return None


def deliver_by_address(stick: str | Path, fallback_hub: str | None = None,
                       ca_files: dict[str, str | None] | None = None,
                       on_result: Callable[[Delivery], None] | None = None,
                       ca_file: str | None = None,
                       connect: Callable[..., HubClient] = HubClient) -> list[Delivery]:
    """Deliver every bundle to the hub its own header names (no login needed); a bundle that
    names none goes to ``fallback_hub`` (this PC's login, if any). Each hub must publish the
    key its bundles were sealed to, else they are refused unsent; a hub that cannot be reached
    refuses only its own bundles. ``ca_files``: a CA file per hub address (a self-hosted hub);
    ``ca_file``: one for every hub (``--ca-file``).
    """
    folder = courier_dir(stick)
    fallback = normalize_hub_url(fallback_hub) if fallback_hub else None
    groups: dict[str, list[Path]] = {}
    out: list[Delivery] = []

    def report(result: Delivery) -> None:
        out.append(result)
        if on_result is not None:
            on_result(result)

    for path in bundles(folder):
        url = bundle_hub(path) or fallback
        if url is None:
            report(Delivery(path, REFUSED, "the bundle does not say which hub it goes to "
                            "(written by an older app): deliver it with --hub URL", "no_hub"))
        else:
            groups.setdefault(url, []).append(path)
    cas = {normalize_hub_url(k): v for k, v in (ca_files or {}).items()}
    for url, paths in groups.items():
        try:
            with connect(url, ca_file=ca_file or cas.get(url)) as client:
                deliver(folder, client, report, only=paths, other_hub=REFUSED)
        except HubError as exc:
            done = {r.path for r in out}
            for path in paths:
                if path not in done:
                    code = "offline" if isinstance(exc, HubOffline) else "hub_error"
                    report(Delivery(path, REFUSED, f"the hub at {url} could not take it "
                                    f"({exc.message})", code))
    order = {p: i for i, p in enumerate(bundles(folder))}
    return sorted(out, key=lambda r: order.get(r.path, len(order)))


def _send(path: Path, client: HubClient, hub_box: str, other_hub: str = LEFT_ALONE
          ) -> tuple[Delivery, dict[str, object] | None]:
    """Check one bundle, send it, write the answer beside it; the hub's reply when sent."""
    try:
        data = path.read_bytes()
        sealed = cf.read_header(data)
    except OSError as exc:
        return Delivery(path, REFUSED, f"cannot be read ({exc})", "unreadable"), None
    except cf.SealError as exc:
        return Delivery(path, REFUSED, exc.message, exc.code), None
    head = sealed.header
    if head["to"] != hub_box:
        if other_hub == LEFT_ALONE:
            return Delivery(path, LEFT_ALONE, "for another hub", "foreign_hub"), None
        return Delivery(path, REFUSED, f"not sent: the hub at {client.base_url} does not hold "
                        "the key this bundle was sealed to (the address on the stick was "
                        "changed, or that hub was replaced)", "wrong_hub"), None
    if head["kind"] != cf.KIND_BUNDLE or head.get("device_id") != path.parent.name \
            or f"{head.get('profile')}{BUNDLE_SUFFIX}" != path.name:
        return Delivery(path, REFUSED, "the file's name does not match the device inside it "
                        "(swapped or renamed)", "swapped"), None
    answer = path.with_name(path.name.removesuffix(BUNDLE_SUFFIX) + ANSWER_SUFFIX)
    if answer_seq(answer) == sealed.seq:
        return Delivery(path, OK, "delivered before", "delivered_before"), None
    try:
        reply = client.courier(data)
    except HubOffline as exc:
        return Delivery(path, REFUSED, f"the hub could not be reached ({exc.message})",
                        "offline"), None
    except HubError as exc:
        return Delivery(path, REFUSED, exc.message,
                        str(getattr(exc, "code", "refused"))), None
    try:
        write_atomic(answer, base64.b64decode(reply["answer"], validate=True))
    except (OSError, ValueError) as exc:
        return Delivery(path, REFUSED, f"delivered, but the answer could not be written onto "
                        f"the stick ({exc}); its changes reach the device with a later bundle",
                        "stick_write"), None
    return Delivery(path, OK), reply


def _fetch(sent: Delivery, client: HubClient, store: MediaStore,
           reply: dict[str, object]) -> Delivery:
    media = reply.get("media")
    try:
        fetched = _fetch_media(client, store, media if isinstance(media, list) else [],
                               reply.get("ticket"))
    except (HubError, CompanionError, OSError) as exc:
        return Delivery(sent.path, OK, f"pack files not all fetched ({exc}); deliver again to "
                        "go on", "partial_media")
    return Delivery(sent.path, OK, files=fetched)


def _fetch_media(client: HubClient, store: MediaStore, media: list[object],
                 ticket: object) -> int:
    """Fetch the files the stick lacks into its media folder; returns how many."""
    fetched = 0
    for item in media:
        if not isinstance(item, dict) or not isinstance(ticket, str):
            continue
        sha, size = str(item.get("sha256")), int(item.get("size") or 0)
        if store.has(sha, size):
            continue
        _fetch_one(client.http, store, sha, size, ticket)
        fetched += 1
    return fetched


def _fetch_one(http: httpx.Client, store: MediaStore, sha: str, size: int, ticket: str) -> None:
    """One file into the stick's store, resuming its partial file across dropped links; its
    hash is checked before it gets its name (a damaged part is fetched once more)."""
    damaged = 0
    attempts = 0
    while True:
        part = store.open_partial(sha, size)
        try:
            while part.offset < size:
                before = part.offset
                headers = {"X-Courier-Ticket": ticket, "Accept-Encoding": "identity"}
                if part.offset:
                    headers["Range"] = f"bytes={part.offset}-"
                try:
                    with http.stream("GET", f"/v1/courier/media/{sha}",
                                     headers=headers) as response:
                        if response.status_code >= 400:
                            raise HubError(f"the hub did not give file {sha[:12]} "
                                           f"(HTTP {response.status_code})")
                        if part.offset and response.status_code != 206:
                            part.discard()
                            part = store.open_partial(sha, size)
                        for chunk in response.iter_bytes(CHUNK):
                            part.write(chunk)
                except httpx.TransportError as exc:
                    problem: Exception | None = exc
                else:
                    problem = None
                if part.offset <= before:
                    attempts += 1  # no progress: a broken link, or an answer cut short
                    if attempts >= FETCH_ATTEMPTS:
                        raise HubOffline(f"the download of file {sha[:12]} keeps breaking off "
                                         "(the part stays on the stick)") from problem
            part.commit()
            return
        except MediaIntegrityError:
            damaged += 1
            if damaged > 1:
                raise
        finally:
            part.close()
