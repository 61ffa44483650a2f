"""Packs over the network: resumable publish, catalog, downloads with Range and ETag."""

from __future__ import annotations

import hashlib
import json
import os
import socket

import pytest

from tests.hub.helpers import Device, LiveHub, start_hub


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


FILES = {
    "lessons/01/video.mp4": os.urandom(300_000),
    "lessons/01/subtitles.nl.srt": b"1\n00:00:00,000 --> 00:00:02,000\nHallo\n",
    "lessons/02/video.mp4": os.urandom(200_000),
}


def manifest(files: dict[str, bytes] = FILES, version: str = "1.0") -> str:
    return json.dumps({"format": 1, "pack": {"id": "sociale-media-nl", "title": "Sociale media",
                                             "version": version, "language": "nl"},
                       "files": [{"path": p, "sha256": sha(b), "size": len(b)}
                                 for p, b in files.items()]})


@pytest.fixture
def setup(hub: LiveHub) -> tuple[Device, Device, int]:
    """A trainer with a group and a learner in it."""
    hub.add_trainer("trainer")
    group = hub.create_group("Bakers", "trainer")
    learner = hub.device("alice", invite=group.invite_code)
    return hub.device("trainer"), learner, group.id


def publish_all(trainer: Device, group_id: int, files: dict[str, bytes] = FILES,
                version: str = "1.0") -> None:
    with trainer.http() as c:
        missing = c.post("/v1/media/missing",
                         json={"sha256": [sha(b) for b in files.values()]}).json()["missing"]
        for data in files.values():
            if sha(data) in missing:
                assert c.put(f"/v1/media/{sha(data)}", content=data).status_code == 201
        r = c.post(f"/v1/groups/{group_id}/packs",
                   json={"manifest": manifest(files, version), "signature": "c2ln"})
        assert r.status_code == 201, r.text


def test_publish_and_catalog(setup: tuple[Device, Device, int]) -> None:
    """A published pack appears in the group's catalog with its size and version."""
    trainer, learner, group_id = setup
    publish_all(trainer, group_id)
    catalog = learner.get(f"/v1/groups/{group_id}/packs").json()
    assert catalog == [{**catalog[0], "pack_id": "sociale-media-nl", "version": "1.0",
                        "size": sum(len(b) for b in FILES.values()), "files": 3,
                        "signed": True}]
    m = learner.get(f"/v1/groups/{group_id}/packs/sociale-media-nl/manifest").json()
    assert m["manifest"] == manifest() and m["signature"] == "c2ln"


def test_interrupted_publish_resumes_without_resending(setup: tuple[Device, Device, int]
                                                       ) -> None:
    """After an interruption, the hub asks only for the files it does not have."""
    trainer, _, group_id = setup
    first = next(iter(FILES.values()))
    with trainer.http() as c:
        assert c.put(f"/v1/media/{sha(first)}", content=first).status_code == 201
        r = c.post(f"/v1/groups/{group_id}/packs", json={"manifest": manifest()})
        assert r.status_code == 409 and r.json()["error"]["code"] == "missing_files"
        missing = c.post("/v1/media/missing",
                         json={"sha256": [sha(b) for b in FILES.values()]}).json()["missing"]
        assert missing == [sha(b) for b in list(FILES.values())[1:]]
        again = c.put(f"/v1/media/{sha(first)}", content=first)
        assert again.status_code == 200 and again.json()["stored"] is False


