"""My groups (the trainer's page) against a real hub on loopback: listed only for a trainer,
the report's tabs, filtering learners, hiding and restoring a comment, a new invite code,
splitting, the exports, and the last report with its age when the hub is gone."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from unittest.mock import patch

import keyring
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QFileDialog

from companion.hub.settings import HubSettings
from companion.services import Services
from companion.sync.client import HubClient
from companion.ui.main import Shell
from companion.ui.screens.groups import GroupsScreen
from tests.hub.helpers import PASSWORD, LiveHub, change, start_hub
from tests.sync.conftest import MemoryKeyring
from tests.ui.shell_fixtures import anna, look, look_parts, running_shell, shell_services  # noqa: F401

WAIT_MS = 15_000


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[LiveHub]:
    live = start_hub(HubSettings(data_dir=tmp_path / "hub", argon2_time_cost=1,
                                 argon2_memory_kib=1024, argon2_parallelism=1))
    yield live
    live.stop()


@pytest.fixture
def group(hub: LiveHub) -> str:
    """Bakkers (trainer tina): an wrote a comment and used the app; bo did nothing."""
    hub.add_trainer("tina")
    invite = hub.create_group("Bakkers", "tina").invite_code
    an = hub.device("an", invite=invite)
    hub.device("bo", invite=invite)
    an.sync([
        change("comment", "c1", {"lesson_id": "sociale-media/les-0000", "body": "Koop kaas!"}),
        change("session", "s1", {"event": "app_opened",
                                 "started_at": "2026-12-01T11:40:00+01:00"}, op="append"),
        change("progress", "sociale-media/les-0000", {"position_s": 10.0, "watched_s": 30.0}),
    ])
    return invite


@pytest.fixture
def app_shell(qapp, home: Path, shell_services: Services, anna: int,
              look) -> Iterator[Shell]:
    before = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    with running_shell(qapp, home, shell_services, anna, look) as built:
        yield built
    keyring.set_keyring(before)


def log_in(shell: Shell, hub: LiveHub, username: str) -> None:
    """Keep a login for the shell's profile as the connect dialog would."""
    services = shell.ctx.services
    with HubClient(hub.url) as client:
        info = client.login(username, PASSWORD, uuid.uuid4().hex)
    services.credentials.save(shell.ctx.profile_id, hub_url=hub.url, username=username,
                              account_id=info.account_id, token=info.token)


def nav_shown(shell: Shell, key: str) -> bool:
    nav = shell.window.navigation
    for row in range(nav.count()):
        item = nav.item(row)
        if item.data(Qt.ItemDataRole.UserRole) == key:
            return not item.isHidden()
    return False


@pytest.fixture
def page(app_shell: Shell, hub: LiveHub, group: str, qtbot) -> GroupsScreen:
    screen = app_shell.window.screens["groups"]
    assert isinstance(screen, GroupsScreen)
    assert not nav_shown(app_shell, "groups")  # no login: not a trainer
    log_in(app_shell, hub, "tina")
    screen.check_groups()
    qtbot.waitUntil(lambda: bool(screen.groups), timeout=WAIT_MS)
    assert nav_shown(app_shell, "groups")
    app_shell.window.show_screen("groups")
    qtbot.waitUntil(lambda: screen.fetched is not None and not screen.fetched.offline
                    and not screen.busy, timeout=WAIT_MS)
    return screen


def test_a_learner_has_no_groups_page(app_shell: Shell, hub: LiveHub, group: str,
                                      qtbot) -> None:
    screen = app_shell.window.screens["groups"]
    log_in(app_shell, hub, "an")
    screen.check_groups()
    qtbot.waitUntil(lambda: not screen.busy, timeout=WAIT_MS)
    assert screen.groups == [] and not nav_shown(app_shell, "groups")


