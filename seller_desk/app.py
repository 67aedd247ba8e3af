"""Composition root: paths, logging, the store, the QApplication, the task manager and the window.

The store is opened before any Qt object exists: a store that cannot be opened (newer, damaged,
unwritable) is reported with a message naming the file and exit code 1, not a half-built window.
Start-up imports only what the first screen needs; pandas and matplotlib load when a chart does.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from seller_desk import __version__
from seller_desk.paths import demo_home, resolve_paths
from seller_desk.store.errors import StoreError

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from seller_desk.crash import Recording
    from seller_desk.demo_backend import DemoBackend
    from seller_desk.store.uow import Store
    from seller_desk.ui.main_window import MainWindow

log = logging.getLogger(__name__)
SCREENSHOT_TIMEOUT_MS = 10_000
OFFSCREEN_PLATFORMS = ("offscreen", "minimal")
SMOKE_RETURNS = 300


def run_app(data_dir: str | os.PathLike[str] | None = None, *, demo: bool = False) -> int:
    """Open the app on the local store, syncing if a backend is connected; returns the exit code.

    ``demo``: use the demo's own directory (``paths.demo_home``), start the private demo backend
    (``seller_desk.demo_backend``) on an I/O thread and connect to it; the window is up meanwhile, and
    the child backend ends with the app.
    """
    _configure_logging()
    if demo:
        data_dir = demo_home(data_dir)
    from seller_desk.crash import record_failures

    recording = record_failures(resolve_paths(data_dir).log_dir)
    try:
        return _run_window(data_dir, demo, recording)
    finally:
        recording.stop()


def _run_window(data_dir: str | os.PathLike[str] | None, demo: bool, recording: Recording) -> int:
    paths = resolve_paths(data_dir)
    store = _open_store(data_dir, show_dialog=True)
    if store is None:
        return 1
    from seller_desk.ui.help_menu import HelpMenu
    from seller_desk.ui.main_window import MainWindow
    from seller_desk.workers import TaskManager

    app = _application()
    _apply_saved_theme(data_dir)
    tasks = TaskManager.install(store)
    # First run (ui/first_run.py): an empty, unconnected store is welcomed; "Try the demo" starts as --demo.
    from seller_desk.ui.first_run import welcome_if_first_run

    config_dir = resolve_paths(data_dir).config_dir
    welcome = None if demo else welcome_if_first_run(store, config_dir, interactive=_display_available())
    if welcome is not None and welcome.wants_demo:
        tasks.shutdown(wait=True)
        store.close()
        recording.stop()  # the demo records into its own directory
        return run_app(data_dir, demo=True)
    # (end of first run)
    window: MainWindow | None = None
    launcher: DemoBackend | None = None
    try:
        window = MainWindow(tasks, config_dir=paths.config_dir)
        recording.notices.append(HelpMenu(window, paths.log_dir).crash_notice.notify)
        if os.environ.get("SELLER_DESK_STARTUP_PROBE") == "1":
            from seller_desk.ui.startup_probe import StartupProbe

            StartupProbe(window, jump=os.environ.get("SELLER_DESK_PROBE_JUMP") == "1")
        if os.environ.get("SELLER_DESK_RETURNS_PROBE"):
            import json

            from seller_desk.ui.returns_probe import ReturnsProbe

            ReturnsProbe(window, json.loads(os.environ["SELLER_DESK_RETURNS_PROBE"]))
        if os.environ.get("SELLER_DESK_APPROVE_PROBE"):
            import json

            from seller_desk.ui.approve_probe import ApproveProbe

            ApproveProbe(window, json.loads(os.environ["SELLER_DESK_APPROVE_PROBE"]))
        from seller_desk.ui.window_state import WindowLayout

        WindowLayout(window, window.settings).restore_or_resize(1366, 768)  # and saved on close
        window.show()
        window.start()
        if demo:
            from seller_desk.demo_backend import DemoBackend

            launcher = DemoBackend(data_dir)
            start_demo(window, launcher)
        else:
            window.start_sync_after_first_paint()
            if welcome is not None:
                welcome.continue_in(window)  # first run: e.g. the import the seller chose opens
        _quit_on_sigterm(app)
        return int(app.exec())
    finally:
        if launcher is not None:
            launcher.stop()  # also cancels a start still waiting for the child
        if window is not None:
            window.stop()
        tasks.shutdown(wait=True)
        if launcher is not None:
            launcher.stop()  # a start that finished while we were stopping left a child
        store.close()


def _quit_on_sigterm(app: QApplication) -> None:
    """SIGTERM (a logout, ``kill``) quits like closing the window, so the sync worker stops and a demo
    backend ends; a timer lets Python run the handler while Qt's loop waits in C."""
    import signal

    from PySide6.QtCore import QTimer

    signal.signal(signal.SIGTERM, lambda *_: app.quit())
    wake = QTimer(app)
    wake.timeout.connect(lambda: None)
    wake.start(250)


