"""In Dutch, Qt's own dialogs and the app's name are Dutch too."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QLabel

from companion.ui.i18n import Translations
from companion.ui.qt_strings import qt_strings


def test_the_file_dialog_and_the_name_are_dutch(qapp, qtbot) -> None:
    """The labels Qt 6.11's Dutch file lacks come from our translations; the app's window
    title and About say its Dutch name."""
    english = qt_strings()
    translations = Translations()
    try:
        translations.apply("nl")
        dutch = qt_strings()
        assert all(nl != en for nl, en in zip(dutch, english, strict=True)), dutch
        dialog = QFileDialog(None, "", "", "*.cpack")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        qtbot.addWidget(dialog)
        labels = [label.text() for label in dialog.findChildren(QLabel)]
        assert "&Zoeken in:" in labels and not {"&Look in:", "Files of &type:"} & set(labels)
        assert QCoreApplication.translate("MainWindow", "Course companion") == "Cursusmaatje"
        assert QCoreApplication.translate("AboutDialog", "About Course companion") == \
            "Over Cursusmaatje"
    finally:
        translations.apply("en")
