"""Installing, updating, sharing, exporting and removing packs in the library."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest

from companion.core.db import now_local, write_transaction
from companion.core.errors import LibraryError, PackError, Reason
from companion.core.packs.keys import SigningKey
from companion.core.packs.lock import try_lock
from companion.core.packs.reader import UnknownSignerError
from companion.services import Services, build_services
from tests.core.packs.pack_factory import (
    SRT,
    build,
    default_lessons,
    make_key,
    media_files,
    read_pack,
    snapshot,
)


def lesson_rows(services: Services, pack_id: str) -> list[dict]:
    cur = services.db.execute(
        "SELECT id, lesson_key, position, title, video_sha256, duration_s, subtitles,"
        " subtitle_text, trainer_notes, quiz, tags FROM lessons WHERE pack_id = ?"
        " ORDER BY position", [pack_id])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def add_progress_and_note(services: Services, lesson_id: str) -> int:
    """A person's progress and note on a lesson, written the way the library code does."""
    profile = services.profiles.create("Sam").id
    now = now_local()
    with write_transaction(services.db):
        services.db.execute(
            "INSERT INTO progress(profile_id, lesson_id, position_s, watched_s, updated_at)"
            " VALUES (?, ?, 30, 30, ?)", [profile, lesson_id, now])
        services.db.execute(
            "INSERT INTO notes(id, profile_id, lesson_id, body, created_at, updated_at)"
            " VALUES ('n1', ?, ?, 'mijn notitie', ?, ?)", [profile, lesson_id, now, now])
    return profile


def test_import_installs_the_pack(library: Services, tmp_path: Path, key: SigningKey) -> None:
    """Rows for the pack, its files and lessons; every file in the store under its hash."""
    path = build(tmp_path, key)
    result = library.packs.import_pack(path)
    assert (result.status, result.pack_id, result.version, result.lessons) == (
        "installed", "test-pack", "1.0", 2)
    assert result.signer_name == "anna" and result.files_copied == 5
    assert result.bytes_copied == sum(len(b) for b in read_pack(path)[1].values())
    pack = library.packs.get_pack("test-pack")
    assert (pack.title, pack.author, pack.lesson_count, pack.file_count) == (
        "Testpakket", "Anna Trainer", 2, 5)
    assert pack.signer_fingerprint == key.public_key.fingerprint
    rows = lesson_rows(library, "test-pack")
    assert [r["id"] for r in rows] == ["test-pack/intro", "test-pack/second"]
    intro = rows[0]
    assert intro["duration_s"] == 95.0
    assert intro["subtitle_text"] == "Welkom in de winkel\nOpen Instagram"
    assert intro["trainer_notes"].startswith("# Notities")
    assert json.loads(intro["quiz"])[0]["choices"] == ["Openingsuren", "Niets"]
    assert json.loads(intro["tags"]) == ["instagram"]
    assert json.loads(intro["subtitles"])[0]["language"] == "nl"
    for name, data in read_pack(path)[1].items():
        sha = hashlib.sha256(data).hexdigest()
        assert library.packs.store.path_for(sha).read_bytes() == data, name
    assert library.packs.store.path_for(intro["video_sha256"]).exists()
    assert list(library.packs.store.tmp_dir.iterdir()) == []


def test_catalog_and_search_see_the_pack(library: Services, tmp_path: Path,
                                         key: SigningKey) -> None:
    """The lesson list and full-text search read what the import wrote."""
    library.packs.import_pack(build(tmp_path, key))
    profile = library.profiles.current_or_default().id
    lessons = library.catalog.lessons(profile, "test-pack")
    assert [x.title for x in lessons] == ["Instagram voor je winkel", "Een Facebookpagina"]
    assert lessons[0].has_subtitles
    hits = library.db.execute(
        "SELECT l.id FROM lessons_fts f JOIN lessons l ON l.rowid = f.rowid"
        " WHERE lessons_fts MATCH 'bakkerij'").fetchall()
    assert hits == [("test-pack/second",)]


def test_reimport_changes_nothing(library: Services, tmp_path: Path, key: SigningKey) -> None:
    """Importing the same pack again is 'unchanged' and leaves every row and file alone."""
    path = build(tmp_path, key)
    library.packs.import_pack(path)
    before = snapshot(library)
    result = library.packs.import_pack(path)
    assert result.status == "unchanged" and result.files_copied == 0
    assert snapshot(library) == before


