"""The app's photo picker (``ui/dialogs/photo.py``) and `profile edit --photo` on the command
line make the same picture: upright, whole, at most 512 pixels, transparency over white, no
metadata."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from companion.cli import photo as cli_photo
from companion.ui.dialogs.photo import photo_bytes
from tests.cli.test_cli_photo import BLUE, RED, near, phone_photo

pytestmark = pytest.mark.usefixtures("qapp")


def decoded(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_a_phone_photo_stands_upright_without_its_metadata(tmp_path: Path) -> None:
    source = phone_photo(tmp_path / "phone.jpg")  # stored sideways, orientation 6, GPS
    data = photo_bytes(source)
    made = decoded(data)
    assert (made.format, made.size) == ("JPEG", (341, 512))
    assert near(made.getpixel((170, 40)), RED) and near(made.getpixel((170, 470)), BLUE)
    assert b"PhoneMaker" not in data and b"Kerkstraat" not in data and b"Exif" not in data
    assert made.size == decoded(cli_photo.photo_jpeg(source)).size


def test_a_transparent_logo_gets_a_white_background(tmp_path: Path) -> None:
    source = tmp_path / "logo.png"
    image = Image.new("RGBA", (100, 100), (0, 0, 0, 0))
    image.paste((20, 200, 20, 255), (25, 25, 75, 75))
    image.save(source)
    for made in (decoded(photo_bytes(source)), decoded(cli_photo.photo_jpeg(source))):
        assert near(made.getpixel((5, 5)), (255, 255, 255), 10)
        assert near(made.getpixel((50, 50)), (20, 200, 20))
