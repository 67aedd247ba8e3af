"""Why things come back: the canonical reason mix per category, and the raw codes that express it.

The generator draws the *canonical* reason first (size/fit dominates apparel, defects and
incompatibility electronics, transit damage home & kitchen) and then a raw code the marketplace would
have written for it: bare FBA codes for FBA orders, `CR-<CODE>` or `AMZ-PG-*` for seller-fulfilled
ones. `RAW_CODES` is the one table of (canonical -> raw codes) the demo uses; a test checks it against
the domain's mapping. A small share of returns carries codes no table knows (`UNKNOWN_CODES`); they are
stored with `reason` NULL so "unknown stays visible" has something to show.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from seller_desk.demo.catalogue import CATEGORY_KEYS
from seller_desk.domain.enums import CanonicalReason as R

REASONS: tuple[R, ...] = tuple(R)
REASON_INDEX: dict[R, int] = {r: i for i, r in enumerate(REASONS)}
UNKNOWN_SHARE = 0.003

# Percent of a category's returns per canonical reason, in the order of REASONS:
# defective, damaged, wrong item, not as described, size/fit, unwanted, better price, late,
# missing parts, incompatible, quality, fraud, undeliverable, other.
MIX: dict[str, tuple[float, ...]] = {
    "apparel":      (3, 1, 3, 9, 44, 18, 3, 2, 0.5, 0, 9, 0.3, 1.5, 5.7),
    "shoes":        (4, 1, 3, 7, 48, 15, 3, 2, 0.5, 0, 8, 0.3, 1.5, 5.7),
    "electronics":  (30, 6, 3, 9, 0, 17, 6, 2, 5, 12, 4, 0.8, 1.2, 4),
    "home_kitchen": (15, 18, 3, 12, 2, 20, 5, 2, 7, 1, 9, 0.3, 1.5, 4.2),
    "toys":         (14, 10, 3, 10, 0, 30, 6, 4, 9, 1, 7, 0.5, 1.5, 4),
    "beauty":       (4, 10, 5, 12, 0, 30, 6, 3, 2, 0, 14, 0.5, 2, 11.5),
    "sports":       (10, 7, 3, 10, 18, 22, 6, 3, 5, 2, 8, 0.4, 1.5, 4.1),
    "jewelry":      (6, 3, 3, 14, 25, 22, 5, 3, 2, 0, 10, 1, 1.5, 4.5),
    "books":        (6, 22, 8, 8, 0, 30, 8, 5, 1, 0, 4, 0.5, 2.5, 5),
    "pet":          (8, 12, 3, 10, 12, 25, 6, 3, 4, 2, 8, 0.3, 2, 4.7),
    "tools":        (20, 10, 4, 8, 0, 16, 7, 2, 9, 12, 6, 0.5, 1.5, 4),
}  # fmt: skip

# What a planted product problem produces: mostly defects, then "not as described" and quality.
PROBLEM_MIX: dict[R, float] = {R.DEFECTIVE: 0.6, R.NOT_AS_DESCRIBED: 0.25, R.QUALITY: 0.15}

# Raw code groups: the same canonical reason is written differently for apparel and jewelry.
GROUPS: tuple[str, ...] = ("general", "apparel", "jewelry")
_GROUP_OF_CATEGORY = {"apparel": 1, "shoes": 1, "jewelry": 2}

_Codes = tuple[tuple[str, float], ...]
_FBA: dict[R, _Codes] = {
    R.DEFECTIVE: (("DEFECTIVE", 90), ("WARRANTY", 10)),
    R.DAMAGED_IN_TRANSIT: (("DAMAGED_BY_CARRIER", 75), ("DAMAGED_BY_FC", 25)),
    R.WRONG_ITEM: (("SWITCHEROO", 85), ("EXTRA_ITEM", 15)),
    R.NOT_AS_DESCRIBED: (("NOT_AS_DESCRIBED", 100),),
    R.SIZE_FIT: (("APPAREL_TOO_SMALL", 55), ("APPAREL_TOO_LARGE", 45)),
    R.UNWANTED: (("UNWANTED_ITEM", 70), ("ORDERED_WRONG_ITEM", 20), ("MISORDERED", 10)),
    R.BETTER_PRICE: (("FOUND_BETTER_PRICE", 100),),
    R.LATE_DELIVERY: (("MISSED_ESTIMATED_DELIVERY", 100),),
    R.MISSING_PARTS: (("MISSING_PARTS", 100),),
    R.INCOMPATIBLE: (("NOT_COMPATIBLE", 85), ("PART_NOT_COMPATIBLE", 15)),
    R.QUALITY: (("QUALITY_UNACCEPTABLE", 100),),
    R.FRAUD: (("UNAUTHORIZED_PURCHASE", 100),),
    R.UNDELIVERABLE: (
        ("UNDELIVERABLE_REFUSED", 35), ("UNDELIVERABLE_FAILED_DELIVERY_ATTEMPTS", 25),
        ("UNDELIVERABLE_INSUFFICIENT_ADDRESS", 20), ("UNDELIVERABLE_UNCLAIMED", 10),
        ("UNDELIVERABLE_UNKNOWN", 10),
    ),
    R.OTHER: (("OTHER", 55), ("NO_REASON_GIVEN", 45)),
}  # fmt: skip
_FBA_APPAREL: dict[R, _Codes] = {
    R.UNWANTED: (("UNWANTED_ITEM", 55), ("APPAREL_STYLE", 30), ("ORDERED_WRONG_ITEM", 15)),
}
_FBA_JEWELRY: dict[R, _Codes] = {
    R.SIZE_FIT: (("JEWELRY_TOO_SMALL", 55), ("JEWELRY_TOO_LARGE", 45)),
    R.DEFECTIVE: (("DEFECTIVE", 40), ("JEWELRY_BAD_CLASP", 25), ("JEWELRY_LOOSE_STONE", 20),
                  ("JEWELRY_BATTERY", 15)),
    R.MISSING_PARTS: (("JEWELRY_NO_CERT", 50), ("JEWELRY_NO_DOCS", 30), ("MISSING_PARTS", 20)),
}  # fmt: skip
# Seller-fulfilled: Amazon policy codes replace part of the customer's CR- codes.
_MFN_POLICY: dict[tuple[str, R], _Codes] = {
    ("general", R.NOT_AS_DESCRIBED): (("AMZ-PG-BAD-DESC", 50),),
    ("apparel", R.NOT_AS_DESCRIBED): (("AMZ-PG-BAD-DESC", 50),),
    ("jewelry", R.NOT_AS_DESCRIBED): (("AMZ-PG-BAD-DESC", 50),),
    ("apparel", R.SIZE_FIT): (("AMZ-PG-APP-TOO-SMALL", 25), ("AMZ-PG-APP-TOO-LARGE", 20)),
    ("jewelry", R.SIZE_FIT): (("AMZ-PG-WJ-TOO-SMALL", 40),),
    ("apparel", R.LATE_DELIVERY): (("AMZ-PG-APP-TOO-LATE", 35),),
    ("general", R.UNWANTED): (("AMZ-PG-MISORDERED", 10),),
    ("apparel", R.UNWANTED): (("AMZ-PG-MISORDERED", 10),),
    ("jewelry", R.UNWANTED): (("AMZ-PG-MISORDERED", 10),),
}
_NOT_FOR_MFN = frozenset({"DAMAGED_BY_FC"})  # an Amazon warehouse never touches an MFN parcel

# Codes no mapping table knows; they are written as they come and stored with reason NULL.
UNKNOWN_FBA: tuple[str, ...] = ("PRODUCT_NOT_PORTUGUESE", "ITEM_RECALL_VOLUNTARY", "GIFT_DUPLICATE_RECEIVED")
UNKNOWN_MFN: tuple[str, ...] = (
    "CR-SUBSCRIPTION_ENDED", "CR-ECO_PACKAGING_COMPLAINT", "AMZ-PG-CARRIER-DELAY-V2",
)  # fmt: skip
UNKNOWN_CODES: tuple[str, ...] = UNKNOWN_MFN + UNKNOWN_FBA


def raw_codes(channel: str, group: str, reason: R) -> _Codes:
    """The raw codes (with weights) for one channel ("FBA"/"MFN"), code group and canonical reason."""
    fba = {
        **_FBA,
        **(_FBA_APPAREL if group == "apparel" else {}),
        **(_FBA_JEWELRY if group == "jewelry" else {}),
    }
    codes = fba[reason]
    if channel == "FBA":
        return codes
    customer = tuple((f"CR-{code}", w) for code, w in codes if code not in _NOT_FOR_MFN)
    policy = _MFN_POLICY.get((group, reason), ())
    total = sum(w for _, w in customer)
    keep = 100.0 - sum(w for _, w in policy)
    return tuple((c, w * keep / total) for c, w in customer) + policy


def known_codes() -> Iterator[tuple[str, R]]:
    """Every (raw code, canonical reason) pair the demo can write: the table a test checks."""
    for channel in ("FBA", "MFN"):
        for group in GROUPS:
            for reason in REASONS:
                for code, _ in raw_codes(channel, group, reason):
                    yield code, reason


RAW_CODES: dict[R, tuple[str, ...]] = {
    reason: tuple(dict.fromkeys(code for code, r in known_codes() if r is reason)) for reason in REASONS
}
CODE_POOL: tuple[str, ...] = tuple(dict.fromkeys([c for codes in RAW_CODES.values() for c in codes]))
UNKNOWN_BASE = len(CODE_POOL)  # codes at and after this index are UNKNOWN_CODES
RAW_POOL: tuple[str, ...] = CODE_POOL + UNKNOWN_CODES
_CODE_INDEX = {code: i for i, code in enumerate(RAW_POOL)}


SIZE_DIRECTION = np.array([-1 if "SMALL" in c else 1 if "LARGE" in c else 0 for c in RAW_POOL])


def mix_matrix() -> np.ndarray:
    """Category x reason probabilities (rows sum to one)."""
    m = np.array([MIX[key] for key in CATEGORY_KEYS], dtype=float)
    out: np.ndarray = m / m.sum(axis=1, keepdims=True)
    return out


def draw_reasons(rng: np.random.Generator, category: np.ndarray, problem: np.ndarray) -> np.ndarray:
    """A canonical reason index per return: the category's mix, or the problem mix where `problem`."""
    cdf = np.cumsum(mix_matrix(), axis=1)
    u = rng.random(len(category))
    reason = (u[:, None] > cdf[category]).sum(axis=1)
    reason = np.minimum(reason, len(REASONS) - 1)
    p_cdf = np.cumsum([PROBLEM_MIX[r] for r in PROBLEM_MIX])
    p_idx = np.array([REASON_INDEX[r] for r in PROBLEM_MIX])
    planted = p_idx[np.searchsorted(p_cdf, rng.random(len(category)) * p_cdf[-1], side="right")]
    result: np.ndarray = np.where(problem, planted, reason)
    return result


