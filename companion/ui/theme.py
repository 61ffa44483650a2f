"""The look: Fusion with calm colours, light or dark as the system says, a text size of 100% to
200%, large click targets and the app's own icons.

Click targets grow with the text through a proxy style (buttons, fields, check boxes, menu rows
and scroll bars), so every screen gets them without a style sheet of its own.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QObject, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QIcon,
    QPainter,
    QPalette,
    QPen,
    QPixmap,
)
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QApplication,
    QProxyStyle,
    QStyle,
    QStyleFactory,
    QWidget,
)

from companion.core import paths

MIN_TEXT_SCALE, MAX_TEXT_SCALE, TEXT_SCALE_STEP = 100, 200, 10
BASE_POINT_SIZE = 11.0  # at 100%: a little larger than most desktops, for tired eyes
APP_ICON = "app-icon"


def resources_dir() -> Path:
    """The ``resources`` folder: in the source tree, the installed package or a frozen app."""
    return paths.resources_dir()


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


# -- sizes that follow the text size ------------------------------------------------------------

#: Dynamic properties that keep a widget's font and size relative to the app's text size. Every
#: widget that has them is redone by :meth:`Appearance.apply_text_scale`, so a heading, a bold
#: button or a minimum width follows a change at once, not only after a restart.
FONT_SCALE = "companionFontScale"
FONT_BOLD = "companionFontBold"
MIN_HEIGHT_EM = "companionMinHeightEm"
MIN_WIDTH_EM = "companionMinWidthEm"
SCREEN_MARGIN = 48  # a window frame and a little air: what a dialog keeps free of the screen


def screen_room(widget: QWidget | None = None) -> QSize:
    """The space a window may take on the screen ``widget`` is on (else the main screen)."""
    screen = widget.screen() if widget is not None else None
    screen = screen or QGuiApplication.primaryScreen()
    if screen is None:
        return QSize(1024, 768)
    room = screen.availableGeometry().size()
    return QSize(room.width() - SCREEN_MARGIN, room.height() - SCREEN_MARGIN)


def relative_font(widget: QWidget, factor: float = 1.0, *, bold: bool = False) -> QWidget:
    """Give ``widget`` a font ``factor`` times the application font (kept when it changes)."""
    widget.setProperty(FONT_SCALE, float(factor))
    widget.setProperty(FONT_BOLD, bool(bold))
    _apply_font(widget)
    return widget


def relative_min_height(widget: QWidget, lines: float) -> None:
    """Keep ``widget`` at least ``lines`` lines of its text high."""
    widget.setProperty(MIN_HEIGHT_EM, float(lines))
    _apply_height(widget)


def relative_min_width(widget: QWidget, lines: float) -> None:
    """Keep ``widget`` at least ``lines`` line heights wide, but never wider than the screen
    (at the largest text a fixed number of lines would be wider than a 1024 px screen)."""
    widget.setProperty(MIN_WIDTH_EM, float(lines))
    _apply_width(widget)


def _apply_font(widget: QWidget) -> None:
    factor = widget.property(FONT_SCALE)
    if factor is None:
        return
    font = QFont(QApplication.font())
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * float(factor))
    else:
        font.setPixelSize(max(1, round(font.pixelSize() * float(factor))))
    font.setBold(bool(widget.property(FONT_BOLD)))
    widget.setFont(font)


def _apply_height(widget: QWidget) -> None:
    lines = widget.property(MIN_HEIGHT_EM)
    if lines is not None:
        widget.setMinimumHeight(round(widget.fontMetrics().height() * float(lines)))


def _apply_width(widget: QWidget) -> None:
    lines = widget.property(MIN_WIDTH_EM)
    if lines is not None:
        wanted = round(widget.fontMetrics().height() * float(lines))
        widget.setMinimumWidth(min(wanted, screen_room(widget).width()))


def apply_relative_sizes(root: QWidget) -> None:
    """Redo the relative fonts, then the sizes measured in lines, of ``root`` and everything
    in it (fonts first: the sizes are measured in the new fonts)."""
    widgets = [root, *root.findChildren(QWidget)]
    for widget in widgets:
        _apply_font(widget)
    for widget in widgets:
        _apply_height(widget)
        _apply_width(widget)


# -- sizes --------------------------------------------------------------------------------------

#: The keyboard focus: a thick ring in a colour that stands out from the calm green of what is
#: selected, so a person using Tab always sees where they are.
FOCUS_RING_PX = 3
FOCUS_COLOURS = {False: "#0a4fd6", True: "#9cc2ff"}  # light, dark


def focus_colour(palette: QPalette | None = None) -> QColor:
    """The focus ring's colour for this palette (light or dark)."""
    app = QGuiApplication.instance()
    palette = palette or (app.palette() if app else QPalette())
    dark = palette.color(QPalette.ColorRole.Window).lightness() < 128
    return QColor(FOCUS_COLOURS[dark])