def test_reimport_repairs_a_missing_file(library: Services, tmp_path: Path,
                                         key: SigningKey) -> None:
    """A store file deleted behind our back is copied again from the same pack."""
    path = build(tmp_path, key)
    library.packs.import_pack(path)
    before = snapshot(library)
    video = lesson_rows(library, "test-pack")[0]["video_sha256"]
    library.packs.store.remove(video)
    result = library.packs.import_pack(path)
    assert (result.status, result.files_copied) == ("unchanged", 1)
    assert snapshot(library)["media"] == before["media"]


def test_update_keeps_progress_and_drops_old_media(library: Services, tmp_path: Path,
                                                   key: SigningKey) -> None:
    """A newer version updates lessons, keeps progress and notes, and deletes unused media."""
    library.packs.import_pack(build(tmp_path, key))
    profile = add_progress_and_note(library, "test-pack/intro")
    old_rows = {r["id"]: r for r in lesson_rows(library, "test-pack")}
    installed_at = library.packs.get_pack("test-pack").installed_at
    lessons = default_lessons()
    lessons[0].update(title="Instagram, vernieuwd", payload=b"intro-v2")
    lessons[1:] = [{"id": "third", "title": "WhatsApp Business", "subtitles": SRT}]
    v2 = build(tmp_path, key, name="src2", version="1.1", lessons=lessons)
    result = library.packs.import_pack(v2)
    assert (result.status, result.previous_version, result.version) == ("updated", "1.0", "1.1")
    rows = lesson_rows(library, "test-pack")
    assert [r["id"] for r in rows] == ["test-pack/intro", "test-pack/third"]
    assert rows[0]["title"] == "Instagram, vernieuwd"
    assert library.packs.get_pack("test-pack").installed_at == installed_at
    progress = library.db.execute("SELECT position_s FROM progress WHERE profile_id = ? AND"
                                  " lesson_id = 'test-pack/intro'", [profile]).fetchall()
    notes = library.db.execute("SELECT body FROM notes WHERE lesson_id = 'test-pack/intro'"
                               ).fetchall()
    assert progress == [(30.0,)] and notes == [("mijn notitie",)]
    store = media_files(library)
    assert old_rows["test-pack/intro"]["video_sha256"] not in store
    assert old_rows["test-pack/second"]["video_sha256"] not in store
    assert rows[0]["video_sha256"] in store
    referenced = {r[0] for r in library.db.execute(
        "SELECT sha256 FROM pack_files UNION SELECT sha256 FROM media")}
    assert store == referenced, "the store holds exactly what the database knows"


def test_older_version_is_skipped(library: Services, tmp_path: Path, key: SigningKey) -> None:
    """An older version than the installed one changes nothing and says why."""
    library.packs.import_pack(build(tmp_path, key, name="v2", version="2.0"))
    before = snapshot(library)
    result = library.packs.import_pack(build(tmp_path, key, name="v1", version="1.9"))
    assert (result.status, result.previous_version) == ("skipped", "2.0")
    assert "version 2.0 is installed and newer" in result.describe()
    assert snapshot(library) == before


def test_same_version_new_content_updates(library: Services, tmp_path: Path,
                                          key: SigningKey) -> None:
    """A rebuild with the same version number but new content replaces the installed one."""
    library.packs.import_pack(build(tmp_path, key))
    lessons = default_lessons()
    lessons[0]["title"] = "Verbeterde titel"
    result = library.packs.import_pack(build(tmp_path, key, name="fixed", lessons=lessons))
    assert result.status == "updated"
    assert lesson_rows(library, "test-pack")[0]["title"] == "Verbeterde titel"


