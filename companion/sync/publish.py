"""Publishing a built ``.cpack`` to a group on the hub (``companion pack publish FILE --group``).

The hub never receives the zip itself: it keeps media by SHA-256, shared by every pack and
version, so a trainer's client asks which of the pack's files the hub lacks, uploads only those
(the hub hashes each upload and keeps it only if it matches its address), and then registers the
manifest and signature bytes exactly as signed. That makes an interrupted publish resumable for
free: running it again finds the finished files on the hub and sends only the rest.

The pack is checked with the core reader first (structure, manifest, signature, and the hash of
every file), so a damaged pack fails on the trainer's PC with a clear message instead of on
every learner's PC after the download.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from companion.core.errors import PackError
from companion.core.media_store import CHUNK_SIZE
from companion.core.packs.format import FileEntry
from companion.core.packs.reader import PackReader, lesson_texts, open_pack
from companion.sync.client import HubError, HubOffline, HubRefused
from companion.sync.transfer_policy import (
    Cancel,
    RetryPolicy,
    TransferCancelled,
    json_or_error,
    offline_error,
    request_json,
    with_retries,
)

PublishProgress = Callable[[int, int], None]  # bytes uploaded so far, bytes to upload in all


class PublishError(HubError):
    """Publishing cannot go on; ``message`` says why in plain words."""


class GroupNotFound(PublishError):
    """No group of that name or id among the groups of this login."""


class NotTrainerOfGroup(PublishError):
    """The login is a member of the group, or not a trainer at all, so it may not publish."""


class InvalidPack(PublishError):
    """The ``.cpack`` is damaged, badly signed, or refused by the hub's own checks."""


class VersionExists(PublishError):
    """This pack id and version were published before with other content (a rebuild)."""


class PublishCancelled(TransferCancelled):
    """Stopped by the person; files finished so far stay on the hub and are not sent again."""


@dataclass(frozen=True)
class Group:
    id: int
    name: str
    role: str


@dataclass(frozen=True)
class PublishResult:
    pack_id: str
    version: str
    group_id: int
    group_name: str
    files: int  # distinct files (by SHA-256) in the pack
    files_sent: int  # uploaded now
    files_on_hub: int  # the hub had them already (an earlier publish, another pack)
    bytes_sent: int  # file bytes streamed, failed attempts included
    manifest_sha256: str
    signed: bool


def list_groups(client: httpx.Client, retry: RetryPolicy | None = None) -> list[Group]:
    """The groups of this login (``GET /v1/groups``)."""
    data = request_json(client, "GET", "/v1/groups", retry or RetryPolicy())
    return [Group(int(g["id"]), str(g["name"]), str(g.get("role", ""))) for g in data]


def find_group(groups: list[Group], name_or_id: str | int) -> Group:
    """A group by id (``12``) or by name, case and outer spaces ignored."""
    wanted = str(name_or_id).strip()
    for g in groups:
        if wanted.isdigit() and g.id == int(wanted):
            return g
    matches = [g for g in groups if g.name.casefold() == wanted.casefold()]
    if len(matches) == 1:
        return matches[0]
    names = ", ".join(sorted(g.name for g in groups)) or "none"
    if matches:
        raise GroupNotFound(f"several of your groups are called {wanted!r}; give the group's"
                            f" number instead ({', '.join(str(g.id) for g in matches)})")
    raise GroupNotFound(f"you are not in a group called {wanted!r} on this hub (your groups:"
                        f" {names})")


def check_pack(pack_path: Path | str, allow_unsigned: bool = False) -> PackReader:
    """Open and fully verify the pack (every byte hashed); the open reader, or InvalidPack."""
    try:
        reader = open_pack(pack_path)
    except PackError as exc:
        raise InvalidPack(str(exc)) from exc
    try:
        # The trainer's own PC need not list their key as trusted: trust is the learners'
        # decision. A signature that does not match is refused all the same.
        reader.check_trust(lambda _fingerprint: True, allow_unsigned=True)
        if reader.signature is None and not allow_unsigned:
            raise InvalidPack(f"{reader.label}: the pack is not signed, so learners' PCs would"
                              " refuse it or ask; build it with your key (companion pack build"
                              " --key), or publish it unsigned on purpose")
        texts = reader.verify_contents()
        lesson_texts(reader.manifest, texts.__getitem__, reader.label)
    except PackError as exc:
        reader.close()
        raise InvalidPack(str(exc)) from exc
    except BaseException:
        reader.close()
        raise
    return reader


