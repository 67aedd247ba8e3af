"""The first run: whether to welcome the seller, and what their answer does to the start that follows.

The welcome (``dialogs/welcome_dialog.py``) is for a desk with nothing in it yet: the store holds no
return, no backend is connected for this data directory, and the welcome was not answered before
(remembered in the data directory's ``window.ini``, beside the window's other settings). It is never
shown when nobody could answer it or nobody wants it: ``--demo`` and ``seller-desk screenshot`` do
not come here (``app.py``), and ``should_welcome`` says no where no one can see a window (``app.py``
passes ``interactive=False`` under the offscreen Qt platforms: tests, CI, any headless smoke run), for
the benchmark probes, and when ``SELLER_DESK_NO_WELCOME=1``.

The decision reads the store once, in ``app.run_app`` before the event loop runs — as opening the
store does — so the GUI thread never waits for the store once the seller can see a window.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QTimer

from seller_desk.store.queries.status import is_untouched
from seller_desk.store.uow import Store
from seller_desk.ui.dialogs.welcome_dialog import WelcomeChoice, WelcomeDialog
from seller_desk.ui.main_window import UI_SETTINGS_FILE, MainWindow

if TYPE_CHECKING:
    from seller_desk.sync.connect import Connected

NO_WELCOME_ENV = "SELLER_DESK_NO_WELCOME"
PROBE_ENVS = ("SELLER_DESK_STARTUP_PROBE", "SELLER_DESK_RETURNS_PROBE")  # the benchmarks' app runs
WELCOMED_KEY = "first_run/welcomed"
CONNECTED_SHOWN_MS = 15_000


@dataclass(frozen=True, slots=True)
class FirstRun:
    """The seller's answer to the welcome; ``continue_in`` carries it into the opened window."""

    choice: WelcomeChoice
    connected: Connected | None = None

    @property
    def wants_demo(self) -> bool:
        """Start again as ``seller-desk --demo`` would, in the demo's own directory."""
        return self.choice is WelcomeChoice.DEMO

    def continue_in(self, window: MainWindow) -> None:
        """Import: open the import of reports once the window is up (the same File → Import the menu
        offers). Connect: say where the window is syncing to; the window's sync worker reads the
        backend that was just remembered."""
        if self.choice is WelcomeChoice.IMPORT:
            QTimer.singleShot(0, window, window.imports.choose_files)
        elif self.choice is WelcomeChoice.CONNECT and self.connected is not None:
            window.statusBar().showMessage(
                f"Connected to {self.connected.url}; the first sync is on its way", CONNECTED_SHOWN_MS
            )


def should_welcome(
    store: Store, config_dir: Path, *, interactive: bool, environ: Mapping[str, str] | None = None
) -> bool:
    """Whether this start is the seller's first: cheap checks first, the store read last.

    ``interactive`` is false where no one can see a window (the offscreen platforms)."""
    env = os.environ if environ is None else environ
    if not interactive or env.get(NO_WELCOME_ENV, "") not in ("", "0"):
        return False
    if any(env.get(name) for name in PROBE_ENVS) or was_welcomed(config_dir):
        return False
    with store.reading() as session:
        return is_untouched(session)


def welcome_if_first_run(store: Store, config_dir: Path, *, interactive: bool) -> FirstRun | None:
    """Show the welcome when ``should_welcome``, and remember that it was answered (whatever the answer:
    a seller who skipped it is not asked again; File → Import and ``seller-desk connect`` remain)."""
    if not should_welcome(store, config_dir, interactive=interactive):
        return None
    dialog = WelcomeDialog(config_dir)
    try:
        dialog.exec()
        answer = FirstRun(dialog.choice, dialog.connected)
    finally:
        dialog.deleteLater()
    mark_welcomed(config_dir)
    return answer


def _settings(config_dir: Path) -> QSettings:
    return QSettings(str(config_dir / UI_SETTINGS_FILE), QSettings.Format.IniFormat)


def was_welcomed(config_dir: Path) -> bool:
    return bool(_settings(config_dir).value(WELCOMED_KEY, False, type=bool))


def mark_welcomed(config_dir: Path) -> None:
    settings = _settings(config_dir)
    settings.setValue(WELCOMED_KEY, True)
    settings.sync()
