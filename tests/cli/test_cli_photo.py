"""`companion profile edit --photo FILE`: the picture made as the app makes it (a JPEG of at most
512 pixels a side, quality 88, the whole picture, upright by its EXIF orientation, transparency
over white), with no metadata left; and every kind of bad file refused with one error line,
nothing stored."""

from __future__ import annotations

import io
import json
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image

from companion.cli import main, photo
from companion.core.media_store import MediaStore
from companion.services import build_services

RED, BLUE = (220, 20, 20), (20, 20, 220)
GPS_IFD = 0x8825
ORIENTATION = 0x0112


def run(capsys: pytest.CaptureFixture[str], home: Path, *args: str) -> tuple[int, str, str]:
    status = main(["--home", str(home), "--profile", "Anna", *args])
    out, err = capsys.readouterr()
    return status, out, err


def near(pixel: tuple[int, ...], colour: tuple[int, int, int], slack: int = 40) -> bool:
    return all(abs(a - b) <= slack for a, b in zip(pixel, colour, strict=False))


def phone_photo(path: Path) -> Path:
    """A 1200x800 JPEG stored sideways, as phones do: the left half red, the right half blue,
    with orientation 6 (turn a quarter to the right to view), a GPS position, a camera, a
    comment and an ICC profile."""
    image = Image.new("RGB", (1200, 800), BLUE)
    image.paste(RED, (0, 0, 600, 800))
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Phone 12"  # Model
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (51.0, 13.0, 0.0), 3: "E", 4: (4.0, 21.0, 0.0)})
    image.save(path, "JPEG", exif=exif.tobytes(), comment=b"shop at Kerkstraat 5",
               icc_profile=b"\0" * 128, quality=95)
    return path


def decoded(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def png_header_only(path: Path, width: int, height: int) -> Path:
    """A PNG that claims ``width`` x ``height`` pixels: a decompression bomb's header."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
                     + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b""))
    return path


def test_a_phone_photo_is_upright_small_and_bare(tmp_path: Path) -> None:
    source = phone_photo(tmp_path / "phone.jpg")
    assert Image.open(source).getexif().get_ifd(GPS_IFD)  # the original has a position
    result = decoded(photo.photo_jpeg(source))
    # Upright: 800 wide and 1200 high (so 341 x 512), red above and blue below. Without
    # the orientation, it would be 512 x 341 with red left and blue right.
    assert (result.format, result.mode, result.size) == ("JPEG", "RGB", (341, 512))
    assert near(result.getpixel((170, 40)), RED) and near(result.getpixel((170, 470)), BLUE)
    assert near(result.getpixel((20, 200)), RED)
    # Nothing of the original's metadata: no EXIF at all (so no GPS, camera or orientation
    # to turn it again), no comment, no ICC profile, no XMP.
    assert len(result.getexif()) == 0 and "exif" not in result.info
    for key in ("comment", "icc_profile", "xmp", "XML:com.adobe.xmp"):
        assert key not in result.info, key
    raw = photo.photo_jpeg(source)
    assert b"Exif" not in raw and b"PhoneMaker" not in raw and b"Kerkstraat" not in raw


def test_as_the_app_makes_it_quality_and_no_enlarging(tmp_path: Path) -> None:
    small = tmp_path / "small.png"
    Image.new("RGB", (300, 200), RED).save(small)
    result = decoded(photo.photo_jpeg(small))
    assert result.size == (300, 200)  # smaller than 512: whole, never blown up
    # The app's quality (88): Pillow reads the quantization tables back to about it.
    big = tmp_path / "noise.png"
    Image.effect_noise((900, 600), 60).convert("RGB").save(big)
    data = photo.photo_jpeg(big)
    out = io.BytesIO()
    Image.open(big).convert("RGB").resize((512, 341)).save(out, "JPEG", quality=88)
    assert decoded(data).size == (512, 341)
    assert decoded(data).quantization == Image.open(io.BytesIO(out.getvalue())).quantization


def test_transparency_over_white_as_the_app_paints_it(tmp_path: Path) -> None:
    source = tmp_path / "logo.png"
    image = Image.new("RGBA", (100, 100), (0, 0, 0, 0))
    image.paste((20, 200, 20, 255), (25, 25, 75, 75))
    image.save(source)
    result = decoded(photo.photo_jpeg(source))
    assert near(result.getpixel((5, 5)), (255, 255, 255), 10)
    assert near(result.getpixel((50, 50)), (20, 200, 20))


@pytest.mark.parametrize("kind", ["bmp", "webp", "cmyk", "grey", "palette"])
def test_other_pictures_the_picker_offers(tmp_path: Path, kind: str) -> None:
    source = tmp_path / f"picture.{kind}"
    image = Image.new("RGB", (640, 480), RED)
    if kind == "bmp":
        image.save(source, "BMP")
    elif kind == "webp":
        image.save(source, "WEBP")
    elif kind == "cmyk":
        image.convert("CMYK").save(source, "JPEG")
    elif kind == "grey":
        image.convert("L").save(source, "PNG")
    else:
        image.convert("P").save(source, "PNG")
    result = decoded(photo.photo_jpeg(source))
    assert (result.format, result.mode, result.size) == ("JPEG", "RGB", (512, 384))


def test_bad_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = tmp_path / "note.jpg"
    text.write_text("not a picture at all")
    with pytest.raises(photo.PhotoError, match="not a JPEG, PNG, WebP or BMP"):
        photo.photo_jpeg(text)
    whole = phone_photo(tmp_path / "whole.jpg").read_bytes()
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(whole[: len(whole) // 2])  # the download broke off
    with pytest.raises(photo.PhotoError, match="can be read"):
        photo.photo_jpeg(cut)
    with pytest.raises(photo.PhotoError, match="too large"):
        photo.photo_jpeg(png_header_only(tmp_path / "bomb.png", 30_000, 30_000))
    gif = tmp_path / "moving.gif"
    Image.new("RGB", (50, 50), RED).save(gif, save_all=True,
                                         append_images=[Image.new("RGB", (50, 50), BLUE)])
    with pytest.raises(photo.PhotoError, match="not a JPEG"):  # GIF is not offered at all
        photo.photo_jpeg(gif)
    for name, fmt in (("moving.png", "PNG"), ("moving.webp", "WEBP")):
        frames = [Image.new("RGB", (50, 50), c) for c in (RED, BLUE)]
        frames[0].save(tmp_path / name, fmt, save_all=True, append_images=frames[1:])
        with pytest.raises(photo.PhotoError, match="animated"):
            photo.photo_jpeg(tmp_path / name)
    with pytest.raises(photo.PhotoError, match="cannot read"):
        photo.photo_jpeg(tmp_path / "missing.jpg")
    with pytest.raises(photo.PhotoError, match="cannot read"):
        photo.photo_jpeg(tmp_path)  # a folder
    monkeypatch.setattr(photo, "MAX_FILE_BYTES", 1000)
    with pytest.raises(photo.PhotoError, match="file is too large"):
        photo.photo_jpeg(phone_photo(tmp_path / "heavy.jpg"))


def test_pillows_own_bomb_check_is_an_error_too(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Past Pillow's limit but under twice it, Pillow only warns: refused all the same."""
    source = tmp_path / "wide.png"
    Image.new("RGB", (400, 300), RED).save(source)
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100_000)  # 120,000 pixels: a warning
    with pytest.raises(photo.PhotoError, match="too large to open safely"):
        photo.photo_jpeg(source)


