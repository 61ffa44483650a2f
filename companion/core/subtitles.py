"""SubRip (.srt) subtitles: a forgiving parser and a lookup of the cue shown at a time.

Subtitle files for lessons come from many hands (a trainer's text editor on Windows, an online
captioning tool, a phone app), so the parser accepts what people actually produce: a byte order
mark, CRLF or CR line ends, missing blank lines between cues, missing cue numbers, a dot instead
of a comma before the milliseconds, and formatting tags. A cue it cannot read is skipped; it never
raises on bad content, because a broken subtitle must not stop a lesson from playing.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from pathlib import Path

_TIME = r"(?:(\d{1,3}):)?(\d{1,2}):(\d{1,2})(?:[,.:](\d{1,3}))?"
_TIMING_RE = re.compile(rf"^\s*{_TIME}\s*-+>\s*{_TIME}")
_TAG_RE = re.compile(r"</?(?:[ibus]|font)(?:\s[^>]*)?>|\{\\[^}]*\}", re.IGNORECASE)
_INDEX_RE = re.compile(r"^\s*\d+\s*$")


@dataclass(frozen=True)
class Cue:
    start_ms: int
    end_ms: int
    text: str


def _to_ms(hours: str | None, minutes: str, seconds: str, fraction: str | None) -> int:
    # "5" after the comma means 500 ms, not 5 ms: pad on the right like a decimal fraction.
    ms = int((fraction or "0").ljust(3, "0")[:3])
    return ((int(hours or 0) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + ms


def _parse_timing(line: str) -> tuple[int, int] | None:
    match = _TIMING_RE.match(line)
    if match is None:
        return None
    g = match.groups()
    if int(g[2]) >= 60 or int(g[6]) >= 60:
        return None
    return _to_ms(*g[0:4]), _to_ms(*g[4:8])


def _clean(lines: list[str]) -> str:
    text = "\n".join(_TAG_RE.sub("", line).strip() for line in lines)
    return text.strip()


def parse_srt(text: str) -> list[Cue]:
    """Every readable cue of a SubRip text, sorted by start time; unreadable cues are skipped."""
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    cues: list[Cue] = []
    current: tuple[int, int] | None = None
    body: list[str] = []

    def finish() -> None:
        if current is not None:
            start, end = current
            cue_text = _clean(body)
            if cue_text and end > start:
                cues.append(Cue(start, end, cue_text))

    for i, line in enumerate(lines):
        timing = _parse_timing(line)
        if timing is not None or "-->" in line:
            # A timing line always starts a new cue, even without a blank line before it.
            # A line with an arrow that cannot be read drops that cue (current becomes None).
            finish()
            current, body = timing, []
            continue
        if current is None:
            continue
        next_line = lines[i + 1] if i + 1 < len(lines) else ""
        if _INDEX_RE.match(line) and "-->" in next_line:
            continue  # the number of the next cue, where the blank line was left out
        if not line.strip():
            if body:
                finish()
                current, body = None, []
            continue
        body.append(line)
    finish()
    cues.sort(key=lambda c: (c.start_ms, c.end_ms))
    return cues


def read_srt(path: str | Path) -> list[Cue]:
    """The cues of a SubRip file; files in UTF-8 (with or without BOM) or Windows-1252."""
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    return parse_srt(text)


class SubtitleTrack:
    """The cues of one video, with a fast lookup of the text to show at a position."""

    def __init__(self, cues: list[Cue] | None = None) -> None:
        self.cues: list[Cue] = sorted(cues or [], key=lambda c: (c.start_ms, c.end_ms))
        self._starts = [c.start_ms for c in self.cues]
        self._longest_ms = max((c.end_ms - c.start_ms for c in self.cues), default=0)

    def __len__(self) -> int:
        return len(self.cues)

    def __bool__(self) -> bool:
        return bool(self.cues)

    def cues_at(self, position_ms: int) -> list[Cue]:
        """The cues shown at ``position_ms`` (start inclusive, end exclusive)."""
        hi = bisect.bisect_right(self._starts, position_ms)
        lo = bisect.bisect_left(self._starts, position_ms - self._longest_ms)
        return [c for c in self.cues[lo:hi] if c.start_ms <= position_ms < c.end_ms]

    def text_at(self, position_ms: int) -> str:
        """The text to show at ``position_ms`` (overlapping cues one under the other), or ""."""
        return "\n".join(c.text for c in self.cues_at(position_ms))

    def search(self, needle: str) -> list[Cue]:
        """Cues whose text contains ``needle``, case-insensitive (for search in subtitle text)."""
        folded = needle.casefold()
        return [c for c in self.cues if folded in c.text.casefold()]
