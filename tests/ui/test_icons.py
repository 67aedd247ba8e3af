"""The icon set: every icon in resources/ renders, in the colour asked for (so it follows the theme), and
sharp at a high device-pixel ratio."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from seller_desk.resources import resource_path
from seller_desk.ui import icons


def _colours(image: QImage) -> set[str]:
    """The colours of the solid pixels (anti-aliased edges are left out: their premultiplied alpha
    rounds the colour by a unit)."""
    seen = set()
    for y in range(image.height()):
        for x in range(image.width()):
            colour = image.pixelColor(x, y)
            if colour.alpha() == 255:
                seen.add(colour.name())
    return seen


def test_the_set_is_exactly_the_files_in_resources(qtbot: QtBot) -> None:
    files = {p.stem for p in resource_path("icons", "ui").glob("*.svg")}
    assert files == set(icons.NAMES)


def test_every_icon_draws_in_the_colour_asked_for(qtbot: QtBot) -> None:
    for name in icons.NAMES:
        for colour in ("#1a1a1a", "#e8e8e8"):
            image = icons.icon(name, colour).pixmap(32, 32).toImage()
            opaque = _colours(image)
            assert opaque, f"{name} drew nothing"
            assert opaque == {colour}, f"{name} in {colour} drew {sorted(opaque)[:5]}"


def test_the_default_colour_is_the_palettes_text(qtbot: QtBot) -> None:
    from PySide6.QtGui import QGuiApplication, QPalette

    text = QGuiApplication.palette().color(QPalette.ColorRole.WindowText).name()
    assert _colours(icons.icon("sync").pixmap(24, 24).toImage()) == {text}


def test_high_dpi_gets_real_pixels_not_a_scaled_bitmap(qtbot: QtBot) -> None:
    sharp = icons._rendered("trends", "#000000", 2.0)
    pixmap = sharp.pixmap(QSize(24, 24), 2.0)
    assert (pixmap.width(), pixmap.height(), pixmap.devicePixelRatio()) == (48, 48, 2.0)
    assert QSize(96, 96) in sharp.availableSizes()  # drawn at twice each size, not scaled up
    assert QSize(96, 96) not in icons._rendered("trends", "#000000", 1.0).availableSizes()


def test_an_unknown_icon_is_named(qtbot: QtBot) -> None:
    import pytest

    with pytest.raises(KeyError, match="no icon 'refund'"):
        icons.icon("refund")