def test_upload_cut_mid_body_leaves_nothing(hub: LiveHub, setup: tuple[Device, Device, int]
                                           ) -> None:
    """A connection dropped mid-upload leaves no file, and the file is still reported missing."""
    trainer, _, _ = setup
    data = FILES["lessons/01/video.mp4"]
    host, port = hub.url.removeprefix("http://").split(":")
    head = (f"PUT /v1/media/{sha(data)} HTTP/1.1\r\nHost: x\r\n"
            f"Authorization: Bearer {trainer.token}\r\nContent-Length: {len(data)}\r\n\r\n")
    with socket.create_connection((host, int(port))) as s:
        s.sendall(head.encode() + data[: len(data) // 2])
    with trainer.http() as c:
        assert c.post("/v1/media/missing",
                      json={"sha256": [sha(data)]}).json()["missing"] == [sha(data)]
        assert c.put(f"/v1/media/{sha(data)}", content=data).status_code == 201
    assert hub.settings.media_dir.joinpath(sha(data)[:2], sha(data)).read_bytes() == data


def test_wrong_bytes_are_refused(hub: LiveHub, setup: tuple[Device, Device, int]) -> None:
    """Bytes that do not match the SHA-256 in the address are refused and not kept."""
    trainer, _, _ = setup
    with trainer.http() as c:
        r = c.put(f"/v1/media/{sha(b'right')}", content=b"wrong")
    assert r.status_code == 422 and r.json()["error"]["code"] == "hash_mismatch"
    assert not hub.settings.media_dir.joinpath(sha(b"right")[:2], sha(b"right")).exists()
    assert list(hub.settings.media_dir.joinpath("tmp").iterdir()) == []


def test_learners_cannot_upload(setup: tuple[Device, Device, int]) -> None:
    """Only trainers upload files or publish packs."""
    _, learner, group_id = setup
    with learner.http() as c:
        assert c.put(f"/v1/media/{sha(b'x')}", content=b"x").status_code == 403
        r = c.post(f"/v1/groups/{group_id}/packs", json={"manifest": manifest()})
        assert r.status_code == 403


def test_download_with_range_resumes_several_times(setup: tuple[Device, Device, int]) -> None:
    """A download resumed with Range several times yields the exact file; ETag is the hash."""
    trainer, learner, group_id = setup
    publish_all(trainer, group_id)
    data = FILES["lessons/01/video.mp4"]
    got = b""
    with learner.http() as c:
        full = c.get(f"/v1/media/{sha(data)}", headers={"Accept-Encoding": "gzip"})
        assert full.status_code == 200 and full.content == data
        assert full.headers["etag"] == f'"{sha(data)}"'
        assert "content-encoding" not in full.headers
        while len(got) < len(data):
            r = c.get(f"/v1/media/{sha(data)}",
                      headers={"Range": f"bytes={len(got)}-{len(got) + 99_999}",
                               "If-Range": f'"{sha(data)}"'})
            assert r.status_code == 206
            assert r.headers["content-range"].startswith(f"bytes {len(got)}-")
            got += r.content
        assert got == data
        assert c.get(f"/v1/media/{sha(data)}",
                     headers={"If-None-Match": f'"{sha(data)}"'}).status_code == 304
        r = c.get(f"/v1/media/{sha(data)}", headers={"Range": f"bytes={len(data) + 5}-"})
        assert r.status_code == 416
        assert c.head(f"/v1/media/{sha(data)}").headers["content-length"] == str(len(data))


def test_media_only_for_groups_offered_the_file(hub: LiveHub,
                                                setup: tuple[Device, Device, int]) -> None:
    """A member of another group, or anyone before publishing, gets 404."""
    trainer, learner, group_id = setup
    data = FILES["lessons/02/video.mp4"]
    with trainer.http() as c:
        c.put(f"/v1/media/{sha(data)}", content=data)
    assert learner.get(f"/v1/media/{sha(data)}").status_code == 404  # uploaded, not offered
    publish_all(trainer, group_id)
    hub.add_trainer("trainer2")
    stranger = hub.device("carol", invite=hub.create_group("Florists", "trainer2").invite_code)
    assert stranger.get(f"/v1/media/{sha(data)}").status_code == 404
    assert stranger.get(f"/v1/groups/{group_id}/packs").status_code == 404
    assert learner.get(f"/v1/media/{sha(data)}").status_code == 200


def test_new_version_replaces_catalog_entry_and_shares_files(
        setup: tuple[Device, Device, int]) -> None:
    """Version 1.1 sharing files with 1.0 uploads only the new file; the catalog shows 1.1."""
    trainer, learner, group_id = setup
    publish_all(trainer, group_id)
    files = {**FILES, "lessons/03/video.mp4": os.urandom(1000)}
    with trainer.http() as c:
        missing = c.post("/v1/media/missing",
                         json={"sha256": [sha(b) for b in files.values()]}).json()["missing"]
    assert missing == [sha(files["lessons/03/video.mp4"])]
    publish_all(trainer, group_id, files, "1.1")
    assert [p["version"] for p in learner.get(f"/v1/groups/{group_id}/packs").json()] == ["1.1"]


def test_same_version_with_other_content_is_refused(setup: tuple[Device, Device, int]) -> None:
    """Publishing different content under an existing version is a conflict."""
    trainer, _, group_id = setup
    publish_all(trainer, group_id)
    fewer = dict(list(FILES.items())[:1])
    with trainer.http() as c:
        r = c.post(f"/v1/groups/{group_id}/packs", json={"manifest": manifest(fewer)})
    assert r.status_code == 409 and r.json()["error"]["code"] == "version_exists"


def test_bad_manifest_is_explained(setup: tuple[Device, Device, int]) -> None:
    """A manifest with a wrong field is refused with the field named."""
    trainer, _, group_id = setup
    bad = json.dumps({"id": "p", "version": "1", "files": [{"path": "a", "sha256": "zz",
                                                              "size": 1}]})
    with trainer.http() as c:
        r = c.post(f"/v1/groups/{group_id}/packs", json={"manifest": bad})
    assert r.status_code == 422 and "files[0].sha256" in r.json()["error"]["message"]


def test_media_upload_size_is_limited(hub_settings, hub: LiveHub) -> None:
    """A file over the hub's media limit is refused with 413 and not kept."""
    hub.stop()
    small = start_hub(hub_settings.with_changes(max_media_bytes=1000))
    try:
        small.add_trainer("trainer")
        trainer = small.device("trainer")
        data = os.urandom(5000)
        with trainer.http() as c:
            r = c.put(f"/v1/media/{sha(data)}", content=data)
            assert r.status_code == 413 and r.json()["error"]["code"] == "too_large"
            chunked = c.put(f"/v1/media/{sha(data)}", content=iter([data[:900], data[900:]]))
            assert chunked.status_code == 413
        assert list(small.settings.media_dir.joinpath("tmp").iterdir()) == []
    finally:
        small.stop()
