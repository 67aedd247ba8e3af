"""Return reasons: every code AMAZON.md §2 lists maps to a canonical reason; unknown codes stay visible."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from seller_desk.domain.enums import CanonicalReason as R
from seller_desk.domain.reasons import (
    AMZ_PG_REASONS,
    BLANK_REASON_LABEL,
    FBA_REASONS,
    REASON_LABELS,
    map_reason,
    normalize_reason_code,
    reason_label,
)

# Written out from the reference list on purpose, so a code dropped from the table fails here.
FBA_CODES = [
    "OTHER", "ORDERED_WRONG_ITEM", "FOUND_BETTER_PRICE", "NO_REASON_GIVEN", "QUALITY_UNACCEPTABLE",
    "NOT_COMPATIBLE", "DAMAGED_BY_FC", "MISSED_ESTIMATED_DELIVERY", "MISSING_PARTS", "DAMAGED_BY_CARRIER",
    "SWITCHEROO", "DEFECTIVE", "EXTRA_ITEM", "UNWANTED_ITEM", "WARRANTY", "UNAUTHORIZED_PURCHASE",
    "UNDELIVERABLE_INSUFFICIENT_ADDRESS", "UNDELIVERABLE_FAILED_DELIVERY_ATTEMPTS", "UNDELIVERABLE_REFUSED",
    "UNDELIVERABLE_UNKNOWN", "UNDELIVERABLE_UNCLAIMED", "APPAREL_TOO_SMALL", "APPAREL_TOO_LARGE",
    "APPAREL_STYLE", "MISORDERED", "NOT_AS_DESCRIBED", "JEWELRY_TOO_SMALL", "JEWELRY_TOO_LARGE",
    "JEWELRY_BATTERY", "JEWELRY_NO_DOCS", "JEWELRY_BAD_CLASP", "JEWELRY_LOOSE_STONE", "JEWELRY_NO_CERT",
    # also seen without descriptions
    "PRODUCT_NOT_SPANISH", "PRODUCT_NOT_ITALIAN", "NEVER_ARRIVED", "UNDELIVERABLE_CARRIER_MISS_SORTED",
    "EXCESSIVE_INSTALLATION", "PART_NOT_COMPATIBLE", "UNDELIVERABLE_MISSING_LABEL", "UNKNOWN_OTHER_REASON",
]  # fmt: skip
AMZ_PG_CODES = [
    "AMZ-PG-BAD-DESC", "AMZ-PG-MISORDERED", "AMZ-PG-APP-TOO-LATE", "AMZ-PG-APP-TOO-SMALL",
    "AMZ-PG-APP-TOO-LARGE", "AMZ-PG-WJ-TOO-SMALL",
]  # fmt: skip


@pytest.mark.parametrize("code", FBA_CODES)
def test_every_fba_code_is_known_bare_and_with_cr_prefix(code: str) -> None:
    bare, prefixed = map_reason(code), map_reason(f"CR-{code}")
    assert bare.known and prefixed.known
    assert bare.canonical is prefixed.canonical is FBA_REASONS[code]
    assert prefixed.raw == f"CR-{code}" and prefixed.code == code


@pytest.mark.parametrize("code", AMZ_PG_CODES)
def test_every_amz_pg_code_is_known(code: str) -> None:
    mapped = map_reason(code)
    assert mapped.known and mapped.canonical is AMZ_PG_REASONS[code]


def test_tables_hold_exactly_the_reference_codes() -> None:
    assert set(FBA_REASONS) == set(FBA_CODES)
    assert set(AMZ_PG_REASONS) == set(AMZ_PG_CODES)


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("DEFECTIVE", R.DEFECTIVE), ("CR-DEFECTIVE", R.DEFECTIVE), ("WARRANTY", R.DEFECTIVE),
        ("DAMAGED_BY_CARRIER", R.DAMAGED_IN_TRANSIT), ("DAMAGED_BY_FC", R.DAMAGED_IN_TRANSIT),
        ("SWITCHEROO", R.WRONG_ITEM), ("ORDERED_WRONG_ITEM", R.UNWANTED),
        ("NOT_AS_DESCRIBED", R.NOT_AS_DESCRIBED), ("AMZ-PG-BAD-DESC", R.NOT_AS_DESCRIBED),
        ("APPAREL_TOO_SMALL", R.SIZE_FIT), ("JEWELRY_TOO_LARGE", R.SIZE_FIT),
        ("AMZ-PG-WJ-TOO-SMALL", R.SIZE_FIT),
        ("CR-UNWANTED_ITEM", R.UNWANTED), ("FOUND_BETTER_PRICE", R.BETTER_PRICE),
        ("MISSED_ESTIMATED_DELIVERY", R.LATE_DELIVERY), ("AMZ-PG-APP-TOO-LATE", R.LATE_DELIVERY),
        ("MISSING_PARTS", R.MISSING_PARTS), ("JEWELRY_NO_CERT", R.MISSING_PARTS),
        ("NOT_COMPATIBLE", R.INCOMPATIBLE), ("QUALITY_UNACCEPTABLE", R.QUALITY),
        ("UNAUTHORIZED_PURCHASE", R.FRAUD), ("UNDELIVERABLE_REFUSED", R.UNDELIVERABLE),
        ("OTHER", R.OTHER), ("NO_REASON_GIVEN", R.OTHER),
    ],
)  # fmt: skip
def test_known_answers(raw: str, canonical: R) -> None:
    assert map_reason(raw).canonical is canonical


@pytest.mark.parametrize(
    "raw", ["  cr-defective ", "Cr-Defective", "defective", "\tDEFECTIVE\n", "unwanted item"]
)
def test_case_and_whitespace_tolerant(raw: str) -> None:
    mapped = map_reason(raw)
    assert mapped.known
    assert mapped.raw == raw  # the raw text is kept exactly


def test_amz_pg_codes_tolerate_case() -> None:
    assert map_reason(" amz-pg-bad-desc ").canonical is R.NOT_AS_DESCRIBED


def test_unknown_code_stays_visible_as_itself() -> None:
    mapped = map_reason("CR-BRAND_NEW_REASON")
    assert mapped.known is False
    assert mapped.canonical is R.OTHER  # charts can still total it
    assert mapped.code == "BRAND_NEW_REASON"
    assert mapped.display_label == "CR-BRAND_NEW_REASON"
    assert mapped.display_label != reason_label(R.OTHER)


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_blank_reason_is_unknown_with_a_placeholder_label(raw: str | None) -> None:
    mapped = map_reason(raw)
    assert not mapped.known and mapped.canonical is R.OTHER
    assert mapped.display_label == BLANK_REASON_LABEL


def test_known_code_displays_canonical_label() -> None:
    assert map_reason("APPAREL_TOO_LARGE").display_label == "Size / fit"
    assert map_reason("DAMAGED_BY_CARRIER").display_label == "Damaged in transit"


def test_every_canonical_reason_has_a_distinct_label() -> None:
    assert set(REASON_LABELS) == set(R)
    assert len(set(REASON_LABELS.values())) == len(R)
    assert all(reason_label(reason).strip() for reason in R)


def test_normalize_reason_code() -> None:
    assert normalize_reason_code(" cr-unwanted  item ") == "UNWANTED_ITEM"
    assert normalize_reason_code("AMZ-PG-BAD-DESC") == "AMZ-PG-BAD-DESC"


@given(st.text(max_size=40))
def test_mapping_never_fails_and_never_hides_unknown_text(raw: str) -> None:
    mapped = map_reason(raw)
    assert mapped.raw == raw
    assert isinstance(mapped.canonical, R)
    if not mapped.known:
        assert mapped.canonical is R.OTHER
        assert mapped.display_label in (raw.strip(), BLANK_REASON_LABEL)
