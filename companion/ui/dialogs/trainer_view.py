"""What my trainer sees (issue 10): a learner's own row of each group's report, in plain words.

Read from the hub (``GET /v1/me/report``) on the network lane; notes and drafts are never part
of it, and the dialog says so.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from companion.sync.trainer import open_trainer_api
from companion.ui.context import AppContext
from companion.ui.screens.groups.data import LearnersModel, last_active_text, rung_name
from companion.ui.screens.widgets import VerticalScroll, heading, text_label
from companion.ui.tasks import TaskContext


class TrainerViewDialog(QDialog):
    """Fetches my rows at once; ``rows`` holds them (group name, row) when they arrive."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trainerViewDialog")
        self.ctx = ctx
        self.rows: list[tuple[str, dict[str, Any]]] | None = None
        self.problem = ""
        layout = QVBoxLayout(self)
        self.title = heading("", 1.3, self)
        layout.addWidget(self.title)
        self.intro = text_label("", self)
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.body = text_label("", self)
        self.body.setWordWrap(True)
        layout.addWidget(VerticalScroll(self.body), 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setWindowTitle(self.tr("What my trainer sees"))
        self.title.setText(self.tr("What my trainer sees"))
        self.intro.setText(self.tr(
            "Your trainer sees your progress in the lessons, when you use the app, your quiz "
            "scores and your name, motto and photo. Never your notes or unsent texts."))
        self.body.setText(self.tr("Asking the server…"))
        self.resize(560, 480)
        self.fetch()

    def fetch(self) -> None:
        profile_id = self.ctx.profile_id

        def work(task: TaskContext) -> list[tuple[str, dict[str, Any]]]:
            out = []
            with open_trainer_api(task.services.credentials, profile_id) as api:
                for group in api.groups(with_members=False):
                    if group.role != "learner":
                        continue
                    for row in api.my_report(group.id)["learners"]:
                        out.append((group.name, row))
            return out

        self.ctx.tasks.run_network(work, on_done=self._show, on_error=self._failed)

    def _show(self, rows: list[tuple[str, dict[str, Any]]]) -> None:
        self.rows = rows
        if not rows:
            self.body.setText(self.tr("You are not a learner in a group on the server."))
            return
        model = LearnersModel()
        parts = []
        for group, row in rows:
            parts.append("\n".join([
                group,
                self.tr("Lessons done: %1 of %2").replace("%1", str(row["lessons_done"]))
                .replace("%2", str(row["lessons_started"])),
                self.tr("Last active: %1").replace("%1", last_active_text(row["last_active"])),
                self.tr("Times you used the app: %1 (%2 minutes)")
                .replace("%1", str(row["sessions"])).replace("%2", f"{row['minutes']:g}"),
                self.tr("Quizzes: %1").replace("%1", model.quiz_text(row)),
                self.tr("Taking part: %1").replace("%1", rung_name(row["rung"])),
                self.tr("Needs help: %1").replace("%1", model.help_text(row) or "–"),
            ]))
        self.body.setText("\n\n".join(parts))

    def _failed(self, exc: BaseException) -> None:
        self.problem = str(getattr(exc, "message", "") or exc)
        self.body.setText(self.tr("The server cannot be reached right now: %1")
                          .replace("%1", self.problem))