def test_profile_edit_stores_the_made_photo(home: Path, tmp_path: Path, capsys) -> None:
    status, out, err = run(capsys, home, "profile", "edit", "--photo",
                           str(phone_photo(tmp_path / "phone.jpg")), "--json")
    assert status == 0, err
    sha = json.loads(out)["photo_sha256"]
    svc = build_services(home=home)
    stored = MediaStore(svc.locations.media_dir).path_for(sha)
    svc.close()
    result = Image.open(stored)
    assert (result.format, result.size) == ("JPEG", (341, 512))
    assert len(result.getexif()) == 0 and b"PhoneMaker" not in stored.read_bytes()


@pytest.mark.parametrize("bad", ["text", "cut", "bomb", "animated"])
def test_profile_edit_refuses_bad_files_with_one_line(home: Path, tmp_path: Path, capsys,
                                                      bad: str) -> None:
    path = tmp_path / f"{bad}.png"
    if bad == "text":
        path.write_text("hello")
    elif bad == "cut":
        full = io.BytesIO()
        Image.effect_noise((400, 400), 50).save(full, "PNG")
        path.write_bytes(full.getvalue()[:5000])
    elif bad == "bomb":
        png_header_only(path, 100_000, 100_000)
    else:
        frames = [Image.new("RGB", (50, 50), c) for c in (RED, BLUE)]
        frames[0].save(path, "PNG", save_all=True, append_images=frames[1:])
    assert run(capsys, home, "profile", "edit", "--name", "Anna")[0] == 0
    svc = build_services(home=home)
    media = svc.locations.media_dir
    svc.close()
    before = sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []
    status, out, err = run(capsys, home, "profile", "edit", "--name", "Someone Else",
                           "--photo", str(path))
    lines = err.strip().splitlines()
    assert status == 1 and out == "" and len(lines) == 1 and lines[0].startswith("error: "), err
    after = sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []
    assert after == before  # nothing stored
    status, out, _ = run(capsys, home, "profile", "list", "--json")
    assert [p["name"] for p in json.loads(out)] == ["Anna"]  # and nothing changed
