"""The courier in the app: a stick is noticed, "Exchange with this stick" and "Deliver N bundles
to the hub" do their work through the task runner against a real hub, with a plain summary."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from companion.sync import courier_keys
from companion.sync.client import HubClient
from companion.sync.courier import ExchangeResult, StickInfo, stick_info
from companion.ui.courier import CourierBar, StickWatcher, summary_text
from tests.hub.helpers import PASSWORD, LiveHub, start_hub
from tests.sync.conftest import MemoryKeyring
from tests.ui.screen_fixtures import (  # noqa: F401 - fixtures used by name
    WAIT_MS,
    add_clip_pack,
    ctx,
    profile_id,
    services,
)

pytestmark = pytest.mark.usefixtures("qapp")


@pytest.fixture
def ring() -> Iterator[MemoryKeyring]:
    import keyring

    before = keyring.get_keyring()
    mem = MemoryKeyring()
    keyring.set_keyring(mem)
    yield mem
    keyring.set_keyring(before)


@pytest.fixture
def live_hub(tmp_path: Path) -> Iterator[LiveHub]:
    from companion.hub.settings import HubSettings

    live = start_hub(HubSettings(data_dir=tmp_path / "hub", argon2_time_cost=1,
                                 argon2_memory_kib=1024, argon2_parallelism=1))
    live.add_trainer("tina")
    live.invite = live.create_group("Bakkers", "tina").invite_code  # type: ignore[attr-defined]
    yield live
    live.stop()


def logged_in(ctx, hub: LiveHub) -> None:
    """The app's profile joins the group while online (keys made, hub's pinned)."""
    from companion.core.db import device_id

    svc = ctx.services
    with HubClient(hub.url) as client:
        info = client.join(hub.invite, "anna", PASSWORD, device_id(svc.db))
    svc.credentials.save(ctx.profile_id, hub_url=hub.url, username="anna",
                         account_id=info.account_id, token=info.token)
    with HubClient(hub.url, info.token) as client:
        assert courier_keys.ensure_registered(svc.credentials, ctx.profile_id, client)


def test_summary_is_plain_words() -> None:
    result = ExchangeResult(sent=12, received=40, new_packs=["bakken"])
    assert summary_text(result) == "Sent 12 changes, received 40 and 1 new pack."


def test_watcher_finds_a_courier_folder_on_a_drive(ctx, tmp_path: Path, qtbot) -> None:
    """Drives are listed (here: two folders standing in for mounted volumes); only the one
    with a companion-courier folder counts, and a picked folder is looked at too."""
    stick, other, picked = tmp_path / "stick", tmp_path / "usb2", tmp_path / "picked"
    (stick / "companion-courier").mkdir(parents=True)
    other.mkdir()
    (picked / "companion-courier").mkdir(parents=True)
    watcher = StickWatcher(ctx, volumes=lambda: [str(stick), str(other)], period_ms=50)
    with qtbot.waitSignal(watcher.sticks_changed, timeout=WAIT_MS) as seen:
        watcher.start()
    assert [s.folder for s in seen.args[0]] == [stick / "companion-courier"]
    with qtbot.waitSignal(watcher.sticks_changed, timeout=WAIT_MS) as seen:
        watcher.add_folder(picked)
    assert {s.folder.parent for s in seen.args[0]} == {stick, picked}
    watcher.stop()


def test_exchange_button_writes_the_bundle_and_says_what_it_did(
        ctx, live_hub: LiveHub, ring, tmp_path: Path, qtbot) -> None:
    logged_in(ctx, live_hub)
    lesson = add_clip_pack(ctx.services)[0]
    ctx.services.notes.add(ctx.profile_id, lesson, "een notitie")
    stick = tmp_path / "stick"
    (stick / "companion-courier").mkdir(parents=True)
    bar = CourierBar(ctx)
    qtbot.addWidget(bar)
    bar.show_sticks([stick_info(stick, "someone-else")])
    assert not bar.isHidden()
    assert bar.exchange_button.isVisibleTo(bar) and not bar.deliver_button.isVisibleTo(bar)
    with qtbot.waitSignal(bar.done, timeout=WAIT_MS):
        bar.exchange_button.click()
    assert bar.result.text().startswith("Sent ")
    assert list((stick / "companion-courier").glob("*/*.bundle"))


def test_deliver_button_on_an_online_pc(ctx, live_hub: LiveHub, ring, tmp_path: Path,
                                        qtbot) -> None:
    """The trainer's PC (connected) sees a stick with a bundle: "Deliver 1 bundle to the hub"
    delivers it and writes the answer back."""
    logged_in(ctx, live_hub)
    stick = tmp_path / "stick"
    bar = CourierBar(ctx)
    qtbot.addWidget(bar)
    with qtbot.waitSignal(bar.done, timeout=WAIT_MS):
        bar.show_sticks([StickInfo(stick / "companion-courier", 0, 0, 0)])
        bar.exchange()
    info = stick_info(stick, "another-pc")
    bar.show_sticks([info])
    assert bar.deliver_button.text() == "Deliver 1 bundle to the hub"
    with qtbot.waitSignal(bar.done, timeout=WAIT_MS) as done:
        bar.deliver_button.click()
    assert [r.outcome for r in done.args[0]] == ["ok"]
    assert bar.result.text() == "Delivered 1 bundle."
    assert list((stick / "companion-courier").glob("*/*.answer"))


def test_deliver_button_without_any_login(ctx, live_hub: LiveHub, ring, tmp_path: Path,
                                          qtbot) -> None:
    """A PC with no login (here: the profile wrote its bundle, then forgot its login) still
    offers "Deliver 1 bundle to the hub": the bundle names its hub."""
    logged_in(ctx, live_hub)
    stick = tmp_path / "stick"
    bar = CourierBar(ctx)
    qtbot.addWidget(bar)
    with qtbot.waitSignal(bar.done, timeout=WAIT_MS):
        bar.show_sticks([StickInfo(stick / "companion-courier", 0, 0, 0)])
        bar.exchange()
    ctx.services.credentials.forget(ctx.profile_id)
    assert ctx.services.credentials.login(ctx.profile_id) is None
    bar.show_sticks([stick_info(stick, "another-pc")])
    assert bar.deliver_button.isVisibleTo(bar)
    with qtbot.waitSignal(bar.done, timeout=WAIT_MS) as done:
        bar.deliver_button.click()
    assert [r.outcome for r in done.args[0]] == ["ok"]
    assert list((stick / "companion-courier").glob("*/*.answer"))


def test_a_pack_from_an_untrusted_trainer_is_asked_about_then_installed(
        ctx, live_hub: LiveHub, ring, tmp_path: Path, qtbot) -> None:
    """The stick brings a pack signed by a trainer this PC does not know: the strip asks the
    import's question; yes trusts the key and the pack goes in from the answer on the stick."""
    from companion.sync.courier_delivery import deliver
    from companion.sync.publish import publish_pack
    from tests.core.packs.pack_factory import make_key
    from tests.sync.test_publish import FAST_RETRY, big_pack

    logged_in(ctx, live_hub)
    key = make_key(tmp_path / "keys", "tina")
    publish_pack(live_hub.device("tina").http(), big_pack(tmp_path / "p", key, 100_000),
                 "Bakkers", retry=FAST_RETRY)
    stick = tmp_path / "stick"
    bar = CourierBar(ctx)
    qtbot.addWidget(bar)
    bar.show_sticks([StickInfo(stick / "companion-courier", 0, 0, 0)])
    with qtbot.waitSignal(bar.done, timeout=WAIT_MS):
        bar.exchange()
    with HubClient(live_hub.url) as client:
        assert [r.outcome for r in deliver(stick, client)] == ["ok"]
    asked: list[str] = []
    bar.ask_trust = lambda signer: asked.append(signer.name) is None  # says yes
    bar.exchange()
    qtbot.waitUntil(lambda: ctx.services.packs.installed_manifest("bakken-nl") is not None,
                    timeout=WAIT_MS)
    assert asked == ["tina"] and ctx.services.trust.is_trusted(key.public_key.fingerprint)
    qtbot.waitUntil(lambda: not bar._running, timeout=WAIT_MS)
    assert "1 new pack" in bar.result.text()
