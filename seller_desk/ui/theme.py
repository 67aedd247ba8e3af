"""Light and dark: the app-wide style and palette, and colours that stay readable on either.

The dark theme is the Fusion style with a palette of our own, because Fusion draws everything from the
palette (the platform styles of Windows and macOS ignore much of it, so a dark palette there gives
dark text on dark buttons). Every role a screen uses is set for the three colour groups, including the
ones that are easy to forget: the tables' alternate rows, disabled text, links, the selection when the
window is not active, tooltips, placeholders. "light" is Fusion with its standard palette, so choosing
it gives a light window even on a dark desktop. "system" follows the desktop's colour scheme where Qt
(6.5 and later) reports one, and changes with it; on a light desktop it leaves the platform's own style
and palette alone, as the app looked before themes existed.

Screens write some colours into rich text and item brushes (a red "late", a grey note). Those are
chosen for a light background; ``readable`` lifts them for a dark one, keeping their hue.
"""

from __future__ import annotations

import logging
from functools import lru_cache

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory, QToolTip

from seller_desk.settings import Theme

log = logging.getLogger(__name__)

FUSION = "Fusion"
_Role, _Group = QPalette.ColorRole, QPalette.ColorGroup
DARK_COLORS: dict[QPalette.ColorRole, str] = {
    _Role.Window: "#2b2b2e",
    _Role.WindowText: "#e8e8e8",
    _Role.Base: "#1f1f22",
    _Role.AlternateBase: "#2a2a2f",  # visibly apart from Base: the list's stripes must show
    _Role.Text: "#e8e8e8",
    _Role.PlaceholderText: "#9a9aa0",
    _Role.Button: "#3a3a3f",
    _Role.ButtonText: "#e8e8e8",
    _Role.BrightText: "#ff7b72",
    _Role.Light: "#55555b",
    _Role.Midlight: "#45454a",
    _Role.Mid: "#333337",
    _Role.Dark: "#19191b",
    _Role.Shadow: "#000000",
    _Role.Highlight: "#3d6fb6",
    _Role.HighlightedText: "#ffffff",
    _Role.Link: "#7fb8ff",
    _Role.LinkVisited: "#c0a0ff",
    _Role.ToolTipBase: "#3f3f45",
    _Role.ToolTipText: "#f2f2f2",
}
DARK_DISABLED: dict[QPalette.ColorRole, str] = {  # dimmed, yet still legible against Window and Base
    _Role.WindowText: "#8a8a90",
    _Role.Text: "#8a8a90",
    _Role.ButtonText: "#8a8a90",
    _Role.Highlight: "#45454a",
    _Role.HighlightedText: "#b8b8b8",
    _Role.Link: "#6a88b0",
}
DARK_INACTIVE: dict[QPalette.ColorRole, str] = {  # the selection of a window in the background
    _Role.Highlight: "#34507a",
    _Role.HighlightedText: "#e8e8e8",
}
_state: dict[str, object] = {}  # the platform's own style name, and whether "system" listens


def dark_palette() -> QPalette:
    palette = QPalette()
    for group in (_Group.Active, _Group.Inactive, _Group.Disabled):
        for role, color in DARK_COLORS.items():
            palette.setColor(group, role, QColor(color))
    for role, color in DARK_DISABLED.items():
        palette.setColor(_Group.Disabled, role, QColor(color))
    for role, color in DARK_INACTIVE.items():
        palette.setColor(_Group.Inactive, role, QColor(color))
    if hasattr(_Role, "Accent"):  # Qt 6.6+: some controls (check marks, sliders) paint with it
        for group in (_Group.Active, _Group.Inactive):
            palette.setColor(group, _Role.Accent, QColor(DARK_COLORS[_Role.Highlight]))
    return palette


def system_prefers_dark() -> bool:
    """The desktop's colour scheme, where Qt reports it (6.5+); False when it cannot tell."""
    hints = QGuiApplication.styleHints()
    scheme = getattr(hints, "colorScheme", None)
    return scheme is not None and scheme() == Qt.ColorScheme.Dark


def resolves_dark(theme: Theme) -> bool:
    return theme is Theme.DARK or (theme is Theme.SYSTEM and system_prefers_dark())


def apply_theme(theme: Theme) -> None:
    """Restyle the whole application now; widgets already shown repaint with it.

    The platform's own style and palette are noted the first time, so "system" on a light desktop puts
    them back exactly; until a theme has changed anything, "system" on a light desktop changes nothing.
    """
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        raise RuntimeError("apply_theme needs the QApplication")
    if "platform_style" not in _state:
        style = app.style()
        _state["platform_style"] = style.name() if style is not None else FUSION
        _state["platform_palette"] = QPalette(app.palette())
        _state["tooltip_palette"] = QPalette(QToolTip.palette())
    _state["theme"] = theme
    _follow_the_desktop(theme)
    if resolves_dark(theme):
        _set(app, FUSION, dark_palette())
    elif theme is Theme.LIGHT:
        style = QStyleFactory.create(FUSION)
        _set(app, FUSION, style.standardPalette() if style is not None else QPalette())
    elif _state.get("changed"):
        _set(app, str(_state["platform_style"]), _state["platform_palette"], _state["tooltip_palette"])
        _state["changed"] = False


def _set(app: QApplication, style_name: str, palette: object, tooltip: object = None) -> None:
    assert isinstance(palette, QPalette)
    current = app.style()
    if current is None or current.name().lower() != style_name.lower():
        app.setStyle(style_name)
    app.setPalette(palette)
    QToolTip.setPalette(
        tooltip if isinstance(tooltip, QPalette) else palette
    )  # some platforms keep their own
    _state["changed"] = True


def _follow_the_desktop(theme: Theme) -> None:
    """While the theme is "system", a change of the desktop's scheme re-applies it."""
    hints = QGuiApplication.styleHints()
    if theme is not Theme.SYSTEM or _state.get("listening") or not hasattr(hints, "colorSchemeChanged"):
        return
    hints.colorSchemeChanged.connect(_on_scheme_changed)
    _state["listening"] = True


def _on_scheme_changed(_scheme: object) -> None:
    if _state.get("theme") is Theme.SYSTEM:
        apply_theme(Theme.SYSTEM)


def current_is_dark() -> bool:
    """Whether the application's window colour is dark (whatever made it so)."""
    return QGuiApplication.palette().color(_Role.Window).lightness() < 128


@lru_cache(maxsize=256)
def _lifted(color: str) -> str:
    shade = QColor(color)
    hue, saturation, lightness, alpha = shade.getHsl()
    if lightness >= 165:
        return color
    lifted = QColor.fromHsl(max(hue, 0), min(saturation, 200), 175, alpha)
    return str(lifted.name())


@lru_cache(maxsize=64)
def _brush(color: str) -> QBrush:
    return QBrush(QColor(color))


def readable_brush(color: str) -> QBrush:
    """An item model's foreground brush for ``color``, readable on the current background (``readable``);
    asked for at paint time, so a theme chosen while a list is shown repaints it right."""
    return _brush(readable(color))


def readable(color: str) -> str:
    """``color`` (chosen for a light background) as it should be shown on the current one: itself on a
    light window, the same hue at a lightness that reads on a dark one."""
    return _lifted(color) if current_is_dark() else color
