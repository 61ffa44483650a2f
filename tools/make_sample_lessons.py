#!/usr/bin/env python3
"""Make the media of the sample lesson packs in ``lessons/`` from their text sources.

For every lesson folder with a ``lesson.toml`` and a ``script.toml`` this writes:

* ``video.mp4``: clean slides shown in time with a spoken narration (espeak-ng), H.264/AAC;
* ``subtitles.<language>.srt``: one cue per narration sentence (long sentences split), timed
  on the measured length of every spoken sentence, so the subtitles follow the voice exactly;

and for every pack a ``cover.png``.

The text sources are committed next to the media:

* ``<pack>/pack.toml``     id, title, language, ... (the pack source format, docs/pack-source.md)
* ``<pack>/media.toml``    voice, speed, words on the cover and slides, speech-only spellings
* ``<lesson>/lesson.toml`` the lesson title (shown on the slides)
* ``<lesson>/script.toml`` ``narration`` (a list of sentences) and ``[[slides]]`` (each with
  ``start``, the index from 0 of the sentence where the slide appears)

Usage::

    python tools/make_sample_lessons.py                   # all packs in lessons/
    python tools/make_sample_lessons.py --pack lessons/sociale-media-nl
    python tools/make_sample_lessons.py --pack social-media-en --lesson 01-instagram
    python tools/make_sample_lessons.py --check           # only check the media there is

Needs ffmpeg, ffprobe, espeak-ng, ImageMagick (``convert``) and the DejaVu Sans font.
Standard library only. The output is deterministic for the same tool versions.
"""

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
import wave
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LESSONS_DIR = REPO / "lessons"

# Video
WIDTH, HEIGHT = 854, 480
FPS = 5
KEYFRAME_EVERY = 10 * FPS  # a keyframe every 10 seconds (and at every slide change)
CRF = 26
AUDIO_BITRATE = "48k"

# Narration timing (seconds). espeak-ng already ends each sentence with ~0.4 s of silence.
LEAD_IN = 0.6
GAP_SENTENCE = 0.15
GAP_SLIDE = 0.6
TAIL = 0.6

# Subtitles: at most two lines of 42 characters per cue.
SRT_LINE = 42
SRT_LINES = 2

# Checks
MIN_SECONDS, MAX_SECONDS = 60.0, 180.0
MAX_VIDEO_BYTES = 2 * 1024 * 1024

# Calm colours: warm paper, dark green-grey ink, sage accent, a touch of terracotta.
PAPER = "#F7F3EC"
INK = "#25322C"
MUTED = "#5F6F67"
ACCENT = "#5E8B72"
ACCENT_LIGHT = "#D5E3D9"
WARM = "#B8683F"
STRIPE = "#7FA690"
STRIPE_LIGHT = "#E8DFCF"

FONT_DIRS = (
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu",
    "/usr/share/fonts/TTF",
    "/usr/local/share/fonts",
    "/Library/Fonts",
    "C:/Windows/Fonts",
)

ID_RE = re.compile(r"^[a-z0-9._-]{3,64}$")
VOICES = {"nl": "nl", "en": "en-gb"}
LANG_639_2 = {"nl": "dut", "en": "eng"}
SRT_TIME = r"(\d{2}):(\d{2}):(\d{2}),(\d{3})"
SRT_TIMING_RE = re.compile(rf"^{SRT_TIME} --> {SRT_TIME}$")


class MakeError(Exception):
    """A problem the user can fix; printed without a traceback."""


# --------------------------------------------------------------------------- tools


@dataclass(frozen=True)
class Tools:
    ffmpeg: str
    ffprobe: str
    espeak: str
    convert: str
    font: str
    font_bold: str


def find_tools(need_media: bool = True) -> Tools:
    missing = []

    def which(name: str, hint: str, preferred: str | None = None) -> str:
        if preferred and Path(preferred).is_file():
            return preferred
        found = shutil.which(name)
        if not found:
            missing.append(f"  {name:10} ({hint})")
            return ""
        return found

    ffprobe = which("ffprobe", "part of ffmpeg: apt install ffmpeg")
    if not need_media:
        if missing:
            raise MakeError("missing tool:\n" + "\n".join(missing))
        return Tools("", ffprobe, "", "", "", "")
    ffmpeg = which("ffmpeg", "apt install ffmpeg")
    espeak = which("espeak-ng", "apt install espeak-ng")
    convert = which("convert", "ImageMagick: apt install imagemagick", "/usr/bin/convert")
    font = find_font("DejaVuSans.ttf")
    font_bold = find_font("DejaVuSans-Bold.ttf")
    if not font or not font_bold:
        missing.append("  DejaVu Sans (apt install fonts-dejavu-core)")
    if missing:
        raise MakeError("missing tools, install them and run again:\n" + "\n".join(missing))
    if ffmpeg and "libx264" not in run([ffmpeg, "-hide_banner", "-encoders"]):
        raise MakeError(f"{ffmpeg} was built without libx264; install a full ffmpeg")
    return Tools(ffmpeg, ffprobe, espeak, convert, font, font_bold)


