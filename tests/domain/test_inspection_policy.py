"""The disposition the inspection form preselects for each condition grade."""

from __future__ import annotations

import pytest

from seller_desk.domain.enums import ConditionGrade, Disposition
from seller_desk.domain.policies.inspection import default_disposition


def test_every_grade_has_a_default() -> None:
    assert {default_disposition(g) for g in ConditionGrade} <= set(Disposition)


@pytest.mark.parametrize(
    ("grade", "expected"),
    [
        ("new", Disposition.RESTOCK),
        ("like_new", Disposition.RESTOCK),
        ("acceptable", Disposition.LIQUIDATE),
        ("defective", Disposition.RETURN_TO_VENDOR),
        ("damaged", Disposition.CLAIM),  # evidence for a SAFE-T claim
        ("wrong_item", Disposition.CLAIM),
        ("empty", Disposition.CLAIM),
    ],
)
def test_damage_and_wrong_items_default_to_a_claim_sellable_units_to_restock(
    grade: str, expected: Disposition
) -> None:
    assert default_disposition(ConditionGrade(grade)) is expected


def test_an_unknown_grade_is_refused() -> None:
    with pytest.raises(ValueError, match="'scratched' is not a valid ConditionGrade"):
        default_disposition("scratched")  # type: ignore[arg-type]
