"""A refund decision the backend refused because something changed meanwhile: the backend's state
beside the seller's decision, to discard the decision (keep the backend's version) or decide again
on the refreshed request. The decision's local effect was already taken back when the conflict came in.
"""

from __future__ import annotations

import html
import json
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from seller_desk.domain.entities import credit_minor
from seller_desk.domain.money import Money
from seller_desk.store.queries.sync_view import ConflictRow
from seller_desk.workers import Op
from seller_desk.workers.refunds import resolve_conflict

DISCARD, DECIDE_AGAIN = "discarded", "decided_again"


def _decision_html(payload: dict[str, Any]) -> str:
    currency = str(payload.get("currency", ""))
    if payload.get("decision") == "reject":
        head = f"<b>Reject</b>: {html.escape(str(payload.get('reason') or ''))}"
    else:
        total = sum(
            credit_minor(str(c.get("component")), int(c.get("amount_minor", 0)))
            for c in payload.get("components", [])
        )
        head = f"<b>Approve {Money(total, currency) if currency else total}</b>"
        if payload.get("restocking_fee_bp"):
            head += f", restocking fee {int(payload['restocking_fee_bp']) / 100:g} %"
    by = html.escape(str(payload.get("decided_by") or "you"))
    message = html.escape(str(payload.get("customer_message") or "")).replace("\n", "<br>")
    when = html.escape(str(payload.get("decided_at", "")))
    return f"<p>{head}</p><p>by {by}, {when}</p><p><i>{message}</i></p>"


def _server_html(row: ConflictRow) -> str:
    lines = [f"<p><b>{html.escape(row.reason.replace('_', ' '))}</b></p>"]
    if row.message:
        lines.append(f"<p>{html.escape(row.message)}</p>")
    if row.server_snapshot:
        pretty = json.dumps(row.server_snapshot, indent=1, ensure_ascii=False)
        lines.append(f"<pre>{html.escape(pretty)}</pre>")
    return "".join(lines)


class RefundConflictDialog(QDialog):
    resolved = Signal(str, str)  # mutation id, resolution (discarded / decided_again)

    def __init__(self, row: ConflictRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.row = row
        self.setWindowTitle(f"Conflict on {row.target_name or row.target}")
        server, mine = QLabel(_server_html(row), self), QLabel(_decision_html(row.payload), self)
        for label, name in ((server, "The backend's state"), (mine, "Your decision")):
            label.setWordWrap(True)
            label.setAccessibleName(name)
        sides = QHBoxLayout()
        for title, label in (("On the backend now", server), ("Your decision", mine)):
            column = QVBoxLayout()
            column.addWidget(QLabel(f"<h4>{title}</h4>", self))
            column.addWidget(label, 1)
            sides.addLayout(column, 1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.discard = self.buttons.addButton(
            "Discard my decision", QDialogButtonBox.ButtonRole.DestructiveRole
        )
        self.again = self.buttons.addButton("Decide again…", QDialogButtonBox.ButtonRole.AcceptRole)
        self.discard.setToolTip("Keep the backend's version; your decision is dropped")
        self.again.setToolTip("Close the conflict and decide this request again, as it stands now")
        self.discard.clicked.connect(lambda: self._resolve(DISCARD))
        self.again.clicked.connect(lambda: self._resolve(DECIDE_AGAIN))
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(sides, 1)
        layout.addWidget(self.buttons)
        self.resize(760, 420)

    def _resolve(self, resolution: str) -> None:
        self.discard.setEnabled(False)
        self.again.setEnabled(False)
        mutation_id = self.row.mutation_id
        op = Op(self, lambda ctx: resolve_conflict(ctx, mutation_id, resolution))
        op.success(lambda _n: self._done(resolution)).run_in_background()

    def _done(self, resolution: str) -> None:
        self.resolved.emit(self.row.mutation_id, resolution)
        self.accept()
