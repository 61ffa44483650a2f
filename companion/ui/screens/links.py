"""Text from others (trainer's notes, comments) that may carry links or direction controls:
links open in the browser only when they show what they open."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices

# Characters that reorder the text around them: a right-to-left override in a web address
# makes "https://bank.example/\u202egpj.exe" show as something else than what opens.
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                          "\u2066\u2067\u2068\u2069")
# The ones whose effect reaches past themselves (embeddings, overrides, isolates), as opposed to
# the marks (LRM, RLM, ALM) that right-to-left writing uses inside ordinary text.
BIDI_OVERRIDES = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def has_bidi_controls(text: str) -> bool:
    return any(ch in BIDI_CONTROLS for ch in text)


def without_bidi(text: str, controls: frozenset[str] = BIDI_CONTROLS) -> str:
    """``text`` without the given direction controls (all of them by default)."""
    return "".join(ch for ch in text if ch not in controls)


def open_web_link(link: QUrl | str) -> None:
    """Open a link from the trainer's notes or a comment in the browser: http and https only,
    never a file or any other scheme, and never an address with direction controls in it (it
    would not open what it shows)."""
    url = QUrl(link)
    shown = link if isinstance(link, str) else link.toString()
    decoded = url.toString(QUrl.ComponentFormattingOption.FullyDecoded)
    if has_bidi_controls(shown) or has_bidi_controls(decoded):
        return
    if url.scheme().lower() in ("http", "https") and url.isValid():
        QDesktopServices.openUrl(url)
