"""Profile photos between the members of a group (issue 11): the owner uploads the photo of
their own profile; members of a group they share fetch it; anyone else is told it does not
exist, and a pack file is never served as a photo."""

from __future__ import annotations

import hashlib

from companion.hub.routes.photos import PHOTO_MAX_BYTES
from tests.hub.helpers import LiveHub, change

JPEG = b"\xff\xd8\xff\xe0" + b"gezicht van An" * 40
SHA = hashlib.sha256(JPEG).hexdigest()


def _people(hub: LiveHub):
    hub.add_trainer("tina")
    bakkers = hub.create_group("Bakkers", "tina").invite_code
    bloemen = hub.create_group("Bloemen", "tina").invite_code
    an = hub.device("an", invite=bakkers)
    bo = hub.device("bo", invite=bakkers)
    cy = hub.device("cy", invite=bloemen)  # a stranger to An: another group
    tina = hub.device("tina")
    return an, bo, cy, tina


def _put(device, sha: str, data: bytes):
    with device.http() as c:
        return c.put(f"/v1/people/photo/{sha}", content=data)


def test_members_of_a_shared_group_fetch_the_photo_a_stranger_does_not(hub: LiveHub) -> None:
    an, bo, cy, tina = _people(hub)
    assert _put(an, SHA, JPEG).json()["error"]["code"] == "not_current_photo"  # not synced
    assert an.sync([change("profile", "an", {"photo_sha256": SHA})])["rejected"] == []
    first = _put(an, SHA, JPEG)
    assert first.status_code == 201 and first.json() == {"sha256": SHA, "size": len(JPEG),
                                                         "stored": True}
    assert _put(an, SHA, JPEG).status_code == 200  # again: kept once
    for member in (an, bo, tina):  # herself, a fellow learner, the trainer of her group
        r = member.get(f"/v1/people/photo/{SHA}")
        assert r.status_code == 200 and r.content == JPEG, member.account
        assert r.headers["etag"] == f'"{SHA}"'
    refused = cy.get(f"/v1/people/photo/{SHA}")
    assert refused.status_code == 404 and refused.json()["error"]["code"] == "not_found"
    assert cy.get(f"/v1/people/photo/{'0' * 64}").status_code == 404  # the same answer
    assert bo.get(f"/v1/people/photo/{SHA}", headers={"If-None-Match": f'"{SHA}"'}
                  ).status_code == 304
    # A new photo: the old one is nobody's photo any more and is served to no one.
    other = JPEG + b"nieuw"
    an.sync([change("profile", "an", {"photo_sha256": hashlib.sha256(other).hexdigest()})])
    assert bo.get(f"/v1/people/photo/{SHA}").status_code == 404
    # The photo route never serves pack media, and photos are never pack media.
    assert bo.get(f"/v1/media/{SHA}").status_code == 404
    with hub.client() as anonymous:
        assert anonymous.get(f"/v1/people/photo/{SHA}").status_code == 401


def test_only_my_own_current_photo_and_only_its_bytes(hub: LiveHub) -> None:
    an, bo, _cy, _tina = _people(hub)
    an.sync([change("profile", "an", {"photo_sha256": SHA})])
    # Bo cannot store a file under An's photo (nor any file that is not Bo's photo).
    assert _put(bo, SHA, JPEG).status_code == 409
    assert _put(an, SHA, JPEG + b"x").json()["error"]["code"] == "hash_mismatch"
    big = b"x" * (PHOTO_MAX_BYTES + 1)
    big_sha = hashlib.sha256(big).hexdigest()
    an.sync([change("profile", "an", {"photo_sha256": big_sha})])
    assert _put(an, big_sha, big).status_code == 413
    assert bo.get(f"/v1/people/photo/{big_sha}").status_code == 404
    assert _put(an, "NOT-A-HASH", JPEG).status_code == 400
