"""Screens other issues build: each says what it will show and that it is not built yet.

No sample rows and no mock charts: a seller must never mistake invented numbers for their own.
"""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class PlannedView(NamedTuple):
    name: str
    title: str
    promise: str


PLANNED_VIEWS = (
    PlannedView(
        "shipments",
        "Shipments",
        "Your orders on their way to buyers, most urgent first: late (past the promised delivery date), "
        "carrier exceptions and lost parcels with live counts, each parcel's carrier timeline, and the "
        "refund requests and A-to-z claims its buyer opened.",
    ),
    PlannedView(
        "refunds",
        "Refunds",
        "The refund queue, sorted by time left on the refund clock: each request checked against policy "
        "(refundable amount, the 2-business-day deadline, restocking-fee rules), to approve in full or in "
        "part, or reject — offline too; decisions sync later, exactly once.",
    ),
    PlannedView(
        "trends",
        "Trends",
        "Returns per week by reason, return rate per SKU, the Pareto of reasons and the money involved, "
        "with spikes flagged — filtered by date range, SKU, marketplace and channel.",
    ),
    PlannedView(
        "restock",
        "Restock",
        "For each SKU: returns in transit × the chance they come back sellable, against sales — "
        "projected stock, stock-out date, days of cover and a suggested reorder quantity, each "
        "number explained on demand.",
    ),
    PlannedView(
        "sync",
        "Sync",
        "The connection to your team's tracking backend: decisions waiting to be sent, conflicts to "
        "resolve, and when the last sync succeeded.",
    ),
)


class PlaceholderView(QWidget):
    """A screen that is planned but not built. It is ready as soon as it exists."""

    ready = Signal()

    def __init__(self, planned: PlannedView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = planned.title
        heading = QLabel(f"<h2>{planned.title}</h2>", self)
        body = QLabel(planned.promise, self)
        body.setWordWrap(True)
        status = QLabel("<i>Not built yet.</i> This screen arrives in a later version.", self)
        for label in (heading, body, status):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        body.setAccessibleName(f"{planned.title}: what this screen will show")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.addWidget(heading)
        layout.addWidget(body)
        layout.addSpacing(8)
        layout.addWidget(status)
        layout.addStretch(1)
        body.setMaximumWidth(720)

    def start(self) -> None:
        """Nothing to load."""

    def is_ready(self) -> bool:
        return True
