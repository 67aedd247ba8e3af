"""``SELLER_DESK_STARTUP_PROBE=1``: report when the Returns list first painted real rows, then quit.

The benchmark launches the normal app with this set and reads ONE JSON line from stdout::

    {"painted_at_s", "rows", "pandas_imported", "matplotlib_imported", "rss_mb", ...}

"Painted" is the first paint of the table's viewport after the first page arrived, taken in a
zero-delay timer after that paint event, so the pixels are really drawn. With
``SELLER_DESK_PROBE_JUMP=1`` it then scrolls to row ``rows // 2`` and adds ``jump_ms``: from the
scroll to the first paint that shows that row's real data.
"""

from __future__ import annotations

import json
import os
import sys
import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QAbstractItemView, QApplication

from seller_desk import PROCESS_T0
from seller_desk.ui.main_window import MainWindow


def proc_status_mb(field: str) -> float | None:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return None


def _process_age_s() -> float | None:
    """Seconds since the kernel started this process (10 ms resolution): includes interpreter start."""
    try:
        with open("/proc/self/stat", encoding="ascii") as stat:
            start_ticks = int(stat.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime", encoding="ascii") as uptime:
            up = float(uptime.read().split()[0])
        return round(up - start_ticks / os.sysconf("SC_CLK_TCK"), 3)
    except (OSError, ValueError, IndexError):
        return None


class StartupProbe(QObject):
    def __init__(self, window: MainWindow, *, jump: bool) -> None:
        super().__init__(window)
        self._window = window
        self._view = window.returns_view
        self._jump = jump
        self._phase = "first page"
        self._jump_row = -1
        self._jump_started = 0.0
        self._report: dict[str, object] = {}
        self._view.model.first_page_loaded.connect(self._on_first_page)

    def _on_first_page(self) -> None:
        if self._phase == "first page":
            self._phase = "first paint"
            self._view.table.viewport().installEventFilter(self)
            self._view.table.viewport().update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            if self._phase == "first paint":
                self._phase = "reporting"
                QTimer.singleShot(0, self._painted)
            elif self._phase == "jump paint" and self._view.model.row_at(self._jump_row) is not None:
                self._phase = "reporting"
                QTimer.singleShot(0, self._jump_painted)
        return False

    def _painted(self) -> None:
        model = self._view.model
        self._report = {
            "painted_at_s": round(time.perf_counter() - PROCESS_T0, 4),
            "process_age_s": _process_age_s(),
            "rows": model.rowCount(),
            "pandas_imported": "pandas" in sys.modules,
            "matplotlib_imported": "matplotlib" in sys.modules,
            "rss_mb": proc_status_mb("VmRSS"),
        }
        if not self._jump or model.rowCount() == 0:
            self._finish()
            return
        self._phase = "jump paint"
        self._jump_row = model.rowCount() // 2
        self._jump_started = time.perf_counter()
        self._view.table.scrollTo(model.index(self._jump_row, 0), QAbstractItemView.ScrollHint.PositionAtTop)

    def _jump_painted(self) -> None:
        self._report["jump_ms"] = round((time.perf_counter() - self._jump_started) * 1000, 2)
        self._report["jump_row"] = self._jump_row
        self._finish()

    def _finish(self) -> None:
        self._report["rss_peak_mb"] = proc_status_mb("VmHWM")
        sys.stdout.write(json.dumps(self._report) + "\n")
        sys.stdout.flush()
        QApplication.quit()
