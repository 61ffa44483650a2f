"""Changes announce themselves (docs/architecture.md): whatever changes the library says so
once, on one signal, as a :class:`Redraw` (which parts of the app may need redrawing); each
screen decides whether to redraw. Screens never call each other.

Named apart from the library's own change log (``core/changelog.Change``, what sync sends) and
the hub's push and pull (``hub/push_pull.py``): these flags never leave the app."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal


@dataclass(frozen=True)
class Redraw:
    """What changed, as flags for the screens. Screens look only at the flags they care
    about."""

    packs: bool = False          # packs/lessons installed, updated or removed
    progress: bool = False       # positions, done, quiz scores
    notes: bool = False
    profile: bool = False        # switched profile or edited the current one
    settings: bool = False       # text size, language, player options
    sync: bool = False           # sync state or comments (later)
    lesson_id: str | None = None  # set when the change is about one lesson
    from_hub: bool = False       # arrived by sync (not typed here): nothing new to send

    @classmethod
    def everything(cls) -> Redraw:
        return cls(packs=True, progress=True, notes=True, profile=True, settings=True,
                   sync=True)


class ChangeBus(QObject):
    changed = Signal(object)

    def announce(self, changes: Redraw) -> None:
        self.changed.emit(changes)