def find_font(filename: str) -> str:
    for folder in FONT_DIRS:
        path = Path(folder) / filename
        if path.is_file():
            return str(path)
    fc_match = shutil.which("fc-match")
    if fc_match:
        style = "Bold" if "Bold" in filename else "Book"
        proc = subprocess.run(
            [fc_match, "-f", "%{file}", f"DejaVu Sans:style={style}"],
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode == 0 and proc.stdout.endswith(filename):
            return proc.stdout
    return ""


def run(cmd: list[str], stdin: str | None = None) -> str:
    proc = subprocess.run(cmd, input=stdin, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        tail = "\n".join(proc.stderr.strip().splitlines()[-12:])
        raise MakeError(f"{Path(cmd[0]).name} failed (exit {proc.returncode}):\n{tail}")
    return proc.stdout


def probe_duration(tools: Tools, path: Path) -> float:
    out = run(
        [tools.ffprobe, "-v", "error", "-show_entries", "format=duration",
         "-of", "default=noprint_wrappers=1:nokey=1", str(path)]
    )
    try:
        return float(out.strip())
    except ValueError:
        raise MakeError(f"ffprobe could not read the duration of {path}") from None


# --------------------------------------------------------------------------- sources


@dataclass
class Slide:
    start: int
    heading: str
    kind: str = "point"  # "title", "point" or "task"
    text: str = ""
    points: list[str] = field(default_factory=list)
    step: int = 0  # 1-based place in the lesson's "steps" row; 0: no row


@dataclass
class Lesson:
    folder: Path
    number: int
    meta: dict
    sentences: list[str]
    slides: list[Slide]
    steps: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.meta["title"]


@dataclass
class Pack:
    folder: Path
    meta: dict
    media: dict
    lessons: list[Lesson]

    @property
    def language(self) -> str:
        return self.meta["language"]

    @property
    def base_language(self) -> str:
        return self.language.split("-")[0].lower()

    @property
    def voice(self) -> str:
        return self.media.get("voice") or VOICES.get(self.base_language, self.base_language)

    @property
    def srt_name(self) -> str:
        return f"subtitles.{self.language}.srt"


def load_toml(path: Path) -> dict:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise MakeError(f"{rel(path)}: file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise MakeError(f"{rel(path)}: not valid TOML: {exc}") from None


def rel(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(REPO))
    except ValueError:
        return str(path)


def lesson_folders(folder: Path, meta: dict) -> list[Path]:
    names = meta.get("lessons")
    if names is None:
        return sorted(p.parent for p in folder.glob("*/lesson.toml"))
    return [folder / name for name in names]


def load_pack(folder: Path, only: list[str] | None = None, need_script: bool = True) -> Pack:
    meta = load_toml(folder / "pack.toml")
    for key in ("id", "title", "version", "language"):
        if not isinstance(meta.get(key), str) or not meta[key]:
            raise MakeError(f"{rel(folder / 'pack.toml')}: '{key}' is missing or not a string")
    media_path = folder / "media.toml"
    media = load_toml(media_path) if media_path.exists() else {}
    lessons = []
    for number, lesson_dir in enumerate(lesson_folders(folder, meta), start=1):
        if only and lesson_dir.name not in only:
            continue
        lesson_meta = load_toml(lesson_dir / "lesson.toml")
        if not need_script:
            lessons.append(Lesson(lesson_dir, number, lesson_meta, [], []))
            continue
        sentences, slides, steps = load_script(lesson_dir / "script.toml", lesson_meta)
        lessons.append(Lesson(lesson_dir, number, lesson_meta, sentences, slides, steps))
    if only:
        unknown = set(only) - {lesson.folder.name for lesson in lessons}
        if unknown:
            raise MakeError(f"{rel(folder)}: no lesson folder named {', '.join(sorted(unknown))}")
    return Pack(folder, meta, media, lessons)


def load_script(path: Path, lesson_meta: dict) -> tuple[list[str], list[Slide], list[str]]:
    data = load_toml(path)
    where = rel(path)
    sentences = data.get("narration")
    if not isinstance(sentences, list) or not sentences:
        raise MakeError(f"{where}: 'narration' must be a non-empty list of sentences")
    for i, sentence in enumerate(sentences):
        if not isinstance(sentence, str) or not sentence.strip():
            raise MakeError(f"{where}: narration[{i}] must be a non-empty string")
    steps = data.get("steps", [])
    if not isinstance(steps, list) or not all(isinstance(s, str) for s in steps):
        raise MakeError(f"{where}: 'steps' must be a list of short labels")
    raw_slides = data.get("slides")
    if not isinstance(raw_slides, list) or not raw_slides:
        raise MakeError(f"{where}: at least one [[slides]] is needed")
    slides = []
    previous = -1
    for i, raw in enumerate(raw_slides):
        start = raw.get("start")
        if not isinstance(start, int) or not previous < start < len(sentences):
            raise MakeError(
                f"{where}: slides[{i}].start must be a sentence index (from 0) after the "
                f"previous slide's and below {len(sentences)}, not {start!r}"
            )
        if i == 0 and start != 0:
            raise MakeError(f"{where}: the first slide must start at sentence 0")
        previous = start
        kind = raw.get("kind", "title" if i == 0 else "point")
        if kind not in ("title", "point", "task"):
            raise MakeError(f"{where}: slides[{i}].kind must be title, point or task")
        heading = raw.get("heading", lesson_meta.get("title", "") if kind == "title" else "")
        if not heading:
            raise MakeError(f"{where}: slides[{i}] needs a 'heading'")
        points = raw.get("points", [])
        if not isinstance(points, list) or not all(isinstance(p, str) for p in points):
            raise MakeError(f"{where}: slides[{i}].points must be a list of strings")
        step = raw.get("step", 0)
        if not isinstance(step, int) or not 0 <= step <= len(steps):
            raise MakeError(f"{where}: slides[{i}].step must be 1 to {len(steps)} (see 'steps')")
        slides.append(Slide(start, heading, kind, raw.get("text", ""), points, step))
    return [s.strip() for s in sentences], slides, steps


# --------------------------------------------------------------------------- narration


@dataclass
class Timeline:
    starts: list[float]  # start of every sentence in the narration
    lengths: list[float]  # measured length of every spoken sentence
    total: float

    def slide_start(self, sentence: int) -> float:
        """A slide appears when the previous sentence has been spoken."""
        if sentence == 0:
            return 0.0
        return self.starts[sentence - 1] + self.lengths[sentence - 1]


def speech_text(sentence: str, say: dict[str, str]) -> str:
    """Apply the pack's speech-only spellings (whole words, case-sensitive)."""
    for word, spoken in say.items():
        sentence = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", spoken, sentence)
    return sentence


def make_narration(tools: Tools, pack: Pack, lesson: Lesson, work: Path) -> Timeline:
    speed = str(int(pack.media.get("speed", 150)))
    say = pack.media.get("say", {})
    slide_starts = {slide.start for slide in lesson.slides}
    clips = []
    for i, sentence in enumerate(lesson.sentences):
        clip = work / f"sentence-{i:03d}.wav"
        run(
            [tools.espeak, "-v", pack.voice, "-s", speed, "-w", str(clip), "--stdin"],
            stdin=speech_text(sentence, say) + "\n",
        )
        clips.append(clip)

    narration = work / "narration.wav"
    starts, lengths = [], []
    with wave.open(str(narration), "wb") as out:
        params = None
        position = 0  # in frames

        def silence(seconds: float) -> None:
            nonlocal position
            frames = round(seconds * params.framerate)
            out.writeframes(b"\0" * frames * params.sampwidth * params.nchannels)
            position += frames

        for i, clip in enumerate(clips):
            with wave.open(str(clip), "rb") as src:
                if params is None:
                    params = src.getparams()
                    out.setnchannels(params.nchannels)
                    out.setsampwidth(params.sampwidth)
                    out.setframerate(params.framerate)
                    silence(LEAD_IN)
                elif src.getparams()[:3] != params[:3]:
                    raise MakeError(f"espeak-ng changed its audio format in {clip.name}")
                else:
                    silence(GAP_SLIDE if i in slide_starts else GAP_SENTENCE)
                frames = src.readframes(src.getnframes())
                count = src.getnframes()
            measured = probe_duration(tools, clip)
            exact = count / params.framerate
            if abs(measured - exact) > 0.01:
                raise MakeError(f"{clip.name}: ffprobe says {measured:.3f} s, WAV has {exact:.3f}")
            starts.append(position / params.framerate)
            lengths.append(measured)
            out.writeframes(frames)
            position += count
        silence(TAIL)
        total = position / params.framerate
    return Timeline(starts, lengths, total)


# --------------------------------------------------------------------------- subtitles


# Words before which a subtitle line or cue may break without cutting a phrase in two.
BREAK_BEFORE = frozenset(
    "en of maar want die dat zodat als dan waar wie om zonder tot met voor "
    "and or but because that which so when where who without until with for to".split()
)


# Words that belong with the next word: never end a line or cue with them if avoidable.
KEEP_WITH_NEXT = frozenset(
    "de het een je jouw zijn haar hun mijn onze van in op aan bij naar uit "
    "the a an your their his her my our of in on at from by into".split()
)


def break_cost(before: str, after: str) -> int:
    """How much it hurts to break between two words: after punctuation is best."""
    if before.endswith((",", ";", ":", ".", "?", "!")):
        return 0
    if before.lower() in KEEP_WITH_NEXT:
        return 3
    if after.lower() in BREAK_BEFORE:
        return 1
    return 2


def wrap_lines(text: str, width: int = SRT_LINE) -> list[str] | None:
    """One line, or two even lines broken at a phrase; None when two lines are not enough."""
    if len(text) <= width:
        return [text]
    words = text.split(" ")
    best = None
    for cut in range(1, len(words)):
        first, second = " ".join(words[:cut]), " ".join(words[cut:])
        if len(first) <= width and len(second) <= width:
            score = abs(len(first) - len(second)) + 8 * break_cost(words[cut - 1], words[cut])
            if best is None or score < best[0]:
                best = (score, [first, second])
    return best[1] if best else None


def split_sentence(sentence: str) -> list[str]:
    """Cut a sentence into few cues that each fit two lines, preferably between phrases."""
    words = sentence.split()
    n = len(words)
    inf = float("inf")
    cost = [0.0] + [inf] * n
    back = [0] * (n + 1)
    for end in range(1, n + 1):
        for begin in range(end - 1, -1, -1):
            chunk = " ".join(words[begin:end])
            if len(chunk) > SRT_LINE * SRT_LINES:
                break
            lines = wrap_lines(chunk) if cost[begin] < inf else None
            if lines is None:
                continue
            penalty = 300.0
            if len(lines) == 2:  # a line break that cuts a phrase may be worse than a new cue
                penalty += 120.0 * break_cost(lines[0].rsplit(" ", 1)[-1], lines[1].split(" ")[0])
            if end < n:
                penalty += 250.0 * break_cost(words[end - 1], words[end])
            if len(chunk) < 25 and n > 1:
                penalty += 150.0 if len(chunk) >= 12 else 450.0
            if cost[begin] + penalty < cost[end]:
                cost[end] = cost[begin] + penalty
                back[end] = begin
    if cost[n] == inf:
        raise MakeError(f"a word is too long for a subtitle line: {sentence!r}")
    chunks = []
    end = n
    while end > 0:
        chunks.append(" ".join(words[back[end]:end]))
        end = back[end]
    return chunks[::-1]


SENTENCE_END_RE = re.compile(r"(?<=[.?!])\s+(?=[A-Z0-9\u00c0-\u00dd\"'])")


def cue_texts(item: str) -> list[str]:
    """The cues of one narration item: each sentence in it starts a new cue."""
    return [chunk for part in SENTENCE_END_RE.split(item) for chunk in split_sentence(part)]


def srt_time(seconds: float) -> str:
    ms = round(seconds * 1000)
    hours, ms = divmod(ms, 3_600_000)
    minutes, ms = divmod(ms, 60_000)
    secs, ms = divmod(ms, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d},{ms:03d}"


def make_srt(sentences: list[str], timeline: Timeline) -> str:
    blocks = []
    for sentence, start, length in zip(sentences, timeline.starts, timeline.lengths, strict=True):
        chunks = cue_texts(sentence)
        weights = [len(chunk) + 1 for chunk in chunks]
        at = start
        for chunk, weight in zip(chunks, weights, strict=True):
            end = at + length * weight / sum(weights)
            lines = wrap_lines(chunk)
            assert lines is not None
            blocks.append(
                f"{len(blocks) + 1}\n{srt_time(at)} --> {srt_time(end)}\n" + "\n".join(lines)
            )
            at = end
    return "\n\n".join(blocks) + "\n"


# --------------------------------------------------------------------------- slides


def im_text(text: str) -> str:
    """Protect text from ImageMagick's escapes (%, backslash and a leading @)."""
    text = text.replace("\\", "\\\\").replace("%", "%%")
    return "\\" + text if text.startswith("@") else text


def caption(font: str, size: int, colour: str, width: int, text: str, gravity: str) -> list[str]:
    return [
        "(", "-background", "none", "-fill", colour, "-stroke", "none", "-strokewidth", "0",
        "-font", font, "-pointsize", str(size), "-gravity", gravity,
        "-size", f"{width}x", f"caption:{im_text(text)}", ")",
    ]


def spacer(height: int, width: int = 1) -> list[str]:
    return ["(", "-size", f"{width}x{height}", "xc:none", ")"]


def awning(width: int, height: int, stripes: int) -> list[str]:
    """A shop awning along the top: stripes with a scalloped edge."""
    step = width / stripes
    radius = step / 2
    args = ["-fill", STRIPE_LIGHT, "-draw", f"rectangle 0,0 {width},{height}"]
    for i in range(stripes):
        x0, x1 = round(i * step), round((i + 1) * step)
        colour = STRIPE if i % 2 == 0 else STRIPE_LIGHT
        cx, cy = (x0 + x1) / 2, height
        args += [
            "-fill", colour,
            "-draw", f"rectangle {x0},0 {x1},{height}",
            "-draw", f"circle {cx:.1f},{cy:.1f} {cx:.1f},{cy + radius:.1f}",
        ]
    return args


def png_out(path: Path) -> list[str]:
    return [
        "-strip", "-depth", "8", "-define", "png:exclude-chunks=date,time",
        f"PNG24:{path}",
    ]


def render_title_slide(tools: Tools, path: Path, label: str, slide: Slide) -> None:
    block = [
        "(",
        *caption(tools.font_bold, 22, WARM, 720, label.upper(), "center"),
        *spacer(14),
        *caption(tools.font_bold, 44, INK, 720, slide.heading, "center"),
    ]
    if slide.text:
        block += [*spacer(18), *caption(tools.font, 25, MUTED, 680, slide.text, "center")]
    block += ["-background", "none", "-gravity", "center", "-append", ")"]
    cmd = [
        tools.convert, "-size", f"{WIDTH}x{HEIGHT}", f"xc:{PAPER}",
        *awning(WIDTH, 38, 14),
        *block, "-gravity", "center", "-geometry", "+0+0", "-composite",
        *png_out(path),
    ]
    run(cmd)


def steps_row(tools: Tools, steps: list[str], current: int, left: int, top: int) -> list[str]:
    """A row of numbered chips: done, current (filled) and still to come."""
    gap, pad = 8, 14
    labels = [f"{number} {label}" for number, label in enumerate(steps, start=1)]
    free = WIDTH - 2 * left - gap * (len(steps) - 1) - pad * len(steps)
    per_char = free / sum(len(label) for label in labels)  # chips as wide as their words
    args = ["-stroke", "none", "-strokewidth", "0"]
    x = left
    for number, label in enumerate(labels, start=1):
        width = round(pad + len(label) * per_char)
        if number == len(labels):
            width = WIDTH - left - x  # absorb rounding
        if number == current:
            fill, stroke, text = ACCENT, ACCENT, "#FFFFFF"
        elif number < current:
            fill, stroke, text = ACCENT_LIGHT, ACCENT_LIGHT, INK
        else:
            fill, stroke, text = PAPER, ACCENT_LIGHT, MUTED
        args += [
            "-fill", fill, "-stroke", stroke, "-strokewidth", "2",
            "-draw", f"roundrectangle {x},{top} {x + width},{top + 30} 8,8",
            "(", "-size", f"{width}x30", "-background", "none", "-fill", text,
            "-stroke", "none", "-strokewidth", "0", "-pointsize", "13", "-gravity", "center",
            "-font", tools.font_bold if number == current else tools.font,
            f"label:{im_text(label)}", ")",
            "-gravity", "northwest", "-geometry", f"+{x}+{top}", "-composite",
        ]
        x += width + gap
    return args


def render_point_slide(
    tools: Tools, path: Path, lesson_title: str, counter: str, slide: Slide,
    steps: list[str],
) -> None:
    margin = 52
    inner = WIDTH - 2 * margin
    rows = [*caption(tools.font_bold, 38, INK, inner, slide.heading, "northwest"), *spacer(8)]
    for point in slide.points:
        if slide.kind == "task":
            marker = "roundrectangle 4,9 26,31 4,4"
            marker_fill = ["-fill", "none", "-stroke", WARM, "-strokewidth", "3"]
        else:
            marker = "circle 13,20 13,27"
            marker_fill = ["-fill", ACCENT, "-stroke", "none"]
        rows += [
            *spacer(18),
            "(",
            "(", "-size", "44x40", "xc:none", *marker_fill, "-draw", marker, ")",
            *caption(tools.font, 30, INK, inner - 44, point, "northwest"),
            "-background", "none", "-gravity", "northwest", "+append",
            ")",
        ]
    cmd = [
        tools.convert, "-size", f"{WIDTH}x{HEIGHT}", f"xc:{PAPER}",
        "-fill", ACCENT_LIGHT, "-draw", f"rectangle 0,0 {WIDTH},8",
        "-font", tools.font, "-pointsize", "18", "-fill", MUTED,
        "-gravity", "northwest", "-annotate", f"+{margin}+30", im_text(lesson_title),
        "-gravity", "northeast", "-annotate", f"+{margin}+30", im_text(counter),
        "-fill", ACCENT_LIGHT, "-draw", f"rectangle {margin},66 {WIDTH - margin},68",
        "(", *rows, "-background", "none", "-gravity", "northwest", "-append", ")",
        "-gravity", "northwest", "-geometry", f"+{margin}+{140 if slide.step else 96}",
        "-composite",
    ]
    if slide.step:
        cmd += steps_row(tools, steps, slide.step, margin, 84)
    run([*cmd, *png_out(path)])


def render_cover(tools: Tools, path: Path, cover: dict, pack_title: str) -> None:
    width, height = 960, 540
    block = [
        "(",
        *caption(tools.font_bold, 58, INK, 820, cover.get("title", pack_title), "center"),
        *spacer(22),
        *caption(tools.font, 28, MUTED, 760, cover.get("subtitle", ""), "center"),
        "-background", "none", "-gravity", "center", "-append", ")",
    ]
    cmd = [
        tools.convert, "-size", f"{width}x{height}", f"xc:{PAPER}",
        *awning(width, 84, 12),
        *block, "-gravity", "center", "-geometry", "+0+20", "-composite",
        "-fill", ACCENT_LIGHT, "-draw", f"rectangle 0,{height - 56} {width},{height}",
        "-font", tools.font, "-pointsize", "20", "-fill", MUTED, "-gravity", "south",
        "-annotate", "+0+17", im_text(cover.get("footer", "")),
        *png_out(path),
    ]
    run(cmd)


def render_slides(tools: Tools, pack: Pack, lesson: Lesson, work: Path) -> list[Path]:
    label = pack.media.get("lesson_label", "Lesson {number}").format(number=lesson.number)
    paths = []
    count = len(lesson.slides)
    for i, slide in enumerate(lesson.slides):
        path = work / f"slide-{i:02d}.png"
        if slide.kind == "title":
            render_title_slide(tools, path, label, slide)
        else:
            render_point_slide(
                tools, path, lesson.title, f"{i + 1} / {count}", slide, lesson.steps
            )
        paths.append(path)
    return paths


# --------------------------------------------------------------------------- video


def encode_video(
    tools: Tools, pack: Pack, lesson: Lesson, slides: list[Path], timeline: Timeline,
    narration: Path, out: Path,
) -> None:
    bounds = [timeline.slide_start(slide.start) for slide in lesson.slides] + [timeline.total]
    listing = ["ffconcat version 1.0"]
    for path, begin, end in zip(slides, bounds, bounds[1:], strict=False):
        listing += [f"file '{path.name}'", f"duration {end - begin:.3f}"]
    listing.append(f"file '{slides[-1].name}'")  # the last duration needs a file after it
    concat = narration.parent / "slides.ffconcat"
    concat.write_text("\n".join(listing) + "\n", encoding="utf-8")
    language = LANG_639_2.get(pack.base_language, "und")
    tmp = out.with_name(out.stem + ".tmp.mp4")
    run([
        tools.ffmpeg, "-y", "-hide_banner", "-loglevel", "error", "-fflags", "+bitexact",
        "-f", "concat", "-safe", "0", "-i", str(concat),
        "-i", str(narration),
        "-map", "0:v:0", "-map", "1:a:0", "-map_metadata", "-1", "-map_chapters", "-1",
        "-vf", f"fps={FPS},scale={WIDTH}:{HEIGHT},format=yuv420p",
        "-c:v", "libx264", "-preset", "slow", "-tune", "stillimage", "-crf", str(CRF),
        "-g", str(KEYFRAME_EVERY), "-threads", "1", "-flags:v", "+bitexact",
        "-af", "volume=-2dB",  # espeak-ng peaks at full scale; leave AAC some headroom
        "-c:a", "aac", "-b:a", AUDIO_BITRATE, "-ac", "1", "-flags:a", "+bitexact",
        "-metadata:s:a:0", f"language={language}",
        "-t", f"{timeline.total:.3f}", "-movflags", "+faststart",
        str(tmp),
    ])
    tmp.replace(out)


# --------------------------------------------------------------------------- checks


def parse_srt(text: str, where: str) -> list[tuple[float, float, list[str]]]:
    if text.startswith("\ufeff"):
        text = text[1:]
    cues = []
    blocks = [b for b in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip()) if b]
    for number, block in enumerate(blocks, start=1):
        lines = block.split("\n")
        if len(lines) < 3 or lines[0].strip() != str(number):
            raise MakeError(f"{where}: cue {number} is not numbered {number} or has no text")
        match = SRT_TIMING_RE.match(lines[1].strip())
        if not match:
            raise MakeError(f"{where}: cue {number} has a bad timing line {lines[1]!r}")
        g = [int(x) for x in match.groups()]
        start = g[0] * 3600 + g[1] * 60 + g[2] + g[3] / 1000
        end = g[4] * 3600 + g[5] * 60 + g[6] + g[7] / 1000
        if end <= start or (cues and start < cues[-1][1] - 0.0005):
            raise MakeError(f"{where}: cue {number} ends before it starts or overlaps")
        cues.append((start, end, lines[2:]))
    if not cues:
        raise MakeError(f"{where}: no cues")
    return cues


def check_pack(tools: Tools, pack: Pack) -> tuple[list[str], list[str]]:
    """Check the pack's sources and media; returns (report lines, problems)."""
    report, problems = [], []
    where = rel(pack.folder)
    if not ID_RE.match(pack.meta["id"]):
        problems.append(f"{where}/pack.toml: bad id {pack.meta['id']!r}")
    cover = pack.meta.get("cover")
    if cover and not (pack.folder / cover).is_file():
        problems.append(f"{where}: cover {cover} is missing")
    ids = set()
    for lesson in pack.lessons:
        meta, lw = lesson.meta, rel(lesson.folder)
        for key in ("id", "title", "video"):
            if not isinstance(meta.get(key), str) or not meta[key]:
                problems.append(f"{lw}/lesson.toml: '{key}' missing")
        if not ID_RE.match(meta.get("id", "")):
            problems.append(f"{lw}/lesson.toml: bad id {meta.get('id')!r}")
        if meta.get("id") in ids:
            problems.append(f"{lw}/lesson.toml: id {meta['id']} used twice in the pack")
        ids.add(meta.get("id"))
        for key in ("notes", "subtitles"):
            value = meta.get(key)
            if isinstance(value, str) and not (lesson.folder / value).is_file():
                problems.append(f"{lw}: {key} file {value} is missing")
        for q, question in enumerate(meta.get("quiz", [])):
            choices = question.get("choices", [])
            answer = question.get("answer")
            if not question.get("question") or not question.get("explanation"):
                problems.append(f"{lw}: quiz[{q}] needs a question and an explanation")
            if len(choices) < 2 or not isinstance(answer, int) or not 0 <= answer < len(choices):
                problems.append(f"{lw}: quiz[{q}] answer {answer!r} is not an index of choices")
        video = lesson.folder / meta.get("video", "video.mp4")
        if not video.is_file():
            problems.append(f"{lw}: {video.name} is missing")
            continue
        seconds = probe_duration(tools, video)
        size = video.stat().st_size
        if not MIN_SECONDS <= seconds <= MAX_SECONDS:
            problems.append(f"{lw}: video is {seconds:.1f} s, not {MIN_SECONDS:.0f} to "
                            f"{MAX_SECONDS:.0f}")
        if size > MAX_VIDEO_BYTES:
            problems.append(f"{lw}: video is {size / 1e6:.2f} MB, over {MAX_VIDEO_BYTES / 1e6:.1f}")
        srt_name = meta.get("subtitles")
        if isinstance(srt_name, str) and (lesson.folder / srt_name).is_file():
            try:
                cues = parse_srt((lesson.folder / srt_name).read_text(encoding="utf-8"), lw)
            except MakeError as exc:
                problems.append(str(exc))
                cues = []
            for start, _end, lines in cues:
                if len(lines) > SRT_LINES or any(len(line) > SRT_LINE for line in lines):
                    problems.append(f"{lw}: the cue at {start:.1f} s has too many or long lines")
            if cues and abs(seconds - cues[-1][1]) > 1.0:
                problems.append(
                    f"{lw}: last cue ends at {cues[-1][1]:.2f} s, video at {seconds:.2f} s"
                )
        words = len(" ".join(lesson.sentences).split()) if lesson.sentences else 0
        report.append(
            f"  {lesson.folder.name:22} {meta.get('id', '?'):36} {seconds:6.1f} s "
            f"{size / 1e6:5.2f} MB" + (f" {words:4d} words" if words else "")
        )
    return report, problems


# --------------------------------------------------------------------------- main


def make_lesson(tools: Tools, pack: Pack, lesson: Lesson, keep: Path | None) -> None:
    print(f"  {lesson.folder.name}: {lesson.title}", flush=True)
    with tempfile.TemporaryDirectory(prefix="lesson-") as tmp:
        work = Path(tmp)
        if keep:
            work = keep / pack.folder.name / lesson.folder.name
            if work.exists():
                shutil.rmtree(work)
            work.mkdir(parents=True)
        timeline = make_narration(tools, pack, lesson, work)
        if timeline.total > MAX_SECONDS:
            raise MakeError(f"{rel(lesson.folder)}: narration is {timeline.total:.0f} s, too long")
        slides = render_slides(tools, pack, lesson, work)
        srt = make_srt(lesson.sentences, timeline)
        srt_name = lesson.meta.get("subtitles", pack.srt_name)
        if not isinstance(srt_name, str):
            srt_name = srt_name.get(pack.language, pack.srt_name)
        (lesson.folder / srt_name).write_text(srt, encoding="utf-8", newline="\n")
        video = lesson.folder / lesson.meta.get("video", "video.mp4")
        encode_video(tools, pack, lesson, slides, timeline, work / "narration.wav", video)


def resolve_pack(name: str) -> Path:
    for candidate in (Path(name), LESSONS_DIR / name, REPO / name):
        if (candidate / "pack.toml").is_file():
            return candidate.resolve()
    raise MakeError(f"no pack.toml in {name} (or in lessons/{name})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pack", action="append", metavar="DIR",
                        help="pack folder (or its name in lessons/); repeatable; default: all")
    parser.add_argument("--lesson", action="append", metavar="NAME",
                        help="only this lesson folder of the pack(s); repeatable")
    parser.add_argument("--check", action="store_true",
                        help="only check the sources and the media already made")
    parser.add_argument("--work-dir", type=Path, metavar="DIR",
                        help="keep the slides, sentence WAVs and narration here")
    args = parser.parse_args(argv)
    try:
        tools = find_tools(need_media=not args.check)
        if args.pack:
            folders = [resolve_pack(p) for p in args.pack]
        else:
            folders = sorted(p.parent for p in LESSONS_DIR.glob("*/pack.toml"))
        if not folders:
            raise MakeError(f"no packs found in {rel(LESSONS_DIR)}")
        all_problems = []
        for folder in folders:
            pack = load_pack(folder, args.lesson)
            print(f"{rel(folder)} ({pack.meta['id']} {pack.meta['version']}, voice {pack.voice})")
            if not args.check:
                if pack.meta.get("cover"):
                    render_cover(tools, folder / pack.meta["cover"], pack.media.get("cover", {}),
                                 pack.meta["title"])
                for lesson in pack.lessons:
                    make_lesson(tools, pack, lesson, args.work_dir)
            report, problems = check_pack(tools, pack)
            print("\n".join(report))
            all_problems += problems
        if all_problems:
            print("\nproblems:\n  " + "\n  ".join(all_problems), file=sys.stderr)
            return 1
        print("all checks passed")
        return 0
    except MakeError as exc:
        print(f"make_sample_lessons: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
