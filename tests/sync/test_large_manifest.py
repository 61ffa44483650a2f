"""A real pack whose manifest is over 2 MiB (many lessons with long summaries, within the pack
format's limits) is published with ``publish_pack`` and downloaded by a learner's PC."""

from __future__ import annotations

import random
import zipfile
from pathlib import Path

from companion.core.packs.format import MANIFEST_NAME, MAX_MANIFEST_BYTES
from companion.services import build_services
from companion.sync.downloads import Downloader
from companion.sync.publish import publish_pack
from tests.core.packs.pack_factory import build
from tests.sync.test_publish import (  # noqa: F401 - the fixture is used by name
    FAST_RETRY,
    MB,
    Setup,
    setup_fixture,
)

LESSONS = 150
WORDS = ["goedendag", '"bio"', "één", "winkel", "klant", "post", "reel", "café", "prijs"]


def summary(n: int) -> str:
    """Near the format's longest summary, different per lesson (a zip would refuse a
    manifest that compresses too well as a bomb); quotes and accents grow JSON escaping."""
    rng = random.Random(n)
    words = " ".join(rng.choice(WORDS) + str(rng.randrange(1000)) for _ in range(2_500))
    return words[:19_000]


def test_publish_and_download_a_pack_with_a_3_mib_manifest(setup: Setup,
                                                           tmp_path: Path) -> None:
    lessons = [{"id": f"les-{n:03d}", "title": f"Les {n}", "summary": summary(n),
                "payload": f"video {n}".encode()} for n in range(LESSONS)]
    pack = build(tmp_path, setup.key, pack_id="lang-nl", lessons=lessons)
    with zipfile.ZipFile(pack) as zf:
        size = zf.getinfo(MANIFEST_NAME).file_size
    assert 2 * MB < size <= MAX_MANIFEST_BYTES
    result = publish_pack(setup.trainer(), pack, "Bakkers", retry=FAST_RETRY)
    assert (result.pack_id, result.files_sent) == ("lang-nl", result.files)
    pc = build_services(tmp_path / "pc")
    try:
        pc.trust.trust(setup.key.public_key)
        d = Downloader(setup.learner(), pc.packs, retry=FAST_RETRY)
        installed = d.download_pack(setup.group_id, "lang-nl").result
        assert (installed.status, installed.lessons) == ("installed", LESSONS)
        assert pc.db.execute("SELECT count(*) FROM lessons WHERE pack_id = 'lang-nl'"
                             ).fetchone()[0] == LESSONS
    finally:
        pc.close()
