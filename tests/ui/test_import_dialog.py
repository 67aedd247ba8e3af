"""Importing reports from the window: the File menu, drag-and-drop, the live progress, Cancel, and the
summary with every rejected row, over a real store file of the test's own."""

from __future__ import annotations

import csv
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QKeySequence
from pytestqt.qtbot import QtBot

from seller_desk.bench.report_files import write_fba, write_mfn_flat
from seller_desk.store import report_import
from seller_desk.store.migrate import open_store
from seller_desk.store.uow import Store
from seller_desk.ui.dialogs.import_dialog import ImportDialog
from seller_desk.ui.main_window import MainWindow
from tests.fixtures.report_texts import mfn_row, mfn_text, write

pytestmark = pytest.mark.qt_log_ignore(
    "This plugin does not support propagateSizeHints"
)  # offscreen, a dialog


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """An empty store of this test's own (the shared seeded one is read-only)."""
    opened = open_store(tmp_path / "store" / "seller-desk.sqlite3")
    yield opened
    opened.close()


def _count(store: Store, sql: str = "SELECT count(*) FROM returns") -> int:
    with sqlite3.connect(store.path) as conn:
        return int(conn.execute(sql).fetchone()[0])


def _finished(qtbot: QtBot, dialog: ImportDialog) -> None:
    qtbot.waitUntil(lambda: not dialog.running and dialog.close_button.isVisible(), timeout=30_000)


def test_file_menu_offers_the_import_with_its_shortcut(window: MainWindow) -> None:
    (file_menu,) = [a.menu() for a in window.menuBar().actions() if a.text() == "&File"]
    texts = [a.text() for a in file_menu.actions()]
    assert "&Import Amazon reports…" in texts and "&Quit" in texts
    assert window.imports.import_action.shortcut() == QKeySequence("Ctrl+O")
    assert window.acceptDrops()


def test_dropped_files_import_and_the_list_shows_them(
    qtbot: QtBot, window: MainWindow, store: Store, tmp_path: Path
) -> None:
    mfn = write_mfn_flat(tmp_path / "mfn.txt", 120)
    fba = write_fba(tmp_path / "fba.txt", 30)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(mfn)), QUrl.fromLocalFile(str(fba))])
    drop = QDropEvent(QPointF(200, 200), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)  # fmt: skip
    # Qt routes a synthetic drop only to the widget its drag manager targets, so the drop goes to the
    # window's handler the way a real drag delivers it.
    assert window.imports.eventFilter(window, drop) is True and drop.isAccepted()
    dialog = window.imports.dialog
    assert dialog is not None
    _finished(qtbot, dialog)
    assert _count(store) == 150
    assert dialog.summary.rowCount() == 2
    assert [dialog.summary.item(r, 3).text() for r in range(2)] == ["120", "30"]  # new
    assert dialog.summary.item(1, 1).text() == "FBA customer returns"
    assert "Done." in dialog.heading.text() and "every row imported" in dialog.heading.text()
    qtbot.waitUntil(lambda: window.returns_view.model.rowCount() == 150, timeout=10_000)


def test_rejected_rows_are_listed_and_saved_to_csv(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    bad = write(
        tmp_path / "bad.txt", mfn_text(mfn_row(), mfn_row(**{"Amazon RMA ID": "B", "Return quantity": "x"}))
    )
    dialog = window.imports.start([bad])
    assert dialog is not None
    _finished(qtbot, dialog)
    assert dialog.summary.item(0, 6).text() == "1"  # rejected
    assert dialog.errors.rowCount() == 1
    assert [dialog.errors.item(0, c).text() for c in range(3)] == ["bad.txt", "3", "Return quantity"]
    assert dialog.save_button.isEnabled()
    out = tmp_path / "rejected.csv"
    dialog.write_errors(out)
    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert rows[0] == ["file", "line", "column", "message"]
    assert rows[1][1:3] == ["3", "Return quantity"]


def test_cancel_rolls_the_current_file_back_and_says_so(
    qtbot: QtBot, window: MainWindow, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(report_import, "BATCH", 50)
    big = write_mfn_flat(tmp_path / "big.txt", 3_000)
    dialog = window.imports.start([big])
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.bar.value() > 0, timeout=10_000)
    dialog.cancel()
    _finished(qtbot, dialog)
    assert "Cancelled." in dialog.heading.text()
    assert _count(store) == 0
    assert window.imports.start([big]) is not None  # a new import may start once the last one ended
    _finished(qtbot, window.imports.dialog)  # type: ignore[arg-type]
    assert _count(store) == 3_000


def test_a_drag_without_local_files_is_not_taken(window: MainWindow) -> None:
    mime = QMimeData()
    mime.setText("just text")
    drop = QDropEvent(QPointF(5, 5), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)  # fmt: skip
    assert window.imports.eventFilter(window, drop) is False
    assert window.imports.dialog is None