def test_report_tabs(page: GroupsScreen) -> None:
    assert page.group_box.currentText() == "Bakkers"
    values = [int(value.text()) for value, _label, _change in page.figures]
    assert values[0] == 2  # learners
    assert page.learners.rowCount() == 2
    names = {page.learners.rows[i]["username"]: page.learners.rows[i] for i in range(2)}
    assert names["an"]["rung"] == "creator" and names["bo"]["rung"] == "inactive"
    assert sum(map(sum, page.heatmap.hours)) == 1
    assert page.ladder.ladder["highest"]["creator"] == 1
    assert [counts["creator"] for _day, counts in page.ladder_history.history] == [0] * 11 + [1]
    # Sessions per week as bars: one per week of the report, its height the count.
    weeks = page.report["weeks"]
    assert sum(w["sessions"] for w in weeks) == 1
    (series,) = page.weeks.chart().series()
    (bars,) = series.barSets()
    assert [bars.at(i) for i in range(bars.count())] == [float(w["sessions"]) for w in weeks]
    week = weeks[-1]["week"]
    assert f"{week[8:10]}-{week[5:7]}" in page.weeks.chart().axes()[0].categories()
    assert page.comment_list.count() == 1 and "Koop kaas!" in page.comment_list.item(0).text()
    # A fresh report: no status line repeating the status bar; its age is on Refresh.
    assert page.status.isHidden() and page.status.text() == ""
    assert "Updated" in page.refresh_button.toolTip()
    assert "Updated" in page.refresh_button.accessibleDescription()


def test_filter_and_sort_learners(page: GroupsScreen) -> None:
    proxy = page.learner_filter
    page.filter_edit.setText("bo")
    assert proxy.rowCount() == 1
    page.filter_edit.clear()
    page.help_only.setChecked(True)
    shown = {proxy.index(r, 0).data(Qt.ItemDataRole.UserRole + 2)["username"]
             for r in range(proxy.rowCount())}
    assert shown == {"bo"}  # never active: needs help; an was active today
    page.help_only.setChecked(False)
    page.learner_view.sortByColumn(3, Qt.SortOrder.DescendingOrder)  # sessions
    assert proxy.index(0, 0).data(Qt.ItemDataRole.UserRole + 2)["username"] == "an"


def test_hide_and_restore_a_comment(page: GroupsScreen, qtbot) -> None:
    page.hide_comment("c1", "reclame")
    qtbot.waitUntil(lambda: bool(page.comments) and page.comments[0].get("hidden"),
                    timeout=WAIT_MS)
    page.comment_list.setCurrentRow(0)
    assert "reclame" in page.comment_list.item(0).text()
    assert page.restore_button.isEnabled() and not page.hide_button.isEnabled()
    page.restore_comment("c1")
    qtbot.waitUntil(lambda: not page.comments[0].get("hidden"), timeout=WAIT_MS)


def test_members_invite_and_split(page: GroupsScreen, hub: LiveHub, group: str,
                                  qtbot) -> None:
    assert group in page.invite_label.text()
    page.new_invite_code()
    qtbot.waitUntil(lambda: group not in page.invite_label.text(), timeout=WAIT_MS)
    assert page.member_list.model().rowCount() == 2
    page.split_group(2)
    qtbot.waitUntil(lambda: page.split_result.text().count("\n") == 1, timeout=WAIT_MS)
    assert "Bakkers 1" in page.split_result.text()
    qtbot.waitUntil(lambda: page.group_box.count() == 3 and not page.busy, timeout=WAIT_MS)


def test_exports(page: GroupsScreen, tmp_path: Path) -> None:
    paths = page.export_csv(str(tmp_path / "csv"))
    assert [p.name for p in paths] == ["learners.csv", "lessons.csv", "hours.csv"]
    assert page.heatmap.save_png(tmp_path / "hours.png")
    assert page.ladder.save_png(tmp_path / "ladder.png")
    assert page.weeks.save_png(tmp_path / "weeks.png")
    assert page.ladder_history.save_png(tmp_path / "history.png")
    for name in ("hours", "ladder", "weeks", "history"):
        image = QImage(str(tmp_path / f"{name}.png"))
        assert not image.isNull() and image.width() > 100, name
    assert not page.weeks.save_png(tmp_path / "no such folder" / "weeks.png")
    # The buttons of the Export tab reach the new pictures too.
    saved = tmp_path / "from the button.png"
    with patch.object(QFileDialog, "getSaveFileName", return_value=(str(saved)[:-4], "")):
        page.weeks_png.click()
        assert saved.exists()
        saved.unlink()
        page.history_png.click()
        assert saved.exists()
    assert "Saved" in page.export_result.text()


def test_offline_shows_the_last_report_with_its_age(page: GroupsScreen, hub: LiveHub,
                                                     qtbot) -> None:
    hub.stop()
    page.load_report()
    qtbot.waitUntil(lambda: page.fetched is not None and page.fetched.offline,
                    timeout=WAIT_MS)
    assert "cannot be reached" in page.status.text()
    assert page.status.isVisibleTo(page)  # this one the status bar does not say
    assert page.learners.rowCount() == 2  # the kept report


