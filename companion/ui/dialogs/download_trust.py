"""The import's "do you trust this trainer?" question, asked before a download fetches anything.

The sentences are the import window's own (same translation context), so a shopkeeper reads
the very same question whether the pack came on a USB stick or from the server.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from companion.core.packs.keys import format_fingerprint
from companion.ui.dialogs.common import Dialog, heading_label, text_label
from companion.ui.theme import icon, relative_min_width

translate = QCoreApplication.translate  # the name pyside6-lupdate looks for

TRUST, ONCE, DECLINE = 1, 2, 3  # what exec() returns


class DownloadTrustDialog(Dialog):
    """Asks about the signer ``name`` with ``fingerprint`` ("" when the pack is unsigned) of
    the pack ``title``; ``exec()`` returns TRUST, ONCE or DECLINE."""

    def __init__(self, title: str, name: str, fingerprint: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("downloadTrustDialog")
        self.pack_title, self.name, self.fingerprint = title, name, fingerprint
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.icon = QLabel(self)
        self.icon.setPixmap(icon("dialog-trust").pixmap(48, 48))
        self.title = heading_label(self)
        top.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.title, 1)
        layout.addLayout(top)
        self.pack_label = text_label(self)
        self.text = text_label(self)
        self.key_label = QLabel(self)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(QFont().pointSizeF() * 1.3)
        self.key_label.setFont(font)
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hint = text_label(self)
        for widget in (self.pack_label, self.text, self.key_label, self.hint):
            layout.addWidget(widget)
        layout.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        self.decline_button = QPushButton(self)
        self.once_button = QPushButton(self)
        self.trust_button = QPushButton(self)
        for button, answer in ((self.decline_button, DECLINE), (self.once_button, ONCE),
                               (self.trust_button, TRUST)):
            button.clicked.connect(lambda _=False, a=answer: self.done(a))
            row.addWidget(button)
        layout.addLayout(row)
        self.retranslate()
        relative_min_width(self, 30)
        (self.trust_button if fingerprint else self.decline_button).setDefault(True)

    def retranslate(self) -> None:
        name = self.name
        self.setWindowTitle(self.tr("Download from the server"))
        self.pack_label.setText(self.tr("Lesson pack: %1").replace("%1", self.pack_title))
        if self.fingerprint:
            self.title.setText(translate("ImportDialog", "Do you trust lessons from “%1”?")
                               .replace("%1", name))
            self.text.setText(translate(
                "ImportDialog",
                "This lesson pack was made by “%1”, but this computer does not know them yet. "
                "Every trainer has their own key. This is the fingerprint of theirs:").replace(
                "%1", name))
            self.key_label.setText(format_fingerprint(self.fingerprint))
            self.key_label.setAccessibleName(translate("ImportDialog", "Key fingerprint %1")
                                             .replace("%1", format_fingerprint(self.fingerprint)))
            self.hint.setText(self.tr(
                "If your trainer gave you the same fingerprint (on paper or by e-mail), you can "
                "trust them: their next packs are then downloaded without this question."))
            self.trust_button.setText(translate("ImportDialog", "&Yes, trust %1")
                                      .replace("%1", name))
            self.once_button.setText(translate("ImportDialog", "&Only this pack"))
        else:
            self.title.setText(translate("ImportDialog", "This lesson pack is not signed"))
            self.text.setText(self.tr(
                "Nobody can tell who made it, or whether someone changed it on the way. Download "
                "it only if your trainer told you it is not signed."))
            self.key_label.setText("")
            self.hint.setText("")
            self.once_button.setText(self.tr("&Download anyway"))
        self.trust_button.setVisible(bool(self.fingerprint))
        self.key_label.setVisible(bool(self.fingerprint))
        self.hint.setVisible(bool(self.fingerprint))
        self.decline_button.setText(self.tr("&Don't download"))
        for button in (self.trust_button, self.once_button, self.decline_button):
            button.setAccessibleName(button.text().replace("&", ""))

    def reject(self) -> None:
        """Esc or the window's close button: no answer yet (the question stays in the queue)."""
        self.done(0)
