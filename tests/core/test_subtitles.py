"""The SubRip parser and the cue lookup used by the player's subtitle overlay."""

from __future__ import annotations

from pathlib import Path

from companion.core.subtitles import Cue, SubtitleTrack, parse_srt, read_srt

DATA = Path(__file__).resolve().parent.parent / "data"

GOOD = """1
00:00:01,000 --> 00:00:02,500
Hello

2
00:00:03,000 --> 00:00:04,000
Two
lines

"""


def test_parses_well_formed_cues() -> None:
    """A well-formed file gives every cue with its times in ms and multi-line text."""
    assert parse_srt(GOOD) == [Cue(1000, 2500, "Hello"), Cue(3000, 4000, "Two\nlines")]


def test_bom_and_crlf_and_cr_line_ends() -> None:
    """A byte order mark and Windows or old Mac line ends change nothing."""
    crlf = "\ufeff" + GOOD.replace("\n", "\r\n")
    assert parse_srt(crlf) == parse_srt(GOOD)
    assert parse_srt(GOOD.replace("\n", "\r")) == parse_srt(GOOD)


def test_missing_blank_lines_and_numbers() -> None:
    """Cues run together without blank lines or without numbers are still split right."""
    text = (
        "1\n00:00:01,000 --> 00:00:02,000\nFirst\n"
        "2\n00:00:02,000 --> 00:00:03,000\nSecond\n"
        "00:00:03,000 --> 00:00:04,000\nThird"
    )
    assert [c.text for c in parse_srt(text)] == ["First", "Second", "Third"]


def test_bad_cues_are_skipped_not_fatal() -> None:
    """Unreadable timings, backwards times and empty cues are dropped; the rest survive."""
    text = (
        "1\n00:00:xx,000 --> 00:00:02,000\nBroken timing\n\n"
        "2\n00:00:05,000 --> 00:00:04,000\nBackwards\n\n"
        "3\n00:00:06,000 --> 00:00:07,000\n\n"
        "4\n00:00:61,000 --> 00:01:02,000\nSixty-one seconds\n\n"
        "garbage line before any cue\n"
        "5\n00:00:08.5 --> 00:00:09,250\n<i>Kept</i> {\\an8}text\n"
    )
    assert parse_srt(text) == [Cue(8500, 9250, "Kept text")]


def test_empty_and_nonsense_input() -> None:
    """Empty or non-subtitle text gives no cues instead of an error."""
    assert parse_srt("") == []
    assert parse_srt("\ufeff\r\n\r\n") == []
    assert parse_srt("just some words\nand more") == []


def test_hours_optional_and_unsorted_input_sorted() -> None:
    """A timing without hours is read, and cues come back in time order."""
    text = "00:05,000 --> 00:06,000\nLater\n\n1:00:00,000 --> 1:00:01,000\nHour\n\n" \
           "00:00:01,000 --> 00:00:02,000\nEarly\n"
    assert [c.start_ms for c in parse_srt(text)] == [1000, 5000, 3_600_000]


def test_read_srt_handles_cp1252(tmp_path: Path) -> None:
    """A Windows-1252 file with accents (a Flemish trainer's Notepad) is decoded."""
    path = tmp_path / "nl.srt"
    path.write_bytes("1\r\n00:00:01,000 --> 00:00:02,000\r\nCafé én winkel\r\n".encode("cp1252"))
    assert read_srt(path)[0].text == "Café én winkel"


def test_track_lookup_at_times() -> None:
    """The track gives the cue text shown at a time, end exclusive, and "" between cues."""
    track = SubtitleTrack(parse_srt(GOOD))
    assert track.text_at(0) == ""
    assert track.text_at(1000) == "Hello"
    assert track.text_at(2499) == "Hello"
    assert track.text_at(2500) == ""
    assert track.text_at(3500) == "Two\nlines"
    assert not SubtitleTrack() and len(track) == 2


def test_track_overlapping_cues_and_search() -> None:
    """Overlapping cues are shown together; search finds cue text case-insensitively."""
    track = SubtitleTrack([Cue(0, 10_000, "Long"), Cue(2000, 3000, "Short")])
    assert track.text_at(2500) == "Long\nShort"
    assert track.text_at(5000) == "Long"
    assert [c.text for c in track.search("sho")] == ["Short"]


def test_test_clip_subtitles() -> None:
    """The committed test clip's subtitle file has its three cues."""
    cues = read_srt(DATA / "clip.srt")
    assert len(cues) == 3
    assert cues[0] == Cue(300, 1900, "First cue: welcome to the shop")
    assert cues[2].text == "Third cue: post one photo\nwith two lines"
