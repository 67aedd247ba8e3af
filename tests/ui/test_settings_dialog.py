"""Settings… in the window: the menu entry, the dialog's values, OK saving and applying (theme, sync
interval, stalled threshold, Restock defaults), Cancel changing nothing, bad input refused by name, and
the window's size remembered across a close."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QKeySequence, QPalette
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from pytestqt.qtbot import QtBot

from seller_desk.paths import DB_FILENAME, resolve_paths
from seller_desk.settings import SETTINGS_FILE, AppSettings, Theme, save_settings
from seller_desk.store.queries import returns_quick
from seller_desk.store.queries.returns_quick import DAY_S as DAY
from seller_desk.store.queries.returns_quick import QuickFilter, quick_counts
from seller_desk.ui import theme as theme_module
from seller_desk.ui.dialogs.settings_dialog import SettingsDialog
from seller_desk.ui.main_window import UI_SETTINGS_FILE, MainWindow
from seller_desk.ui.theme import DARK_COLORS, apply_theme
from seller_desk.ui.window_state import WindowLayout
from seller_desk.workers import TaskManager

# The offscreen plugin says so when a shown dialog's wrapped labels change its size hints.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture(autouse=True)
def _restore_the_look() -> Iterator[None]:
    """A theme is app-wide: put the style and palette back for the tests that follow."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    style, palette = app.style().name(), QPalette(app.palette())
    yield
    app.setStyle(style)
    app.setPalette(palette)
    theme_module._state.clear()


def config_dir() -> Path:
    return resolve_paths().config_dir  # the test's own home (tests/conftest.py)


def open_window(qtbot: QtBot, tasks: TaskManager) -> MainWindow:
    win = MainWindow(tasks)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    with qtbot.waitSignal(win.returns_view.ready, timeout=10_000):
        win.start()
    return win


def open_dialog(qtbot: QtBot, window: MainWindow) -> SettingsDialog:
    dialog = window.settings_menu.open()
    qtbot.waitUntil(lambda: dialog.backend.url.isEnabled(), timeout=10_000)  # the backend read answered
    return dialog


def press_ok(dialog: SettingsDialog) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def test_settings_sits_in_the_file_menu_before_quit_with_ctrl_comma(qtbot: QtBot, tasks: TaskManager) -> None:
    window = open_window(qtbot, tasks)
    file_menu = window.menuBar().actions()[0].menu()
    texts = [a.text() for a in file_menu.actions() if not a.isSeparator()]
    assert texts[-2:] == ["&Settings…", "&Quit"]
    assert QKeySequence("Ctrl+,") in window.settings_menu.action.shortcuts()
    window.settings_menu.action.trigger()
    assert window.settings_menu.dialog is not None and window.settings_menu.dialog.isVisible()
    window.settings_menu.dialog.reject()
    window.stop()


def test_the_dialog_shows_the_saved_values_and_the_window_follows_them(
    qtbot: QtBot, tasks: TaskManager
) -> None:
    save_settings(config_dir(), AppSettings(sync_interval_s=120, sla_country="DE", stalled_after_days=9,
                                            theme=Theme.DARK))  # fmt: skip
    ini = QSettings(str(config_dir() / UI_SETTINGS_FILE), QSettings.Format.IniFormat)
    ini.setValue("restock/default_lead_time_days", 21)
    ini.sync()
    window = open_window(qtbot, tasks)
    assert window.sync.pull_interval == 120  # handed to the engine the worker builds
    assert window.returns_view.model.current_filter().stalled_after_days == 9
    assert window.returns_view.detail.stalled_after_days == 9
    assert window.returns_view.detail.holiday_country == "DE"  # the business-day flags count in it
    dialog = open_dialog(qtbot, window)
    assert dialog.sync_interval.value() == 120
    assert dialog.sla_country.currentData() == "DE" and "Germany" in dialog.sla_country.currentText()
    assert dialog.stalled_days.value() == 9
    assert Theme(dialog.theme.currentData()) is Theme.DARK
    assert dialog.restock_boxes["default_lead_time_days"].value() == 21
    assert dialog.restock_boxes["cover_target_days"].value() == 14  # never set: the default
    assert dialog.backend.connected.text().startswith("Not connected")
    dialog.reject()
    window.stop()


