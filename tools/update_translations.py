#!/usr/bin/env python3
"""Update the translation sources from the code and compile them (``make translations``).

Scans ``companion/ui/**/*.py`` with ``pyside6-lupdate`` into ``resources/i18n/companion_nl.ts``
(every string) and ``companion_en.ts`` (only the plural forms: the source strings are English),
then compiles both to ``.qm`` with ``pyside6-lrelease``. Translations already made are kept;
strings that left the code are dropped. Fill in new Dutch strings with Qt Linguist
(``pyside6-linguist resources/i18n/companion_nl.ts``) or in a text editor, then run this again.

``--check`` fails (exit status 1) when a Dutch string is still untranslated.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "companion" / "ui"
I18N = ROOT / "resources" / "i18n"
LANGUAGES = {"nl": [], "en": ["-pluralonly"]}


def tool(name: str) -> str:
    """A Qt tool from the same environment as this Python, else from PATH."""
    for folder in (Path(sys.executable).parent, Path(sys.executable).resolve().parent):
        candidate = folder / name
        if candidate.exists():
            return str(candidate)
    found = shutil.which(name)
    if found is None:
        sys.exit(f"error: {name} not found; install PySide6 in this environment")
    return found


def source_files() -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for p in SOURCES.rglob("*.py")
                  if "__pycache__" not in p.parts)


def unfinished(ts_file: Path) -> list[str]:
    """Source strings of ``ts_file`` that have no finished translation yet."""
    missing = []
    for message in ET.parse(ts_file).getroot().iter("message"):
        translation = message.find("translation")
        if translation is None:
            continue
        kind = translation.get("type")
        if kind in ("unfinished",) or (kind is None and not (translation.text or "").strip()
                                       and not list(translation)):
            missing.append(message.findtext("source") or "")
    return missing


def update(check: bool = False) -> int:
    I18N.mkdir(parents=True, exist_ok=True)
    files = source_files()
    for language, extra in LANGUAGES.items():
        ts_file = I18N / f"companion_{language}.ts"
        subprocess.run(
            [tool("pyside6-lupdate"), *files, "-ts", str(ts_file.relative_to(ROOT)),
             "-no-obsolete", "-locations", "none", "-source-language", "en",
             "-target-language", language, *extra],
            cwd=ROOT, check=True,
        )
        subprocess.run([tool("pyside6-lrelease"), "-silent", str(ts_file),
                        "-qm", str(ts_file.with_suffix(".qm"))], cwd=ROOT, check=True)
    missing = 0
    for language, what in (("nl", "Dutch string(s)"), ("en", "English plural form(s)")):
        todo = unfinished(I18N / f"companion_{language}.ts")
        missing += len(todo)
        if todo:
            print(f"{len(todo)} {what} still to translate:", file=sys.stderr)
            for text in todo:
                print(f"  {text!r}", file=sys.stderr)
    return 1 if check and missing else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="fail when a Dutch string has no translation yet")
    return update(check=parser.parse_args().check)


if __name__ == "__main__":
    sys.exit(main())
