"""What the hub offers to my groups: each pack's newest version, with what is installed here and
how many bytes a download still needs (the downloads page and ``companion pack available``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from companion.core.errors import PackTrustError
from companion.core.packs.format import compare_versions
from companion.core.packs.keys import PublicKey
from companion.core.packs.manager import PackManager
from companion.core.trust import TrustStore
from companion.sync.downloads import partial_size
from companion.sync.transfer_policy import RetryPolicy, request_json

# Catalog states of an offered pack.
NEW, UPDATE, INSTALLED, OLDER = "new", "update", "installed", "older"


@dataclass(frozen=True)
class OfferedPack:
    """One pack the hub offers to my groups (the newest version), as the downloads page shows
    it."""

    pack_id: str
    version: str
    title: str
    language: str
    size: int  # all its files together
    files: int
    manifest_sha256: str
    signed: bool
    published_at: str
    group_ids: tuple[int, ...]
    group_names: tuple[str, ...]
    status: str  # new, update, installed (this very build), older (a newer one is installed)
    installed_version: str | None
    bytes_needed: int  # still to fetch: not in the store, not in a partial file already



def pack_catalog(client: httpx.Client, packs: PackManager,
                 retry: RetryPolicy | None = None) -> list[OfferedPack]:
    """The packs the hub offers to my groups, with what is installed and what is left to fetch.

    One request for the groups, one per group for its packs, and one manifest per pack that is
    not installed as is (to count the bytes still needed against the local store).
    """
    policy = retry or RetryPolicy(attempts=3)
    groups = request_json(client, "GET", "/v1/groups", policy)
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for g in groups:
        for p in request_json(client, "GET", f"/v1/groups/{int(g['id'])}/packs", policy):
            entry = found.setdefault((p["pack_id"], p["manifest_sha256"]),
                                     {**p, "group_ids": [], "group_names": []})
            entry["group_ids"].append(int(g["id"]))
            entry["group_names"].append(str(g["name"]))
    offered = []
    for (pack_id, manifest_sha), p in sorted(found.items()):
        installed = packs.installed_manifest(pack_id)
        if installed is not None and installed[1] == manifest_sha:
            status = INSTALLED
        elif installed is not None and compare_versions(p["version"], installed[0]) < 0:
            status = OLDER
        else:
            status = UPDATE if installed else NEW
        needed = 0
        if status in (NEW, UPDATE):
            data = request_json(client, "GET", f"/v1/groups/{p['group_ids'][0]}/packs/"
                                f"{pack_id}/manifest", policy, params={"version": p["version"]})
            reader, _ = packs.check_download(data["manifest"].encode("utf-8"), None, True,
                                             pack_id)
            needed = sum(f.size - partial_size(packs, f.sha256, f.size)
                         for f in reader.missing_files())
        offered.append(OfferedPack(
            pack_id=pack_id, version=str(p["version"]), title=str(p["title"]),
            language=str(p["language"]), size=int(p["size"]), files=int(p["files"]),
            manifest_sha256=manifest_sha, signed=bool(p["signed"]),
            published_at=str(p["published_at"]), group_ids=tuple(p["group_ids"]),
            group_names=tuple(p["group_names"]), status=status,
            installed_version=installed[0] if installed else None, bytes_needed=needed,
        ))
    return offered


def trust_offered_signer(client: httpx.Client, packs: PackManager, trust: TrustStore,
                         pack: OfferedPack, fingerprint: str, retry: RetryPolicy) -> None:
    """Trust the key that signed ``pack``, only if it is the one the person was shown (its
    ``fingerprint``): a pack re-signed since the question was asked raises PackTrustError."""
    data = request_json(client, "GET", f"/v1/groups/{pack.group_ids[0]}/packs/{pack.pack_id}"
                        "/manifest", retry, params={"version": pack.version})
    signature = data.get("signature")
    _reader, signer = packs.check_download(
        str(data["manifest"]).encode("utf-8"),
        str(signature).encode("utf-8") if signature else None, True, pack.pack_id)
    if signer is None or signer.fingerprint != fingerprint:
        raise PackTrustError("the pack's signer changed since the question was asked",
                             pack.pack_id)
    trust.trust(PublicKey(signer.name, signer.public_key))
