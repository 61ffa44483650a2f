"""Qt's own strings that Qt's Dutch translation (``qtbase_nl.qm``) lacks for this Qt version.

Qt 6.11 renamed a few texts of its file dialog ("&Look in:", "Files of &type:", the "Folder"
and "Drive" types), and the ``qtbase_nl.qm`` shipped with PySide6 still has only the old ones,
so the dialog came up half English. Listed here, ``tools/update_translations.py`` puts them in
our own ``companion_nl.ts`` under Qt's contexts; our translator then answers for Qt's widgets
too (a translator is asked for every context). Nothing calls :func:`qt_strings` for its result.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

translate = QCoreApplication.translate  # the name pyside6-lupdate looks for


def qt_strings() -> list[str]:
    """The strings, translated (for tests: each must differ from the English in Dutch)."""
    return [
        translate("QFileDialog", "&Look in:"),
        translate("QFileDialog", "Files of &type:"),
        translate("QAbstractFileIconProvider", "Folder", "All other platforms"),
        translate("QAbstractFileIconProvider", "Drive"),
    ]
