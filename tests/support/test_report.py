"""The problem report (companion.support.report): what a trainer needs to see, and none of what
the learners wrote or their logins (every byte of the zip is scanned for known secrets)."""

from __future__ import annotations

import json
import logging
import sqlite3
import zipfile
from pathlib import Path

import pytest

from companion import cli
from companion.services import build_services
from companion.support import logs, report
from tests.core.fake_library import add_pack

TOKEN = "tok_9f8e7d6c5b4a39281706f5e4d3c2b1a0"
NOTE = "Mijn geheime notitie over de bakkerij\nmet een tweede regel vol plannen"
COMMENT = "Een opmerking die alleen de groep mag zien"
PROFILE = "Annabel Geheimnaam"
MOTTO = "Elke dag een beetje beter bakken"
PASSWORD = "hunter2-wachtwoord-van-anna"
SECRETS = [TOKEN, NOTE, *NOTE.splitlines(), COMMENT, PROFILE, MOTTO, PASSWORD]


@pytest.fixture
def library(home: Path):
    services = build_services(home)
    profile = services.profiles.create(PROFILE, language="nl", motto=MOTTO)
    services.profiles.switch(profile.id)
    lessons = add_pack(services.db, "pack-a", 3)
    services.notes.add(profile.id, lessons[0], NOTE)
    services.comments.add(profile.id, lessons[1], COMMENT)
    services.credentials.save(
        profile.id, hub_url="https://hub.example.org", username="anna", account_id=7,
        token=TOKEN, allow_file=True)
    yield services, profile.id, lessons
    services.close()


def _everything(path: Path) -> list[bytes]:
    """The zip's raw bytes, and every member's name and content, decompressed."""
    parts = [path.read_bytes()]
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            parts += [info.filename.encode(), archive.read(info)]
    return parts


def test_the_report_holds_versions_integrity_sync_state_and_logs(library, tmp_path: Path) -> None:
    services, profile_id, _lessons = library
    logs.setup_logging(services.locations.log_dir)
    logging.getLogger("companion.sync").warning("the hub did not answer in 30 s")
    out = tmp_path / "out" / report.default_report_name()
    result = report.build_report(out, services,
                                 extra_versions={"qt": "6.11.3"})
    assert result.path == out and result.integrity_ok and result.log_files == 1
    with zipfile.ZipFile(out) as archive:
        assert sorted(archive.namelist()) == ["logs/companion.log", "report.json"]
        data = json.loads(archive.read("report.json"))
        log_text = archive.read("logs/companion.log").decode()
    assert "the hub did not answer in 30 s" in log_text
    assert data["versions"]["companion"] and data["versions"]["qt"] == "6.11.3"
    assert {"python", "PySide6-Essentials", "libvlc", "sqlite"} <= set(data["versions"])
    assert data["system"]["os"]
    assert data["library"]["ok"] is True
    assert data["library"]["sqlite_integrity_check"] == ["ok"]
    assert data["library"]["rows"]["notes"] == 1 and data["library"]["rows"]["lessons"] == 3
    (sync,) = data["sync"]
    assert sync["hub"] == "https://hub.example.org" and sync["token_kept_in"] == "file"
    assert sync["changes_waiting"] >= 2  # the note and the comment wait to be pushed
    assert sync["profile"] == profile_id


def test_no_secret_anywhere_in_the_zip(library, tmp_path: Path) -> None:
    """Secrets the library holds, and the same secrets leaked into the log by careless code
    (an exception quoting a note, a request with its token, a password in a URL)."""
    services, _profile_id, _lessons = library
    logs.setup_logging(services.locations.log_dir, debug=True)
    log = logging.getLogger("companion.careless")
    log.debug("saving note %r", NOTE)
    log.warning("comment failed: %s", COMMENT)
    log.error("request headers: {'Authorization': 'Bearer %s'}", TOKEN)
    log.error("login to https://hub.example.org/v1/login?username=anna&password=%s", PASSWORD)
    log.info("profile %s (%s) switched", PROFILE, MOTTO)
    try:
        raise ValueError(f"cannot parse note: {NOTE.splitlines()[1]}")
    except ValueError:
        log.exception("unexpected")
    logs.close_logging()
    out = report.build_report(tmp_path / "r.zip", services).path
    everything = _everything(out)
    for secret in SECRETS:
        for encoded in {secret.encode(), json.dumps(secret)[1:-1].encode()}:
            assert not any(encoded in part for part in everything), secret
    # The lines are still there, with the secret cut out: the trainer sees what happened.
    with zipfile.ZipFile(out) as archive:
        text = archive.read("logs/companion.log").decode()
    assert "request headers" in text and "Bearer [removed]" in text
    assert "password=[removed]" in text


def test_a_missing_video_and_a_bad_row_fail_the_integrity_check(library, tmp_path: Path) -> None:
    services, _profile_id, lessons = library
    services.db.execute("UPDATE lessons SET video_sha256 = ? WHERE id = ?", ["ab" * 32, lessons[0]])
    result = report.build_report(tmp_path / "r.zip", services)
    assert not result.integrity_ok
    with zipfile.ZipFile(result.path) as archive:
        library_state = json.loads(archive.read("report.json"))["library"]
    assert library_state["videos_missing"] == 1
    assert library_state["sqlite_integrity_check"] == ["ok"]


def test_a_damaged_database_is_reported_not_raised(home: Path, tmp_path: Path) -> None:
    services = build_services(home)
    services.close()
    database = services.locations.database_path
    with sqlite3.connect(database) as conn:  # an index that no longer matches its table
        conn.execute("CREATE TABLE t(x)")
        conn.execute("CREATE INDEX t_x ON t(x)")
        conn.executemany("INSERT INTO t VALUES (?)", [(i,) for i in range(200)])
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute("UPDATE sqlite_schema SET sql = 'CREATE INDEX t_x ON t(x DESC)'"
                     " WHERE name = 't_x'")
    services = build_services(home)
    try:
        result = report.build_report(tmp_path / "r.zip", services)
    finally:
        services.close()
    assert not result.integrity_ok
    with zipfile.ZipFile(result.path) as archive:
        assert json.loads(archive.read("report.json"))["library"]["sqlite_integrity_check"] != [
            "ok"]


@pytest.mark.parametrize(("text", "expected"), [
    ("Authorization: Bearer abc.DEF-123", "Authorization: Bearer [removed]"),
    ('{"token": "xyz987"}', '{"token": "[removed]"}'),
    ("pin=4711 ok", "pin=[removed] ok"),
    ("a note 'ok' stays", "a note 'ok' stays"),  # too short to be cut
    ("saving 'open op zondag vanaf tien uur'.", "saving '[removed] [removed]'."),  # each line
    ("opening op zondag", "opening op zondag"),  # not the same text
    ("note: ['open op zondag', 'vanaf tien uur']", "note: ['[removed]', '[removed]']"),
])
def test_scrub(text: str, expected: str) -> None:
    assert report.scrub(text, ["ok", "open op zondag\nvanaf tien uur"]) == expected


def test_userinfo_is_taken_out_of_a_hub_address() -> None:
    assert report._without_userinfo("https://anna:pw@hub.example.org:8443/x") == (
        "https://hub.example.org:8443/x")


def test_the_problem_report_command(library, tmp_path: Path, capsys) -> None:
    services, _profile_id, _lessons = library
    home = str(services.locations.data_dir.parent)
    out = tmp_path / "report.zip"
    assert cli.main(["--home", home, "problem-report", "-o", str(out)]) == 0
    assert str(out) in capsys.readouterr().out
    assert not any(TOKEN.encode() in part for part in _everything(out))
