"""The GUI's sync worker: the headless ``SyncEngine`` loop on a thread of its own, reporting by signals.

The engine blocks on HTTP and sleeps between rounds, so it gets a dedicated thread — never the GUI
thread, and never the DB lane the screens read through (a 30-second request timeout there would freeze
every list). The thread builds the engine itself (reading the remembered backend is a store read),
runs ``engine.run()`` until ``stop()``, and hands everything back through ``TaskManager.run_on_main``:
a ``SyncSnapshot`` after each round and, throttled latest-first, the progress of long pulls.

It is nudged when the seller acts (``nudge``), when they press "Sync now" (``nudge(force=True)``)
and when the operating system reports the network back. ``stop()`` wakes the loop, which ends after
the request in flight, and joins the thread, so quitting leaves no thread behind. The seller's Settings
reach it too: ``set_pull_interval`` changes the running engine's interval, and ``reconnect`` ends the
engine after its round and lets the same thread build one for the backend just connected.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from seller_desk.workers.sync_state import SyncMode, SyncSnapshot, record_run, stored_snapshot
from seller_desk.workers.taskman import TaskManager

if TYPE_CHECKING:  # the engine (httpx, pydantic, the mirrors: ~0.35 s) is imported on the sync thread
    from seller_desk.sync.engine import SyncEngine, SyncSummary
    from seller_desk.sync.pull import PullProgress

__all__ = ["STOP_TIMEOUT_S", "SyncController", "SyncMode", "SyncSnapshot"]
log = logging.getLogger(__name__)
STOP_TIMEOUT_S = 40.0  # longer than one HTTP request's timeout: the loop ends after the one in flight


class SyncController(QObject):
    state_changed = Signal(object)  # SyncSnapshot
    round_finished = Signal()  # a round ended: lists showing sync state should reload
    data_changed = Signal(int)  # a round pulled this many changes (> 0): screens of mirrored data may reload

    def __init__(
        self,
        tasks: TaskManager,
        config_dir: Path,
        parent: QObject | None = None,
        *,
        page_limit: int | None = None,  # None: the engine's default
        pull_interval: float | None = None,  # None: the engine's default (``PULL_INTERVAL_S``)
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._config_dir = config_dir
        self._page_limit = page_limit
        self._pull_interval = pull_interval
        self._restart = False  # ``reconnect``: build the engine again once this one has stopped
        self._looping = False  # the thread's loop has not decided to end (under ``_lock``)
        self._syncing = False  # started with ``sync=True``
        self._state = SyncSnapshot(SyncMode.LOCAL_ONLY)
        self._lock = threading.Lock()
        self._engine: SyncEngine | None = None
        self._stopping = False
        self._thread: threading.Thread | None = None
        self._progress: PullProgress | None = None
        self._progress_posted = False
        self._heard = False

    @property
    def config_dir(self) -> Path:
        """Where this desktop's settings and credentials live (imports reach the backend with them)."""
        return self._config_dir

    # --- GUI thread -----------------------------------------------------------------------------------
    def state(self) -> SyncSnapshot:
        return self._state

    @property
    def heard(self) -> bool:
        """Whether the worker has reported at least once (before that ``state()`` is a default)."""
        return self._heard

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, *, sync: bool = True) -> None:
        """Start the worker; ``sync=False`` only reads the stored state once (for screenshots)."""
        self._tasks.require_main_thread("the sync worker was started")
        if self._thread is not None:
            raise RuntimeError("the sync worker runs once per window; it is already started")
        self._stopping = False
        self._syncing = sync
        self._start_thread()
        if sync:
            self._watch_network()

    def _start_thread(self) -> None:
        self._looping = True
        self._thread = threading.Thread(target=self._main, args=(self._syncing,), name="seller-desk-sync")
        self._thread.start()

    @property
    def pull_interval(self) -> float | None:
        """The interval this controller gives its engine (None: the engine's default)."""
        return self._pull_interval

    def set_pull_interval(self, seconds: float) -> None:
        """Pull every ``seconds`` from now on: the running engine at once, any later one from the start."""
        with self._lock:
            self._pull_interval = seconds
            engine = self._engine
        if engine is not None:
            engine.set_pull_interval(seconds)

    def reconnect(self) -> None:
        """Another backend or token was saved (Settings): sync with it. A running engine ends after its
        round and the same thread builds the next; a worker that had ended (no backend was connected)
        starts again. Before ``start``, or in a window that does not sync, there is nothing to do."""
        self._tasks.require_main_thread("the sync worker was reconnected")
        with self._lock:
            if self._stopping or self._thread is None:
                return
            alive = self._looping
            self._restart = alive
            engine = self._engine
        if engine is not None:
            engine.stop()
        if not alive:
            self._start_thread()

    def _watch_network(self) -> None:
        """Nudge when the operating system says the network is back (where Qt has a backend for it)."""
        from PySide6.QtNetwork import QNetworkInformation

        if not QNetworkInformation.loadBackendByFeatures(QNetworkInformation.Feature.Reachability):
            log.info("no network-reachability backend here; offline probes alone find the network again")
            return
        info = QNetworkInformation.instance()
        if info is not None:
            info.reachabilityChanged.connect(self.on_reachability)

    def on_reachability(self, reachability: object) -> None:
        """The network changed: once it is back online, sync at once instead of after the backoff."""
        from PySide6.QtNetwork import QNetworkInformation

        if reachability == QNetworkInformation.Reachability.Online:
            self.nudge()

    def nudge(self, *, force: bool = False) -> None:
        """Sync soon (an act was recorded, the network came back); ``force``: also overdue retries."""
        with self._lock:
            engine = self._engine
        if engine is not None:
            engine.nudge(force=force)

    def stop(self, timeout: float = STOP_TIMEOUT_S) -> bool:
        """Stop the loop and join the thread; returns False only if it did not end within ``timeout``."""
        with self._lock:
            self._stopping = True
            engine = self._engine
        if engine is not None:
            engine.stop()
        thread = self._thread
        if thread is None:
            return True
        thread.join(timeout)
        if thread.is_alive():
            log.warning("the sync worker did not stop within %.0f s", timeout)
            return False
        return True

    def show_connecting(self) -> None:
        """Say that sync is about to start (e.g. while the demo backend comes up)."""
        self._publish(replace(self._state, mode=SyncMode.CONNECTING, last_error=None), round_done=False)

    def show_problem(self, message: str) -> None:
        """Show a problem that kept sync from starting (e.g. the demo backend did not come up)."""
        problem = replace(self._state, mode=SyncMode.OFFLINE, last_error=message, syncing=False)
        self._publish(problem, round_done=False)

    def _publish(self, state: SyncSnapshot, *, round_done: bool) -> None:
        self._state = state
        self._heard = True
        self.state_changed.emit(state)
        if round_done:
            self.round_finished.emit()

    # --- sync thread ----------------------------------------------------------------------------------
    def _post(self, state: SyncSnapshot, *, round_done: bool = True) -> None:
        self._tasks.run_on_main(lambda: self._publish(state, round_done=round_done))

    def _main(self, sync: bool) -> None:
        while True:
            self._run(sync)
            with self._lock:
                again = self._restart and not self._stopping
                self._restart = False
                self._looping = again
            if not again:
                return

    def _run(self, sync: bool) -> None:
        from seller_desk.sync.connection import BackendSettingsError, open_client, remembered
        from seller_desk.sync.credentials import CredentialStore
        from seller_desk.sync.engine import PULL_INTERVAL_S, SyncEngine
        from seller_desk.sync.pull import DEFAULT_PAGE_LIMIT

        store = self._tasks.store
        if store is None:
            return
        try:
            backend = remembered(store)
            counts = stored_snapshot(store)
            if backend is None:
                self._post(replace(counts, mode=SyncMode.LOCAL_ONLY))
                return
            if not sync:
                self._post(replace(counts, mode=SyncMode.NOT_RUNNING, backend_url=backend.url))
                return
            credentials = CredentialStore(self._config_dir)
            token = credentials.load(backend.url)
            if not token:
                self._post(
                    replace(
                        counts,
                        mode=SyncMode.UNAUTHORIZED,
                        backend_url=backend.url,
                        last_error=f"no token for {backend.url} on this desktop; run seller-desk "
                        "connect again",
                    )
                )
                return
            connecting = replace(counts, mode=SyncMode.CONNECTING, backend_url=backend.url, syncing=True)
            self._post(connecting, round_done=False)
            with open_client(backend, token) as client:
                engine = SyncEngine(
                    store,
                    client,
                    token_refresher=lambda: credentials.load(backend.url),
                    page_limit=self._page_limit or DEFAULT_PAGE_LIMIT,
                    pull_interval=self._pull_interval or PULL_INTERVAL_S,
                    on_pull_page=self._on_pull_page,
                    on_round=lambda summary: self._on_round(engine, backend.url, summary),
                )
                with self._lock:
                    if self._stopping or self._restart:  # ``_main`` builds the next one, if any
                        return
                    if self._pull_interval and self._pull_interval != engine.pull_interval:
                        engine.set_pull_interval(self._pull_interval)  # changed while connecting
                    self._engine = engine
                engine.run()
        except BackendSettingsError as exc:
            self._post(SyncSnapshot(SyncMode.OFFLINE, last_error=str(exc)))
        except Exception as exc:  # the worker must report, not die silently
            log.exception("the sync worker failed")
            stopped = replace(
                self._state, mode=SyncMode.OFFLINE, last_error=f"sync stopped: {exc}", syncing=False
            )
            self._post(stopped)
        finally:
            with self._lock:
                self._engine = None

    def _on_round(self, engine: SyncEngine, url: str, summary: SyncSummary | None) -> None:
        status = engine.status()
        if summary is not None and (summary.push.unauthorized or summary.pull.unauthorized):
            mode = SyncMode.UNAUTHORIZED
        elif status.online:
            mode = SyncMode.ONLINE
        else:
            mode = SyncMode.OFFLINE
        with self._lock:
            self._progress = None
        pulled = summary.pull.changes if summary is not None else 0
        if summary is not None and (pulled or summary.push.sent):
            record_run(engine, summary)
        if pulled:
            self._tasks.run_on_main(lambda: self.data_changed.emit(pulled))
        self._post(
            SyncSnapshot(
                mode,
                backend_url=url,
                last_sync_at=status.last_sync_at,
                pending=status.pending,
                conflicts=status.conflicts,
                rejected=status.rejected,
                last_error=status.last_error,
                syncing=True,
            )
        )

    def _on_pull_page(self, progress: PullProgress) -> None:
        """Latest-first: at most one progress closure waits in the GUI's queue, however fast pages come."""
        if not progress.has_more:
            return
        with self._lock:
            self._progress = progress
            if self._progress_posted:
                return
            self._progress_posted = True
        self._tasks.run_on_main(self._deliver_progress)

    def _deliver_progress(self) -> None:
        with self._lock:
            progress, self._progress_posted = self._progress, False
        if progress is not None:  # pages are arriving: the backend is reachable
            self._publish(replace(self._state, mode=SyncMode.ONLINE, pulling=progress), round_done=False)
