"""Timing the Refunds screen opening, for the ``refund_queue_open`` benchmark (run as a child process:
``python -m seller_desk.ui.refunds_probe DATA_DIR RUNS``, offscreen).

Each run builds a new Refunds screen over the store and times it from construction to ready: the
queue's first page and the first request's detail painted (the view's ``ready``), all reads on the
worker threads as in the app. Prints one JSON line: {"open_ms": [...]}.
"""

from __future__ import annotations

import json
import os
import sys
import time

from seller_desk.paths import DB_FILENAME


def main(data_dir: str, runs: int) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from pathlib import Path

    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from seller_desk.store.migrate import open_store
    from seller_desk.workers import TaskManager

    app = QApplication(sys.argv[:1])
    store = open_store(Path(data_dir) / DB_FILENAME)
    tasks = TaskManager.install(store)
    from seller_desk.ui.views.refunds_view import RefundsView  # imported once, as the app does at paint

    times: list[float] = []
    rows = 0
    try:
        for _ in range(runs):
            started = time.perf_counter()
            view = RefundsView()
            view.resize(1366, 700)
            view.show()
            loop = QEventLoop()
            view.ready.connect(loop.quit)
            QTimer.singleShot(30_000, loop.quit)
            view.start()
            if not view.is_ready():
                loop.exec()
            app.processEvents()  # the paint
            times.append((time.perf_counter() - started) * 1000)
            rows = view.model.total()
            view.close()
            view.deleteLater()
            app.processEvents()
    finally:
        tasks.shutdown(wait=True)
        store.close()
    print(json.dumps({"open_ms": times, "pending": rows}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], int(sys.argv[2])))
