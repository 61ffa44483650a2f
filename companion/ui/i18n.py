"""The app's language: Dutch or English, through Qt's own translation files.

Source strings are English and go through ``tr()`` or ``QCoreApplication.translate()`` so that
``tools/update_translations.py`` (pyside6-lupdate) finds them. The compiled ``.qm`` files live in
``resources/i18n``. The language follows the system (``nl*`` gives Dutch, anything else English)
unless the profile chose one. Installing a translator sends ``QEvent.LanguageChange`` to every
widget, so screens retranslate themselves live.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from companion.ui.theme import resources_dir

log = logging.getLogger(__name__)

SUPPORTED_LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "en"


def i18n_dir() -> Path:
    return resources_dir() / "i18n"


def language_of_locale(name: str) -> str:
    """``nl_BE``, ``nl-NL``, ``nl`` give ``nl``; every other locale gives English."""
    return "nl" if name.replace("-", "_").lower().split("_")[0] == "nl" else DEFAULT_LANGUAGE


def system_language(locale: QLocale | None = None) -> str:
    """The language the system asks for, as one of :data:`SUPPORTED_LANGUAGES`."""
    locale = locale or QLocale.system()
    preferred = list(locale.uiLanguages()) or [locale.name()]
    return language_of_locale(preferred[0])


def resolve_language(setting: str | None, system: str | None = None) -> str:
    """The language to show: the profile's choice, else the system's."""
    if setting in SUPPORTED_LANGUAGES:
        return str(setting)
    return system or system_language()


def language_name(code: str) -> str:
    """A language's own name, the same whatever language the app shows."""
    return {"nl": "Nederlands", "en": "English"}.get(code, code)


class Translations:
    """The installed translators: the app's own and Qt's (standard dialogs and buttons)."""

    def __init__(self, directory: Path | None = None) -> None:
        self._directory = directory or i18n_dir()
        self._installed: list[QTranslator] = []
        self.language = ""

    def apply(self, language: str) -> str:
        """Show the app in ``language`` ("nl" or "en"); returns the language applied."""
        if language not in SUPPORTED_LANGUAGES:
            language = DEFAULT_LANGUAGE
        if language == self.language:
            return language
        app = QCoreApplication.instance()
        for old in self._installed:
            QCoreApplication.removeTranslator(old)
        self._installed = []
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        for name, folder in ((f"qtbase_{language}", qt_dir),
                             (f"companion_{language}", str(self._directory))):
            translator = QTranslator(app)
            if translator.load(name, folder):
                QCoreApplication.installTranslator(translator)
                self._installed.append(translator)
            elif name.startswith("companion") and language != DEFAULT_LANGUAGE:
                log.warning("no translation file %s in %s", name, folder)
        QLocale.setDefault(QLocale(QLocale.Language.Dutch if language == "nl"
                                   else QLocale.Language.English,
                                   QLocale.Country.Belgium if language == "nl"
                                   else QLocale.Country.UnitedKingdom))
        self.language = language
        return language
