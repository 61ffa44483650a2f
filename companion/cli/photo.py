"""A profile photo made small on the command line, as the app's photo picker does, without Qt.

The app (companion/ui/dialogs/photo.py) turns the chosen picture into a JPEG of at most
512 pixels a side at quality 88, upright by its EXIF orientation, transparency painted over
white. Here the same, with Pillow:

- the file is opened only as JPEG, PNG, WebP or BMP (the app's picker offers these), and its
  size is read from the header before any pixel is decoded: more than :data:`MAX_PIXELS` is
  refused, so a small file that unpacks to gigabytes (a decompression bomb) never does;
- the EXIF orientation is applied (a phone photo stands upright), then all metadata is left
  behind: the JPEG is made from the pixels alone, so no GPS position, camera, time or comment
  from the EXIF/XMP/ICC blocks of the original reaches the group;
- the whole picture is kept (the profile form shows it whole; the round pictures beside a
  name show its centre), scaled to at most 512 pixels on its longer side.

An animated picture, a file that is not a picture, a truncated one or one that is too large
raises :class:`PhotoError` with a message for people; nothing is stored then.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path

from PIL import Image, ImageOps

MAX_PHOTO_PX = 512  # as companion.ui.dialogs.photo.MAX_PHOTO_PX
PHOTO_QUALITY = 88  # as companion.ui.dialogs.photo.PHOTO_QUALITY
MAX_PIXELS = 50_000_000  # a 50-megapixel camera; a phone's 200 MP JPEG is decoded smaller
MAX_FILE_BYTES = 64 * 1024 * 1024
FORMATS = ("JPEG", "PNG", "WEBP", "BMP")


class PhotoError(ValueError):
    """The file cannot be made into a profile photo; ``str()`` says why, for people."""


def photo_jpeg(path: Path | str) -> bytes:
    """The picture at ``path`` as the app's profile photo: a JPEG of the whole picture, at
    most :data:`MAX_PHOTO_PX` a side, without any metadata (see the module doc)."""
    source = Path(path)
    try:
        size = source.stat().st_size
    except OSError as exc:
        raise PhotoError(f"cannot read {source}: {exc.strerror or exc}") from exc
    if not source.is_file():
        raise PhotoError(f"cannot read {source}: not a file")
    if size > MAX_FILE_BYTES:
        raise PhotoError(f"{source}: the file is too large for a photo "
                         f"(more than {MAX_FILE_BYTES // (1024 * 1024)} MB)")
    try:
        with warnings.catch_warnings():
            # Pillow's own bomb check only warns below twice its limit: refuse those too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(source, formats=FORMATS) as image:
                width, height = image.size
                if width < 1 or height < 1 or width * height > MAX_PIXELS:
                    raise PhotoError(f"{source}: the picture is too large "
                                     f"({width} x {height} pixels; at most "
                                     f"{MAX_PIXELS // 1_000_000} million)")
                if getattr(image, "is_animated", False) or getattr(image, "n_frames", 1) > 1:
                    raise PhotoError(f"{source}: an animated picture cannot be a profile "
                                     "photo; choose a still one")
                if image.format == "JPEG":
                    # Decode a big JPEG at a half, quarter or eighth of its size: still at
                    # least twice the photo's size, and a fraction of the memory.
                    image.draft("RGB", (MAX_PHOTO_PX * 2, MAX_PHOTO_PX * 2))
                image.load()
                upright = ImageOps.exif_transpose(image)
                return _encode(_fit(_flatten(upright)))
    except PhotoError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise PhotoError(f"{source}: the picture is too large to open safely") from exc
    except Exception as exc:
        # Not a picture (UnidentifiedImageError), cut short (OSError), or damaged in one of
        # the many ways a decoder can trip (ValueError, SyntaxError, struct.error, ...).
        raise PhotoError(f"{source}: not a JPEG, PNG, WebP or BMP picture that can be read "
                         f"({exc})") from exc


def _flatten(image: Image.Image) -> Image.Image:
    """Plain RGB; transparent parts over white, as the app paints them (a shop's logo)."""
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return image.convert("RGB")


def _fit(image: Image.Image) -> Image.Image:
    """The whole picture, at most :data:`MAX_PHOTO_PX` on its longer side (never enlarged)."""
    width, height = image.size
    if max(width, height) <= MAX_PHOTO_PX:
        return image
    scale = MAX_PHOTO_PX / max(width, height)
    return image.resize((max(1, round(width * scale)), max(1, round(height * scale))),
                        Image.Resampling.LANCZOS)


def _encode(image: Image.Image) -> bytes:
    # Made anew from the pixels: no EXIF, XMP, ICC profile or comment can ride along.
    clean = Image.frombytes("RGB", image.size, image.tobytes())
    out = io.BytesIO()
    clean.save(out, "JPEG", quality=PHOTO_QUALITY)
    return out.getvalue()