def draw_raw_codes(
    rng: np.random.Generator, reason: np.ndarray, category: np.ndarray, channel: np.ndarray
) -> np.ndarray:
    """An index into RAW_POOL per return; about UNKNOWN_SHARE of them are unknown codes."""
    group = np.array([_GROUP_OF_CATEGORY.get(k, 0) for k in CATEGORY_KEYS])[category]
    key = (channel * len(GROUPS) + group) * len(REASONS) + reason
    out = np.empty(len(reason), dtype=np.int64)
    u = rng.random(len(reason))
    order = np.argsort(key, kind="stable")
    bounds = np.searchsorted(key[order], np.arange(2 * len(GROUPS) * len(REASONS) + 1))
    for k in range(len(bounds) - 1):
        rows = order[bounds[k] : bounds[k + 1]]
        if len(rows) == 0:
            continue
        ch, rest = divmod(k, len(GROUPS) * len(REASONS))
        g, r = divmod(rest, len(REASONS))
        codes = raw_codes(("MFN", "FBA")[ch], GROUPS[g], REASONS[r])
        cdf = np.cumsum([w for _, w in codes])
        pick = np.searchsorted(cdf, u[rows] * cdf[-1], side="right")
        out[rows] = np.array([_CODE_INDEX[c] for c, _ in codes])[np.minimum(pick, len(codes) - 1)]
    unknown = rng.random(len(reason)) < UNKNOWN_SHARE
    pick = rng.integers(0, len(UNKNOWN_MFN), len(reason))  # both lists have the same length
    own = UNKNOWN_BASE + np.where(channel == 1, len(UNKNOWN_MFN), 0) + pick
    out[unknown] = own[unknown]
    return out
