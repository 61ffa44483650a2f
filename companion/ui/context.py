"""What every screen receives: the services, the current profile, the task runner and the
change bus. Built once by ``companion.ui.main`` from the composition root; no globals."""

from __future__ import annotations

from PySide6.QtCore import QObject

from companion.core.profiles import Profile
from companion.core.sessions import SessionRecorder
from companion.services import Services
from companion.ui.redraw import ChangeBus, Redraw
from companion.ui.tasks import TaskRunner


class AppContext(QObject):
    """Shared by the screens. ``services`` is for quick work on the UI thread (a few ms);
    anything slower goes through ``tasks`` (``run_library`` has its own connection).

    ``sessions`` records learning sessions: the lesson screen calls
    ``ctx.sessions.lesson_played(ctx.profile_id, lesson_id, from_s, to_s)`` when playing stops.
    """

    def __init__(self, services: Services, tasks: TaskRunner, bus: ChangeBus,
                 profile_id: int, sessions: SessionRecorder | None = None) -> None:
        super().__init__()
        self.services = services
        self.tasks = tasks
        self.bus = bus
        self._profile_id = profile_id
        self.sessions = sessions or SessionRecorder(services.db)

    @property
    def profile_id(self) -> int:
        return self._profile_id

    @property
    def profile(self) -> Profile:
        return self.services.profiles.get(self._profile_id)

    def switch_profile(self, profile_id: int) -> None:
        """Another person takes over: their session starts, the previous one ends."""
        self.services.profiles.switch(profile_id)
        previous, self._profile_id = self._profile_id, profile_id
        if previous != profile_id:
            self.sessions.app_closed(previous)
            self.sessions.app_opened(profile_id)
        self.bus.announce(Redraw.everything())

    def announce(self, changes: Redraw) -> None:
        self.bus.announce(changes)