def draw_focus_ring(option, painter, widget, colour: QColor | None = None,
                    scale: float = 1.0) -> None:
    """A thick ring just inside ``option.rect`` when ``widget`` has the keyboard focus (for
    styles of their own, such as the seek bar's, that do not go through :class:`CalmStyle`)."""
    if option is None or painter is None or widget is None:
        return
    if not option.state & QStyle.StateFlag.State_HasFocus or not widget.hasFocus():
        return
    width = max(FOCUS_RING_PX, round(FOCUS_RING_PX * scale))
    half = width / 2
    rect = QRectF(option.rect).adjusted(half, half, -half, -half)
    if rect.width() <= width or rect.height() <= width:
        return
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setPen(QPen(colour or focus_colour(), width))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRoundedRect(rect, 4, 4)
    painter.restore()


class CalmStyle(QProxyStyle):
    """Fusion with click targets that grow with the text size, and a clear focus ring.

    The ring is drawn here rather than by an application style sheet: a style sheet border on
    ``:focus`` turns a button into a flat style-sheet box (another look, other sizes) the moment
    it gets the focus; here the widgets keep their look and only gain the ring."""

    _RING_CONTROLS = frozenset({
        QStyle.ControlElement.CE_PushButton, QStyle.ControlElement.CE_CheckBox,
        QStyle.ControlElement.CE_RadioButton, QStyle.ControlElement.CE_TabBarTab,
        QStyle.ControlElement.CE_ShapedFrame,
    })
    _RING_COMPLEX = frozenset({
        QStyle.ComplexControl.CC_ToolButton, QStyle.ComplexControl.CC_Slider,
        QStyle.ComplexControl.CC_ComboBox, QStyle.ComplexControl.CC_SpinBox,
    })
    _RING_PRIMITIVES = frozenset({QStyle.PrimitiveElement.PE_PanelLineEdit})

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
        self.focus_colour = QColor(FOCUS_COLOURS[False])

    def drawControl(self, element, option, painter, widget=None) -> None:
        super().drawControl(element, option, painter, widget)
        if element in self._RING_CONTROLS:
            self._draw_focus_ring(option, painter, widget)

    def drawComplexControl(self, control, option, painter, widget=None) -> None:
        super().drawComplexControl(control, option, painter, widget)
        if control in self._RING_COMPLEX:
            self._draw_focus_ring(option, painter, widget)

    def drawPrimitive(self, element, option, painter, widget=None) -> None:
        super().drawPrimitive(element, option, painter, widget)
        if element in self._RING_PRIMITIVES:
            self._draw_focus_ring(option, painter, widget)

    def _draw_focus_ring(self, option, painter, widget) -> None:
        draw_focus_ring(option, painter, widget, self.focus_colour, self.scale)

    def pixelMetric(self, metric, option=None, widget=None) -> int:
        value = super().pixelMetric(metric, option, widget)
        if metric == QStyle.PixelMetric.PM_DefaultFrameWidth \
                and isinstance(widget, QAbstractScrollArea) and value > 0:
            # Room for the whole focus ring around text fields and lists: their contents
            # cover everything inside the frame.
            return max(value, round(FOCUS_RING_PX * self.scale))
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
        self.style.focus_colour = QColor(FOCUS_COLOURS[dark])
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
        # Fonts set on a widget (headings, bold buttons) and sizes measured in lines do not
        # follow the application font by themselves: redo them everywhere, open dialogs too.
        for window in self._app.topLevelWidgets():
            apply_relative_sizes(window)
        self.changed.emit()
        return percent

    @property
    def point_size(self) -> float:
        return self._base * (self.text_scale or 100) / 100.0