def test_shared_media_stored_once(library: Services, tmp_path: Path, key: SigningKey) -> None:
    """Two packs with the same video share one store file, copied once, kept until both go."""
    same = [{"id": "same", "title": "Zelfde video", "payload": b"shared-bytes"}]
    first = library.packs.import_pack(build(tmp_path, key, name="a", pack_id="pack-a",
                                            lessons=same))
    second = library.packs.import_pack(build(tmp_path, key, name="b", pack_id="pack-b",
                                             lessons=same))
    assert (first.files_copied, second.files_copied, second.files_reused) == (1, 0, 1)
    video = lesson_rows(library, "pack-a")[0]["video_sha256"]
    assert lesson_rows(library, "pack-b")[0]["video_sha256"] == video
    library.packs.remove("pack-a")
    assert library.packs.store.has(video)
    library.packs.remove("pack-b")
    assert not library.packs.store.has(video)
    assert library.db.execute("SELECT count(*) FROM media WHERE sha256 = ?",
                              [video]).fetchone() == (0,)


def test_remove_keeps_progress(library: Services, tmp_path: Path, key: SigningKey) -> None:
    """Removing a pack deletes its rows and media; progress and notes stay for a reinstall."""
    before = snapshot(library)
    path = build(tmp_path, key)
    library.packs.import_pack(path)
    profile = add_progress_and_note(library, "test-pack/intro")
    library.packs.remove("test-pack")
    assert [p.id for p in library.packs.list_packs()] == ["base-pack"]
    assert lesson_rows(library, "test-pack") == []
    assert snapshot(library)["media"] == before["media"]
    assert library.db.execute("SELECT count(*) FROM notes").fetchone() == (1,)
    library.packs.import_pack(path)
    assert library.catalog.lessons(profile, "test-pack")[0].progress.position_s == 30.0


def test_remove_unknown_pack(library: Services) -> None:
    """Removing a pack that is not installed is a clear error."""
    with pytest.raises(LibraryError, match="no pack 'nope' is installed"):
        library.packs.remove("nope")


def test_export_round_trip(library: Services, tmp_path: Path, key: SigningKey,
                           home: Path) -> None:
    """Export rebuilds the signed pack: the same manifest bytes, a valid signature, and here
    even the same file; it imports on another PC."""
    built = build(tmp_path, key)
    library.packs.import_pack(built)
    exported = library.packs.export("test-pack", tmp_path / "usb")
    assert exported == tmp_path / "usb" / "test-pack-1.0.cpack"
    with zipfile.ZipFile(built) as a, zipfile.ZipFile(exported) as b:
        assert a.read("manifest.json") == b.read("manifest.json")
        assert a.read("signature.json") == b.read("signature.json")
    assert exported.read_bytes() == built.read_bytes()
    assert library.packs.verify(exported).signer.trusted
    other = build_services(tmp_path / "other-pc")
    try:
        other.trust.trust(key.public_key)
        assert other.packs.import_pack(exported).status == "installed"
    finally:
        other.close()


def test_export_errors(library: Services, tmp_path: Path, key: SigningKey) -> None:
    """Exporting an unknown pack, or one whose media went missing, says what to do."""
    with pytest.raises(LibraryError, match="no pack 'nope' is installed"):
        library.packs.export("nope", tmp_path / "usb")
    library.packs.import_pack(build(tmp_path, key))
    library.packs.store.remove(lesson_rows(library, "test-pack")[0]["video_sha256"])
    with pytest.raises(LibraryError, match="is missing; import the pack again"):
        library.packs.export("test-pack", tmp_path / "usb")
    assert not any((tmp_path / "usb").glob("*.cpack"))


def test_import_many_from_a_folder(library: Services, tmp_path: Path, key: SigningKey) -> None:
    """A folder imports every .cpack in it; a bad one fails alone; '._' files are ignored."""
    usb = tmp_path / "usb"
    usb.mkdir()
    for name in ("pack-a", "pack-b"):
        build(tmp_path, key, name=name, pack_id=name).rename(usb / f"{name}.cpack")
    (usb / "broken.cpack").write_text("nope")
    (usb / "._pack-a.cpack").write_bytes(b"macOS metadata")
    (usb / "notes.txt").write_text("not a pack")
    seen = []
    outcomes = library.packs.import_many([usb], on_outcome=seen.append)
    assert [(o.path.name, o.ok) for o in outcomes] == [
        ("broken.cpack", False), ("pack-a.cpack", True), ("pack-b.cpack", True)]
    assert seen == outcomes
    assert "not a zip" in str(outcomes[0].error)


