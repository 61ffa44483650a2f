"""A pack wished for travels on the courier's stick and installs at the shop, signature checked."""

from __future__ import annotations

from pathlib import Path

from companion.sync.courier import courier_dir
from companion.sync.publish import publish_pack
from tests.sync.courier_helpers import deliver_cli, online_once, swap
from tests.sync.test_publish import (  # noqa: F401 - the fixtures are used by name
    FAST_RETRY,
    Setup,
    big_pack,
    proxy_factory_fixture,
    setup_fixture,
)


def _invite(setup: Setup) -> str:
    groups = setup.trainer().get("/v1/groups").json()
    return next(g["invite_code"] for g in groups if g["id"] == setup.group_id)


def test_wished_pack_travels_and_installs_with_its_signature_checked(
        setup: Setup, make_pc, tmp_path: Path) -> None:
    """The hub offers a signed pack the shop lacks: the delivering PC fetches its files onto
    the stick (once, only what is missing), the shop installs it at the next exchange, but
    only after it trusts the signer; a damaged file on the stick is never installed."""
    shop = online_once(make_pc, setup.hub, "shop", "sam", _invite(setup))
    pack = big_pack(tmp_path / "p", setup.key, 300_000)
    publish_pack(setup.trainer(), pack, "Bakkers", retry=FAST_RETRY)
    stick = tmp_path / "stick"
    swap(shop, stick)
    status, lines, err = deliver_cli(tmp_path / "office", stick, setup.hub.url)
    assert status == 0, err
    assert lines[0].endswith("files fetched)")
    media = sorted(p for p in (courier_dir(stick) / "media").rglob("*")
                   if p.is_file() and p.parent.name != "tmp")
    assert len(media) >= 3
    # The shop does not trust tina yet: nothing installed, the reason is given, and the
    # signer comes back for the app's "trust this trainer?" question.
    first = swap(shop, stick)
    assert first.new_packs == [] and "tina" in " ".join(first.pack_problems)
    assert [u.name for u in first.untrusted] == ["tina"]
    assert first.untrusted[0].public_key == setup.key.public_key.raw
    assert shop.svc.packs.installed_manifest("bakken-nl") is None
    # Delivered again, the files already on the stick are not fetched a second time.
    status, lines, _ = deliver_cli(tmp_path / "office", stick, setup.hub.url)
    assert status == 0 and lines[0].endswith(": ok")
    # A damaged copy on the stick is refused by the import's hash check.
    victim = max(media, key=lambda p: p.stat().st_size)
    good = victim.read_bytes()
    victim.write_bytes(good[:-1] + bytes([good[-1] ^ 1]))
    shop.svc.trust.trust(setup.key.public_key)
    damaged = swap(shop, stick)
    assert damaged.new_packs == [] and damaged.pack_problems and not damaged.untrusted
    assert shop.svc.packs.installed_manifest("bakken-nl") is None
    # The answer waited on the stick with its pack: no new delivery is needed.
    victim.write_bytes(good)
    done = swap(shop, stick)
    assert done.new_packs == ["bakken-nl"], done.pack_problems
    assert "1 new pack" in done.summary() and done.received == 0
    assert not list((courier_dir(stick)).glob("*/*.answer"))
    lessons = shop.svc.db.execute("SELECT count(*) FROM lessons WHERE pack_id = 'bakken-nl'"
                                  ).fetchone()[0]
    assert lessons == 2


def test_wished_files_resume_from_the_part_on_the_stick(setup: Setup, make_pc,
                                                        tmp_path: Path) -> None:
    """A delivery cut off mid-file left a part on the stick: the next delivery asks only for
    the rest (Range) and the finished file has the right bytes."""
    from companion.sync.client import HubClient
    from companion.sync.courier_delivery import deliver

    shop = online_once(make_pc, setup.hub, "shop", "sam", _invite(setup))
    publish_pack(setup.trainer(), big_pack(tmp_path / "p", setup.key, 400_000), "Bakkers",
                 retry=FAST_RETRY)
    stick = tmp_path / "stick"
    swap(shop, stick)
    assert deliver_cli(tmp_path / "office", stick, setup.hub.url)[0] == 0
    media = courier_dir(stick) / "media"
    biggest = max((p for p in media.rglob("*") if p.is_file() and p.parent.name != "tmp"),
                  key=lambda p: p.stat().st_size)
    good = biggest.read_bytes()
    biggest.unlink()
    half = len(good) // 2
    (media / "tmp" / f"{biggest.name}.part").write_bytes(good[:half])
    swap(shop, stick)  # a new bundle, so the stick goes to the hub again
    ranges: list[str | None] = []
    with HubClient(setup.hub.url) as client:
        client.http.event_hooks["request"].append(
            lambda r: ranges.append(r.headers.get("range"))
            if "/courier/media/" in r.url.path else None)
        results = deliver(stick, client)
    assert [r.outcome for r in results] == ["ok"] and results[0].files == 1
    assert ranges == [f"bytes={half}-"]
    assert biggest.read_bytes() == good
    assert not list((media / "tmp").glob("*.part"))
