"""The look: Fusion with calm colours, light or dark as the system says, a text size of 100% to
200%, large click targets and the app's own icons.

Click targets grow with the text through a proxy style (buttons, fields, check boxes, menu rows
and scroll bars), so every screen gets them without a style sheet of its own.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QByteArray, QObject, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QGuiApplication, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle, QStyleFactory

MIN_TEXT_SCALE, MAX_TEXT_SCALE, TEXT_SCALE_STEP = 100, 200, 10
BASE_POINT_SIZE = 11.0  # at 100%: a little larger than most desktops, for tired eyes
APP_ICON = "app-icon"


def resources_dir() -> Path:
    """The ``resources`` folder: next to the package, or inside a frozen (PyInstaller) app."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def clamp_text_scale(percent: int) -> int:
    return max(MIN_TEXT_SCALE, min(MAX_TEXT_SCALE, int(percent)))


# -- icons --------------------------------------------------------------------------------------

_icon_cache: dict[tuple[str, str], QIcon] = {}


def icon_path(name: str) -> Path:
    return resources_dir() / "icons" / f"{name}.svg"


def icon(name: str, color: QColor | None = None) -> QIcon:
    """One of the line icons in ``resources/icons``, drawn in ``color`` (the text colour).

    The SVGs draw with ``currentColor``, so one file serves the light and the dark theme."""
    app = QGuiApplication.instance()
    palette = app.palette() if app else QPalette()
    if color is None:
        color = palette.color(QPalette.ColorRole.WindowText)
    selected = palette.color(QPalette.ColorRole.HighlightedText)
    key = (name, color.name() + selected.name())
    cached = _icon_cache.get(key)
    if cached is not None:
        return cached
    path = icon_path(name)
    result = QIcon()
    if path.is_file():
        text = path.read_text(encoding="utf-8")
        for mode, tint in ((QIcon.Mode.Normal, color), (QIcon.Mode.Selected, selected)):
            renderer = QSvgRenderer(QByteArray(text.replace("currentColor", tint.name())
                                               .encode("utf-8")))
            for size in (16, 24, 32, 48, 64):
                pixmap = QPixmap(size, size)
                pixmap.fill(Qt.GlobalColor.transparent)
                painter = QPainter(pixmap)
                renderer.render(painter)
                painter.end()
                result.addPixmap(pixmap, mode)
    _icon_cache[key] = result
    return result


def app_icon() -> QIcon:
    """The window and task bar icon (full colour, the same in light and dark)."""
    path = icon_path(APP_ICON)
    return QIcon(str(path)) if path.is_file() else QIcon()


# -- colours ------------------------------------------------------------------------------------

_LIGHT = {
    "Window": "#f5f4f0", "WindowText": "#1d2125", "Base": "#ffffff", "AlternateBase": "#f0efea",
    "Text": "#1d2125", "Button": "#e9e7e1", "ButtonText": "#1d2125", "BrightText": "#ffffff",
    "Highlight": "#2b6a5c", "HighlightedText": "#ffffff", "ToolTipBase": "#fffdf5",
    "ToolTipText": "#1d2125", "PlaceholderText": "#6b6f73", "Link": "#1f5f9e",
    "LinkVisited": "#5b3f8f", "Mid": "#c9c6be", "Dark": "#9a978f", "Light": "#ffffff",
    "Midlight": "#f1f0ec", "Shadow": "#6d6a64", "Accent": "#2b6a5c",
}
_DARK = {
    "Window": "#1f2226", "WindowText": "#e9e7e3", "Base": "#272a2f", "AlternateBase": "#2d3035",
    "Text": "#e9e7e3", "Button": "#2f3338", "ButtonText": "#e9e7e3", "BrightText": "#ffffff",
    "Highlight": "#5fb39d", "HighlightedText": "#0f1513", "ToolTipBase": "#2f3338",
    "ToolTipText": "#e9e7e3", "PlaceholderText": "#9a9fa5", "Link": "#8cc4ff",
    "LinkVisited": "#c3a6ff", "Mid": "#44484e", "Dark": "#16181b", "Light": "#4a4f56",
    "Midlight": "#3a3e44", "Shadow": "#0b0c0e", "Accent": "#5fb39d",
}


