"""``POST /v1/courier`` and the device keys, on SQLite and PostgreSQL: a bundle is its own
proof, is applied exactly once with the same change ids as ``/v1/sync``, and every way a
bundle can be wrong is refused with its code before any costly work."""

from __future__ import annotations

import base64
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from companion.core import courier_format as cf
from companion.hub import tables as t
from tests.hub.helpers import Device, LiveHub, change


@pytest.fixture
def learner(hub: LiveHub) -> Device:
    hub.add_trainer("tina")
    group = hub.create_group("Bakkers", "tina")
    return hub.device("lea", invite=group.invite_code)


def register(device: Device) -> cf.KeyPair:
    keys = cf.KeyPair.generate()
    with device.http() as c:
        r = c.post("/v1/devices/keys", json={"sign_key": keys.sign_public,
                                             "box_key": keys.box_public})
    assert r.status_code == 204, r.text
    return keys


def hub_keys(hub: LiveHub) -> dict[str, str]:
    with hub.client() as c:
        return c.get("/v1/hub").json()["courier"]


def bundle(hub: LiveHub, device: Device, keys: cf.KeyPair, seq: int,
           changes: list[dict[str, Any]], cursor: str | None = None,
           to: str | None = None) -> bytes:
    return cf.seal({"changes": changes, "cursor": cursor, "wish": {}}, kind=cf.KIND_BUNDLE,
                   signer=keys.sign, recipient_box=to or hub_keys(hub)["box_key"],
                   header={"seq": seq, "device_id": device.device_id, "profile": "p1"})


def post(hub: LiveHub, data: bytes) -> httpx.Response:
    with hub.client() as c:
        return c.post("/v1/courier", content=data,
                      headers={"Content-Type": "application/octet-stream"})


def open_answer(hub: LiveHub, response: httpx.Response, keys: cf.KeyPair) -> dict[str, Any]:
    raw = base64.b64decode(response.json()["answer"])
    sealed = cf.read_header(raw)
    cf.check_signature(raw, sealed, hub_keys(hub)["sign_key"])
    return cf.open_body(sealed, keys.box)


def count_changes(hub: LiveHub) -> int:
    with hub.storage.read() as conn:
        return int(conn.execute(select(func.count()).select_from(t.changes)).scalar_one())


def test_hub_publishes_stable_courier_keys(hub: LiveHub) -> None:
    first = hub_keys(hub)
    assert set(first) == {"box_key", "sign_key"} and first == hub_keys(hub)
    assert len(base64.b64decode(first["box_key"])) == 32


def test_bundle_applied_once_and_answered_sealed_to_the_device(hub: LiveHub,
                                                               learner: Device) -> None:
    """The same change ids by courier and by /v1/sync are stored once; the answer opens only
    with the device's key, is signed by the hub and carries the next pull."""
    keys = register(learner)
    note = change("note", "n1", {"lesson_id": "pack/l1", "body": "geheim"})
    before = count_changes(hub)
    r = post(hub, bundle(hub, learner, keys, 1, [note]))
    assert r.status_code == 200, r.text
    assert r.json()["accepted"] == 1
    answer = open_answer(hub, r, keys)
    assert answer["bundle_seq"] == 1 and answer["accepted"][0]["change_id"] == note["change_id"]
    assert isinstance(answer["cursor"], str) and answer["more"] is False
    assert count_changes(hub) == before + 1
    # The same change pushed directly: accepted with the same seq, stored once.
    data = learner.sync([note])
    assert data["accepted"] == answer["accepted"]
    r = post(hub, bundle(hub, learner, keys, 2, [note]))
    assert open_answer(hub, r, keys)["accepted"] == answer["accepted"]
    assert count_changes(hub) == before + 1
    with pytest.raises(cf.SealError):
        open_answer(hub, r, cf.KeyPair.generate())


@pytest.mark.parametrize("case", ["replayed", "older", "tampered", "truncated", "foreign",
                                  "unknown_device", "garbage", "wrong_device"])
def test_bad_bundles_are_refused_with_their_code(hub: LiveHub, learner: Device,
                                                 case: str) -> None:
    keys = register(learner)
    good = bundle(hub, learner, keys, 5, [change("progress", "pack/l1", {"position_s": 3})])
    assert post(hub, good).status_code == 200
    before = count_changes(hub)
    note = [change("note", "n2", {"lesson_id": "pack/l1", "body": "x"})]
    if case == "replayed":
        data, expected = good, (409, "replayed")
    elif case == "older":
        data, expected = bundle(hub, learner, keys, 4, note), (409, "replayed")
    elif case == "tampered":
        raw = bytearray(bundle(hub, learner, keys, 6, note))
        raw[-80] ^= 1
        data, expected = bytes(raw), (403, "bad_signature")
    elif case == "truncated":
        data, expected = bundle(hub, learner, keys, 6, note)[:-30], (403, "bad_signature")
    elif case == "foreign":
        other = cf.KeyPair.generate().box_public
        data, expected = bundle(hub, learner, keys, 6, note, to=other), (409, "foreign_hub")
    elif case == "unknown_device":
        data, expected = bundle(hub, learner, cf.KeyPair.generate(), 6, note), \
            (403, "unknown_device")
    elif case == "wrong_device":
        data = cf.seal({"changes": note}, kind=cf.KIND_BUNDLE, signer=keys.sign,
                       recipient_box=hub_keys(hub)["box_key"],
                       header={"seq": 6, "device_id": "someone-else", "profile": "p"})
        expected = (403, "bad_signature")
    else:
        data, expected = b"CCOURI1\n" + b"\x00" * 200, (400, "damaged")
    r = post(hub, data)
    assert (r.status_code, r.json()["error"]["code"]) == expected, r.text
    assert count_changes(hub) == before


