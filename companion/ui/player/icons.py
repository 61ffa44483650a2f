"""The player's icons: small SVGs in resources/icons, tinted with the palette's text colour so
they stay visible in light and dark mode; a Qt standard icon when a file is missing."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication, QStyle

from companion.core.paths import resources_dir


def icons_dir() -> Path:
    """resources/icons of the source tree, the installed package or the frozen app's bundle."""
    return resources_dir() / "icons"


_FALLBACKS = {
    "play": QStyle.StandardPixmap.SP_MediaPlay,
    "pause": QStyle.StandardPixmap.SP_MediaPause,
    "back-10": QStyle.StandardPixmap.SP_MediaSeekBackward,
    "forward-10": QStyle.StandardPixmap.SP_MediaSeekForward,
    "volume": QStyle.StandardPixmap.SP_MediaVolume,
    "volume-muted": QStyle.StandardPixmap.SP_MediaVolumeMuted,
    "fullscreen": QStyle.StandardPixmap.SP_TitleBarMaxButton,
    "fullscreen-exit": QStyle.StandardPixmap.SP_TitleBarNormalButton,
    "subtitles": QStyle.StandardPixmap.SP_FileDialogDetailedView,
    "speed": QStyle.StandardPixmap.SP_MediaSeekForward,
}

_cache: dict[tuple[str, str, int], QIcon] = {}


def player_icon(name: str, color: QColor, size: int = 32) -> QIcon:
    """The icon ``name`` drawn in ``color`` at ``size`` px (and twice that for HiDPI)."""
    key = (name, color.name(QColor.NameFormat.HexArgb), size)
    if key in _cache:
        return _cache[key]
    path = icons_dir() / f"{name}.svg"
    icon = QIcon()
    if path.is_file():
        svg = path.read_text(encoding="utf-8").replace("currentColor", color.name())
        renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
        if renderer.isValid():
            for scale in (1, 2):
                pixmap = QPixmap(size * scale, size * scale)
                pixmap.fill(Qt.GlobalColor.transparent)
                painter = QPainter(pixmap)
                renderer.render(painter, QRectF(0, 0, size * scale, size * scale))
                painter.end()
                pixmap.setDevicePixelRatio(scale)
                icon.addPixmap(pixmap)
    if icon.isNull():
        style = QApplication.style()
        icon = style.standardIcon(_FALLBACKS.get(name, QStyle.StandardPixmap.SP_MediaPlay))
    _cache[key] = icon
    return icon
