"""Publish a lesson pack to my groups from the app (issue 10), as ``companion pack publish``.

Choose a ``.cpack``, tick the groups; the upload runs on the network lane with a progress bar.
Only the files the hub lacks are sent, and a dropped link is retried (the publisher's own
retries): publishing again after a failure sends only what is still missing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from companion.sync.client import HubError
from companion.sync.hub_login import open_hub
from companion.sync.publish import PublishError, PublishResult, publish_pack
from companion.ui.context import AppContext
from companion.ui.screens.groups.manage import GROUPS_PREF
from companion.ui.screens.widgets import heading, text_label
from companion.ui.tasks import TaskContext


class PublishDialog(QDialog):
    """``results`` holds what was published once done; ``problem`` the last error."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("publishDialog")
        self.ctx = ctx
        self.path: Path | None = None
        self.results: list[PublishResult] = []
        self.problem = ""
        self.busy = False
        layout = QVBoxLayout(self)
        self.title = heading(self.tr("Publish a lesson pack"), 1.3, self)
        layout.addWidget(self.title)
        row = QHBoxLayout()
        self.file_label = text_label(self.tr("No pack chosen yet."), self)
        self.file_label.setWordWrap(True)
        self.choose_button = QPushButton(self.tr("Choose a pack…"), self)
        self.choose_button.clicked.connect(self._choose)
        row.addWidget(self.file_label, 1)
        row.addWidget(self.choose_button)
        layout.addLayout(row)
        layout.addWidget(text_label(self.tr("Offer it to:"), self))
        self.group_boxes: list[tuple[QCheckBox, dict[str, Any]]] = []
        for group in self._groups():
            box = QCheckBox(str(group["name"]), self)
            box.setChecked(True)
            layout.addWidget(box)
            self.group_boxes.append((box, group))
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 1000)
        self.progress.setValue(0)
        layout.addWidget(self.progress)
        self.status = text_label("", self)
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        buttons = QDialogButtonBox(self)
        self.publish_button = buttons.addButton(self.tr("Publish"),
                                                QDialogButtonBox.ButtonRole.AcceptRole)
        self.publish_button.clicked.connect(self.publish)
        buttons.addButton(QDialogButtonBox.StandardButton.Close).clicked.connect(self.reject)
        layout.addWidget(buttons)
        self.setWindowTitle(self.tr("Publish a lesson pack"))
        self._buttons()

    def _groups(self) -> list[dict[str, Any]]:
        try:
            kept = json.loads(self.ctx.services.preferences.get(GROUPS_PREF, self.ctx.profile_id)
                              or "[]")
        except ValueError:
            return []
        return [g for g in kept if isinstance(g, dict) and "name" in g] \
            if isinstance(kept, list) else []

    def _choose(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Choose a lesson pack"), "",
                                              self.tr("Lesson packs (*.cpack)"))
        if path:
            self.choose(path)

    def choose(self, path: str | Path) -> None:
        self.path = Path(path)
        self.file_label.setText(self.path.name)
        self._buttons()

    def chosen_groups(self) -> list[str]:
        return [str(g["name"]) for box, g in self.group_boxes if box.isChecked()]

    def _buttons(self) -> None:
        self.publish_button.setEnabled(not self.busy and self.path is not None
                                       and bool(self.chosen_groups()))
        self.choose_button.setEnabled(not self.busy)

    def publish(self) -> None:
        groups, path, profile_id = self.chosen_groups(), self.path, self.ctx.profile_id
        if path is None or not groups or self.busy:
            return
        self.busy = True
        self.problem = ""
        self.status.setText(self.tr("Sending…"))
        self._buttons()

        def work(task: TaskContext) -> list[PublishResult]:
            done = []
            with open_hub(task.services.credentials, profile_id) as http:
                for index, group in enumerate(groups):
                    def progress(sent: int, total: int, index: int = index) -> None:
                        share = sent / total if total else 1.0
                        task.progress((index + share) / len(groups))

                    done.append(publish_pack(http, path, group, progress, lambda: task.cancelled))
            return done

        self.ctx.tasks.run_network(work, on_done=self._done, on_error=self._failed,
                                   on_progress=self._progress)

    def _progress(self, share: float) -> None:
        self.progress.setValue(round(1000 * max(0.0, min(1.0, share))))

    def _done(self, results: list[PublishResult]) -> None:
        self.busy = False
        self.results = results
        self.progress.setValue(1000)
        self.status.setText(self.tr("Published to %1.").replace(
            "%1", ", ".join(r.group_name for r in results)))
        self._buttons()

    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        if isinstance(exc, PublishError | HubError):
            self.problem = str(getattr(exc, "message", "") or exc)
        else:
            self.problem = str(exc)
        self.status.setText(self.tr("Not published: %1 Publishing again sends only what is "
                                    "still missing.").replace("%1", self.problem))
        self._buttons()