def start_demo(window: MainWindow, launcher: DemoBackend) -> None:
    """Bring the demo backend up off the GUI thread, then start syncing with it (or show why not)."""
    from seller_desk.workers import Lane, Op

    def connected(connection: object) -> None:
        window.statusBar().showMessage(f"Demo backend running on {getattr(connection, 'url', '?')}", 15_000)
        window.start_sync()

    def failed(exc: BaseException) -> None:
        window.sync.show_problem(f"the demo backend did not start: {exc}")

    window.sync.show_connecting()
    Op(window, lambda _ctx: launcher.start(), lane=Lane.IO).success(connected).failure(
        failed
    ).run_in_background()


def render_screenshot(
    view: str, out: str | os.PathLike[str], size: tuple[int, int], data_dir: str | os.PathLike[str] | None
) -> int:
    """Render ``view`` offscreen at ``size`` once its first real data is shown, and save a PNG."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _configure_logging()
    store = _open_store(data_dir, show_dialog=False)
    if store is None:
        return 1
    from PySide6.QtCore import QEventLoop, QTimer

    from seller_desk.ui.help_menu import HelpMenu
    from seller_desk.ui.main_window import MainWindow
    from seller_desk.workers import TaskManager

    app = _application()
    _apply_saved_theme(data_dir)
    tasks = TaskManager.install(store)
    window = None
    try:
        window = MainWindow(tasks, config_dir=resolve_paths(data_dir).config_dir)
        HelpMenu(window, resolve_paths(data_dir).log_dir)  # the menu bar as the seller sees it
        window.select_view(view)
        window.resize(*size)
        window.show()
        window.start(defer_others=False)
        window.start_sync(sync=False)
        shown = window.current_view()
        if not shown.is_ready():
            loop = QEventLoop()
            shown.ready.connect(loop.quit)
            QTimer.singleShot(SCREENSHOT_TIMEOUT_MS, loop.quit)
            loop.exec()
        if shown is window.returns_view and shown.is_ready():
            _show_first_return(window)
        app.processEvents()
        ready = shown.is_ready()
        target = Path(out)
        if not window.grab().save(str(target), "PNG"):
            print(f"seller-desk: could not write the screenshot to {target}", file=sys.stderr)
            return 1
        if not ready:
            print(
                f"seller-desk: the {view} view did not load its data within "
                f"{SCREENSHOT_TIMEOUT_MS // 1000} s; {target} shows it still loading",
                file=sys.stderr,
            )
            return 1
        return 0
    finally:
        if window is not None:
            window.stop()
            window.close()
            window.deleteLater()
        tasks.shutdown(wait=True)
        store.close()


def run_smoke(data_dir: str | os.PathLike[str] | None) -> int:
    """``seller-desk --smoke``: a new store from every migration, the seller's store upgraded on a copy,
    every screen built offscreen over demo rows, one chart drawn. Prints a line per check; 0 = healthy.
    Run against a frozen bundle, it proves the bundle carries what each lazily loaded screen needs."""
    import shutil
    import tempfile
    import time

    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    _configure_logging()
    from seller_desk.store.self_test import fresh_store, holiday_calendars, upgrade_copy

    scratch = Path(tempfile.mkdtemp(prefix="seller-desk-smoke-"))
    started = time.perf_counter()
    store = None
    try:
        store, check = fresh_store(scratch)
        print(f"ok  {check.name}: {check.detail}", flush=True)
        check = upgrade_copy(resolve_paths(data_dir).database, scratch / "upgrade")
        print(f"ok  {check.name}: {check.detail}", flush=True)
        check = holiday_calendars(time.gmtime().tm_year)
        print(f"ok  {check.name}: {check.detail}", flush=True)
        from seller_desk.demo import seed_store

        seeded = seed_store(store, returns=SMOKE_RETURNS, seed=7)
        print(f"ok  demo rows: {seeded['rows'].get('returns', 0):,} returns", flush=True)
        for line in _smoke_window(store):
            print(line, flush=True)
    except Exception as exc:  # every failure is the answer of a self-test, named
        print(f"FAIL {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
        return 1
    finally:
        if store is not None:
            store.close()
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"healthy: seller-desk {__version__} in {time.perf_counter() - started:.1f} s", flush=True)
    return 0


def _smoke_window(store: Store) -> list[str]:
    from seller_desk.ui.main_window import MainWindow
    from seller_desk.ui.smoke_views import chart_drawn, visit_every_view
    from seller_desk.workers import TaskManager

    _application()
    tasks = TaskManager.install(store)
    window = MainWindow(tasks, config_dir=Path(store.path).parent / "config")
    try:
        window.resize(1366, 768)
        window.show()
        window.start(defer_others=False)
        window.start_sync(sync=False)
        checks = [*visit_every_view(window), chart_drawn(window)]
        return [f"ok  {c.name} ({c.seconds:.2f} s): {c.detail}" for c in checks]
    finally:
        window.stop()
        window.close()
        window.deleteLater()
        tasks.shutdown(wait=True)


def _show_first_return(window: MainWindow) -> None:
    """Select the list's first row and wait for the detail pane to show it, so the picture has both."""
    from PySide6.QtCore import QEventLoop, QTimer

    view = window.returns_view
    if view.model.rowCount() == 0:
        return
    loop = QEventLoop()
    view.detail.shown.connect(loop.quit)
    view.detail.load_failed.connect(loop.quit)
    QTimer.singleShot(SCREENSHOT_TIMEOUT_MS, loop.quit)
    view.table.setCurrentIndex(view.model.index(0, 0))
    loop.exec()


