"""How ``companion hub serve`` starts the app: settings it adds for a long-running process."""

from __future__ import annotations

import gc
from typing import Any

import pytest
from fastapi.testclient import TestClient

from companion.hub import server
from companion.hub.app import create_app
from companion.hub.settings import HubSettings


def test_a_served_hub_freezes_its_startup_objects(hub_settings: HubSettings,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[Any] = []
    monkeypatch.setattr(server.uvicorn, "run", lambda app, **_options: started.append(app))
    server.serve(hub_settings, port=0)
    assert started and started[0].state.hub.settings.freeze_startup_objects is True
    started[0].state.hub.storage.close()


@pytest.mark.parametrize("freeze", [True, False])
def test_the_hub_freezes_startup_objects_only_when_asked(hub_settings: HubSettings,
                                                         freeze: bool) -> None:
    gc.unfreeze()
    try:
        app = create_app(hub_settings.with_changes(freeze_startup_objects=freeze))
        with TestClient(app) as client:
            assert client.get("/v1/hub").status_code == 200
            assert (gc.get_freeze_count() > 0) is freeze
    finally:
        gc.unfreeze()
