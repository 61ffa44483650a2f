"""Profile photos: made small, then kept in the media store under their SHA-256.

A phone photo of 6 MB becomes a JPEG of at most 512 pixels (a few dozen kB): enough for a face
next to a comment, and cheap to sync later.
"""

from __future__ import annotations

import io
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QImageReader,
    QPainter,
    QPainterPath,
    QPixmap,
)

from companion.core.media_store import MediaStore

MAX_PHOTO_PX = 512
PHOTO_QUALITY = 88


class PhotoError(ValueError):
    """The chosen file is not a picture that can be read."""


def photo_bytes(source: Path | str) -> bytes:
    """The picture at ``source`` as a JPEG of at most :data:`MAX_PHOTO_PX` pixels: upright
    (a phone stores its photos sideways, with an EXIF orientation), transparent parts over
    white, and nothing of the original's metadata (the JPEG is written from the pixels)."""
    reader = QImageReader(str(source))
    reader.setAutoTransform(True)
    image = reader.read()
    if image.isNull():
        raise PhotoError(f"{source}: not a picture that can be read")
    if max(image.width(), image.height()) > MAX_PHOTO_PX:
        image = image.scaled(MAX_PHOTO_PX, MAX_PHOTO_PX, Qt.AspectRatioMode.KeepAspectRatio,
                             Qt.TransformationMode.SmoothTransformation)
    # Painted onto a new image: transparent parts come out white, and none of the original's
    # texts (a JPEG comment, PNG text: Qt writes them into the new file) comes along.
    flat = QImage(image.size(), QImage.Format.Format_RGB32)
    flat.fill(QColor("white"))
    painter = QPainter(flat)
    painter.drawImage(0, 0, image)
    painter.end()
    image = flat
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "JPEG", PHOTO_QUALITY)
    buffer.close()
    return bytes(data.data())


def store_photo(store: MediaStore, source: Path | str) -> str:
    """Keep a small copy of the picture at ``source``; returns its SHA-256."""
    data = photo_bytes(source)
    sha, _size = store.ingest(io.BytesIO(data), None, len(data))
    return sha


def initials(name: str) -> str:
    parts = [p for p in name.split() if p]
    if not parts:
        return "?"
    letters = parts[0][0] + (parts[-1][0] if len(parts) > 1 else "")
    return letters.upper()


def avatar(store: MediaStore, sha256: str | None, name: str, size: int) -> QPixmap:
    """A round picture of the person: their photo, or their initials on a calm colour."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    clip = QPainterPath()
    clip.addEllipse(QRectF(0, 0, size, size))
    painter.setClipPath(clip)
    photo = QImage(str(store.path_for(sha256))) if sha256 else QImage()
    if not photo.isNull():
        photo = photo.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatioByExpanding,
                             Qt.TransformationMode.SmoothTransformation)
        painter.drawImage((size - photo.width()) // 2, (size - photo.height()) // 2, photo)
    else:
        hues = (160, 20, 200, 280, 40, 100)
        hue = hues[sum(map(ord, name)) % len(hues)]
        painter.fillRect(0, 0, size, size, QColor.fromHsl(hue, 90, 120))
        font = QFont()
        font.setBold(True)
        font.setPixelSize(max(8, size * 2 // 5))
        painter.setFont(font)
        painter.setPen(QColor("white"))
        painter.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, initials(name))
    painter.end()
    return pixmap
