"""What usually happens to a unit after the bench grades it: the disposition a grade suggests.

The bench changes it when it knows better (a "good" unit of a discontinued SKU goes to liquidation);
this is only the starting choice, so one keypress records the common case. Damage, a wrong item and an
empty box are evidence for a SAFE-T claim (DOMAIN.md "Claim clocks"), so they default to ``claim``.
"""

from __future__ import annotations

from seller_desk.domain.enums import ConditionGrade, Disposition

_DEFAULTS: dict[ConditionGrade, Disposition] = {
    ConditionGrade.NEW: Disposition.RESTOCK,
    ConditionGrade.LIKE_NEW: Disposition.RESTOCK,
    ConditionGrade.GOOD: Disposition.REFURBISH,
    ConditionGrade.ACCEPTABLE: Disposition.LIQUIDATE,
    ConditionGrade.DAMAGED: Disposition.CLAIM,
    ConditionGrade.DEFECTIVE: Disposition.RETURN_TO_VENDOR,
    ConditionGrade.WRONG_ITEM: Disposition.CLAIM,
    ConditionGrade.EMPTY: Disposition.CLAIM,
}


def default_disposition(grade: ConditionGrade) -> Disposition:
    """The disposition the inspection form preselects for ``grade``."""
    return _DEFAULTS[ConditionGrade(grade)]
