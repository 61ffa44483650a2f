"""The trainer's workspace on the hub (issue 10), for the CLI and the app alike (no Qt).

Thin calls over :class:`~companion.sync.client.HubClient`: my groups with member counts, a
group's report, hiding and restoring comments, invite codes, removing members and splitting a
group. A group is named by its name (case ignored) or its number, as ``pack publish`` does.
"""

from __future__ import annotations

import contextlib
import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from companion.core.errors import CompanionError
from companion.sync.client import HubClient

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
CSV_FILES = ("learners.csv", "lessons.csv", "hours.csv")


class GroupNotFound(CompanionError):
    """No group of that name among the person's groups."""


class NotConnected(CompanionError):
    """The profile has no hub login."""


class NotTrainer(CompanionError):
    """The person is in the group, but not as its trainer."""


@dataclass(frozen=True)
class MyGroup:
    id: int
    name: str
    role: str
    members: int
    invite_code: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "role": self.role, "members": self.members,
                "invite_code": self.invite_code}


class TrainerApi:
    def __init__(self, client: HubClient) -> None:
        self._client = client

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        response = self._client._request(method, path, body)
        return None if response.status_code == 204 else self._client._json(response)

    def groups(self, with_members: bool = True) -> list[MyGroup]:
        """My groups with my role and how many learners each has."""
        out = []
        for g in self._call("GET", "/v1/groups"):
            count = 0
            if with_members and g.get("role") != "reader":
                members = self._call("GET", f"/v1/groups/{int(g['id'])}/members")
                count = sum(1 for m in members if m.get("role") == "learner")
            out.append(MyGroup(int(g["id"]), str(g["name"]), str(g.get("role") or ""), count,
                               g.get("invite_code")))
        return out

    def find(self, name: str, *, trainer: bool = True) -> MyGroup:
        """The group called ``name`` (or with that number); with ``trainer``, only one I train."""
        wanted = name.strip().casefold()
        for g in self.groups(with_members=False):
            if g.name.casefold() == wanted or str(g.id) == wanted:
                if trainer and g.role != "trainer":
                    raise NotTrainer(f"only a trainer of {g.name} can do this")
                return g
        raise GroupNotFound(f"no group {name!r} among your groups")

    def report(self, group_id: int, days: int = 30) -> dict[str, Any]:
        return dict(self._call("GET", f"/v1/groups/{group_id}/report?days={int(days)}"))

    def ladder(self, group_id: int, weeks: int = 12) -> dict[str, Any]:
        """The participation ladder week by week, worked out by the hub."""
        return dict(self._call("GET", f"/v1/groups/{group_id}/ladder?weeks={int(weeks)}"))

    def learner(self, group_id: int, account_id: int) -> dict[str, Any]:
        """One learner's lessons and latest sessions (the trainer's double-click)."""
        return dict(self._call("GET", f"/v1/groups/{group_id}/learners/{int(account_id)}"))

    def my_report(self, group_id: int, days: int = 30) -> dict[str, Any]:
        """What my trainer sees: my own row of the group's report."""
        return dict(self._call("GET", f"/v1/me/report?group={group_id}&days={int(days)}"))

    def comments(self, group_id: int) -> list[dict[str, Any]]:
        """The group's discussion across all lessons, in the hub's order (hidden ones with
        their reason; a trainer reads their text)."""
        return list(self._call("GET", f"/v1/groups/{group_id}/comments"))

    def hide(self, comment_id: str, reason: str) -> dict[str, Any]:
        return dict(self._call("POST", f"/v1/comments/{quote(comment_id, safe='')}/hide",
                               {"reason": reason}))

    def restore(self, comment_id: str) -> dict[str, Any]:
        return dict(self._call("POST", f"/v1/comments/{quote(comment_id, safe='')}/restore"))

    def new_invite(self, group_id: int) -> str:
        return str(self._call("POST", f"/v1/groups/{group_id}/invite")["invite_code"])

    def remove_member(self, group_id: int, account_id: int) -> None:
        self._call("DELETE", f"/v1/groups/{group_id}/members/{int(account_id)}")

    def split(self, group_id: int, into: int) -> list[dict[str, Any]]:
        return list(self._call("POST", f"/v1/groups/{group_id}/split",
                               {"into": int(into)})["groups"])


@contextlib.contextmanager
def open_trainer_api(credentials: Any, profile_id: int) -> Iterator[TrainerApi]:
    """The trainer API on ``profile_id``'s hub login (``credentials``: the library's
    :class:`~companion.sync.credentials.CredentialStore`)."""
    login = credentials.login(profile_id)
    if login is None:
        raise NotConnected("this profile is not connected to a hub")
    with HubClient(login.hub_url, credentials.token(profile_id), ca_file=login.ca_file) as client:
        yield TrainerApi(client)


def write_csv(report: dict[str, Any], folder: Path | str) -> list[Path]:
    """``learners.csv``, ``lessons.csv`` and ``hours.csv`` of a report into ``folder``
    (made when missing). UTF-8 with a byte order mark, so a spreadsheet opens it right."""
    out = Path(folder)
    try:
        out.mkdir(parents=True, exist_ok=True)
        paths = [out / name for name in CSV_FILES]
        with open(paths[0], "w", newline="", encoding="utf-8-sig") as f:
            w = csv.writer(f)
            w.writerow(["username", "name", "motto", "lessons_done", "lessons_started",
                        "last_active", "sessions", "minutes", "rung", "rungs", "needs_help"])
            for r in report["learners"]:
                w.writerow([r["username"], r["name"], r.get("motto", ""), r["lessons_done"],
                            r["lessons_started"], r["last_active"] or "", r["sessions"],
                            r["minutes"], r["rung"], ";".join(r["rungs"]),
                            "; ".join(h.get("text", h.get("code", "")) for h in r["needs_help"])])
        with open(paths[1], "w", newline="", encoding="utf-8-sig") as f:
            w = csv.writer(f)
            w.writerow(["lesson_id", "title", "viewers", "completions", "median_watched"])
            for x in report["lessons"]:
                w.writerow([x["lesson_id"], x["title"], x["viewers"], x["completions"],
                            "" if x.get("median_watched") is None else x["median_watched"]])
        with open(paths[2], "w", newline="", encoding="utf-8-sig") as f:
            w = csv.writer(f)
            w.writerow(["weekday", *range(24)])
            for day, counts in zip(WEEKDAYS, report["hours"], strict=True):
                w.writerow([day, *counts])
    except OSError as exc:
        raise CompanionError(f"cannot write the CSV files in {out}: {exc.strerror or exc}") \
            from exc
    return paths


@dataclass(frozen=True)
class FetchedReport:
    """A report for the trainer's page: fresh from the hub, or the last one kept when the hub
    cannot be reached (``offline``, with the hub's message in ``problem``)."""

    report: dict[str, Any]
    fetched_at: str
    offline: bool = False
    problem: str = ""


def fetch_report(api: TrainerApi, cache: Any, profile_id: int, group_id: int,
                 days: int = 30) -> FetchedReport:
    """Fetch a group's report and keep it in the library (``cache``: a
    :class:`~companion.core.report_cache.ReportCache`); when the hub is out of reach, the last
    kept report of the group instead. Raises the hub's error when there is none to show."""
    from companion.sync.client import HubOffline

    try:
        report = api.report(group_id, days)
    except HubOffline as exc:
        kept = cache.latest(profile_id, group_id)
        if kept is None:
            raise
        return FetchedReport(kept.report, kept.fetched_at, True, exc.message)
    saved = cache.save(profile_id, group_id, days, report)
    return FetchedReport(report, saved.fetched_at)
