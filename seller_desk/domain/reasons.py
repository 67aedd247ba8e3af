"""Raw marketplace return reasons mapped onto the canonical reasons charts group by.

Amazon writes return reasons three ways (AMAZON.md §2): bare FBA codes (`DEFECTIVE`), MFN customer
choices with a `CR-` prefix (`CR-DEFECTIVE`) and Amazon policy codes (`AMZ-PG-BAD-DESC`). The raw code is
always kept: charts need one canonical reason, but a code we have never seen must not vanish into
"Other". `map_reason` therefore says explicitly whether it knew the code (`MappedReason.known`) and
`display_label` shows an unknown code as itself until someone maps it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from seller_desk.domain.enums import CanonicalReason as R

REASON_LABELS: Mapping[R, str] = MappingProxyType({
    R.DEFECTIVE: "Defective",
    R.DAMAGED_IN_TRANSIT: "Damaged in transit",
    R.WRONG_ITEM: "Wrong item sent",
    R.NOT_AS_DESCRIBED: "Not as described",
    R.SIZE_FIT: "Size / fit",
    R.UNWANTED: "No longer wanted",
    R.BETTER_PRICE: "Found a better price",
    R.LATE_DELIVERY: "Arrived late",
    R.MISSING_PARTS: "Missing parts",
    R.INCOMPATIBLE: "Incompatible",
    R.QUALITY: "Quality unacceptable",
    R.FRAUD: "Unauthorized purchase",
    R.UNDELIVERABLE: "Undeliverable",
    R.OTHER: "Other",
})  # fmt: skip

# FBA `reason` codes; MFN `CR-<CODE>` uses the same codes after the prefix.
FBA_REASONS: Mapping[str, R] = MappingProxyType({
    "OTHER": R.OTHER,
    "NO_REASON_GIVEN": R.OTHER,
    "UNKNOWN_OTHER_REASON": R.OTHER,
    "ORDERED_WRONG_ITEM": R.UNWANTED,  # the buyer's mistake, not ours: WRONG_ITEM is "wrong item sent"
    "MISORDERED": R.UNWANTED,
    "UNWANTED_ITEM": R.UNWANTED,
    "EXCESSIVE_INSTALLATION": R.UNWANTED,
    "FOUND_BETTER_PRICE": R.BETTER_PRICE,
    "QUALITY_UNACCEPTABLE": R.QUALITY,
    "NOT_COMPATIBLE": R.INCOMPATIBLE,
    "PART_NOT_COMPATIBLE": R.INCOMPATIBLE,
    "DAMAGED_BY_FC": R.DAMAGED_IN_TRANSIT,  # damaged in handling, not a product defect
    "DAMAGED_BY_CARRIER": R.DAMAGED_IN_TRANSIT,
    "MISSED_ESTIMATED_DELIVERY": R.LATE_DELIVERY,
    "MISSING_PARTS": R.MISSING_PARTS,
    "SWITCHEROO": R.WRONG_ITEM,
    "EXTRA_ITEM": R.WRONG_ITEM,  # a fulfilment error too: something was sent that was not ordered
    "DEFECTIVE": R.DEFECTIVE,
    "WARRANTY": R.DEFECTIVE,
    "UNAUTHORIZED_PURCHASE": R.FRAUD,
    "NOT_AS_DESCRIBED": R.NOT_AS_DESCRIBED,
    "PRODUCT_NOT_SPANISH": R.NOT_AS_DESCRIBED,  # product language differs from the listing's market
    "PRODUCT_NOT_ITALIAN": R.NOT_AS_DESCRIBED,
    "NEVER_ARRIVED": R.UNDELIVERABLE,
    "UNDELIVERABLE_INSUFFICIENT_ADDRESS": R.UNDELIVERABLE,
    "UNDELIVERABLE_FAILED_DELIVERY_ATTEMPTS": R.UNDELIVERABLE,
    "UNDELIVERABLE_REFUSED": R.UNDELIVERABLE,
    "UNDELIVERABLE_UNKNOWN": R.UNDELIVERABLE,
    "UNDELIVERABLE_UNCLAIMED": R.UNDELIVERABLE,
    "UNDELIVERABLE_CARRIER_MISS_SORTED": R.UNDELIVERABLE,
    "UNDELIVERABLE_MISSING_LABEL": R.UNDELIVERABLE,
    "APPAREL_TOO_SMALL": R.SIZE_FIT,
    "APPAREL_TOO_LARGE": R.SIZE_FIT,
    "APPAREL_STYLE": R.UNWANTED,  # "style not as expected": taste, not an inaccurate listing
    "JEWELRY_TOO_SMALL": R.SIZE_FIT,
    "JEWELRY_TOO_LARGE": R.SIZE_FIT,
    "JEWELRY_BATTERY": R.DEFECTIVE,
    "JEWELRY_BAD_CLASP": R.DEFECTIVE,
    "JEWELRY_LOOSE_STONE": R.DEFECTIVE,
    "JEWELRY_NO_DOCS": R.MISSING_PARTS,
    "JEWELRY_NO_CERT": R.MISSING_PARTS,
})  # fmt: skip

# Amazon policy-guarantee codes seen in MFN reports, matched whole (they are not CR- codes).
AMZ_PG_REASONS: Mapping[str, R] = MappingProxyType({
    "AMZ-PG-BAD-DESC": R.NOT_AS_DESCRIBED,
    "AMZ-PG-MISORDERED": R.UNWANTED,
    "AMZ-PG-APP-TOO-LATE": R.LATE_DELIVERY,
    "AMZ-PG-APP-TOO-SMALL": R.SIZE_FIT,
    "AMZ-PG-APP-TOO-LARGE": R.SIZE_FIT,
    "AMZ-PG-WJ-TOO-SMALL": R.SIZE_FIT,
})  # fmt: skip

_CUSTOMER_PREFIX = "CR-"
_WHITESPACE = re.compile(r"\s+")
BLANK_REASON_LABEL = "(no reason code)"


@dataclass(frozen=True, slots=True)
class MappedReason:
    """The outcome of mapping one raw reason.

    `raw` is the text exactly as the report had it, `code` its normalized form (upper-case, trimmed,
    `CR-` removed), `canonical` the reason charts group by and `known` whether `code` is in our tables.
    An unknown code has `canonical == OTHER` so totals still add up, but `known is False`, and its
    `display_label` is the code itself, never "Other".
    """

    raw: str
    code: str
    canonical: R
    known: bool

    @property
    def display_label(self) -> str:
        """What a screen shows: the canonical label when known, otherwise the raw code itself."""
        if self.known:
            return REASON_LABELS[self.canonical]
        return self.raw.strip() or BLANK_REASON_LABEL


def normalize_reason_code(raw: str) -> str:
    """Upper-case, trimmed, inner whitespace as `_`, the MFN `CR-` prefix removed."""
    code = _WHITESPACE.sub("_", raw.strip().upper())
    code = code.removeprefix(_CUSTOMER_PREFIX)
    return code


def map_reason(raw: str | None) -> MappedReason:
    """Map a raw FBA, `CR-` or `AMZ-PG-` reason code; unknown or blank codes come back `known=False`."""
    text = raw or ""
    code = normalize_reason_code(text)
    canonical = AMZ_PG_REASONS.get(code) or FBA_REASONS.get(code)
    if canonical is None:
        return MappedReason(raw=text, code=code, canonical=R.OTHER, known=False)
    return MappedReason(raw=text, code=code, canonical=canonical, known=True)


def reason_label(reason: R) -> str:
    """Human label of a canonical reason ("Size / fit", "Damaged in transit", …)."""
    return REASON_LABELS[reason]
