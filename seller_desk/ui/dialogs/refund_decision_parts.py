"""Pieces of the decision dialog: the amounts table (lines × components) and the words for the policy
checks and the upstream preview.

The table shows, per order line and charge component, what was charged, refunded, approved but not
settled, and what is refundable now, with an editable "Refund" cell. Entries are decimals in the
request's currency read with `Money.parse` (never a float); a cell that does not parse is marked and
makes the draft invalid. A units spinner per line fills that line's cells pro rata (the domain's
`units_share`), capped at what is refundable.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QHeaderView, QSpinBox, QTableWidget, QTableWidgetItem, QWidget

from seller_desk.domain.enums import ChargeComponent
from seller_desk.domain.errors import DomainError
from seller_desk.domain.money import Money, zero
from seller_desk.domain.policies.refunds import Adjustment
from seller_desk.domain.refund_review import LineFacts, PolicyCheck, ReviewFacts, units_share

HEADERS = ("Item", "Component", "Charged", "Refunded", "Pending", "Refundable now", "Units", "Refund")
REFUND_COLUMN, UNITS_COLUMN = 7, 6
_BAD = QBrush(QColor(255, 220, 220))
Amounts = dict[int, dict[ChargeComponent, Money]]


def component_label(component: ChargeComponent) -> str:
    return component.value.replace("_", " ").capitalize()


class AmountsTable(QTableWidget):
    """One row per line and charged component; `amounts()` reads the Refund column exactly."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(HEADERS), parent)
        self.setHorizontalHeaderLabels(HEADERS)
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.setAccessibleName("Amounts to refund per item and component")
        self._rows: list[tuple[LineFacts, ChargeComponent]] = []
        self._currency = "USD"
        self._filling = False
        self.itemChanged.connect(self._on_item_changed)

    def show_facts(self, facts: ReviewFacts) -> None:
        self._filling = True
        self._currency = facts.currency
        self._rows = [(line, c) for line in facts.lines for c in ChargeComponent if c in line.charged]
        self.setRowCount(len(self._rows))
        first_of_line: set[int] = set()
        for row, (line, component) in enumerate(self._rows):
            none = zero(facts.currency)
            cells = (
                f"{line.sku}  {line.title or ''}".strip(),
                component_label(component),
                line.charged[component].to_decimal_string(),
                line.refunded.get(component, none).to_decimal_string(),
                line.pending.get(component, none).to_decimal_string(),
                line.refundable.get(component, none).to_decimal_string(),
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                if column >= 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.setItem(row, column, item)
            refund = QTableWidgetItem("0")
            refund.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.setItem(row, REFUND_COLUMN, refund)
            if line.order_line_id not in first_of_line:
                first_of_line.add(line.order_line_id)
                spin = QSpinBox(self)
                spin.setRange(0, line.quantity)
                spin.setSuffix(f" of {line.quantity}")
                spin.setAccessibleName(f"Units of {line.sku} to refund")
                spin.setToolTip("Fill this item's amounts for this many units, pro rata")
                spin.valueChanged.connect(lambda units, ln=line: self.fill_units(ln, units))
                self.setCellWidget(row, UNITS_COLUMN, spin)
        self.resizeColumnsToContents()
        self.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self._filling = False

    def set_amounts(self, amounts: Mapping[int, Mapping[ChargeComponent, Money]]) -> None:
        self._filling = True
        for row, (line, component) in enumerate(self._rows):
            amount = amounts.get(line.order_line_id, {}).get(component, zero(self._currency))
            self.item(row, REFUND_COLUMN).setText(amount.to_decimal_string())
            self._paint(row, QBrush())
        self._filling = False
        self.edited.emit()

    def fill_units(self, line: LineFacts, units: int) -> None:
        """Refund `units` of `line`: each charged component pro rata, capped at what is refundable."""
        self._filling = True
        for row, (row_line, component) in enumerate(self._rows):
            if row_line.order_line_id != line.order_line_id:
                continue
            share = units_share(line.charged[component], line.quantity, units)
            cap = line.refundable.get(component, zero(self._currency))
            self.item(row, REFUND_COLUMN).setText((share if share <= cap else cap).to_decimal_string())
        self._filling = False
        self.edited.emit()

    def amounts(self) -> Amounts | str:
        """The amounts typed, or the first cell that is not an amount (as a sentence)."""
        out: Amounts = {}
        for row, (line, component) in enumerate(self._rows):
            text = self.item(row, REFUND_COLUMN).text().strip() or "0"
            try:
                amount = Money.parse(text, self._currency)
            except DomainError as exc:
                self._paint(row, _BAD)
                return f"{line.sku} {component_label(component).lower()}: {exc}"
            if amount.is_positive:
                out.setdefault(line.order_line_id, {})[component] = amount
        return out

    def _paint(self, row: int, brush: QBrush) -> None:
        """Colour a Refund cell without it counting as an edit (a colour change emits itemChanged)."""
        blocked = self.blockSignals(True)
        self.item(row, REFUND_COLUMN).setBackground(brush)
        self.blockSignals(blocked)

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        if not self._filling and item.column() == REFUND_COLUMN:
            self._paint(item.row(), QBrush())
            self.edited.emit()


def checks_html(checks: Iterable[PolicyCheck]) -> str:
    rows = []
    for check in checks:
        mark, colour = ("✓", "#1a7f37") if check.ok else ("✗", "#b0201a")
        rows.append(
            f"<tr><td style='color:{colour}'><b>{mark}</b></td><td><b>{html.escape(check.name)}</b></td>"
            f"<td>{html.escape(check.detail)}</td></tr>"
        )
    return "<table cellspacing='2'>" + "".join(rows) + "</table>"


def preview_html(adjustment: Adjustment | None, error: str | None) -> str:
    """The adjustment exactly as it goes upstream (signed components per item and the net)."""
    if error is not None:
        return f"<span style='color:#b0201a'><b>Cannot be sent:</b> {html.escape(error)}</span>"
    if adjustment is None:
        return "A rejection sends no refund upstream; the customer gets the message below."
    rows = []
    for item in adjustment.items:
        for component in item.components:
            rows.append(
                f"<tr><td>{html.escape(item.order_item_code)}</td><td>{component.type.value}</td>"
                f"<td align='right'>{component.amount.to_decimal_string()}</td></tr>"
            )
    net = adjustment.net
    rows.append(f"<tr><td colspan='2'><b>Net credited to the buyer</b></td>"
                f"<td align='right'><b>{net.to_decimal_string()} {net.currency}</b></td></tr>")  # fmt: skip
    return "<table cellspacing='4'><tr><th align='left'>OrderItemCode</th><th align='left'>Type</th>" \
        "<th align='right'>Amount</th></tr>" + "".join(rows) + "</table>"  # fmt: skip
