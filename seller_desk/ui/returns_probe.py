"""``SELLER_DESK_RETURNS_PROBE=<json>``: time the Returns list the way a seller feels it, then quit.

The ``returns_gui`` benchmark starts the normal app offscreen with this set to a JSON object
``{"cases": [{"name", "filter": {ReturnsFilter fields}}], "jumps": [fractions of the list]}`` and reads
ONE JSON line from stdout::

    {"rows", "anchors_s", "jumps_ms": [...], "filters_ms": {name: ms}, "rows_by_case": {...}, "rss_peak_mb"}

Each figure runs from the action (a scroll to a row, a new filter given to the model) to the first paint
of the table that shows real rows for it, taken in a zero-delay timer after that paint event so the
pixels are drawn. Jumps are timed once the background anchors are built, as a seller scrolling a
minute after start-up meets them.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QAbstractItemView, QApplication

from seller_desk.store.queries.returns import filter_from_fields
from seller_desk.ui.main_window import MainWindow
from seller_desk.ui.startup_probe import proc_status_mb

POLL_MS = 20
SETTLE_MS = 150  # between measurements: let the previous action's late pages land first


class ReturnsProbe(QObject):
    def __init__(self, window: MainWindow, plan: dict[str, Any]) -> None:
        super().__init__(window)
        self._view = window.returns_view
        self._model = self._view.model
        self._cases: list[dict[str, Any]] = list(plan.get("cases", []))
        self._jumps: list[float] = list(plan.get("jumps", []))
        self._report: dict[str, Any] = {"jumps_ms": [], "filters_ms": {}, "rows_by_case": {}}
        self._started = time.perf_counter()
        self._waiting: Callable[[], bool] | None = None
        self._then: Callable[[], None] | None = None
        self._t0 = 0.0
        self._view.table.viewport().installEventFilter(self)
        self._model.first_page_loaded.connect(self._on_first_page)
        self._first = True

    # -- the plan --------------------------------------------------------------------------------------
    def _on_first_page(self) -> None:
        if self._first:
            self._first = False
            self._report["rows"] = self._model.rowCount()
            self._poll(self._model.anchors_ready, self._anchored)

    def _anchored(self) -> None:
        self._report["anchors_s"] = round(time.perf_counter() - self._started, 3)
        QTimer.singleShot(SETTLE_MS, self._next_jump)

    def _next_jump(self) -> None:
        if not self._jumps:
            QTimer.singleShot(SETTLE_MS, self._next_case)
            return
        row = min(self._model.rowCount() - 1, int(self._jumps.pop(0) * self._model.rowCount()))
        self._measure(
            lambda: self._view.table.scrollTo(
                self._model.index(row, 0), QAbstractItemView.ScrollHint.PositionAtTop
            ),
            lambda: self._model.row_at(row) is not None,
            lambda ms: self._report["jumps_ms"].append(ms),
            self._next_jump,
        )

    def _next_case(self) -> None:
        if not self._cases:
            self._finish()
            return
        case = self._cases.pop(0)
        wanted = filter_from_fields(case["filter"])
        loaded = {"done": False}

        def on_loaded() -> None:
            loaded["done"] = True

        def record(ms: float) -> None:
            self._report["filters_ms"][case["name"]] = ms
            self._report["rows_by_case"][case["name"]] = self._model.rowCount()
            self._model.first_page_loaded.disconnect(on_loaded)

        self._model.first_page_loaded.connect(on_loaded)
        self._measure(
            lambda: self._model.set_filter(wanted),
            lambda: loaded["done"],
            record,
            self._next_case,
        )

    # -- timing ----------------------------------------------------------------------------------------
    def _measure(
        self,
        act: Callable[[], None],
        shown: Callable[[], bool],
        record: Callable[[float], None],
        then: Callable[[], None],
    ) -> None:
        """``act``, then wait for a paint after which ``shown()`` holds; ``record`` the milliseconds."""

        def painted() -> None:
            record(round((time.perf_counter() - self._t0) * 1000, 2))
            QTimer.singleShot(SETTLE_MS, then)

        self._waiting, self._then = shown, painted
        self._t0 = time.perf_counter()
        act()
        self._view.table.viewport().update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self._waiting is not None and self._waiting():
            then = self._then
            self._waiting = self._then = None
            if then is not None:
                QTimer.singleShot(0, then)
        return False

    def _poll(self, ready: Callable[[], bool], then: Callable[[], None]) -> None:
        if ready():
            then()
        else:
            QTimer.singleShot(POLL_MS, lambda: self._poll(ready, then))

    def _finish(self) -> None:
        self._report["rss_peak_mb"] = proc_status_mb("VmHWM")
        print(json.dumps(self._report), flush=True)
        QApplication.quit()
