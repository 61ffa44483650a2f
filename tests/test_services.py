"""The composition root builds each store once and every user shares it."""

from __future__ import annotations

import io
from pathlib import Path

from companion.services import build_services


def test_one_media_store_shared_by_the_pack_manager(tmp_path: Path) -> None:
    services = build_services(tmp_path / "home")
    try:
        assert services.packs.store is services.media
        sha, size = services.media.ingest(io.BytesIO(b"a picture"), None, 9)
        assert size == 9
        assert services.media.path_for(sha).is_relative_to(services.locations.media_dir)
        assert services.packs.store.path_for(sha).read_bytes() == b"a picture"
    finally:
        services.close()


def test_credentials_live_in_this_homes_config_folder(tmp_path: Path) -> None:
    services = build_services(tmp_path / "home")
    try:
        profile = services.profiles.create("Anna")
        token_file = services.credentials.token_file(profile.id)
        assert token_file.is_relative_to(services.locations.config_dir)
        assert services.credentials.db is services.db
        assert services.credentials.login(profile.id) is None
    finally:
        services.close()
