"""One pack header held by every view of a pack (source, manifest, installed, in the catalog),
and the JSON written from those views unchanged (it is a contract for scripts)."""

from __future__ import annotations

from pathlib import Path

from companion.core.packs.build import build_pack
from companion.core.packs.header import HEADER_FIELDS, PackHeader, header_row
from companion.core.packs.keys import SigningKey
from companion.core.packs.reader import open_pack
from companion.core.packs.source import read_source
from companion.services import Services
from tests.core.packs.pack_factory import write_source

EXPECTED = PackHeader("test-pack", "Testpakket", "1.0", "nl", "Anna Trainer", "Voor de test.")


def test_every_view_holds_the_same_header(services: Services, key: SigningKey,
                                          tmp_path: Path) -> None:
    services.trust.trust(key.public_key)
    src = write_source(tmp_path / "src")
    source = read_source(src)
    built = build_pack(src, tmp_path / "out", key)
    with open_pack(built.path) as reader:
        info = reader.manifest.pack
    services.packs.import_pack(built.path)
    installed = services.packs.get_pack("test-pack")
    profile = services.profiles.ensure("Anna").id
    (summary,) = services.catalog.packs(profile)
    for view in (source, info, installed, summary):
        assert view.header == EXPECTED
        assert tuple(getattr(view, name) for name in HEADER_FIELDS) == tuple(
            getattr(EXPECTED, name) for name in HEADER_FIELDS)


def test_the_json_of_the_views_is_unchanged(services: Services, key: SigningKey,
                                            tmp_path: Path) -> None:
    services.trust.trust(key.public_key)
    built = build_pack(write_source(tmp_path / "src"), tmp_path / "out", key)
    services.packs.import_pack(built.path)
    installed = services.packs.get_pack("test-pack").to_dict()
    assert list(installed) == ["id", "title", "version", "language", "author", "description",
                               "signer", "signer_fingerprint", "lessons", "duration_s",
                               "files", "size", "installed_at", "updated_at"]
    profile = services.profiles.ensure("Anna").id
    (summary,) = services.catalog.packs(profile)
    assert summary.to_dict() == {"id": "test-pack", "title": "Testpakket", "version": "1.0",
                                 "language": "nl", "author": "Anna Trainer",
                                 "description": "Voor de test.",
                                 "signer": key.public_key.name, "lessons": 2, "done": 0,
                                 "duration_s": summary.total_duration_s}


def test_header_row_splits_a_row() -> None:
    row = ("p", "T", "2.0", "en", "Anna", "Over", "sha", 3)
    assert header_row(row) == (PackHeader("p", "T", "2.0", "en", "Anna", "Over"), "sha", 3)