def test_oversized_bundle_refused_before_it_is_read(hub: LiveHub) -> None:
    limit = hub.settings.max_courier_body_bytes
    with hub.client() as c:
        r = c.post("/v1/courier", content=b"x" * (limit + 1))
    assert r.status_code == 413 and r.json()["error"]["code"] == "too_large"


def test_keys_belong_to_one_device_and_go_at_logout(hub: LiveHub, learner: Device) -> None:
    keys = register(learner)
    other = hub.device("lea")  # the same person on a second device
    with other.http() as c:
        r = c.post("/v1/devices/keys", json={"sign_key": keys.sign_public,
                                             "box_key": keys.box_public})
    assert r.status_code == 409
    # Registering the same key again keeps its sequence: no replay after a re-registration.
    assert post(hub, bundle(hub, learner, keys, 3, [])).status_code == 200
    register_again = learner.http().post("/v1/devices/keys", json={
        "sign_key": keys.sign_public, "box_key": keys.box_public})
    assert register_again.status_code == 204
    assert post(hub, bundle(hub, learner, keys, 3, [])).json()["error"]["code"] == "replayed"
    with learner.http() as c:
        assert c.post("/v1/auth/logout").status_code == 204
    r = post(hub, bundle(hub, learner, keys, 9, []))
    assert r.status_code == 403 and r.json()["error"]["code"] == "unknown_device"


def test_bad_keys_and_no_token_refused(hub: LiveHub, learner: Device) -> None:
    with hub.client() as c:
        assert c.post("/v1/devices/keys", json={"sign_key": "a" * 44,
                                                "box_key": "b" * 44}).status_code == 401
    with learner.http() as c:
        r = c.post("/v1/devices/keys", json={"sign_key": "not base64 at all, no no no!!",
                                             "box_key": "b" * 44})
    assert r.status_code == 422


def test_courier_media_needs_a_valid_ticket(hub: LiveHub) -> None:
    sha = "0" * 64
    with hub.client() as c:
        assert c.get(f"/v1/courier/media/{sha}").status_code == 404
        r = c.get(f"/v1/courier/media/{sha}", headers={"X-Courier-Ticket": "guess"})
        assert r.status_code == 404


def test_wished_packs_and_their_files_for_the_courier(hub: LiveHub) -> None:
    """The answer carries the manifests of packs offered to the device's groups that it lacks;
    the courier gets a ticket for their files (with Range), only those; an installed manifest
    is not offered again, and its files are left out."""
    from tests.hub.test_packs import FILES, manifest, publish_all, sha

    hub.add_trainer("trainer")
    group = hub.create_group("Bakers", "trainer")
    learner = hub.device("alice", invite=group.invite_code)
    publish_all(hub.device("trainer"), group.id)
    keys = register(learner)
    r = post(hub, cf.seal({"changes": [], "cursor": None, "wish": {}}, kind=cf.KIND_BUNDLE,
                          signer=keys.sign, recipient_box=hub_keys(hub)["box_key"],
                          header={"seq": 1, "device_id": learner.device_id, "profile": "p"}))
    assert r.status_code == 200, r.text
    answer = open_answer(hub, r, keys)
    assert [p["pack_id"] for p in answer["packs"]] == ["sociale-media-nl"]
    assert answer["packs"][0]["manifest"] == manifest()
    media = r.json()["media"]
    assert sorted(m["sha256"] for m in media) == sorted(sha(b) for b in FILES.values())
    ticket = r.json()["ticket"]
    video = FILES["lessons/01/video.mp4"]
    with hub.client() as c:
        got = c.get(f"/v1/courier/media/{sha(video)}",
                    headers={"X-Courier-Ticket": ticket, "Range": "bytes=1000-"})
        assert got.status_code == 206 and got.content == video[1000:]
        stranger = c.get(f"/v1/courier/media/{'1' * 64}", headers={"X-Courier-Ticket": ticket})
        assert stranger.status_code == 404
    installed = {"sociale-media-nl": answer["packs"][0]["manifest_sha256"]}
    r = post(hub, cf.seal({"changes": [], "cursor": answer["cursor"],
                           "wish": {"installed": installed}}, kind=cf.KIND_BUNDLE,
                          signer=keys.sign, recipient_box=hub_keys(hub)["box_key"],
                          header={"seq": 2, "device_id": learner.device_id, "profile": "p"}))
    assert open_answer(hub, r, keys)["packs"] == [] and r.json()["media"] == []
    assert r.json()["ticket"] is None
