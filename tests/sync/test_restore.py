"""A hub restored from an older backup loses nothing that the PCs still hold.

The same story runs twice, once with a backup and a restore in the middle and once without:
both PCs of a person and the hub must end the same in both runs, each change stored once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from companion.hub import admin_ops
from companion.hub import tables as t
from companion.hub.settings import HubSettings
from tests.hub.helpers import LiveHub, start_hub
from tests.sync.helpers import Pc


def _settings(folder: Path) -> HubSettings:
    return HubSettings(data_dir=folder, argon2_time_cost=1, argon2_memory_kib=1024,
                       argon2_parallelism=1)


def _sync(hub: LiveHub, *pcs: Pc) -> list[Any]:
    return [pc.sync(pc.client(hub.url)) for pc in pcs]


def _hub_state(hub: LiveHub) -> dict[str, Any]:
    """The hub's current state by content (ids and numbers differ from run to run)."""
    with hub.storage.read() as conn:
        n, p, c = t.note_state.c, t.progress_state.c, t.comment_state.c
        return {
            "notes": sorted(tuple(r) for r in conn.execute(
                select(n.lesson_id, n.body, n.deleted))),
            "progress": sorted(tuple(r) for r in conn.execute(
                select(p.lesson_id, p.position_s, p.watched_s, p.done))),
            "comments": sorted(tuple(r) for r in conn.execute(
                select(c.lesson_id, c.body, c.deleted, c.edited))),
            "changes": conn.execute(select(func.count()).select_from(t.changes)).scalar_one(),
        }


def _pc_state(pc: Pc) -> dict[str, Any]:
    snap = pc.snapshot()
    return {"notes": sorted((r[1], r[2], r[3]) for r in snap["notes"]),
            "progress": snap["progress"],
            "comments": sorted((r[1], r[2], r[4]) for r in snap["comments"]),
            "pending": pc.pending()}


def _story(tmp_path: Path, make_pc, restore: bool) -> tuple[dict, dict, dict, list[Any]]:
    settings = _settings(tmp_path / "hub")
    hub = start_hub(settings)
    hub.add_trainer("tina")
    invite = hub.create_group("Bakkers", "tina").invite_code
    run = "restored" if restore else "plain"
    shop, home = make_pc(f"{run}-shop"), make_pc(f"{run}-home")
    shop.login(hub.url, "anna", invite)
    home.login(hub.url, "anna")
    lesson_a, lesson_b, lesson_c = shop.lessons
    first = shop.svc.notes.add(shop.profile_id, lesson_a, "voor de back-up")
    shop.svc.progress.save_position(shop.profile_id, lesson_a, 20)
    _sync(hub, shop, home, shop)
    if restore:
        admin_ops.backup(settings, tmp_path / "backup")
    # After the backup: both PCs write and sync; the hub has it all, until the restore.
    shop.svc.notes.add(shop.profile_id, lesson_b, "na de back-up, winkel")
    shop.svc.notes.update(shop.profile_id, first.id, "voor de back-up, bijgewerkt")
    shop.svc.comments.add(shop.profile_id, lesson_a, "Wie post er dagelijks?")
    home.svc.notes.add(home.profile_id, lesson_c, "na de back-up, thuis")
    home.svc.progress.mark_done(home.profile_id, lesson_b)
    _sync(hub, shop, home, shop)
    hub.stop()
    if restore:
        admin_ops.restore(settings, tmp_path / "backup")
    hub = start_hub(settings)
    try:
        # The home PC writes more and syncs first: the restored hub's sequence passes the shop
        # PC's cursor before the shop PC comes back, which a cursor number alone cannot notice.
        for i in range(6):
            home.svc.progress.save_position(home.profile_id, lesson_c, 10 + i)
        rounds = _sync(hub, home, shop, home, shop)
        rounds += _sync(hub, home, shop)  # caught up: nothing more to send
        return _hub_state(hub), _pc_state(shop), _pc_state(home), rounds
    finally:
        hub.stop()


def test_restore_from_an_older_backup_loses_nothing(tmp_path: Path, make_pc) -> None:
    """Backup, changes on two PCs and their sync, restore, sync: the hub and both PCs end as in
    the same run without the restore, every change stored once on the hub."""
    plain_hub, plain_shop, plain_home, _ = _story(tmp_path / "plain", make_pc, restore=False)
    hub, shop, home, rounds = _story(tmp_path / "restored", make_pc, restore=True)
    assert len(plain_hub["notes"]) == 3 and len(plain_hub["comments"]) == 1
    assert shop == plain_shop
    assert home == plain_home
    assert shop["notes"] == home["notes"]
    assert hub == plain_hub  # same content, and as many stored changes: none twice
    # Each PC pushed its lost changes again once, in its first round after the restore.
    assert rounds[0].resent > 0 and rounds[1].resent > 0
    assert all(r.resent == 0 for r in rounds[2:])
    assert [r.pushed for r in rounds[-2:]] == [0, 0]


def test_a_backup_restored_by_hand_is_noticed_too(tmp_path: Path, make_pc) -> None:
    """The backup carries an epoch of its own: copying its database back without
    `companion hub restore` still makes the PCs push again what the hub lacks."""
    settings = _settings(tmp_path / "hub")
    hub = start_hub(settings)
    hub.add_trainer("tina")
    invite = hub.create_group("Bakkers", "tina").invite_code
    pc = make_pc("shop")
    pc.login(hub.url, "anna", invite)
    _sync(hub, pc)
    admin_ops.backup(settings, tmp_path / "backup")
    pc.svc.notes.add(pc.profile_id, pc.lessons[0], "na de back-up")
    _sync(hub, pc)
    hub.stop()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{settings.sqlite_path}{suffix}").unlink(missing_ok=True)
    (tmp_path / "backup" / admin_ops.BACKUP_DB).replace(settings.sqlite_path)
    hub = start_hub(settings)
    try:
        (result,) = _sync(hub, pc)
        assert result.resent == 1
        assert _hub_state(hub)["notes"] == [(pc.lessons[0], "na de back-up", False)]
    finally:
        hub.stop()