def calm_palette(dark: bool) -> QPalette:
    """The app's palette: warm off-white or soft dark, one calm green for what is selected."""
    palette = QPalette()
    for role_name, value in (_DARK if dark else _LIGHT).items():
        role = getattr(QPalette.ColorRole, role_name, None)
        if role is not None:
            palette.setColor(role, QColor(value))
    muted = QColor("#7c8085" if dark else "#8f9296")
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text,
                 QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, muted)
    return palette


def system_prefers_dark() -> bool:
    app = QGuiApplication.instance()
    if app is None:
        return False
    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


# -- sizes --------------------------------------------------------------------------------------

class CalmStyle(QProxyStyle):
    """Fusion with click targets that grow with the text size."""

    _GROW = frozenset({
        QStyle.PixelMetric.PM_IndicatorWidth, QStyle.PixelMetric.PM_IndicatorHeight,
        QStyle.PixelMetric.PM_ExclusiveIndicatorWidth,
        QStyle.PixelMetric.PM_ExclusiveIndicatorHeight,
        QStyle.PixelMetric.PM_SmallIconSize, QStyle.PixelMetric.PM_ButtonIconSize,
        QStyle.PixelMetric.PM_ToolBarIconSize, QStyle.PixelMetric.PM_ListViewIconSize,
    })

    def __init__(self) -> None:
        super().__init__(QStyleFactory.create("Fusion"))
        self.setObjectName("calm")
        self.scale = 1.0

    def pixelMetric(self, metric, option=None, widget=None) -> int:
        value = super().pixelMetric(metric, option, widget)
        if metric in self._GROW:
            return round(value * 1.25 * self.scale)
        if metric == QStyle.PixelMetric.PM_ScrollBarExtent:
            return round(max(value, 16) * self.scale)
        return value

    def sizeFromContents(self, kind, option, size, widget=None) -> QSize:
        result = super().sizeFromContents(kind, option, size, widget)
        line = option.fontMetrics.height() if option is not None else 16
        ct = QStyle.ContentsType
        if kind == ct.CT_PushButton:
            result.setHeight(max(result.height(), round(line * 2.1)))
            result.setWidth(max(result.width() + line, round(line * 5)))
        elif kind in (ct.CT_ComboBox, ct.CT_LineEdit, ct.CT_SpinBox):
            result.setHeight(max(result.height(), round(line * 1.9)))
        elif kind == ct.CT_MenuItem and result.height() > line // 2:  # not separators
            result.setHeight(max(result.height(), round(line * 1.7)))
        elif kind == ct.CT_ToolButton:
            result = result.expandedTo(QSize(round(line * 2), round(line * 2)))
        return result


class Appearance(QObject):
    """Applies the look to the application and keeps it in step with the system's light or
    dark mode. ``changed`` fires after every change (icons are redrawn then)."""

    changed = Signal()

    def __init__(self, app: QApplication, base_point_size: float | None = None) -> None:
        super().__init__(app)
        self._app = app
        self.style = CalmStyle()
        app.setStyle(self.style)
        font = QFont(app.font())
        system_size = font.pointSizeF() if font.pointSizeF() > 0 else 10.0
        self._base = base_point_size or max(BASE_POINT_SIZE, system_size)
        self._base_font = font
        self.text_scale = 0
        self.dark: bool | None = None
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._scheme_changed)

    def apply_scheme(self, dark: bool | None = None) -> None:
        """Use the dark or light palette (default: whatever the system prefers)."""
        dark = system_prefers_dark() if dark is None else dark
        if dark == self.dark:
            return
        self.dark = dark
        self._app.setPalette(calm_palette(dark))
        _icon_cache.clear()
        # Widgets with a style sheet keep the colours they were polished with: polish again.
        for widget in self._app.allWidgets():
            if widget.styleSheet():
                widget.style().unpolish(widget)
                widget.style().polish(widget)
                widget.update()
        self.changed.emit()

    def _scheme_changed(self, scheme: Qt.ColorScheme) -> None:
        self.apply_scheme(scheme == Qt.ColorScheme.Dark)

    def apply_text_scale(self, percent: int) -> int:
        """Scale the application font (and with it every click target) to ``percent``."""
        percent = clamp_text_scale(percent)
        if percent == self.text_scale:
            return percent
        self.text_scale = percent
        self.style.scale = percent / 100.0
        font = QFont(self._base_font)
        font.setPointSizeF(self._base * percent / 100.0)
        self._app.setFont(font)  # every widget re-measures: the style's targets grow with it
        self.changed.emit()
        return percent

    @property
    def point_size(self) -> float:
        return self._base * (self.text_scale or 100) / 100.0

