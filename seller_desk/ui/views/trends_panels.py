"""The Trends screen's side and table parts: money per currency, the spikes list, the rate table."""

from __future__ import annotations

import math

import pandas as pd
from matplotlib.colors import to_hex
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from seller_desk.analytics.spikes import Spike
from seller_desk.charts.palette import SPIKE_COLOUR, colour_of
from seller_desk.store.queries.trends import MoneyTotals, day_to_utc
from seller_desk.ui.formatting import money
from seller_desk.ui.views.trends_drill import label_of

RATE_ROWS = 500  # the table lists this many SKUs, ranked (a catalogue of thousands scrolls too long)
RATE_COLUMNS = ("SKU", "Title", "Units sold", "Units returned", "Return rate")
SPIKE_ROLE = Qt.ItemDataRole.UserRole


def legend_text(reasons: list[str]) -> str:
    """The stacked chart's legend as rich text: a colour square per reason, then the spike marker."""
    rows = [f'<span style="color:{to_hex(colour_of(r))}">■</span> {label_of(r)}' for r in reasons]
    rows.append(f'<span style="color:{SPIKE_COLOUR}">▼</span> Spike')
    return "<br>".join(rows)


def legend_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setAccessibleName("Legend")
    label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
    return label


def money_text(totals: list[MoneyTotals]) -> str:
    if not totals:
        return "<b>Money</b><br>No refunds or labels in this window."
    lines = ["<b>Money</b> (returns in this window)"]
    for t in totals:
        lines.append(
            f"{t.currency}: refunded {money(t.refunded_minor, t.currency)}<br>"
            f"&nbsp;&nbsp;fees kept {money(t.fees_kept_minor, t.currency)} · "
            f"labels paid {money(t.label_costs_minor, t.currency)}"
        )
    return "<br>".join(lines)


def money_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setAccessibleName("Money")
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def spike_text(spike: Spike) -> str:
    who = spike.sku or "all SKUs"
    return (f"Week of {day_to_utc(spike.week):%d %b %Y} — {label_of(spike.reason)}, {who}: "
            f"{spike.returns} returns against {spike.baseline:.1f} a week before")  # fmt: skip


def spikes_list(parent: QWidget) -> QListWidget:
    widget = QListWidget(parent)
    widget.setAccessibleName("Spikes")
    widget.setWordWrap(True)
    widget.setToolTip(
        "Weeks at least 1.5× their 8-week baseline and improbable by chance (Poisson tail < 0.001); "
        "click one to see its returns"
    )
    return widget


def fill_spikes(widget: QListWidget, spikes: list[Spike]) -> None:
    widget.clear()
    if not spikes:
        item = QListWidgetItem("No spikes in this window.")
        item.setFlags(Qt.ItemFlag.NoItemFlags)
        widget.addItem(item)
        return
    for spike in spikes:
        item = QListWidgetItem(spike_text(spike))
        item.setData(SPIKE_ROLE, spike)
        widget.addItem(item)


def rate_table(parent: QWidget) -> QTableWidget:
    table = QTableWidget(0, len(RATE_COLUMNS), parent)
    table.setAccessibleName("Return rate per SKU")
    table.setHorizontalHeaderLabels(list(RATE_COLUMNS))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().hide()
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.horizontalHeader().setStretchLastSection(False)
    table.setColumnWidth(0, 150)
    table.setColumnWidth(1, 330)
    return table


def fill_rates(table: QTableWidget, rates: pd.DataFrame) -> None:
    rows = rates.head(RATE_ROWS)
    table.setRowCount(len(rows))
    right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    for i, row in enumerate(rows.itertuples(index=False)):
        rate = row.rate
        shown = (
            "no sales" if rate is None or (isinstance(rate, float) and math.isnan(rate)) else f"{rate:.1%}"
        )
        if not row.reliable and shown != "no sales":
            shown += " (few sold)"
        cells = (row.sku, row.title, f"{row.units_sold:,}", f"{row.units_returned:,}", shown)
        for j, text in enumerate(cells):
            item = QTableWidgetItem(str(text))
            if j >= 2:
                item.setTextAlignment(right)
            table.setItem(i, j, item)
