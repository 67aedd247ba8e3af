"""``python -m seller_desk.ui.pull_stall_probe DATA_DIR --mode pull|idle``: how late the event loop runs.

The ``gui_pull_stall`` benchmark runs this in a child process (offscreen). It opens the real main
window on ``DATA_DIR``, starts a 10 ms precise ``QTimer`` and records, for every tick, how much later
than 10 ms after the previous one it came: that lateness is how long the GUI thread could not react.

- ``--mode pull``: the store is connected to a backend with many changes; the window's sync worker
  pulls them all while the timer samples, until the first sync round ends.
- ``--mode idle``: the same window with nothing to sync, sampled for ``--seconds``: the baseline.

Prints ONE JSON line: max and p99 lateness in ms, samples, seconds, changes pulled and pages.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from seller_desk.paths import resolve_paths
from seller_desk.store.migrate import open_store
from seller_desk.ui.main_window import MainWindow
from seller_desk.workers import TaskManager
from seller_desk.workers.sync_worker import SyncMode, SyncSnapshot

TICK_MS = 10
PULL_TIMEOUT_S = 900.0
SETTLE_MS = 500  # after the first page: the window's start-up work is not what is measured


class StallSampler:
    """Lateness of a 10 ms timer's ticks, in seconds."""

    def __init__(self) -> None:
        self.late: list[float] = []
        self._last = 0.0
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.late.append(max(0.0, now - self._last - TICK_MS / 1000))
        self._last = now

    def report(self) -> dict[str, float | int]:
        ordered = sorted(self.late) or [0.0]
        return {
            "max_stall_ms": round(ordered[-1] * 1000, 2),
            "p99_stall_ms": round(ordered[int(len(ordered) * 0.99) - 1 if len(ordered) > 1 else 0] * 1000, 2),
            "samples": len(self.late),
        }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m seller_desk.ui.pull_stall_probe")
    parser.add_argument("data_dir")
    parser.add_argument("--mode", choices=("pull", "idle"), required=True)
    parser.add_argument("--seconds", type=float, default=3.0, help="idle: how long to sample")
    args = parser.parse_args(argv)
    paths = resolve_paths(args.data_dir)
    store = open_store(paths.database)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    tasks = TaskManager.install(store)
    window = MainWindow(tasks, config_dir=paths.config_dir)
    sampler = StallSampler()
    facts: dict[str, object] = {"mode": args.mode, "changes": 0, "pages": 0}
    started = time.perf_counter()

    def on_state(state: SyncSnapshot) -> None:
        if state.pulling is not None:
            facts["changes"], facts["pages"] = state.pulling.changes, state.pulling.pages

    def on_round() -> None:
        state = window.sync.state()
        if state.mode is not SyncMode.CONNECTING and app is not None:
            facts["final_mode"] = state.mode.value
            facts["error"] = state.last_error
            app.quit()

    def begin() -> None:
        """After start-up settled (first paint, first page): sample, and start pulling if asked."""
        nonlocal started
        started = time.perf_counter()
        sampler.start()
        if args.mode == "pull":
            window.sync.state_changed.connect(on_state)
            window.sync.round_finished.connect(on_round)
            window.start_sync()
            QTimer.singleShot(int(PULL_TIMEOUT_S * 1000), app.quit)
        else:
            QTimer.singleShot(int(args.seconds * 1000), app.quit)

    try:
        window.resize(1366, 768)
        window.show()
        window.returns_view.ready.connect(lambda: QTimer.singleShot(SETTLE_MS, begin))
        window.start()
        app.exec()
        sampler.stop()
        facts["seconds"] = round(time.perf_counter() - started, 3)
    finally:
        window.stop()
        tasks.shutdown(wait=True)
        store.close()
    sys.stdout.write(json.dumps({**facts, **sampler.report()}) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
