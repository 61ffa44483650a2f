"""Reading and checking a pack source folder (docs/pack-source.md)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from companion.core.errors import PackSourceError
from companion.core.packs.source import read_source
from tests.core.packs.pack_factory import SRT, mp4_bytes, write_source


def test_reads_a_valid_source(tmp_path: Path) -> None:
    """Pack fields, lessons in folder order, lengths from the MP4s, files with pack paths."""
    pack = read_source(write_source(tmp_path / "src"))
    assert (pack.id, pack.version, pack.language, pack.author) == (
        "test-pack", "1.0", "nl", "Anna Trainer")
    assert [lesson.id for lesson in pack.lessons] == ["intro", "second"]
    intro = pack.lessons[0]
    assert intro.duration_s == pytest.approx(95)
    assert intro.video.pack_path == "01-intro/video.mp4"
    assert intro.subtitles["nl"].pack_path == "01-intro/subtitles.nl.srt"
    assert intro.quiz == [{"question": "Wat zet je in je bio?",
                           "choices": ["Openingsuren", "Niets"], "answer": 0,
                           "explanation": ""}]
    assert [f.pack_path for f in pack.files()] == [
        "01-intro/notes.md", "01-intro/subtitles.nl.srt", "01-intro/video.mp4",
        "02-second/subtitles.nl.srt", "02-second/video.mp4"]


def test_lessons_list_sets_the_order(tmp_path: Path) -> None:
    """pack.toml's 'lessons' list gives the order (and may leave folders out)."""
    src = write_source(tmp_path / "src")
    with open(src / "pack.toml", "a") as f:
        f.write('lessons = ["02-second", "01-intro"]\n')
    assert [lesson.id for lesson in read_source(src).lessons] == ["second", "intro"]


def test_subtitle_table_and_shared_video(tmp_path: Path) -> None:
    """Subtitles per language as a table; a video outside the lesson folder but inside the pack."""
    src = write_source(tmp_path / "src")
    (src / "shared.mp4").write_bytes(mp4_bytes(30))
    (src / "01-intro" / "x.en.srt").write_text(SRT)
    toml = src / "01-intro" / "lesson.toml"
    toml.write_text(toml.read_text().replace('video = "video.mp4"', 'video = "../shared.mp4"')
                    .replace('subtitles = "subtitles.nl.srt"',
                             'subtitles = { nl = "subtitles.nl.srt", en = "x.en.srt" }'))
    intro = read_source(src).lessons[0]
    assert intro.video.pack_path == "shared.mp4" and intro.duration_s == pytest.approx(30)
    assert sorted(intro.subtitles) == ["en", "nl"]


def _edit(rel: str, old: str, new: str) -> Callable[[Path], None]:
    def change(src: Path) -> None:
        path = src / rel
        text = path.read_text()
        assert old in text, f"{old!r} not in {rel}"
        path.write_text(text.replace(old, new))
    return change


def _append(rel: str, text: str) -> Callable[[Path], None]:
    def change(src: Path) -> None:
        with open(src / rel, "a") as f:
            f.write(text)
    return change


def _prepend(rel: str, text: str) -> Callable[[Path], None]:
    def change(src: Path) -> None:
        path = src / rel
        path.write_text(text + path.read_text())
    return change


def _append_bytes(rel: str, data: bytes) -> Callable[[Path], None]:
    def change(src: Path) -> None:
        with open(src / rel, "ab") as f:
            f.write(data)
    return change


def _write(rel: str, data: bytes) -> Callable[[Path], None]:
    def change(src: Path) -> None:
        (src / rel).write_bytes(data)
    return change


def _delete(rel: str) -> Callable[[Path], None]:
    return lambda src: (src / rel).unlink()