def _apply_saved_theme(data_dir: str | os.PathLike[str] | None) -> None:
    """The seller's theme (``settings.json``) before any window exists, so the first paint is in it; a
    damaged file is logged here once and the defaults used."""
    from seller_desk.settings import load_settings
    from seller_desk.ui.theme import apply_theme

    apply_theme(load_settings(resolve_paths(data_dir).config_dir).settings.theme)


def _configure_logging() -> None:
    """Log to stderr (file logs come later). The CLI may already have configured this."""
    logging.basicConfig(
        level=logging.WARNING, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s"
    )


def _open_store(data_dir: str | os.PathLike[str] | None, *, show_dialog: bool) -> Store | None:
    from seller_desk.store.migrate import open_store

    paths = resolve_paths(data_dir)
    try:
        return open_store(paths.database, backup_dir=paths.backups)
    except StoreError as exc:
        print(f"seller-desk: {exc}", file=sys.stderr)
        if show_dialog and _display_available():
            from PySide6.QtWidgets import QMessageBox

            _application()
            QMessageBox.critical(None, "Seller Desk cannot open its data", str(exc))
        return None


def _display_available() -> bool:
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform.split(":")[0] in OFFSCREEN_PLATFORMS:
        return False
    if sys.platform.startswith("linux"):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def _application() -> QApplication:
    from PySide6.QtWidgets import QApplication

    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    from seller_desk.ui.qt_compat import protect_singleton_refcounts

    protect_singleton_refcounts()
    app = QApplication(sys.argv[:1])
    app.setApplicationName("Seller Desk")
    app.setOrganizationName("Seller Desk")
    app.setApplicationVersion(__version__)
    from PySide6.QtGui import QIcon

    from seller_desk.resources import resource_path

    app.setWindowIcon(QIcon(str(resource_path("icons", "seller-desk.svg"))))
    _persistent_matplotlib_cache()
    return app


def _persistent_matplotlib_cache() -> None:
    """In a PyInstaller bundle, matplotlib's hook points it at a new temporary config dir each launch,
    so the font cache is rebuilt every time (1.17 s against 0.67 s for the first chart, measured): keep
    it in the user's cache dir instead. From source matplotlib's own default is already persistent."""
    if not getattr(sys, "frozen", False):
        return
    import platformdirs

    from seller_desk.paths import APP_NAME

    cache = Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)) / "matplotlib"
    cache.mkdir(parents=True, exist_ok=True)
    os.environ["MPLCONFIGDIR"] = str(cache)