def publish_pack(client: httpx.Client, pack_path: Path | str, group_name_or_id: str | int,
                 progress: PublishProgress | None = None, cancel: Cancel | None = None, *,
                 allow_unsigned: bool = False, retry: RetryPolicy | None = None,
                 chunk_size: int = CHUNK_SIZE) -> PublishResult:
    """Upload the files the hub lacks and offer the pack to the group; see the module docstring.

    ``client`` carries the hub's base URL and the trainer's bearer token. Raises
    :class:`InvalidPack`, :class:`GroupNotFound`, :class:`NotTrainerOfGroup`,
    :class:`VersionExists`, :class:`PublishCancelled`, or the client's ``HubOffline`` (after
    the retries) and ``HubAuthError``.
    """
    policy = retry or RetryPolicy()
    with check_pack(pack_path, allow_unsigned) as reader:
        group = find_group(list_groups(client, policy), group_name_or_id)
        if group.role != "trainer":
            raise NotTrainerOfGroup(f"you are a {group.role or 'member'} of {group.name!r}, not"
                                    " a trainer: only its trainers publish packs to it")
        unique = _unique_files(reader)
        check_hub_limits(client, reader, unique, policy)
        uploader = _Uploader(client, reader, policy, progress, cancel, chunk_size)
        missing = uploader.missing([f.sha256 for f in unique])
        for _round in range(2):
            todo = [f for f in unique if f.sha256 in missing]
            uploader.upload_all(todo)
            try:
                registered = _register(client, reader, group, policy, cancel)
                break
            except HubRefused as exc:
                # The hub lost a file between our question and the registration (a restore
                # from backup): ask again and send what it lacks now, once.
                if exc.code != "missing_files" or _round:
                    raise
                missing = uploader.missing([f.sha256 for f in unique])
        m = reader.manifest
        return PublishResult(
            pack_id=m.pack.id, version=m.pack.version, group_id=group.id, group_name=group.name,
            files=len(unique), files_sent=uploader.files_sent,
            files_on_hub=len(unique) - uploader.files_sent, bytes_sent=uploader.bytes_sent,
            manifest_sha256=str(registered.get("manifest_sha256", reader.manifest_sha256)),
            signed=reader.signature is not None,
        )


def check_hub_limits(client: httpx.Client, reader: PackReader, files: list[FileEntry],
                     policy: RetryPolicy) -> None:
    """Refuse before the first byte a pack this hub would refuse after a long upload: a file
    over its media limit or a manifest over its manifest limit (``GET /v1/hub``). A hub that
    does not say its limits is not asked twice: the upload finds out as before."""
    try:
        limits = request_json(client, "GET", "/v1/hub", policy).get("limits", {})
    except HubRefused:
        return
    if not isinstance(limits, dict):
        return
    media_max, manifest_max = limits.get("max_media_bytes"), limits.get("max_manifest_bytes")
    if isinstance(media_max, int):
        too_big = [f for f in files if f.size > media_max]
        if too_big:
            f = max(too_big, key=lambda e: e.size)
            raise InvalidPack(f"{f.path} is {f.size:,} bytes; this hub takes files of at most"
                              f" {media_max:,} bytes. Make the video smaller (a lesson is at"
                              " most 3 minutes) or ask the hub's administrator")
    if isinstance(manifest_max, int) and len(reader.manifest_bytes) > manifest_max:
        raise InvalidPack(f"the pack's manifest is {len(reader.manifest_bytes):,} bytes; this"
                          f" hub takes at most {manifest_max:,}")


def _unique_files(reader: PackReader) -> list[FileEntry]:
    """The pack's files in the order they lie in the zip (sequential reads), each hash once."""
    seen: set[str] = set()
    out = []
    for f in reader.files_in_pack_order():
        if f.sha256 not in seen:
            seen.add(f.sha256)
            out.append(f)
    return out


def _refusal(exc: HubRefused, group: Group | None) -> PublishError | HubRefused:
    where = f" {group.name!r}" if group else ""
    if exc.status == 403:
        return NotTrainerOfGroup(f"the hub says only a trainer of the group{where} may publish"
                                 f" there ({exc.message})")
    if exc.status == 404:
        return GroupNotFound(f"the hub does not know the group{where} ({exc.message})")
    if exc.code == "version_exists":
        return VersionExists(exc.message)
    if exc.status in (413, 422) or exc.code in ("invalid", "invalid_manifest", "hash_mismatch"):
        return InvalidPack(f"the hub refused the pack: {exc.message}")
    return exc


