"""What every report format is read into: one returned item per record, and the errors of rows that
could not be read.

A ``ReturnItem`` is format-independent: the store writes it (``store.imports``) and the backend ingests
it the same way, whichever report it came from. Amounts are integer minor units with the record's
currency; FBA reports carry no money, so theirs are None. The raw reason code is kept as written; the
store maps it (``domain.reasons.map_reason``) so an unknown code stays visible as itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from seller_desk.domain.enums import (
    Channel,
    ConditionGrade,
    Disposition,
    LabelPaidBy,
    Resolution,
    ReturnStatus,
)

# The longest text each identifier may hold (the stores' column sizes; Amazon's SKUs stop at 40). A
# longer value is a row error: cutting an identifier would merge two returns. Titles are cut instead.
MAX_LENGTH: dict[str, int] = {
    "rma": 40, "order_id": 40, "sku": 40, "asin": 16, "carrier": 40, "tracking_number": 64,
    "reason_raw": 64, "label_type": 40,
}  # fmt: skip
MAX_TITLE = 300
UNCATEGORIZED = "Uncategorized"  # the catalogue category of a SKU first met in a report


class ReportFormat(StrEnum):
    """The three returns reports (AMAZON.md §1); values are what ``import --json`` prints."""

    MFN_FLAT = "mfn_flat"
    MFN_XML = "mfn_xml"
    FBA = "fba"

    @property
    def label(self) -> str:
        """What a seller calls it."""
        return FORMAT_LABELS[self.value]


FORMAT_LABELS = {"mfn_flat": "MFN flat file", "mfn_xml": "MFN XML", "fba": "FBA customer returns"}


@dataclass(frozen=True, slots=True)
class RowError:
    """A row (or field) that was not imported: where, and why, in words."""

    line: int
    column: str | None
    message: str

    def as_json(self) -> dict[str, object]:
        return {"line": self.line, "column": self.column, "message": self.message}


@dataclass(slots=True)
class ReturnItem:
    """One returned SKU of one return, as a report states it. (Not frozen: a frozen dataclass sets
    each of its 32 fields through ``object.__setattr__``, a third of the cost of reading a row.)"""

    line: int
    channel: Channel
    rma: str
    order_id: str
    sku: str
    quantity: int
    requested_at: datetime
    status: ReturnStatus
    reason_raw: str
    asin: str | None = None
    title: str | None = None
    order_date: datetime | None = None
    currency: str | None = None
    order_amount_minor: int | None = None
    order_quantity: int | None = None
    refunded_minor: int | None = None
    in_policy: bool = True
    a_to_z_claim: bool = False
    resolution: Resolution | None = None
    carrier: str | None = None
    tracking_number: str | None = None
    label_type: str | None = None
    label_cost_minor: int = 0
    label_paid_by: LabelPaidBy | None = None
    delivered_at: datetime | None = None
    customer_comment: str | None = None
    condition: ConditionGrade | None = None
    disposition: Disposition | None = None
    inspected_at: datetime | None = None
    safet_claim: bool = False
    category: str | None = None  # the XML report's item category, when it gives one

    @property
    def unit_price_minor(self) -> int:
        """What one unit cost, as far as the report tells (the order amount over its quantity)."""
        if self.order_amount_minor and self.order_quantity:
            return self.order_amount_minor // self.order_quantity
        return 0

    @property
    def key(self) -> tuple[str, str]:
        """What makes the item the same item in a later or overlapping report: its RMA and SKU."""
        return self.rma, self.sku
