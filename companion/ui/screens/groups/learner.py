"""One learner, from a double-click in "My groups": why they may need help, each lesson and
the latest times they used the app (``GET /v1/groups/{id}/learners/{account}``)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from companion.sync.trainer import open_trainer_api
from companion.ui.context import AppContext
from companion.ui.screens.groups.data import LearnersModel, last_active_text
from companion.ui.screens.widgets import VerticalScroll, heading, text_label
from companion.ui.tasks import TaskContext

translate = QCoreApplication.translate  # the name pyside6-lupdate looks for


def lesson_line(lesson: dict[str, Any]) -> str:
    if lesson["done"]:
        state = translate("GroupsPage", "finished")
    else:
        state = translate("GroupsPage", "stopped at %1 s").replace(
            "%1", str(round(lesson["position_s"] or 0)))
    parts = [lesson["title"], state]
    if lesson.get("quiz_best") is not None:
        parts.append(translate("GroupsPage", "quiz %1/%2").replace(
            "%1", str(lesson["quiz_best"])).replace("%2", str(lesson["quiz_total"])))
    if lesson.get("last_at"):
        parts.append(last_active_text(lesson["last_at"]))
    return " · ".join(parts)


def session_line(run: dict[str, Any]) -> str:
    when = (run.get("started_at") or "")[:16].replace("T", " ")
    text = translate("GroupsPage", "%1 minutes").replace("%1", f"{run['minutes']:g}")
    if run.get("played"):
        text += " · " + translate("GroupsPage", "watched a lesson")
    return f"{when} · {text}"


class LearnerDialog(QDialog):
    """``detail`` holds the hub's answer once it arrived (``problem`` when it did not)."""

    def __init__(self, ctx: AppContext, group_id: int, row: dict[str, Any],
                 titles: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("learnerDialog")
        self.ctx = ctx
        self.row = row
        self.detail: dict[str, Any] | None = None
        self.problem = ""
        layout = QVBoxLayout(self)
        layout.addWidget(heading(f"{row['name']} ({row['username']})", 1.3, self))
        model = LearnersModel()
        model.titles = titles
        self.reasons = text_label(model.help_text(row) or translate(
            "GroupsPage", "Nothing to worry about."), self)
        self.reasons.setWordWrap(True)
        layout.addWidget(self.reasons)
        self.body = text_label(translate("GroupsPage", "Asking the server…"), self)
        self.body.setWordWrap(True)
        layout.addWidget(VerticalScroll(self.body), 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setWindowTitle(row["name"])
        self.resize(640, 520)
        profile_id = ctx.profile_id

        def work(task: TaskContext) -> dict[str, Any]:
            with open_trainer_api(task.services.credentials, profile_id) as api:
                return api.learner(group_id, int(row["account_id"]))

        ctx.tasks.run_network(work, on_done=self._show, on_error=self._failed)

    def _show(self, detail: dict[str, Any]) -> None:
        self.detail = detail
        lessons = [lesson_line(x) for x in detail.get("lessons") or []]
        runs = [session_line(x) for x in detail.get("sessions") or []]
        self.body.setText("\n".join([
            translate("GroupsPage", "Lessons"), *(lessons or ["–"]), "",
            translate("GroupsPage", "Latest times in the app"), *(runs or ["–"])]))

    def _failed(self, exc: BaseException) -> None:
        self.problem = str(getattr(exc, "message", "") or exc)
        self.body.setText(self.problem)
