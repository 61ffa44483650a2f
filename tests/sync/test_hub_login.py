"""The one way the CLI and the downloads page reach the profile's hub (``open_hub``), and
trusting the signer of an offered pack only if it is the key the person was shown."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from companion.core.errors import PackTrustError
from companion.services import Services, build_services
from companion.sync.credentials import NotLoggedInError
from companion.sync.hub_login import NotConnectedError, open_hub
from companion.sync.offers import pack_catalog, trust_offered_signer
from companion.sync.publish import publish_pack
from tests.hub.helpers import LiveHub
from tests.sync.helpers import Pc
from tests.sync.test_publish import (  # noqa: F401 - the two fixtures are used by name
    FAST_RETRY,
    MB,
    Setup,
    big_pack,
    setup_fixture,
)


def test_open_hub_without_a_login_is_not_connected(tmp_path: Path, memory_keyring) -> None:
    pc = Pc.create(tmp_path / "pc")
    try:
        with pytest.raises(NotConnectedError), open_hub(pc.store, pc.profile_id):
            pytest.fail("no client without a login")
    finally:
        pc.close()


def test_open_hub_with_a_lost_token_is_not_logged_in(tmp_path: Path, memory_keyring) -> None:
    """A login whose token left the keyring is NotLoggedInError, not 'never connected'."""
    pc = Pc.create(tmp_path / "pc")
    try:
        pc.store.save(pc.profile_id, hub_url="https://hub.example", username="anna",
                      account_id=1, token="tok-secret")
        memory_keyring.secrets.clear()
        with pytest.raises(NotLoggedInError) as caught, open_hub(pc.store, pc.profile_id):
            pytest.fail("no client without a token")
        assert not isinstance(caught.value, NotConnectedError)
    finally:
        pc.close()


def test_open_hub_gives_an_authorized_client(hub: LiveHub, invite: str, tmp_path: Path,
                                             memory_keyring) -> None:
    pc = Pc.create(tmp_path / "pc")
    try:
        pc.login(hub.url, "anna", invite)
        with open_hub(pc.store, pc.profile_id) as http:
            groups = http.get("/v1/groups")
        assert groups.status_code == 200 and len(groups.json()) == 1
    finally:
        pc.close()


@pytest.fixture
def learner_pc(tmp_path: Path) -> Iterator[Services]:
    services = build_services(tmp_path / "learner")  # trusts nobody yet
    yield services
    services.close()


def test_trust_offered_signer_trusts_only_the_key_shown(setup: Setup, learner_pc: Services,
                                                         tmp_path: Path) -> None:
    publish_pack(setup.trainer(), big_pack(tmp_path / "p", setup.key, MB), "Bakkers",
                 retry=FAST_RETRY)
    (offered,) = pack_catalog(setup.learner(), learner_pc.packs)
    shown = setup.key.public_key.fingerprint
    with pytest.raises(PackTrustError):
        trust_offered_signer(setup.learner(), learner_pc.packs, learner_pc.trust, offered,
                             "0" * len(shown), FAST_RETRY)
    assert not learner_pc.trust.is_trusted(shown)
    trust_offered_signer(setup.learner(), learner_pc.packs, learner_pc.trust, offered, shown,
                         FAST_RETRY)
    assert learner_pc.trust.is_trusted(shown)


def test_trust_offered_signer_refuses_an_unsigned_pack(setup: Setup, learner_pc: Services,
                                                       tmp_path: Path) -> None:
    publish_pack(setup.trainer(), big_pack(tmp_path / "p", None, MB), "Bakkers",
                 retry=FAST_RETRY, allow_unsigned=True)
    (offered,) = pack_catalog(setup.learner(), learner_pc.packs)
    with pytest.raises(PackTrustError):
        trust_offered_signer(setup.learner(), learner_pc.packs, learner_pc.trust, offered,
                             setup.key.public_key.fingerprint, FAST_RETRY)
    assert learner_pc.trust.list() == []

