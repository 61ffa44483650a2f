"""Help: the keyboard shortcuts, and what this app is."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from companion import __version__
from companion.ui.dialogs.common import Dialog, add_button, heading_label, text_label
from companion.ui.theme import app_icon

translate = QCoreApplication.translate  # the name pyside6-lupdate looks for


def shortcut_rows() -> list[tuple[str, str]]:
    """(keys, what they do), in the app's language. The lesson keys are the player's."""
    native = QKeySequence.SequenceFormat.NativeText

    def keys(seq: QKeySequence | QKeySequence.StandardKey | str) -> str:
        return QKeySequence(seq).toString(native)

    return [
        (keys("Ctrl+O"), translate("Shortcuts", "Import a lesson pack")),
        (keys("Ctrl+F"), translate("Shortcuts", "Search lessons and notes")),
        (keys("Ctrl+1"), translate("Shortcuts", "Go to Home")),
        (keys("Ctrl+2"), translate("Shortcuts", "Go to Library")),
        (keys("Ctrl+3"), translate("Shortcuts", "Go to Search")),
        (keys("Ctrl+4"), translate("Shortcuts", "Go to My notes")),
        (keys("Ctrl+5"), translate("Shortcuts", "Go to Downloads")),
        (keys("Ctrl++"), translate("Shortcuts", "Larger text")),
        (keys("Ctrl+-"), translate("Shortcuts", "Smaller text")),
        (keys("Ctrl+0"), translate("Shortcuts", "Normal text size")),
        (keys("Ctrl+B"), translate("Shortcuts", "Names in the sidebar, or only the icons")),
        (keys("F1"), translate("Shortcuts", "This list of shortcuts")),
        (keys("Ctrl+Q"), translate("Shortcuts", "Quit")),
        (keys("Space"), translate("Shortcuts", "In a lesson: play or pause")),
        (keys("Left") + " / " + keys("Right"),
         translate("Shortcuts", "In a lesson: 10 seconds back or forward")),
        (keys("F"), translate("Shortcuts", "In a lesson: full screen")),
        (keys("M"), translate("Shortcuts", "In a lesson: sound off or on")),
        (keys("C"), translate("Shortcuts", "In a lesson: subtitles on or off")),
        (keys("Esc"), translate("Shortcuts", "In a lesson: leave full screen")),
    ]


class ShortcutsDialog(Dialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        layout = QVBoxLayout(self)
        self.title = heading_label(self)
        layout.addWidget(self.title)
        self.table = QTableWidget(0, 2, self)
        self.table.setObjectName("shortcutsTable")
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table)
        box = QDialogButtonBox(self)
        self.close_button = add_button(box, QDialogButtonBox.ButtonRole.RejectRole,
                                       "closeButton")
        box.rejected.connect(self.reject)
        layout.addWidget(box)
        self.retranslate()
        self.resize(self.fontMetrics().height() * 34, self.fontMetrics().height() * 30)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self.title.setText(self.tr("Keyboard shortcuts"))
        self.table.setHorizontalHeaderLabels([self.tr("Keys"), self.tr("What it does")])
        self.table.setAccessibleName(self.tr("Keyboard shortcuts"))
        rows = shortcut_rows()
        self.table.setRowCount(len(rows))
        for row, (keys, what) in enumerate(rows):
            self.table.setItem(row, 0, QTableWidgetItem(keys))
            self.table.setItem(row, 1, QTableWidgetItem(what))
        self.close_button.setText(self.tr("&Close"))
        self.close_button.setAccessibleName(self.tr("Close"))


class AboutDialog(Dialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        layout = QVBoxLayout(self)
        logo = QLabel(self)
        logo.setPixmap(app_icon().pixmap(64, 64))
        logo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(logo)
        self.title = heading_label(self, 1.5)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.title)
        self.body = text_label(self)
        layout.addWidget(self.body)
        self.version = text_label(self)
        self.version.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.version)
        box = QDialogButtonBox(self)
        self.close_button = add_button(box, QDialogButtonBox.ButtonRole.RejectRole,
                                       "closeButton")
        box.rejected.connect(self.reject)
        layout.addWidget(box)
        self.retranslate()
        self.setMaximumWidth(self.fontMetrics().height() * 32)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("About Course companion"))
        self.title.setText(self.tr("Course companion"))
        self.body.setText(self.tr(
            "Short video lessons about social media for your shop, with your own notes. "
            "Everything works without internet: what you do is kept on this computer and sent "
            "to your group when there is a connection."))
        self.version.setText(self.tr("Version %1 · free software (GPL 3 or later)")
                             .replace("%1", __version__))
        self.close_button.setText(self.tr("&Close"))
        self.close_button.setAccessibleName(self.tr("Close"))
