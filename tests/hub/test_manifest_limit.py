"""The hub takes any manifest the pack format allows (up to its MAX_MANIFEST_BYTES), no less.

A manifest of 2 to 4 MiB is a valid pack (many lessons with long summaries): publishing it must
work, through the body limit and the manifest check alike; one byte over the format's limit is
refused as ``invalid_manifest``, and other routes keep their small body limit.
"""

from __future__ import annotations

import json

from companion.core.packs import format as pack_format
from companion.hub import packs as hub_packs
from tests.hub.helpers import Device, LiveHub
from tests.hub.test_packs import FILES, publish_all, setup, sha  # noqa: F401 - fixture by name

MIB = 1024 * 1024


def padded_manifest(total_bytes: int, version: str = "1.0", filler: str = 'é"\\x') -> str:
    """A manifest of exactly ``total_bytes`` UTF-8 bytes; the filler sits in a description and
    has characters that JSON escaping grows (a quote, a backslash) and a two-byte one."""
    doc = {"format": 1, "pack": {"id": "sociale-media-nl", "title": "Sociale media",
                                 "version": version, "language": "nl", "description": ""},
           "files": [{"path": p, "sha256": sha(b), "size": len(b)} for p, b in FILES.items()]}
    base = len(json.dumps(doc, ensure_ascii=False).encode("utf-8"))
    unit = json.dumps(filler, ensure_ascii=False)[1:-1]  # as it appears inside the JSON text
    unit_bytes = len(unit.encode("utf-8"))
    n, rest = divmod(total_bytes - base, unit_bytes)
    doc["pack"]["description"] = filler * n + "a" * rest
    text = json.dumps(doc, ensure_ascii=False)
    assert len(text.encode("utf-8")) == total_bytes
    return text


def test_hub_limit_is_the_pack_formats() -> None:
    assert hub_packs.MAX_MANIFEST_BYTES == pack_format.MAX_MANIFEST_BYTES == 4 * MIB
    assert hub_packs.MAX_PUBLISH_BODY_BYTES > 3 * pack_format.MAX_MANIFEST_BYTES


def test_a_3_mib_manifest_is_published_and_served(hub: LiveHub,
                                                  setup: tuple[Device, Device, int]) -> None:
    """A 3 MiB manifest (over the old 2 MiB cap) is accepted, kept byte for byte, and served;
    the same at exactly the format's limit, sent with escapes that grow the body past 4 MiB."""
    trainer, learner, group_id = setup
    publish_all(trainer, group_id)  # puts the files on the hub
    with trainer.http() as c:
        text = padded_manifest(3 * MIB, version="2.0")
        r = c.post(f"/v1/groups/{group_id}/packs", json={"manifest": text, "signature": "c2ln"})
        assert r.status_code == 201, r.text[:300]
        assert r.json()["version"] == "2.0"
        at_limit = padded_manifest(pack_format.MAX_MANIFEST_BYTES, version="3.0")
        body = json.dumps({"manifest": at_limit, "signature": "c2ln"})  # ensure_ascii: \u00e9
        assert len(body) > 5 * MIB
        r = c.post(f"/v1/groups/{group_id}/packs", content=body,
                   headers={"content-type": "application/json"})
        assert r.status_code == 201, r.text[:300]
    served = learner.get(f"/v1/groups/{group_id}/packs/sociale-media-nl/manifest",
                         params={"version": "2.0"}).json()
    assert served["manifest"] == text
    catalog = learner.get(f"/v1/groups/{group_id}/packs").json()
    assert [p["version"] for p in catalog] == ["3.0"]


def test_one_byte_over_the_format_limit_is_an_invalid_manifest(
        setup: tuple[Device, Device, int]) -> None:
    trainer, _, group_id = setup
    publish_all(trainer, group_id)
    too_big = padded_manifest(pack_format.MAX_MANIFEST_BYTES + 1, version="2.0")
    with trainer.http() as c:
        r = c.post(f"/v1/groups/{group_id}/packs", json={"manifest": too_big})
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_manifest"


def test_other_routes_keep_their_small_body_limit(hub: LiveHub,
                                                  setup: tuple[Device, Device, int]) -> None:
    """The larger limit is the publish route's only: joining a group or asking for missing
    media with a 2 MiB body is still refused before anything is read."""
    trainer, learner, group_id = setup
    big = "x" * (2 * MIB)
    with learner.http() as c:
        r = c.post("/v1/groups/join", json={"invite_code": big})
        assert r.status_code == 413 and r.json()["error"]["code"] == "too_large"
    with trainer.http() as c:
        r = c.post("/v1/media/missing", json={"sha256": [big]})
        assert r.status_code == 413
        r = c.post(f"/v1/groups/{group_id}/packs/extra", json={"manifest": big})
        assert r.status_code in (404, 405, 413)
        r = c.post(f"/v1/groups/{group_id}/packs",
                   content=b"x" * (hub_packs.MAX_PUBLISH_BODY_BYTES + 1),
                   headers={"content-type": "application/json"})
        assert r.status_code == 413