def test_ok_saves_and_applies_everything_at_once(
    qtbot: QtBot, tasks: TaskManager, small_data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with closing(sqlite3.connect(small_data_dir / DB_FILENAME)) as conn:
        (latest,) = conn.execute(
            "SELECT max(last_scan_at) FROM returns WHERE status = 'in_transit'"
        ).fetchone()
        now = int(latest) + int(
            3.5 * DAY
        )  # the newest parcel in transit fell silent three and a half days ago
        stalled_at = {d: quick_counts(conn, now, stalled_after_days=d)[QuickFilter.STALLED] for d in (2, 5)}
    assert stalled_at[2] > stalled_at[5] > 0  # the two thresholds pick different parcels
    monkeypatch.setattr(returns_quick, "now_epoch", lambda: now)  # the clock the list and counts read
    window = open_window(qtbot, tasks)
    button = window.returns_view.filters.quick_buttons[QuickFilter.STALLED]
    qtbot.waitUntil(lambda: button.text().endswith(f" {stalled_at[5]:,}"), timeout=10_000)
    window.select_view("restock")
    restock = window.views["restock"]
    qtbot.waitUntil(lambda: restock.is_ready(), timeout=20_000)
    before = QApplication.palette().color(QPalette.ColorRole.Window)

    dialog = open_dialog(qtbot, window)
    dialog.sync_interval.setValue(90)
    dialog.stalled_days.setValue(2)
    dialog.sla_country.setCurrentIndex(dialog.sla_country.findData("GB"))
    dialog.theme.setCurrentIndex(dialog.theme.findData(Theme.DARK.value))
    dialog.restock_boxes["safety_stock_days"].setValue(3)
    with qtbot.waitSignal(dialog.finished, timeout=5_000):
        press_ok(dialog)

    saved = json.loads((config_dir() / SETTINGS_FILE).read_text())
    assert saved == {"sync_interval_s": 90, "stalled_after_days": 2, "sla_country": "GB", "theme": "dark"}
    window_color = QApplication.palette().color(QPalette.ColorRole.Window)
    assert window_color == QColor(DARK_COLORS[QPalette.ColorRole.Window]) != before
    assert QApplication.palette().color(QPalette.ColorRole.AlternateBase) != QApplication.palette().color(
        QPalette.ColorRole.Base
    )  # the list's stripes still show
    assert QApplication.style().name().lower() == "fusion"
    assert window.sync.pull_interval == 90
    qtbot.waitUntil(lambda: button.text().endswith(f" {stalled_at[2]:,}"), timeout=10_000)
    assert window.returns_view.model.current_filter().stalled_after_days == 2
    assert restock.settings_row.current().safety_stock_days == 3  # the open Restock screen re-planned
    ini = QSettings(str(config_dir() / UI_SETTINGS_FILE), QSettings.Format.IniFormat)
    assert int(ini.value("restock/safety_stock_days")) == 3  # the one place Restock keeps it
    window.stop()


def test_cancel_changes_nothing(qtbot: QtBot, tasks: TaskManager) -> None:
    window = open_window(qtbot, tasks)
    before = QApplication.palette().color(QPalette.ColorRole.Window)
    dialog = open_dialog(qtbot, window)
    dialog.sync_interval.setValue(600)
    dialog.stalled_days.setValue(30)
    dialog.theme.setCurrentIndex(dialog.theme.findData(Theme.DARK.value))
    dialog.restock_boxes["horizon_days"].setValue(90)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()
    assert not dialog.isVisible()
    assert not (config_dir() / SETTINGS_FILE).exists()
    assert QApplication.palette().color(QPalette.ColorRole.Window) == before
    assert window.sync.pull_interval == AppSettings().sync_interval_s
    assert window.returns_view.model.current_filter().stalled_after_days == 5
    ini = QSettings(str(config_dir() / UI_SETTINGS_FILE), QSettings.Format.IniFormat)
    assert ini.value("restock/horizon_days") is None
    window.stop()


def test_a_number_typed_out_of_range_is_refused_by_name(qtbot: QtBot, tasks: TaskManager) -> None:
    window = open_window(qtbot, tasks)
    dialog = open_dialog(qtbot, window)
    edit = dialog.sync_interval.lineEdit()
    edit.selectAll()
    qtbot.keyClicks(edit, "2")
    press_ok(dialog)
    assert dialog.isVisible()
    assert dialog.error.text().startswith("Sync every: '2")
    assert "from 5 to 3600" in dialog.error.text()
    assert not (config_dir() / SETTINGS_FILE).exists()
    dialog.restock_boxes["horizon_days"].lineEdit().selectAll()
    qtbot.keyClicks(dialog.restock_boxes["horizon_days"].lineEdit(), "0")
    press_ok(dialog)
    assert dialog.error.text().startswith("Horizon: '0")
    dialog.reject()
    window.stop()


def test_a_backend_url_that_is_not_one_is_refused_by_name(qtbot: QtBot, tasks: TaskManager) -> None:
    window = open_window(qtbot, tasks)
    dialog = open_dialog(qtbot, window)
    dialog.backend.url.setText("ftp://files.example.com")
    dialog.backend.token.setText("a-token")
    press_ok(dialog)
    qtbot.waitUntil(lambda: "Backend URL" in dialog.error.text(), timeout=10_000)
    assert "is not a backend URL" in dialog.error.text() and dialog.isVisible()
    assert dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    assert not (config_dir() / SETTINGS_FILE).exists()
    dialog.backend.token.setText("two words")
    press_ok(dialog)
    assert dialog.error.text().startswith("Token: a token has no spaces")
    dialog.reject()
    window.stop()


def test_the_window_reopens_where_and_as_large_as_it_was_closed(qtbot: QtBot, tasks: TaskManager) -> None:
    first = MainWindow(tasks)
    qtbot.addWidget(first)
    layout = WindowLayout(first, first.settings)
    assert not layout.restore_or_resize(1366, 768)  # nothing remembered yet: the default size
    assert (first.width(), first.height()) == (1366, 768)
    first.setMinimumSize(300, 200)  # the offscreen screen is 800 × 800: Qt fits a restored window in it
    first.show()
    first.setGeometry(40, 60, 700, 500)
    qtbot.waitUntil(lambda: first.width() == 700, timeout=5_000)
    first.close()
    second = MainWindow(tasks)
    qtbot.addWidget(second)
    second.setMinimumSize(300, 200)
    assert WindowLayout(second, second.settings).restore_or_resize(1366, 768)
    assert (second.width(), second.height()) == (700, 500)
    assert (second.geometry().x(), second.geometry().y()) == (40, 60)
    ini = QSettings(str(config_dir() / UI_SETTINGS_FILE), QSettings.Format.IniFormat)
    assert ini.value("returns/header") is None or ini.contains("window/geometry")  # beside, not instead
    first.stop()
    second.stop()


def test_system_follows_the_desktop_scheme_and_light_forces_light(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(theme_module, "system_prefers_dark", lambda: True)
    apply_theme(Theme.SYSTEM)
    assert QApplication.palette().color(QPalette.ColorRole.Base) == QColor(
        DARK_COLORS[QPalette.ColorRole.Base]
    )
    assert theme_module.readable("#b0201a") != "#b0201a"  # a light-background red, lifted to read on dark
    disabled = QApplication.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
    assert 100 < disabled.lightness() < QApplication.palette().color(QPalette.ColorRole.Text).lightness()
    apply_theme(Theme.LIGHT)
    assert QApplication.palette().color(QPalette.ColorRole.Window).lightness() > 200
    assert theme_module.readable("#b0201a") == "#b0201a"
    assert Qt.ColorScheme.Dark  # the enum the "system" theme reads exists in this Qt


def test_a_damaged_settings_file_opens_with_defaults_and_says_so(qtbot: QtBot, tasks: TaskManager) -> None:
    config_dir().mkdir(parents=True, exist_ok=True)
    (config_dir() / SETTINGS_FILE).write_text('{"stalled_after_days": 0, "sync_interval_s": 45')
    window = open_window(qtbot, tasks)
    assert window.settings_menu.current == AppSettings()
    message = window.statusBar().currentMessage()
    assert message.startswith("Settings: settings.json is not valid JSON") and "default settings" in message
    window.stop()
