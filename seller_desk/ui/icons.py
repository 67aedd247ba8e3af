"""The app's icon set: one line-drawn SVG per screen and action in ``resources/icons/ui``, drawn in the
palette's text colour, so the same icons read on the light and the dark theme.

The files are drawn in black (``stroke="#000000"``); ``icon(name)`` swaps that for the colour of the
current palette's window text and renders it at each size a menu, tab or button asks for, times the
screen's device-pixel ratio, so icons stay sharp at 125 %, 150 % and 200 % scaling rather than being
scaled up from one small bitmap. Icons are cached per name and colour; a theme change asks again.
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QByteArray, QEvent, QObject, QRectF, QSize, Qt
from PySide6.QtGui import QAction, QGuiApplication, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QTabWidget, QWidget

from seller_desk.resources import resource_path

NAMES = ("returns", "shipments", "refunds", "trends", "restock", "sync", "import", "settings", "logs", "quit")
SIZES = (16, 20, 24, 32, 48)
DRAWN_IN = b'stroke="#000000"'


def icon(name: str, colour: str | None = None) -> QIcon:
    """The icon ``name`` (one of ``NAMES``) in ``colour`` (default: the palette's window text)."""
    if name not in NAMES:
        raise KeyError(f"no icon {name!r}; the set is {', '.join(NAMES)}")
    if colour is None:
        colour = QGuiApplication.palette().color(QPalette.ColorRole.WindowText).name()
    screen = QGuiApplication.primaryScreen()
    ratio = max(1.0, screen.devicePixelRatio()) if screen is not None else 1.0
    return _rendered(name, colour, ratio)


@lru_cache(maxsize=128)
def _rendered(name: str, colour: str, ratio: float) -> QIcon:
    svg = resource_path("icons", "ui", f"{name}.svg").read_bytes()
    if DRAWN_IN not in svg:
        raise ValueError(f"{name}.svg is not drawn in {DRAWN_IN.decode()}: it could not follow the theme")
    renderer = QSvgRenderer(QByteArray(svg.replace(DRAWN_IN, f'stroke="{colour}"'.encode())))
    result = QIcon()
    for size in SIZES:
        pixels = round(size * ratio)
        pixmap = QPixmap(QSize(pixels, pixels))
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter, QRectF(0, 0, pixels, pixels))
        painter.end()
        pixmap.setDevicePixelRatio(ratio)
        result.addPixmap(pixmap)
    return result


def screen_icon_name(tab_text: str) -> str | None:
    """The icon of a screen's tab from its title ("Refunds", "Sync (2 queued)" → refunds, sync)."""
    word = tab_text.replace("&", "").split(" ", 1)[0].lower()
    return word if word in NAMES else None


class ScreenTabs(QTabWidget):
    """The main window's screens. Each tab gets its screen's icon whenever it is inserted (screens
    built after the first paint replace their stand-in's tab), and all icons are drawn again when the
    palette changes (Settings → Theme), so they keep the text's colour."""

    def tabInserted(self, index: int) -> None:
        super().tabInserted(index)
        self._decorate(index)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            for index in range(self.count()):
                self._decorate(index)

    def _decorate(self, index: int) -> None:
        name = screen_icon_name(self.tabText(index))
        if name is not None:
            self.setTabIcon(index, icon(name, self.palette().color(QPalette.ColorRole.WindowText).name()))


class ActionIcons(QObject):
    """Gives menu actions their icons and draws them again when ``window``'s palette changes."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self._actions: list[tuple[QAction, str]] = []
        window.installEventFilter(self)

    def add(self, action: QAction, name: str) -> None:
        self._actions.append((action, name))
        action.setIcon(icon(name, self._colour()))

    def _colour(self) -> str:
        return self._window.palette().color(QPalette.ColorRole.WindowText).name()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() == QEvent.Type.PaletteChange:
            for action, name in self._actions:
                action.setIcon(icon(name, self._colour()))
        return False