def test_import_many_path_errors(library: Services, tmp_path: Path) -> None:
    """An empty folder and a missing path are reported, not skipped silently."""
    (tmp_path / "empty").mkdir()
    outcomes = library.packs.import_many([tmp_path / "empty", tmp_path / "missing"])
    assert [str(o.error) for o in outcomes] == [
        f"{tmp_path / 'empty'}: no .cpack files in this folder",
        f"{tmp_path / 'missing'}: no such file or folder"]
    assert all(isinstance(o.error, PackError) for o in outcomes)


def test_progress_is_reported(library: Services, tmp_path: Path, key: SigningKey) -> None:
    """Progress goes up to the number of bytes copied."""
    seen: list[tuple[int, int]] = []
    result = library.packs.import_pack(build(tmp_path, key), progress=lambda d, t:
                                       seen.append((d, t)))
    assert seen[0] == (0, result.bytes_copied) and seen[-1][0] == result.bytes_copied
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_allow_unsigned(library: Services, tmp_path: Path) -> None:
    """An unsigned pack imports when allowed, and is listed as unsigned."""
    result = library.packs.import_pack(build(tmp_path, None), allow_unsigned=True)
    assert result.status == "installed" and result.signer_name is None
    assert library.packs.get_pack("test-pack").signer_name is None


def test_allow_unsigned_accepts_unknown_signer(library: Services, tmp_path: Path) -> None:
    """--allow-unsigned also lets a correctly signed pack of an unknown trainer in."""
    eve = make_key(tmp_path / "eve", "eve")
    path = build(tmp_path, eve)
    with pytest.raises(UnknownSignerError):
        library.packs.import_pack(path)
    assert library.packs.import_pack(path, allow_unsigned=True).signer_name == "eve"


def test_new_signer_is_a_warning(library: Services, tmp_path: Path, key: SigningKey) -> None:
    """An update signed by another trusted key imports with a warning naming both keys."""
    library.packs.import_pack(build(tmp_path, key))
    bob = make_key(tmp_path / "bob", "bob")
    library.trust.trust(bob.public_key)
    result = library.packs.import_pack(build(tmp_path, bob, name="v2", version="2"))
    assert result.status == "updated"
    assert key.public_key.short_fingerprint in result.warnings[0]
    assert bob.public_key.short_fingerprint in result.warnings[0]


def test_one_operation_at_a_time(library: Services, tmp_path: Path, key: SigningKey) -> None:
    """While another process holds the pack lock, an import is refused and changes nothing."""
    path = build(tmp_path, key)
    before = snapshot(library)
    with try_lock(library.locations.data_dir / "packs.lock") as locked:
        assert locked
        with pytest.raises(LibraryError, match="another pack import or removal is running") \
                as caught:
            library.packs.import_pack(path)
        assert caught.value.reason is Reason.PACKS_BUSY
        assert library.packs.recover() is False
    assert snapshot(library) == before


def test_recover_cleans_up_after_a_dead_import(library: Services) -> None:
    """With the marker left by a killed import, recover() deletes temp and orphan files only."""
    store = library.packs.store
    kept = media_files(library)
    (store.tmp_dir / "ingest-dead.tmp").write_bytes(b"half")
    orphan = store.ingest(io.BytesIO(b"orphan bytes"), None, None)[0]
    photo = store.ingest(io.BytesIO(b"a profile photo"), None, None)[0]
    library.profiles.create("Photo", photo_sha256=photo)
    assert library.packs.recover() is False, "no marker: nothing to do"
    assert store.has(orphan)
    (library.locations.data_dir / "pack-operation.json").write_text("{}")
    assert library.packs.recover() is True
    assert media_files(library) == kept | {photo}
    assert list(store.tmp_dir.iterdir()) == []
    assert not (library.locations.data_dir / "pack-operation.json").exists()


def test_list_packs(library: Services, tmp_path: Path, key: SigningKey) -> None:
    """list_packs() gives every installed pack with counts and sizes; get_pack() one."""
    library.packs.import_pack(build(tmp_path, key))
    packs = {p.id: p for p in library.packs.list_packs()}
    assert sorted(packs) == ["base-pack", "test-pack"]
    assert packs["test-pack"].duration_s == pytest.approx(215)
    assert packs["test-pack"].to_dict()["lessons"] == 2
    with pytest.raises(LibraryError, match="no pack 'nope'"):
        library.packs.get_pack("nope")