INTRO = "01-intro/lesson.toml"
BAD_SOURCES = {
    "no pack.toml": (_delete("pack.toml"), "pack.toml", "no pack.toml"),
    "bad toml": (_append("pack.toml", "title = \n"), "pack.toml", "not valid TOML"),
    "not utf-8": (_append_bytes("pack.toml", b"\n# \xff"), "pack.toml", "is not UTF-8 text"),
    "missing id": (_edit("pack.toml", 'id = "test-pack"\n', ""), "pack.toml",
                   "field 'id' is missing"),
    "bad id": (_edit("pack.toml", '"test-pack"', '"Test Pack"'), "pack.toml",
               "field 'id' 'Test Pack' is not valid"),
    "version number": (_edit("pack.toml", '"1.0"', "1.0"), "pack.toml",
                       "field 'version' must be a string in quotes"),
    "bad version": (_edit("pack.toml", '"1.0"', '"1.0-beta"'), "pack.toml",
                    "field 'version' '1.0-beta' is not valid"),
    "bad language": (_edit("pack.toml", '"nl"', '"Dutch!"'), "pack.toml",
                     "field 'language'"),
    "title not string": (_edit("pack.toml", 'title = "Testpakket"', "title = 5"), "pack.toml",
                         "field 'title' must be a string in quotes, not a number"),
    "unknown field": (_append("pack.toml", 'titel = "x"\n'), "pack.toml",
                      "field 'titel' is not a known field"),
    "lessons names missing folder": (_append("pack.toml", 'lessons = ["nope"]\n'), "pack.toml",
                                     "field 'lessons[0]' names 'nope'"),
    "lessons leaves folder": (_append("pack.toml", 'lessons = ["../x"]\n'), "pack.toml",
                              "field 'lessons[0]'"),
    "cover not image": (lambda s: (_write("cover.png", b"GIF89a...")(s),
                                   _append("pack.toml", 'cover = "cover.png"\n')(s)),
                        "pack.toml", "field 'cover' names 'cover.png', which is not a PNG"),
    "no lessons": (lambda s: [_delete(f"{d}/lesson.toml")(s) for d in ("01-intro", "02-second")],
                   "pack.toml", "the pack has no lessons"),
    "lesson no video": (_edit(INTRO, 'video = "video.mp4"\n', ""), INTRO,
                        "field 'video' is missing"),
    "video missing": (_delete("01-intro/video.mp4"), INTRO,
                      "field 'video' names 'video.mp4', but there is no such file"),
    "video leaves pack": (_edit(INTRO, '"video.mp4"', '"../../x.mp4"'), INTRO,
                          "field 'video' '../../x.mp4' leaves the pack folder"),
    "video absolute": (_edit(INTRO, '"video.mp4"', '"/etc/passwd"'), INTRO,
                       "is an absolute path"),
    "video backslash": (_edit(INTRO, '"video.mp4"', '"sub\\\\video.mp4"'), INTRO,
                        "contains a backslash"),
    "video not video": (lambda s: (_write("01-intro/v.avi", b"RIFF")(s),
                                   _edit(INTRO, '"video.mp4"', '"v.avi"')(s)),
                        INTRO, "a lesson video is an MP4 or WebM file"),
    "webm without length": (lambda s: (_write("01-intro/v.webm", b"\x1aE\xdf\xa3")(s),
                                       _edit(INTRO, '"video.mp4"', '"v.webm"')(s)),
                            INTRO, "field 'duration_s' is needed for v.webm"),
    "mp4 unreadable": (_write("01-intro/video.mp4", b"junk junk junk"), "01-intro/video.mp4",
                       "cannot read the video length"),
    "bad duration": (_prepend(INTRO, "duration_s = -3\n"), INTRO, "field 'duration_s' must be"),
    "duplicate lesson id": (_edit("02-second/lesson.toml", '"second"', '"intro"'),
                            "02-second/lesson.toml", "is also the id of"),
    "unknown lesson field": (_prepend(INTRO, 'sumary = "x"\n'), INTRO,
                             "field 'sumary' is not a known field"),
    "bad srt": (_write("01-intro/subtitles.nl.srt", b"1\n00:00:01 -> 2\nhi\n"),
                "01-intro/subtitles.nl.srt", "not a valid SubRip file: line 1: no subtitles found"),
    "srt arrow": (_write("01-intro/subtitles.nl.srt", b"1\n00:00:01 --> 00:00:02\nhi\n"),
                  "01-intro/subtitles.nl.srt", "line 2: expected a timing line"),
    "srt timing": (_write("01-intro/subtitles.nl.srt", b"1\n00:00:05,000 --> 00:00:01,000\nx\n"),
                   "01-intro/subtitles.nl.srt", "line 2: the cue ends before it starts"),
    "srt not utf-8": (_write("01-intro/subtitles.nl.srt", b"1\n00:00:01,000 --> 00:00:02,000\n\xe9",
                             ),
                      "01-intro/subtitles.nl.srt", "not UTF-8"),
    "subtitles not srt": (lambda s: (_write("01-intro/s.vtt", b"WEBVTT")(s),
                                     _edit(INTRO, '"subtitles.nl.srt"', '"s.vtt"')(s)),
                          INTRO, "must be a SubRip .srt file"),
    "subtitle language": (_edit(INTRO, 'subtitles = "subtitles.nl.srt"',
                                'subtitles = { "nl nl" = "subtitles.nl.srt" }'),
                          INTRO, "is not a language code"),
    "notes missing": (_delete("01-intro/notes.md"), INTRO, "field 'notes' names 'notes.md'"),
    "quiz answer range": (_edit(INTRO, "answer = 0", "answer = 2"), INTRO,
                          "field 'quiz[0].answer' must be between 0 and 1"),
    "quiz answer bool": (_edit(INTRO, "answer = 0", "answer = true"), INTRO,
                         "field 'quiz[0].answer' must be the number"),
    "quiz one choice": (_edit(INTRO, '["Openingsuren", "Niets"]', '["Ja"]'), INTRO,
                        "field 'quiz[0].choices' needs 2 to 6"),
    "quiz no question": (_edit(INTRO, 'question = "Wat zet je in je bio?"\n', ""), INTRO,
                         "field 'quiz[0].question' is missing"),
    "tags not list": (_edit(INTRO, 'tags = ["instagram"]', 'tags = "instagram"'), INTRO,
                      "field 'tags' must be a list"),
}


@pytest.mark.parametrize("case", sorted(BAD_SOURCES))
def test_bad_source_names_file_and_field(tmp_path: Path, case: str) -> None:
    """Each mistake in a source is a PackSourceError naming the file (and the field)."""
    change, rel, message = BAD_SOURCES[case]
    src = write_source(tmp_path / "src")
    change(src)
    with pytest.raises(PackSourceError) as info:
        read_source(src)
    text = str(info.value)
    if rel is not None:
        assert info.value.path == str((src / rel).resolve()), text
    if message is not None:
        assert message in text


def test_source_must_be_a_folder(tmp_path: Path) -> None:
    """A path that is not a folder is refused by name."""
    with pytest.raises(PackSourceError, match="is not a folder"):
        read_source(tmp_path / "nope")
