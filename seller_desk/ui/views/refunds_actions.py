"""The Refunds screen's acts: decide one request (the dialog), approve in full, bulk approve the
selection (with a summary to confirm: how many, the money per currency, and which would be refused
and why), undo a decision still queued, and resolve a conflict.

Each act is a local mutation recorded in the background; the queue reloads and the sync worker is
nudged so it goes out soon. A refusal is said on the bar, in words the seller can act on.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QPushButton, QWidget

from seller_desk.store.queries.refund_queue import QueueRow, QueueTab
from seller_desk.ui import formatting as fmt
from seller_desk.ui.tones import set_tone
from seller_desk.workers import Op
from seller_desk.workers.refunds import approve_all_in_full, load_conflict, summarize_bulk, undo_decision
from seller_desk.workers.returns_actions import Refused

if TYPE_CHECKING:
    from seller_desk.store.queries.sync_view import ConflictRow
    from seller_desk.store.refund_bulk import BulkSummary
    from seller_desk.workers.sync_worker import SyncController

MAX_BULK = 2_000
WAITING = ("queued", "sending", "acknowledged")


def summary_text(summary: BulkSummary) -> str:
    totals = ", ".join(fmt.money(m.amount_minor, m.currency) for m in summary.totals.values()) or "nothing"
    text = f"{summary.count:,} request{'' if summary.count == 1 else 's'} · {totals}"
    if summary.refused:
        shown = "; ".join(f"{rid}: {why}" for rid, why in summary.refused[:5])
        more = f" (and {len(summary.refused) - 5} more)" if len(summary.refused) > 5 else ""
        text += f"\n\n{len(summary.refused)} cannot be approved in full: {shown}{more}"
    return text


class RefundsActions(QWidget):
    acted = Signal()
    rules_changed = Signal()  # a rule was saved or deleted: apply the enabled ones now

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sync: SyncController | None = None
        self._rows: list[QueueRow] = []
        self._tab = QueueTab.PENDING
        self.decide_button = QPushButton("Decide…", self)
        self.full_button = QPushButton("Approve in full", self)
        self.bulk_button = QPushButton("Bulk approve…", self)
        self.undo_button = QPushButton("Undo decision", self)
        self.conflict_button = QPushButton("Resolve conflict…", self)
        self.rules_button = QPushButton("Auto-approve rules…", self)
        tips = (
            (self.decide_button, "Approve in full or in part, or reject, with the policy checks (Enter)"),
            (self.full_button, "Approve everything the request asks, as far as it is refundable now"),
            (self.bulk_button, "Approve every selected request in full, after a summary to confirm"),
            (self.undo_button, "Take back this desktop's decision while it is still queued"),
            (
                self.conflict_button,
                "See the backend's state beside your decision: discard it or decide again",
            ),
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for button, tip in tips:
            button.setToolTip(tip)
            button.setAccessibleName(button.text().rstrip("…"))
            layout.addWidget(button)
        self.message = QLabel("", self)
        self.message.setAccessibleName("Outcome of the last act")
        layout.addWidget(self.message, 1)
        self.rules_button.setToolTip("Rules that approve small, clear-cut requests by themselves")
        self.rules_button.setAccessibleName("Auto-approve rules")
        layout.addWidget(self.rules_button)
        self.decide_button.clicked.connect(lambda: self.decide())
        self.full_button.clicked.connect(self._approve_full)
        self.bulk_button.clicked.connect(self._bulk)
        self.undo_button.clicked.connect(self._undo)
        self.conflict_button.clicked.connect(self._conflict)
        self.rules_button.clicked.connect(self._rules)
        self._update()

    def set_sync(self, controller: SyncController) -> None:
        self.sync = controller

    def set_tab(self, tab: QueueTab) -> None:
        self._tab = tab
        self._update()

    def set_selection(self, rows: Sequence[QueueRow]) -> None:
        self._rows = list(rows)
        self._update()

    def current_request_id(self) -> int | None:
        return self._rows[0].request_id if self._rows else None

    def _update(self) -> None:
        one = self._rows[0] if len(self._rows) == 1 else None
        on_its_way = one is not None and one.local is not None and one.local.status in WAITING
        settled_locally = not on_its_way
        open_ = one is not None and one.state == "pending" and settled_locally
        self.decide_button.setEnabled(open_)
        self.full_button.setEnabled(open_)
        self.bulk_button.setEnabled(self._tab == QueueTab.PENDING and len(self._rows) > 1)
        queued = one is not None and one.local is not None and one.local.status == "queued"
        self.undo_button.setEnabled(queued)
        self.conflict_button.setVisible(self._tab == QueueTab.CONFLICTS)
        self.conflict_button.setEnabled(one is not None and one.local is not None)

    def _say(self, text: str, *, ok: bool) -> None:
        set_tone(self.message, None if ok else "error")
        self.message.setText(text)

    def _done(self, text: str) -> None:
        self._say(text, ok=True)
        self.acted.emit()
        if self.sync is not None:
            self.sync.nudge()

    # --- acts -----------------------------------------------------------------------------------------

    def decide(self, request_id: int | None = None) -> None:
        request_id = request_id or self.current_request_id()
        if request_id is None:
            return
        from seller_desk.ui.dialogs.refund_decision_dialog import DecideRefundDialog

        dialog = DecideRefundDialog(request_id, self)
        dialog.decided.connect(lambda rid, _m: self._done(f"✓ Decided refund request {rid}; queued to sync"))
        dialog.open()

    def _approve_full(self) -> None:
        request_id = self.current_request_id()
        if request_id is not None:
            self._run_bulk([request_id], confirm=False)

    def _bulk(self) -> None:
        ids = [row.request_id for row in self._rows][:MAX_BULK]
        self.bulk_button.setEnabled(False)
        op = Op(self, lambda ctx: summarize_bulk(ctx, ids))
        op.success(lambda s: self._confirm_bulk(ids, s)).run_in_background()

    def _confirm_bulk(self, ids: list[int], summary: BulkSummary) -> None:
        self._update()
        if summary.count == 0:
            self._say(
                "None of the selected requests can be approved in full: " + summary_text(summary), ok=False
            )
            return
        answer = QMessageBox.question(self, "Approve in full", "Approve in full?\n\n" + summary_text(summary))
        if answer == QMessageBox.StandardButton.Yes:
            self._run_bulk(list(summary.approved_ids), confirm=True)

    def _run_bulk(self, ids: list[int], *, confirm: bool) -> None:
        op = Op(self, lambda ctx: approve_all_in_full(ctx, ids))
        op.success(self._on_bulk_done).run_in_background()

    def _on_bulk_done(self, summary: BulkSummary) -> None:
        if summary.count == 0:
            self._say("Not approved: " + "; ".join(why for _rid, why in summary.refused), ok=False)
            return
        self._done(f"✓ Approved {summary_text(summary)}; queued to sync")

    def _undo(self) -> None:
        row = self._rows[0] if self._rows else None
        if row is None or row.local is None:
            return
        mutation_id = row.local.mutation_id
        op = Op(self, lambda ctx: undo_decision(ctx, mutation_id))
        op.success(lambda r: self._say(str(r), ok=False) if isinstance(r, Refused) else self._done(
            f"Decision on request {row.request_id} undone")).run_in_background()  # fmt: skip

    def _rules(self) -> None:
        from seller_desk.ui.dialogs.auto_approve_dialog import AutoApproveRulesDialog

        dialog = AutoApproveRulesDialog(self)
        dialog.changed.connect(self.rules_changed)
        dialog.open()

    def _conflict(self) -> None:
        row = self._rows[0] if self._rows else None
        if row is None or row.local is None:
            return
        mutation_id, request_id = row.local.mutation_id, row.request_id
        op = Op(self, lambda ctx: load_conflict(ctx, mutation_id))
        op.success(lambda c: self._show_conflict(request_id, c)).run_in_background()

    def _show_conflict(self, request_id: int, conflict: ConflictRow | None) -> None:
        if conflict is None:
            self._say("This conflict is already resolved", ok=True)
            self.acted.emit()
            return
        from seller_desk.ui.dialogs.refund_conflict_dialog import DECIDE_AGAIN, RefundConflictDialog

        dialog = RefundConflictDialog(conflict, self)

        def resolved(_mutation: str, resolution: str) -> None:
            self._done("Conflict resolved: " + resolution.replace("_", " "))
            if resolution == DECIDE_AGAIN:
                self.decide(request_id)

        dialog.resolved.connect(resolved)
        dialog.open()