def _register(client: httpx.Client, reader: PackReader, group: Group, policy: RetryPolicy,
              cancel: Cancel | None) -> dict[str, Any]:
    body = {"manifest": reader.manifest_bytes.decode("utf-8"),
            "signature": reader.signature_bytes.decode("utf-8") if reader.signature_bytes
            else None}
    try:
        return dict(request_json(client, "POST", f"/v1/groups/{group.id}/packs", policy, cancel,
                                 json=body))
    except HubRefused as exc:
        if exc.code == "missing_files":
            raise
        raise _refusal(exc, group) from exc


class _Uploader:
    """Streams files to ``PUT /v1/media/{sha256}``, counting what it sends."""

    def __init__(self, client: httpx.Client, reader: PackReader, policy: RetryPolicy,
                 progress: PublishProgress | None, cancel: Cancel | None,
                 chunk_size: int) -> None:
        self.client, self.reader, self.policy = client, reader, policy
        self.progress, self.cancel, self.chunk_size = progress, cancel, chunk_size
        self.files_sent = 0
        self.bytes_sent = 0
        self._done = 0
        self._total = 0
        self._offsets: dict[str, int] = {}  # bytes the hub holds of a cut upload

    def missing(self, hashes: list[str]) -> set[str]:
        try:
            data = request_json(self.client, "POST", "/v1/media/missing", self.policy,
                                self.cancel, json={"sha256": hashes})
        except HubRefused as exc:
            raise _refusal(exc, None) from exc
        partial = data.get("partial")
        if isinstance(partial, dict):  # a hub that keeps cut uploads says how much it holds
            self._offsets.update({k: v for k, v in partial.items()
                                  if isinstance(k, str) and isinstance(v, int) and v > 0})
        return set(data.get("missing", []))

    def upload_all(self, files: list[FileEntry]) -> None:
        self._done, self._total = 0, sum(f.size for f in files)
        if self.progress is not None:
            self.progress(0, self._total)
        for f in files:
            self._check_cancel()
            before = self._done

            tries = [0]

            def attempt(f: FileEntry = f, before: int = before, tries: list[int] = tries) -> None:
                # A retry asks the hub how much of the cut upload it kept (maybe none) and
                # sends the rest; progress counts from there.
                tries[0] += 1
                if tries[0] > 1 and f.sha256 not in self.missing([f.sha256]):
                    return  # the cut came after the hub had it all
                offset = min(self._offsets.pop(f.sha256, 0), f.size)
                self._done = before + offset
                self._upload(f, offset)

            with_retries(attempt, self.policy, self.cancel)
            self.files_sent += 1

    def _check_cancel(self) -> None:
        if self.cancel is not None and self.cancel():
            raise PublishCancelled("publishing cancelled; the files sent so far stay on the hub"
                                   " and are not sent again next time")

    def _chunks(self, f: FileEntry, offset: int = 0) -> Iterator[bytes]:
        sent = offset
        with self.reader.open_file(f.path) as src:
            skip = offset
            while skip > 0:  # a zip member cannot seek: read past what the hub holds
                got = src.read(min(skip, 1024 * 1024))
                if not got:
                    break
                skip -= len(got)
            while True:
                if sent < f.size:
                    # Not after the last chunk: the file is all sent by then, and stopping
                    # there would throw away a finished upload.
                    self._check_cancel()
                data = src.read(self.chunk_size)
                if not data:
                    return
                sent += len(data)
                self.bytes_sent += len(data)
                self._done += len(data)
                if self.progress is not None:
                    self.progress(self._done, self._total)
                yield data

    def _upload(self, f: FileEntry, offset: int = 0) -> None:
        # An explicit Content-Length (not chunked encoding) lets the hub refuse a file over its
        # limit before reading it, and is what every proxy in between understands.
        headers = {"Content-Length": str(f.size - offset),
                   "Content-Type": "application/octet-stream"}
        if offset:
            headers["Content-Range"] = f"bytes {offset}-{f.size - 1}/{f.size}"
        try:
            response = self.client.put(f"/v1/media/{f.sha256}",
                                       content=self._chunks(f, offset), headers=headers)
        except httpx.TransportError as exc:
            raise offline_error(self.client, exc) from exc
        try:
            json_or_error(response)
        except HubRefused as exc:
            if exc.code == "upload_offset":  # the hub holds other bytes now: ask it again
                raise HubOffline(exc.message) from exc
            raise _refusal(exc, None) from exc
