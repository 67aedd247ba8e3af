"""``SELLER_DESK_APPROVE_PROBE=<json>``: the app approving refunds as a seller would, for crash tests.

``tests/e2e/test_crash_safety.py`` starts the normal app offscreen with this set to
``{"requests": [ids], "raise_after": N}`` and reads its stdout: once the window has painted, the probe
opens the Refunds screen and approves each request in full through the screen's own Approve path (an
``Op`` on the store's worker), one after another, printing ``{"approved": id}`` when the screen says
it is queued. With ``raise_after`` it raises an unhandled exception in a Qt slot after that many, as
a bug would, and goes on; at the end it prints ``{"done": n}`` and quits. The test kills it with
SIGKILL mid-run, or lets it finish, and checks the store and the crash report.
"""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication

from seller_desk.ui.main_window import MainWindow
from seller_desk.ui.views import refunds_mount

POLL_MS = 20


class ProbeBug(RuntimeError):
    """The exception the probe raises on purpose, to exercise the crash handler."""


class ApproveProbe(QObject):
    def __init__(self, window: MainWindow, plan: dict[str, Any]) -> None:
        super().__init__(window)
        self._window = window
        self._requests: list[int] = [int(r) for r in plan["requests"]]
        self._raise_after = int(plan.get("raise_after", 0))
        self._approved = 0
        self._waiting = False
        self._poll = QTimer(self)
        self._poll.timeout.connect(self._when_ready)
        self._poll.start(POLL_MS)

    def _when_ready(self) -> None:
        """Start once the window painted its list; then build the Refunds screen as a click would."""
        if not self._window.first_painted:
            return
        self._poll.stop()
        view = refunds_mount.ensure_refunds_view(self._window)
        view.actions.acted.connect(self._on_acted)
        self._next()

    def _next(self) -> None:
        if not self._requests:
            print(json.dumps({"done": self._approved}), flush=True)
            QApplication.quit()
            return
        view = self._window.refunds_view
        assert view is not None
        self._current = self._requests.pop(0)
        self._waiting = True
        view.actions._run_bulk([self._current], confirm=False)  # the Approve button's path

    def _on_acted(self) -> None:
        if not self._waiting:
            return
        self._waiting = False
        self._approved += 1
        print(json.dumps({"approved": self._current}), flush=True)
        if self._approved == self._raise_after:
            QTimer.singleShot(0, self._bug)
        QTimer.singleShot(0, self._next)

    def _bug(self) -> None:
        raise ProbeBug(f"a bug in a slot, after {self._approved} approvals (on purpose: crash test)")
