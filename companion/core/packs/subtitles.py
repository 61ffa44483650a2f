"""Subtitles in packs: a strict check of a trainer's ``.srt`` file, and its words for search.

Playback and import read subtitles with the forgiving parser of :mod:`companion.core.subtitles`.
The builder is stricter on purpose: a timing line it cannot read is an error with its line
number, so the trainer fixes it before the pack leaves the office instead of a cue silently
missing on every shop PC.
"""

from __future__ import annotations

import re

from companion.core.subtitles import parse_srt

_TIME = r"(\d{1,2}):([0-5]\d):([0-5]\d)[,.](\d{1,3})"
_TIMING_RE = re.compile(rf"^\s*{_TIME}\s*-->\s*{_TIME}(\s.*)?$")


class SrtError(ValueError):
    def __init__(self, line: int, problem: str) -> None:
        super().__init__(f"line {line}: {problem}")
        self.line = line


def _ms(h: str, m: str, s: str, frac: str) -> int:
    return ((int(h) * 60 + int(m)) * 60 + int(s)) * 1000 + int(frac.ljust(3, "0"))


def check_srt(text: str) -> int:
    """Raise :class:`SrtError` for the first unreadable timing line; returns the cue count."""
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for number, line in enumerate(lines, start=1):
        if "-->" not in line:
            continue
        match = _TIMING_RE.match(line)
        if match is None:
            raise SrtError(number, "expected a timing line like 00:00:01,000 --> 00:00:03,500")
        g = match.groups()
        if _ms(*g[4:8]) <= _ms(*g[0:4]):
            raise SrtError(number, "the cue ends before it starts")
    cues = parse_srt(text)
    if not cues:
        raise SrtError(1, "no subtitles found (a cue is a number, a timing line and its text)")
    return len(cues)


def srt_plain_text(text: str) -> str:
    """The words of the cues, one cue per line, for full-text search."""
    return "\n".join(c.text.replace("\n", " ") for c in parse_srt(text))