def test_what_my_trainer_sees(app_shell: Shell, hub: LiveHub, group: str, qtbot) -> None:
    """A learner's own row, in plain words, from the Group menu; never their notes."""
    from companion.ui.dialogs.trainer_view import TrainerViewDialog

    log_in(app_shell, hub, "an")
    dialog = TrainerViewDialog(app_shell.ctx, app_shell.window)
    qtbot.waitUntil(lambda: dialog.rows is not None, timeout=WAIT_MS)
    assert [(name, row["username"]) for name, row in dialog.rows] == [("Bakkers", "an")]
    text = dialog.body.text()
    assert "Bakkers" in text and "Starts discussions" in text
    assert "notes" in dialog.intro.text()
    dialog.close()


def test_joining_says_what_the_trainer_sees(app_shell: Shell) -> None:
    from companion.ui.dialogs.connect import ConnectDialog

    dialog = ConnectDialog(app_shell.ctx, app_shell.window)
    dialog.show()
    dialog.join_radio.setChecked(True)
    assert dialog.privacy.isVisible() and "Never your notes" in dialog.privacy.text()
    dialog.login_radio.setChecked(True)
    assert not dialog.privacy.isVisible()
    dialog.reject()


def test_publish_a_pack_from_the_app(page: GroupsScreen, app_shell: Shell, hub: LiveHub,
                                     tmp_path: Path, qtbot) -> None:
    from companion.ui.dialogs.publish import PublishDialog
    from tests.ui.shell_fixtures import build_cpack

    dialog = PublishDialog(app_shell.ctx, app_shell.window)
    assert [box.text() for box, _g in dialog.group_boxes] == ["Bakkers"]
    assert not dialog.publish_button.isEnabled()  # no pack chosen yet
    broken = tmp_path / "broken.cpack"
    broken.write_bytes(b"not a zip")
    dialog.choose(broken)
    dialog.publish()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=WAIT_MS)
    assert dialog.problem and dialog.results == []
    built = build_cpack(tmp_path)
    dialog.choose(built.path)
    dialog.publish()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=WAIT_MS)
    assert [r.group_name for r in dialog.results] == ["Bakkers"], dialog.problem
    assert dialog.progress.value() == 1000
    tina = hub.device("tina")
    group_id = tina.account["groups"][0]["id"]
    assert [p["pack_id"] for p in tina.get(f"/v1/groups/{group_id}/packs").json()] == [
        "kleine-proef"]
    dialog.close()


def test_a_learners_lessons_and_timeline(page: GroupsScreen, qtbot) -> None:
    row = next(r for r in page.learners.rows if r["username"] == "an")
    dialog = page.open_learner(row)
    qtbot.waitUntil(lambda: dialog.detail is not None or bool(dialog.problem), timeout=WAIT_MS)
    assert dialog.detail is not None, dialog.problem
    text = dialog.body.text()
    assert "Les 0" in text or "sociale-media/les-0000" in text
    assert "minutes" in text  # the session of 2026-12-01
    dialog.close()


def test_enter_opens_a_learner_as_a_double_click_does(page: GroupsScreen, qtbot) -> None:
    """With the keyboard only: Tab to the table, arrow to a learner, Enter opens them."""
    from PySide6.QtWidgets import QApplication

    from companion.ui.screens.groups.learner import LearnerDialog

    page.tabs.setCurrentIndex(1)  # learners
    view = page.learner_view
    view.setFocus()
    view.setCurrentIndex(view.model().index(0, 0))
    qtbot.keyClick(view, Qt.Key.Key_Down)
    shown = view.currentIndex().data(Qt.ItemDataRole.UserRole + 2)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: any(isinstance(w, LearnerDialog) and w.isVisible()
                                for w in QApplication.topLevelWidgets()), timeout=WAIT_MS)
    dialog = next(w for w in QApplication.topLevelWidgets()
                  if isinstance(w, LearnerDialog) and w.isVisible())
    assert dialog.row["username"] == shown["username"]
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_remove_a_member(page: GroupsScreen, hub: LiveHub, qtbot) -> None:
    bo = next(r for r in page.learners.rows if r["username"] == "bo")
    page.remove_member(int(bo["account_id"]))
    qtbot.waitUntil(lambda: page.learners.rowCount() == 1 and not page.busy, timeout=WAIT_MS)
    assert page.learners.rows[0]["username"] == "an"
    assert page.member_list.model().rowCount() == 1


