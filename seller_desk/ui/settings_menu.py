"""File → Settings… (Ctrl+,) and the settings the running window follows.

Installed once on the main window, after the File menu exists (``import_menu``). At start it reads
``settings.json`` — a file of a few hundred bytes, the one file read the GUI thread is allowed — and
hands the sync worker its interval and the Returns screen, its detail pane and the attention inbox the
stalled threshold; ``app.py`` applied the theme before the window was built. A file it had to set back
to defaults is named in the status bar (and was logged by ``app.py``).

After OK in the dialog everything takes effect at once: the theme app-wide, the interval on the running
engine, the threshold on every screen that shows it (they read again in the background), the Restock
defaults on the Restock screen if it is open, and a newly connected backend through the sync worker.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence

from seller_desk.settings import AppSettings, load_settings

if TYPE_CHECKING:
    from seller_desk.ui.dialogs.settings_dialog import SettingsChoice, SettingsDialog
    from seller_desk.ui.main_window import MainWindow

PROBLEM_SHOWN_MS = 20_000
FALLBACK_SHORTCUT = "Ctrl+,"  # where the platform has no Preferences key (Windows, most X11 desktops)


class SettingsMenu(QObject):
    """``SettingsMenu(window)``; ``current`` is what the window follows now."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.dialog: SettingsDialog | None = None
        loaded = load_settings(self.config_dir, log_problems=False)
        self.current: AppSettings = loaded.settings
        self.action = QAction("&Settings…", window)
        keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Preferences)
        self.action.setShortcuts(keys or [QKeySequence(FALLBACK_SHORTCUT)])
        self.action.setMenuRole(QAction.MenuRole.PreferencesRole)  # macOS: the application menu
        self.action.setToolTip(
            "Backend, sync interval, refund clocks, stalled parcels, Restock defaults, theme"
        )
        self.action.triggered.connect(self.open)
        self._add_to_file_menu()
        self._follow(self.current)
        if loaded.problems:
            text = "; ".join(str(p) for p in loaded.problems)
            window.statusBar().showMessage(f"Settings: {text}", PROBLEM_SHOWN_MS)

    @property
    def config_dir(self) -> Path:
        return self.window.sync.config_dir

    def _add_to_file_menu(self) -> None:
        """Before Quit in the File menu (after Import and its separator); a new menu if there is none."""
        bar = self.window.menuBar()
        file_menu = next((a.menu() for a in bar.actions() if a.text().replace("&", "") == "File"), None)
        if file_menu is None:
            file_menu = bar.addMenu("&File")
        quit_key = QKeySequence(QKeySequence.StandardKey.Quit)
        quit_action = next((a for a in file_menu.actions() if a.shortcut() == quit_key), None)
        if quit_action is None:
            file_menu.addAction(self.action)
            return
        file_menu.insertAction(quit_action, self.action)
        file_menu.insertSeparator(quit_action)

    def open(self) -> SettingsDialog:
        """Show the dialog with the current values (one at a time: a second request raises the first)."""
        from seller_desk.ui.dialogs.settings_dialog import SettingsDialog

        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.raise_()
            self.dialog.activateWindow()
            return self.dialog
        self.dialog = SettingsDialog(self.current, self.config_dir, self.window.settings, self.window)
        self.dialog.applied.connect(self.apply)
        self.dialog.show()
        return self.dialog

    def apply(self, choice: SettingsChoice) -> None:
        """Make the window follow what the dialog saved."""
        from seller_desk.ui.theme import apply_theme

        before, self.current = self.current, choice.settings
        if choice.settings.theme is not before.theme:
            apply_theme(choice.settings.theme)
            self.window.returns_view.detail.reload()  # its rich text carries colours for the old one
        self._follow(choice.settings)
        restock = self.window.views.get("restock")
        row = getattr(restock, "settings_row", None)  # None while the screen waits for its first visit
        if row is not None:
            row.set_current(choice.restock)
        if choice.backend is not None:
            self.window.sync.reconnect()
            self.window.statusBar().showMessage(f"Connected to {choice.backend.url}", PROBLEM_SHOWN_MS)

    def _follow(self, settings: AppSettings) -> None:
        self.window.sync.set_pull_interval(settings.sync_interval_s)
        self.window.returns_view.set_stalled_after_days(settings.stalled_after_days)
        self.window.returns_view.set_holiday_country(settings.sla_country)
        self.window.attention.set_stalled_after_days(settings.stalled_after_days)
