"""Auto-approve rules: list, edit, and a what-if replay before a rule is switched on.

A rule can be switched on only after its current definition has been replayed over the last N months
and the seller has seen what it would have approved — how many, how much, and how many of those they
had rejected themselves. Editing the rule after the replay asks for a new one. All reads and writes
run in the background.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)  # fmt: skip

from seller_desk.domain.auto_approve import AutoApproveRule, describe
from seller_desk.domain.enums import CanonicalReason
from seller_desk.domain.errors import DomainError
from seller_desk.domain.money import Money
from seller_desk.store.auto_approve import ReplayResult
from seller_desk.ui import formatting as fmt
from seller_desk.ui.tones import set_tone
from seller_desk.workers import Op
from seller_desk.workers.refunds import load_rules, remove_rule, replay_rule, store_rule
from seller_desk.workers.returns_actions import Refused

CURRENCIES = ("USD", "EUR", "GBP", "CAD", "JPY", "MXN", "AUD")


def replay_text(result: ReplayResult) -> str:
    lines = [
        f"Over the last {result.months} months it would have approved <b>{result.count:,}</b> of "
        f"{result.looked_at:,} requests, <b>{result.money}</b> in all."
    ]
    for outcome, (n, money) in sorted(result.by_outcome.items()):
        lines.append(f"&nbsp;&nbsp;{n:,} that were in the end {outcome} ({money})")
    if result.rejected_ids:
        shown = ", ".join(str(i) for i in result.rejected_ids[:8])
        lines.append(f"<span style='color:#b0201a'>Including requests you rejected: {shown}</span>")
    if result.why_not:
        lines.append(
            "Not matched, mostly: " + "; ".join(f"{why} ({n:,})" for why, n in result.why_not.items())
        )
    return "<br>".join(lines)


class AutoApproveRulesDialog(QDialog):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Auto-approve rules")
        self.rules: list[AutoApproveRule] = []
        self._replayed: AutoApproveRule | None = None
        self.list = QListWidget(self)
        self.list.setAccessibleName("Rules")
        self.name = QLineEdit(self)
        self.currency = QComboBox(self)
        self.currency.addItems(CURRENCIES)
        self.max_amount = QLineEdit("25.00", self)
        self.max_amount.setAccessibleName("Most per request")
        self.reasons = QListWidget(self)
        self.reasons.setAccessibleName("Reasons (none ticked: any)")
        for reason in CanonicalReason:
            item = QListWidgetItem(fmt.reason_label(reason.value, reason.value), self.reasons)
            item.setData(Qt.ItemDataRole.UserRole, reason.value)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.reasons.setMaximumHeight(120)
        self.received = QCheckBox("Only once the item is received at the bench", self)
        self.received.setChecked(True)
        self.sellable = QCheckBox("Only once inspected and sellable", self)
        self.in_policy = QCheckBox("Only returns in policy", self)
        self.in_policy.setChecked(True)
        self.months = QSpinBox(self)
        self.months.setRange(1, 36)
        self.months.setValue(6)
        self.months.setSuffix(" months")
        self.what_if = QPushButton("What if?", self)
        self.result = QLabel("Replay a rule over your history before switching it on.", self)
        self.result.setWordWrap(True)
        self.error = QLabel(self)
        set_tone(self.error, "error")
        self.save_off = QPushButton("Save (off)", self)
        self.switch_on = QPushButton("Switch on", self)
        self.switch_on.setEnabled(False)
        self.switch_on.setToolTip("Run What if? on this rule first")
        self.delete = QPushButton("Delete", self)
        self._lay_out()
        self.what_if.clicked.connect(self._replay)
        self.save_off.clicked.connect(lambda: self._save(enabled=False))
        self.switch_on.clicked.connect(lambda: self._save(enabled=True))
        self.delete.clicked.connect(self._delete)
        self.list.currentRowChanged.connect(self._show_rule)
        for signal in (self.name.textChanged, self.max_amount.textChanged, self.currency.currentTextChanged):
            signal.connect(self._edited)
        for box in (self.received, self.sellable, self.in_policy):
            box.toggled.connect(self._edited)
        self.reasons.itemChanged.connect(self._edited)
        self._reload()

    def _lay_out(self) -> None:
        form = QFormLayout()
        form.addRow("Name:", self.name)
        amount = QHBoxLayout()
        amount.addWidget(self.max_amount)
        amount.addWidget(self.currency)
        form.addRow("Most per request:", amount)
        form.addRow("Reasons (none: any):", self.reasons)
        for box in (self.received, self.sellable, self.in_policy):
            form.addRow("", box)
        replay_row = QHBoxLayout()
        replay_row.addWidget(QLabel("Replay over the last", self))
        replay_row.addWidget(self.months)
        replay_row.addWidget(self.what_if)
        replay_row.addStretch(1)
        buttons = QHBoxLayout()
        for button in (self.save_off, self.switch_on, self.delete):
            buttons.addWidget(button)
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        right = QVBoxLayout()
        right.addLayout(form)
        right.addLayout(replay_row)
        right.addWidget(self.result, 1)
        right.addWidget(self.error)
        right.addLayout(buttons)
        top = QHBoxLayout()
        top.addWidget(self.list, 1)
        top.addLayout(right, 2)
        layout = QVBoxLayout(self)
        intro = (
            "Requests a rule matches are approved in full by this desktop after each sync. "
            "A-to-z claims never are."
        )
        layout.addWidget(QLabel(intro, self))
        layout.addLayout(top, 1)
        layout.addWidget(close)
        self.resize(860, 560)

    def _reload(self) -> None:
        Op(self, load_rules).success(self._on_rules).run_in_background()

    def _on_rules(self, rules: list[AutoApproveRule]) -> None:
        self.rules = rules
        self.list.clear()
        self.list.addItem("New rule…")
        for rule in rules:
            self.list.addItem(f"{'● on' if rule.enabled else '○ off'} · {rule.name} — {describe(rule)}")
        self.list.setCurrentRow(0 if not rules else 1)

    def _show_rule(self, row: int) -> None:
        rule = self.rules[row - 1] if 1 <= row <= len(self.rules) else None
        self.name.setText("" if rule is None else rule.name)
        if rule is not None:
            self.max_amount.setText(rule.max_amount.to_decimal_string())
            self.currency.setCurrentText(rule.max_amount.currency)
            for i in range(self.reasons.count()):
                item = self.reasons.item(i)
                ticked = item.data(Qt.ItemDataRole.UserRole) in rule.reasons
                item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
            self.received.setChecked(rule.require_received)
            self.sellable.setChecked(rule.require_sellable)
            self.in_policy.setChecked(rule.in_policy_only)
        self.delete.setEnabled(rule is not None)
        self._edited()

    def rule(self) -> AutoApproveRule | str:
        """The rule as the form stands (keeping the selected rule's id), or what is wrong with it."""
        row = self.list.currentRow()
        current = self.rules[row - 1] if 1 <= row <= len(self.rules) else None
        reasons = frozenset(
            str(self.reasons.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.reasons.count())
            if self.reasons.item(i).checkState() == Qt.CheckState.Checked
        )
        try:
            amount = Money.parse(self.max_amount.text().strip() or "0", self.currency.currentText())
            return AutoApproveRule(
                name=self.name.text(), max_amount=amount, reasons=reasons,
                require_received=self.received.isChecked(), require_sellable=self.sellable.isChecked(),
                in_policy_only=self.in_policy.isChecked(), id=None if current is None else current.id,
            )  # fmt: skip
        except (DomainError, ValueError) as exc:
            return str(exc)

    def _edited(self) -> None:
        rule = self.rule()
        self.error.setText(rule if isinstance(rule, str) else "")
        ok = not isinstance(rule, str)
        self.what_if.setEnabled(ok)
        self.save_off.setEnabled(ok)
        seen = ok and self._replayed is not None and replace(self._replayed, enabled=False) == rule
        self.switch_on.setEnabled(seen)

    def _replay(self) -> None:
        rule = self.rule()
        if isinstance(rule, str):
            return
        months = self.months.value()
        self.result.setText("Replaying…")
        op = Op(self, lambda ctx: replay_rule(ctx, rule, months))
        op.success(lambda result: self._on_replay(rule, result)).run_in_background()

    def _on_replay(self, rule: AutoApproveRule, result: ReplayResult) -> None:
        self._replayed = rule
        self.result.setText(replay_text(result))
        self._edited()

    def _save(self, *, enabled: bool) -> None:
        rule = self.rule()
        if isinstance(rule, str):
            return
        chosen = replace(rule, enabled=enabled)
        Op(self, lambda ctx: store_rule(ctx, chosen)).success(self._on_saved).run_in_background()

    def _on_saved(self, saved: AutoApproveRule | Refused) -> None:
        if isinstance(saved, Refused):
            self.error.setText(str(saved))
            return
        self.changed.emit()
        self._reload()

    def _delete(self) -> None:
        row = self.list.currentRow()
        if 1 <= row <= len(self.rules) and (rule_id := self.rules[row - 1].id) is not None:
            op = Op(self, lambda ctx: remove_rule(ctx, rule_id))
            op.success(lambda _none: self._on_deleted()).run_in_background()

    def _on_deleted(self) -> None:
        self.changed.emit()
        self._reload()
