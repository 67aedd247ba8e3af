"""Decide one refund request: approve in full, in part (by component and units, with a restocking fee
where the rule allows it) or reject — with the policy checks and the upstream preview live as the
seller edits, and the note to the customer.

The request's facts are read in the background when the dialog opens; every edit re-runs the domain's
`preview` and `policy_checks` on the draft (pure functions, microseconds), so Approve is enabled
exactly when the draft would be accepted, and the preview is exactly what the backend will send
upstream. The message follows the outcome's template until the seller edits it. Recording happens
in the background too; a refusal (someone decided meanwhile) shows here without closing.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)  # fmt: skip

from seller_desk.domain.customer_messages import default_message, outcome_of
from seller_desk.domain.enums import DecisionKind
from seller_desk.domain.errors import DomainError
from seller_desk.domain.policies.review_checks import describe_time_left, policy_checks
from seller_desk.domain.refund_review import DecisionDraft, ReviewFacts, full_approval, preview
from seller_desk.ui.dialogs.refund_decision_parts import AmountsTable, checks_html, preview_html
from seller_desk.ui.tones import set_tone
from seller_desk.workers import Op
from seller_desk.workers.refunds import RequestDetail, load_request_detail, record_draft
from seller_desk.workers.returns_actions import Refused

REJECT_REASONS = (
    "Item not returned", "Item returned used or damaged by the buyer", "Wrong item returned",
    "Outside the return window", "Already refunded",
)  # fmt: skip


class DecideRefundDialog(QDialog):
    decided = Signal(int, str)  # request id, mutation id

    def __init__(
        self, request_id: int, parent: QWidget | None = None, *, data_dir: Path | None = None
    ) -> None:
        super().__init__(parent)
        self.request_id = request_id
        self._data_dir = data_dir
        self.facts: ReviewFacts | None = None
        self._evidence: list[str] = []
        self._message_edited = False
        self._setting_message = False
        self.setWindowTitle(f"Decide refund request {request_id}")
        self.header = QLabel("Reading the request…", self)
        self.header.setWordWrap(True)
        self.approve_full = QRadioButton("Approve in full", self)
        self.partial = QRadioButton("Approve in part", self)
        self.rejecting = QRadioButton("Reject", self)
        self.mode = QButtonGroup(self)
        for number, button in enumerate((self.approve_full, self.partial, self.rejecting)):
            self.mode.addButton(button, number)
        self.approve_full.setChecked(True)
        self.table = AmountsTable(self)
        self.fee = QDoubleSpinBox(self)
        self.fee.setRange(0, 100)
        self.fee.setDecimals(2)
        self.fee.setSuffix(" %")
        self.fee.setAccessibleName("Restocking fee, percent of the principal refunded")
        self.evidence_button = QPushButton("Attach evidence…", self)
        self.evidence_label = QLabel("no photos", self)
        self.reason = QComboBox(self)
        self.reason.setEditable(True)
        self.reason.addItems(REJECT_REASONS)
        self.reason.setCurrentText("")
        self.reason.setAccessibleName("Reason for the rejection")
        self.checks = QLabel(self)
        self.preview = QLabel(self)
        self.preview.setAccessibleName("The adjustment as it goes to the marketplace")
        self.checks.setAccessibleName("Policy checks of this decision")
        for label in (self.checks, self.preview):
            label.setWordWrap(True)
            label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.message = QPlainTextEdit(self)
        self.message.setAccessibleName("Message to the customer")
        self.message.setFixedHeight(96)
        self.error = QLabel(self)
        set_tone(self.error, "error")
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.ok = self.buttons.addButton("Approve", QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setEnabled(False)
        self._lay_out()
        self.mode.idToggled.connect(self._on_mode)
        self.table.edited.connect(self._refresh)
        self.fee.valueChanged.connect(self._refresh)
        self.reason.currentTextChanged.connect(self._refresh)
        self.message.textChanged.connect(self._on_message_edited)
        self.evidence_button.clicked.connect(self._attach)
        self.buttons.rejected.connect(self.reject)
        self.ok.clicked.connect(self._record)
        self._set_enabled(False)
        Op(self, lambda ctx: load_request_detail(ctx, request_id)).success(
            self._on_loaded
        ).run_in_background()

    def _lay_out(self) -> None:
        modes = QHBoxLayout()
        for button in (self.approve_full, self.partial, self.rejecting):
            modes.addWidget(button)
        modes.addStretch(1)
        fee_row = QHBoxLayout()
        fee_row.addWidget(self.fee)
        fee_row.addWidget(self.evidence_button)
        fee_row.addWidget(self.evidence_label, 1)
        form = QFormLayout()
        form.addRow("Restocking fee:", fee_row)
        form.addRow("Reject because:", self.reason)
        checks_box, preview_box = QGroupBox("Policy checks", self), QGroupBox("Sent to the marketplace", self)
        QVBoxLayout(checks_box).addWidget(self.checks)
        QVBoxLayout(preview_box).addWidget(self.preview)
        side = QHBoxLayout()
        side.addWidget(checks_box, 1)
        side.addWidget(preview_box, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addLayout(modes)
        layout.addWidget(self.table, 2)
        layout.addLayout(form)
        layout.addLayout(side, 3)
        layout.addWidget(QLabel("Message to the customer:", self))
        layout.addWidget(self.message)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(920, 760)

    # --- loading and editing ---------------------------------------------------------------------

    def _on_loaded(self, detail: RequestDetail | Refused) -> None:
        if isinstance(detail, Refused):
            self.header.setText(str(detail))
            return
        self.facts = facts = detail.facts
        left = (
            "no refund clock yet"
            if facts.due_at is None
            else describe_time_left(facts.due_at - datetime.now(UTC))
        )
        claims = " · A-to-z claim open" if facts.a_to_z_claim else ""
        ret = f" · return {facts.rma} ({facts.return_status})" if facts.rma else ""
        self.header.setText(
            f"<b>Order {facts.order_id}</b> · {facts.source.value.replace('_', '-')} · "
            f"{facts.reason or 'no reason given'} · asks {facts.requested} · <b>{left}</b>{ret}{claims}"
        )
        self.table.show_facts(facts)
        self._set_enabled(True)
        self._on_mode(0, True)

    def _set_enabled(self, on: bool) -> None:
        for widget in (self.approve_full, self.partial, self.rejecting, self.table, self.fee, self.reason):
            widget.setEnabled(on)

    def _on_mode(self, _id: int, checked: bool) -> None:
        if not checked or self.facts is None:
            return
        rejecting = self.rejecting.isChecked()
        self.table.setEnabled(self.partial.isChecked())
        self.fee.setEnabled(self.partial.isChecked())
        self.evidence_button.setEnabled(self.partial.isChecked())
        self.reason.setEnabled(rejecting)
        self.ok.setText("Reject" if rejecting else "Approve")
        if self.approve_full.isChecked():
            self.fee.setValue(0)
            self.table.set_amounts(full_approval(self.facts).amounts)
        self._refresh()

    def draft(self) -> DecisionDraft | str:
        """The decision as the form stands, or why the form does not make one yet."""
        assert self.facts is not None
        if self.rejecting.isChecked():
            return DecisionDraft(
                self.request_id, DecisionKind.REJECT, {}, reason=self.reason.currentText().strip()
            )
        amounts = self.table.amounts()
        if isinstance(amounts, str):
            return amounts
        fee_bp = round(self.fee.value() * 100)
        return DecisionDraft(self.request_id, DecisionKind.APPROVE, amounts, restocking_fee_bp=fee_bp,
                             evidence=tuple(self._evidence))  # fmt: skip

    def _refresh(self) -> None:
        if self.facts is None:
            return
        draft = self.draft()
        if isinstance(draft, str):
            self.preview.setText(preview_html(None, draft))
            self.ok.setEnabled(False)
            return
        error, adjustment = None, None
        try:
            adjustment = preview(self.facts, draft)
        except DomainError as exc:
            error = str(exc)
        self.checks.setText(checks_html(policy_checks(self.facts, draft, datetime.now(UTC))))
        self.preview.setText(preview_html(adjustment, error))
        self.ok.setEnabled(error is None)
        if not self._message_edited:
            net = None if adjustment is None else adjustment.net
            self._setting_message = True
            self.message.setPlainText(default_message(outcome_of(self.facts, draft), self.facts, draft, net))
            self._setting_message = False

    def _on_message_edited(self) -> None:
        if not self._setting_message:
            self._message_edited = True

    def _attach(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self, "Evidence photos", "", "Images (*.png *.jpg *.jpeg *.webp)"
        )
        if files:
            self._evidence = files
            self.evidence_label.setText(f"{len(files)} photo{'s' if len(files) > 1 else ''} attached")
            self._refresh()

    # --- recording --------------------------------------------------------------------------------

    def _record(self) -> None:
        draft = self.draft()
        if self.facts is None or isinstance(draft, str):
            return
        draft = replace(draft, customer_message=self.message.toPlainText().strip() or None)
        checks = policy_checks(self.facts, draft, datetime.now(UTC))
        self.ok.setEnabled(False)
        self.error.setText("Recording…")
        facts, data_dir = self.facts, self._data_dir

        def record(ctx: object) -> str | Refused:
            kept = draft
            if draft.evidence:
                from seller_desk.store.evidence import EvidenceRefused, keep_photos

                base = data_dir or ctx.store.path.parent  # type: ignore[attr-defined]
                try:
                    kept = replace(
                        draft, evidence=tuple(keep_photos(base, facts.return_id or 0, draft.evidence))
                    )
                except EvidenceRefused as exc:
                    return Refused(str(exc))
            return record_draft(ctx, kept, checks)  # type: ignore[arg-type]

        Op(self, record).success(self._on_recorded).run_in_background()

    def _on_recorded(self, result: str | Refused) -> None:
        if isinstance(result, Refused):
            self.error.setText(str(result))
            self._refresh()
            return
        self.decided.emit(self.request_id, result)
        self.accept()
