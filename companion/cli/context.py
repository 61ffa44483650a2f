"""What every CLI command gets: the resolved home and, opened on first use, the services."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from companion.services import Services


class CliFailure(Exception):
    """Raised by a command that has already told the person what went wrong."""

    def __init__(self, status: int = 1) -> None:
        super().__init__(status)
        self.status = status


@dataclass
class CliContext:
    home: str | None = None
    profile_name: str | None = None
    _services: Services | None = field(default=None, repr=False)

    @property
    def services(self) -> Services:
        """The library services, opened on first use (commands like ``keys generate`` need none)."""
        if self._services is None:
            from companion.services import build_services

            self._services = build_services(home=self.home)
        return self._services

    def profile_id(self) -> int:
        """The profile to act as: ``--profile NAME`` (made on first use), else the current one."""
        profiles = self.services.profiles
        if self.profile_name:
            return profiles.ensure(self.profile_name).id
        return profiles.current_or_default().id

    def warn(self, message: str) -> None:
        print(f"warning: {message}", file=sys.stderr)

    def fail(self, message: str, status: int = 1) -> CliFailure:
        print(f"error: {message}", file=sys.stderr)
        return CliFailure(status)

    def close(self) -> None:
        if self._services is not None:
            self._services.close()
            self._services = None
