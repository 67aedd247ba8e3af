"""The Shipments screen inside the main window: built after the Returns list's first paint in its
stand-in's place, readable at 1366×768, and rendered with data by the screenshot command."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from seller_desk.app import render_screenshot
from seller_desk.paths import DB_FILENAME
from seller_desk.store.migrate import open_store
from seller_desk.store.uow import Store
from seller_desk.ui.main_window import MainWindow
from seller_desk.ui.views.shipments_view import ShipmentsView
from tests.fixtures.shipments_data import add_named_shipments

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def shipments_dir(tmp_path: Path) -> Path:
    """A data dir holding the hand-built parcels of ``tests.fixtures.shipments_data`` (and no returns)."""
    store = open_store(tmp_path / DB_FILENAME)
    store.close()
    with sqlite3.connect(tmp_path / DB_FILENAME) as conn:
        add_named_shipments(conn)
    return tmp_path


@pytest.fixture
def store(shipments_dir: Path) -> Iterator[Store]:
    """The main window's store (``window`` and ``tasks`` read it): the hand-built parcels."""
    store = open_store(shipments_dir / DB_FILENAME)
    yield store
    store.close()


def _outbound(data_dir: Path) -> int:
    with sqlite3.connect(data_dir / DB_FILENAME) as conn:
        return int(conn.execute("SELECT count(*) FROM shipments WHERE direction = 'outbound'").fetchone()[0])


def test_shipments_replace_their_stand_in_after_the_first_paint(
    qtbot: QtBot, window: MainWindow, shipments_dir: Path
) -> None:
    qtbot.waitUntil(lambda: isinstance(window.views["shipments"], ShipmentsView), timeout=10_000)
    view = window.views["shipments"]
    assert isinstance(view, ShipmentsView)
    assert window.tabs.indexOf(view) == 1 and window.tabs.tabText(1) == "Shipments"
    assert window.current_view() is window.returns_view  # the swap does not move the seller
    window.select_view("shipments")
    qtbot.waitUntil(view.is_ready, timeout=10_000)
    expected = _outbound(shipments_dir)
    assert expected == 8
    assert view.count_label.text() == f"{expected:,} shipments"
    table = view.table
    assert table.horizontalHeader().length() <= table.viewport().width()  # every column fits at 1366
    assert view.filters.search.accessibleName() == "Search shipments"


def test_screenshot_renders_the_shipments_screen_with_data(
    qapp: QApplication, shipments_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "shipments.png"
    assert render_screenshot(view="shipments", out=out, size=(1366, 768), data_dir=shipments_dir) == 0
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1366, 768)
    colours = {image.pixel(x, y) for x in range(0, 1366, 7) for y in range(120, 700, 7)}
    assert len(colours) > 20  # rows of text and red late marks, not an empty pane