def test_usable_at_1024x768_with_the_largest_text(page: GroupsScreen, app_shell: Shell,
                                                   look, qtbot) -> None:
    """The eight tabs become a list to pick from, and the learners' table drops its less
    needed columns (the trainer can bring them back) instead of scrolling sideways."""
    window = app_shell.window
    look.appearance.apply_text_scale(200)
    window.resize(1024, 768)
    page.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: page.tab_picker.isVisible(), timeout=WAIT_MS)
    assert not page.tabs.tabBar().isVisible()
    assert page.tab_picker.count() == 8 and page.tab_picker.currentText() == "Learners"
    page.tab_picker.setCurrentIndex(3)
    assert page.tabs.currentIndex() == 3
    page.tabs.setCurrentIndex(1)
    view, header = page.learner_view, page.learner_view.horizontalHeader()
    qtbot.waitUntil(lambda: header.isSectionHidden(4), timeout=WAIT_MS)  # minutes go first

    def shown_width() -> int:
        return sum(header.sectionSize(c) for c in range(header.count())
                   if not header.isSectionHidden(c))

    assert shown_width() <= view.viewport().width()
    assert not view.horizontalScrollBar().isVisible()
    for column in (0, 6, 7):  # name, taking part, needs help stay
        assert not header.isSectionHidden(column)
    menu = page.learner_columns.menu()
    minutes = [a for a in menu.actions() if a.text() == "Minutes"]
    assert len(minutes) == 1 and not minutes[0].isChecked()
    minutes[0].setChecked(True)  # the trainer wants the minutes back
    assert not header.isSectionHidden(4)
    assert shown_width() <= view.viewport().width()  # the columns share the room, cut short
    menu.deleteLater()
    lessons = page.lesson_view
    page.tabs.setCurrentIndex(2)
    assert not lessons.horizontalScrollBar().isVisible()
    assert sum(lessons.horizontalHeader().sectionSize(c) for c in range(6)
               if not lessons.horizontalHeader().isSectionHidden(c)) <= lessons.viewport().width()
    assert lessons.model().index(0, 0).data(Qt.ItemDataRole.ToolTipRole)  # the whole title
    # Normal text on a wide screen: the tab bar again, and every column.
    look.appearance.apply_text_scale(100)
    window.resize(2400, 900)
    qtbot.waitUntil(lambda: page.tabs.tabBar().isVisible(), timeout=WAIT_MS)
    assert not page.tab_picker.isVisible()
    page.tabs.setCurrentIndex(1)  # a hidden tab learns its new size when it is shown
    page.learner_columns.measure()
    qtbot.waitUntil(lambda: not any(header.isSectionHidden(c) for c in range(header.count())),
                    timeout=WAIT_MS)


def test_learners_sort_by_name_as_people_read_numbers(qapp) -> None:
    from companion.ui.screens.groups.data import LearnerFilter, LearnersModel, natural_key

    names = ["Winkel 10", "winkel 2", "Winkel 1", "Bakker", "Winkel 02b", "Winkel 2a", "10x",
             "", "Winkel 00000000000000000000000003"]
    model = LearnersModel()
    model.set_report({"learners": [
        {"username": f"u{i}", "name": n, "lessons_done": 0, "lessons_started": 0,
         "sessions": 0, "minutes": 0, "rung": "inactive"} for i, n in enumerate(names)]})
    proxy = LearnerFilter()
    proxy.setSourceModel(model)
    proxy.sort(0, Qt.SortOrder.AscendingOrder)
    shown = [proxy.index(r, 0).data(Qt.ItemDataRole.UserRole + 2)["name"]
             for r in range(proxy.rowCount())]
    assert shown == ["", "10x", "Bakker", "Winkel 1", "winkel 2", "Winkel 2a", "Winkel 02b",
                     "Winkel 00000000000000000000000003", "Winkel 10"]
    assert natural_key("Les 9") < natural_key("Les 10") < natural_key("Les 10 deel 2")


def test_weeks_chart_takes_odd_input(qapp, tmp_path: Path) -> None:
    """A report from an older or broken hub: no crash, the usable weeks drawn."""
    from companion.ui.screens.groups.charts import WeeksChart

    chart = WeeksChart()
    chart.set_weeks([{"week": "2026-11-30", "sessions": None}, "junk", {"sessions": 3},
                     {"week": "x", "sessions": 2}])
    assert chart.chart().axes()[0].categories() == ["30-11", "x"]
    (series,) = chart.chart().series()
    assert [series.barSets()[0].at(i) for i in range(2)] == [0.0, 2.0]
    chart.set_weeks([])
    assert chart.chart().axes()[0].categories() == ["–"]
    assert chart.save_png(tmp_path / "empty.png")


