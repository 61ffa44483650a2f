"""The trainer's page gets the report fresh, or the last one kept when the hub is away."""

from __future__ import annotations

import pytest

from companion.core.report_cache import ReportCache
from companion.sync.client import HubClient, HubOffline, HubRefused
from companion.sync.trainer import GroupNotFound, NotTrainer, TrainerApi, fetch_report
from tests.hub.helpers import LiveHub
from tests.sync.helpers import Pc


def test_fresh_then_kept_when_offline(hub: LiveHub, invite: str, make_pc) -> None:
    tina: Pc = make_pc("tina", "Tina")
    tina.login(hub.url, "tina")
    anna: Pc = make_pc("anna")
    anna.login(hub.url, "anna", invite)
    cache = ReportCache(tina.svc.db)
    api = TrainerApi(tina.client())
    group = api.find("bakkers")
    fresh = fetch_report(api, cache, tina.profile_id, group.id, 7)
    assert not fresh.offline and [r["username"] for r in fresh.report["learners"]] == ["anna"]
    assert [g.to_dict()["members"] for g in api.groups()] == [1]
    with HubClient("http://127.0.0.1:9", "token") as dead:
        kept = fetch_report(TrainerApi(dead), cache, tina.profile_id, group.id)
        assert kept.offline and kept.problem and kept.report == fresh.report
        assert kept.fetched_at == fresh.fetched_at
        with pytest.raises(HubOffline):
            fetch_report(TrainerApi(dead), cache, tina.profile_id, group.id + 1)
    learner = TrainerApi(anna.client())
    with pytest.raises(NotTrainer):
        learner.find("Bakkers")
    with pytest.raises(GroupNotFound):
        api.find("Bloemisten")
    with pytest.raises(HubRefused):
        learner.report(group.id)


def test_open_trainer_api_on_a_login(hub: LiveHub, invite: str, make_pc) -> None:
    from companion.sync.trainer import NotConnected, open_trainer_api

    tina: Pc = make_pc("tina", "Tina")
    tina.login(hub.url, "tina")
    store = tina.svc.credentials
    with open_trainer_api(store, tina.profile_id) as api:
        group = api.find("Bakkers")
        assert api.comments(group.id) == []
    other = tina.svc.profiles.ensure("Nobody").id
    with pytest.raises(NotConnected), open_trainer_api(store, other):
        pass
