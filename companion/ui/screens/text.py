"""Texts as people read them on the pages: video times, and search snippets rendered safely."""

from __future__ import annotations

import html

MARK_OPEN = "«"
MARK_CLOSE = "»"


def clock(seconds: float) -> str:
    """``1:42`` (``1:02:03`` past an hour): a video time as a person reads it."""
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def snippet_html(snippet: str) -> str:
    """A search snippet as HTML: the parts the core marked with « » in bold, everything else
    escaped, so text that looks like HTML in a lesson or note is shown as typed."""
    out: list[str] = []
    rest = snippet
    while rest:
        start = rest.find(MARK_OPEN)
        end = rest.find(MARK_CLOSE, start + 1) if start >= 0 else -1
        if start < 0 or end < 0:
            out.append(html.escape(rest.replace(MARK_OPEN, "").replace(MARK_CLOSE, "")))
            break
        out.append(html.escape(rest[:start].replace(MARK_CLOSE, "")))
        out.append("<b>" + html.escape(rest[start + 1:end]) + "</b>")
        rest = rest[end + 1:]
    return "".join(out)


def plain_snippet(snippet: str) -> str:
    """The snippet without the match marks (for accessible text and tooltips)."""
    return snippet.replace(MARK_OPEN, "").replace(MARK_CLOSE, "")
