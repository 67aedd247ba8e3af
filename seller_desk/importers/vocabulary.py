"""Report words mapped to the domain's: request status, resolution, who pays the label, and the FBA
fulfilment centre's disposition of a returned unit (AMAZON.md §1).

Keys are compared lower-case with spaces, dashes and underscores removed, so ``StandardRefund``,
``Standard Refund`` and ``STANDARD_REFUND`` are one word. A value not in a table is a row error that
names it: guessing would file a return under the wrong status for good.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TypeVar

from seller_desk.domain.enums import ConditionGrade, Disposition, LabelPaidBy, Resolution, ReturnStatus
from seller_desk.importers.fields import FieldError

T = TypeVar("T")
_SEPARATORS = re.compile(r"[\s_\-]+")


def squash(word: str) -> str:
    return _SEPARATORS.sub("", word.strip().lower())


MFN_STATUS: Mapping[str, ReturnStatus] = {
    "approved": ReturnStatus.AUTHORIZED,
    "authorized": ReturnStatus.AUTHORIZED,
    "pending": ReturnStatus.REQUESTED,
    "pendingapproval": ReturnStatus.REQUESTED,
    "requested": ReturnStatus.REQUESTED,
    "completed": ReturnStatus.CLOSED,
    "closed": ReturnStatus.CLOSED,
    "rejected": ReturnStatus.REJECTED,
    "denied": ReturnStatus.REJECTED,
    "cancelled": ReturnStatus.CANCELLED,
    "canceled": ReturnStatus.CANCELLED,
}

RESOLUTION: Mapping[str, Resolution] = {
    "standardrefund": Resolution.STANDARD_REFUND,
    "refundatfirstscan": Resolution.REFUND_AT_FIRST_SCAN,
    "returnlessrefund": Resolution.RETURNLESS_REFUND,
    "replacement": Resolution.REPLACEMENT,
}

LABEL_PAID_BY: Mapping[str, LabelPaidBy] = {
    "seller": LabelPaidBy.SELLER,
    "merchant": LabelPaidBy.SELLER,
    "customer": LabelPaidBy.CUSTOMER,
    "buyer": LabelPaidBy.CUSTOMER,
    "amazon": LabelPaidBy.MARKETPLACE,
}

# FBA detailed-disposition: the unit's condition as the fulfilment centre graded it, and what becomes
# of it. Carrier and warehouse damage is Amazon's to reimburse (a claim); customer damage and defects
# stay the seller's (liquidate or send back to the vendor); expired goods are disposed of.
FBA_DISPOSITION: Mapping[str, tuple[ConditionGrade, Disposition]] = {
    "sellable": (ConditionGrade.NEW, Disposition.RESTOCK),
    "damaged": (ConditionGrade.DAMAGED, Disposition.CLAIM),
    "carrierdamaged": (ConditionGrade.DAMAGED, Disposition.CLAIM),
    "warehousedamaged": (ConditionGrade.DAMAGED, Disposition.CLAIM),
    "distributordamaged": (ConditionGrade.DAMAGED, Disposition.CLAIM),
    "customerdamaged": (ConditionGrade.DAMAGED, Disposition.LIQUIDATE),
    "defective": (ConditionGrade.DEFECTIVE, Disposition.RETURN_TO_VENDOR),
    "expired": (ConditionGrade.DAMAGED, Disposition.DISPOSE),
}

# FBA status: whether the unit's journey is over (returned to stock, reimbursed, donated or disposed
# of: closed) or the fulfilment centre still handles it (inspected).
FBA_CLOSED: frozenset[str] = frozenset(
    squash(s)
    for s in (
        "Unit returned to inventory",
        "Reimbursed",
        "Repackaged Successfully",
        "IMMEDIATE_DONATION",
        "IMMEDIATE_DISPOSAL",
        "Disposed",
    )
)


_MEMO: dict[tuple[int, str], object] = {}


def lookup(table: Mapping[str, T], raw: str, what: str) -> T:
    """``table[squash(raw)]``, or a FieldError listing what is understood. Answers are remembered per
    spelling as written: a report repeats a handful of them hundreds of thousands of times."""
    key = (id(table), raw)
    found = _MEMO.get(key)
    if found is not None:
        return found  # type: ignore[return-value]
    value = table.get(squash(raw))
    if value is None:
        known = ", ".join(sorted(table))
        raise FieldError(f"unknown {what} {raw.strip()!r} (understood: {known})")
    if len(_MEMO) < 10_000:
        _MEMO[key] = value
    return value