def test_columns_level_down_from_the_widest() -> None:
    from companion.ui.screens.groups.fit import level

    assert level([50, 60, 400, 500], 1200) == 500  # all fit: nothing is cut
    assert level([50, 60, 400, 500], 610) == 250  # the two wide ones share what is left
    assert level([50, 60, 400, 500], 100) == 25
    assert level([], 300) == 300


def test_learners_keep_their_sort_and_selection(qapp) -> None:
    """The table sorts itself: a new report comes in the order the trainer chose, and a
    selected learner stays selected when the column is sorted again."""
    from PySide6.QtCore import QItemSelectionModel

    from companion.ui.screens.groups.data import LearnerFilter, LearnersModel

    def report(sessions: dict[str, int]) -> dict[str, object]:
        return {"learners": [
            {"username": name, "name": name, "lessons_done": 0, "lessons_started": 0,
             "sessions": n, "minutes": 0, "rung": "inactive"} for name, n in sessions.items()]}

    model = LearnersModel()
    proxy = LearnerFilter()
    proxy.setSourceModel(model)
    model.set_report(report({"an": 1, "bo": 5, "cy": 3}))
    proxy.sort(3, Qt.SortOrder.DescendingOrder)  # sessions, most first

    def names() -> list[str]:
        return [proxy.index(r, 0).data(Qt.ItemDataRole.UserRole + 2)["username"]
                for r in range(proxy.rowCount())]

    assert names() == ["bo", "cy", "an"]
    selection = QItemSelectionModel(proxy)
    selection.setCurrentIndex(proxy.index(2, 0), QItemSelectionModel.SelectionFlag.Select)
    proxy.sort(3, Qt.SortOrder.AscendingOrder)
    assert names() == ["an", "cy", "bo"]
    assert selection.currentIndex().data(Qt.ItemDataRole.UserRole + 2)["username"] == "an"
    model.set_report(report({"an": 9, "bo": 5, "cy": 3, "di": 0}))
    assert names() == ["di", "cy", "bo", "an"]
    proxy.sort(0, Qt.SortOrder.DescendingOrder)
    assert names() == ["di", "cy", "bo", "an"]
    proxy.sort(99, Qt.SortOrder.AscendingOrder)  # no such column: nothing moves
    assert names() == ["di", "cy", "bo", "an"]


def test_learners_show_their_photo_or_initials(qapp, tmp_path: Path) -> None:
    """The learners table shows each learner's profile photo (fetched by the sync into the
    media store) beside the name; someone without one, or whose photo this PC has not got yet,
    gets their initials on a calm colour, as everywhere in the app."""
    from PySide6.QtGui import QColor, QImage

    from companion.core.media_store import MediaStore
    from companion.ui.dialogs.photo import store_photo
    from companion.ui.screens.groups.avatars import Avatars
    from companion.ui.screens.groups.data import LearnersModel

    store = MediaStore(tmp_path / "media")
    picture = QImage(64, 64, QImage.Format.Format_RGB32)
    picture.fill(QColor(220, 20, 20))
    picture.save(str(tmp_path / "me.png"))
    sha = store_photo(store, tmp_path / "me.png")
    model = LearnersModel(avatars=Avatars(store))
    model.avatar_px = 40
    model.set_report({"learners": [
        {"username": u, "name": n, "photo": p, "lessons_done": 0, "lessons_started": 0,
         "sessions": 0, "minutes": 0, "rung": "inactive"}
        for u, n, p in (("an", "An Peeters", sha), ("bo", "Bo Claes", None),
                        ("cy", "Cy Maes", "ab" * 32))]})
    pictures = [model.data(model.index(r, 0), Qt.ItemDataRole.DecorationRole).toImage()
                for r in range(3)]
    assert all(p.width() == 40 for p in pictures)
    red = pictures[0].pixelColor(20, 20)
    assert red.red() > 180 and red.green() < 60  # An's own photo
    for other in pictures[1:]:  # initials: not the photo
        assert other.pixelColor(20, 8) != red
    assert model.data(model.index(0, 1), Qt.ItemDataRole.DecorationRole) is None
