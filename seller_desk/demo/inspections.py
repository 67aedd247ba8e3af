"""What the bench finds: condition grade and disposition of each inspected return line.

Restock planning learns P(sellable | SKU, reason) from these rows, so the rates carry signal: a
size/fit or "changed my mind" return is mostly back on the shelf, a defective one goes back to the
vendor or in the bin, transit damage becomes a carrier claim, and an opened lipstick is never sold
again (beauty's low sellable factor). Each SKU has its own tilt around its category so the
SKU-level estimate differs from the category's, and planted problem SKUs come back broken.
FBA lines are graded by Amazon's warehouse and carry its detailed-disposition word in the note.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from seller_desk.demo.catalogue import CATEGORIES
from seller_desk.demo.markets import MARKETPLACES
from seller_desk.demo.reasons import REASON_INDEX, REASONS
from seller_desk.domain.enums import CanonicalReason as R
from seller_desk.domain.enums import ConditionGrade as C
from seller_desk.domain.enums import Disposition as D

CONDITIONS: tuple[C, ...] = tuple(C)
DISPOSITIONS: tuple[D, ...] = tuple(D)
ORIGINAL = np.array([c in (C.NEW, C.LIKE_NEW) for c in CONDITIONS])

# Base P(sellable) per canonical reason, before category and SKU factors.
SELLABLE: dict[R, float] = {
    R.DEFECTIVE: 0.05, R.DAMAGED_IN_TRANSIT: 0.06, R.WRONG_ITEM: 0.45, R.NOT_AS_DESCRIBED: 0.55,
    R.SIZE_FIT: 0.9, R.UNWANTED: 0.82, R.BETTER_PRICE: 0.88, R.LATE_DELIVERY: 0.85, R.MISSING_PARTS: 0.15,
    R.INCOMPATIBLE: 0.72, R.QUALITY: 0.35, R.FRAUD: 0.3, R.UNDELIVERABLE: 0.93, R.OTHER: 0.65,
}  # fmt: skip

# Unsellable outcomes per reason: (condition, disposition, weight).
_Outcomes = tuple[tuple[C, D, float], ...]
_BROKEN: _Outcomes = ((C.DEFECTIVE, D.RETURN_TO_VENDOR, 45), (C.DEFECTIVE, D.DISPOSE, 30),
                      (C.DEFECTIVE, D.REFURBISH, 25))  # fmt: skip
_USED: _Outcomes = ((C.GOOD, D.LIQUIDATE, 30), (C.ACCEPTABLE, D.LIQUIDATE, 20), (C.GOOD, D.REFURBISH, 15),
                    (C.ACCEPTABLE, D.REFURBISH, 15), (C.DAMAGED, D.DISPOSE, 20))  # fmt: skip
UNSELLABLE: dict[R, _Outcomes] = {
    R.DEFECTIVE: _BROKEN,
    R.QUALITY: ((C.ACCEPTABLE, D.LIQUIDATE, 50), *_BROKEN),
    R.DAMAGED_IN_TRANSIT: (
        (C.DAMAGED, D.CLAIM, 65),
        (C.DAMAGED, D.LIQUIDATE, 20),
        (C.DAMAGED, D.DISPOSE, 15),
    ),
    R.WRONG_ITEM: ((C.WRONG_ITEM, D.CLAIM, 60), (C.GOOD, D.LIQUIDATE, 40)),
    R.FRAUD: ((C.EMPTY, D.CLAIM, 40), (C.WRONG_ITEM, D.CLAIM, 35), (C.DAMAGED, D.CLAIM, 25)),
    R.MISSING_PARTS: ((C.ACCEPTABLE, D.REFURBISH, 70), (C.ACCEPTABLE, D.LIQUIDATE, 30)),
}
FBA_WORDS = {C.NEW: "SELLABLE", C.LIKE_NEW: "SELLABLE", C.GOOD: "CUSTOMER_DAMAGED", C.ACCEPTABLE: "DAMAGED",
             C.DAMAGED: "CARRIER_DAMAGED", C.DEFECTIVE: "DEFECTIVE", C.WRONG_ITEM: "CUSTOMER_DAMAGED",
             C.EMPTY: "CUSTOMER_DAMAGED"}  # fmt: skip
BENCH_NOTES: dict[C, tuple[str, ...]] = {
    C.NEW: ("Tags attached, original packaging", "Unopened"),
    C.LIKE_NEW: ("Opened, all accessories present", "Tried on once, no marks"),
    C.GOOD: ("Light signs of use", "Packaging opened and torn"),
    C.ACCEPTABLE: ("Visible wear", "Missing original box"),
    C.DAMAGED: ("Scratches and a dent on the side", "Box crushed, item bent", "Stained"),
    C.DEFECTIVE: ("Does not power on", "Confirmed fault on test", "Zip broken"),
    C.WRONG_ITEM: ("Received a different item than sold", "Not our product"),
    C.EMPTY: ("Box was empty", "Only packaging returned"),
}
STAFF: tuple[str, ...] = ("Maria G.", "Tom B.", "Priya S.", "Jonas K.", "Lena W.")
INSPECTOR_POOL: tuple[str, ...] = STAFF + tuple(
    f"Amazon {fc}" for m in MARKETPLACES for fc, _ in m.fulfilment_centres
)
NOTE_POOL: tuple[str, ...] = tuple(
    dict.fromkeys(
        [f"FBA disposition: {w}" for w in FBA_WORDS.values()]
        + [t for notes in BENCH_NOTES.values() for t in notes]
    )
)
_NOTE = {t: i for i, t in enumerate(NOTE_POOL)}
_FC_OFFSETS = np.cumsum([len(STAFF)] + [len(m.fulfilment_centres) for m in MARKETPLACES])


@dataclass(slots=True)
class Inspected:
    condition: np.ndarray  # per inspected line: index into CONDITIONS
    disposition: np.ndarray
    inspector: np.ndarray  # index into INSPECTOR_POOL
    note: np.ndarray  # index into NOTE_POOL or -1
    evidence: np.ndarray  # bool: photos attached


def sku_tilt(rng: np.random.Generator, n_skus: int) -> np.ndarray:
    """Each SKU's own multiplier on P(sellable): some products survive a return better."""
    return np.exp(0.3 * rng.standard_normal(n_skus))


def inspect(
    rng: np.random.Generator,
    reason: np.ndarray,
    category: np.ndarray,
    tilt: np.ndarray,
    problem: np.ndarray,
    fba: np.ndarray,
    market: np.ndarray,
) -> Inspected:
    """Grade inspected lines; all arguments are per inspected line."""
    n = len(reason)
    base = np.array([SELLABLE[r] for r in REASONS])[reason]
    factor = np.array([c.sellable_factor for c in CATEGORIES])[category]
    p_sellable = np.clip(base * factor * tilt, 0.0, 0.97)
    p_sellable = np.where(problem, 0.05, p_sellable)
    sellable = rng.random(n) < p_sellable
    condition = np.where(rng.random(n) < 0.35, CONDITIONS.index(C.NEW), CONDITIONS.index(C.LIKE_NEW))
    disposition = np.full(n, DISPOSITIONS.index(D.RESTOCK))
    u = rng.random(n)
    for r in REASONS:
        rows = np.flatnonzero(~sellable & (reason == REASON_INDEX[r]))
        if len(rows) == 0:
            continue
        outcomes = UNSELLABLE.get(r, _USED)
        cdf = np.cumsum([w for _, _, w in outcomes])
        pick = np.minimum(np.searchsorted(cdf, u[rows] * cdf[-1], side="right"), len(outcomes) - 1)
        condition[rows] = np.array([CONDITIONS.index(c) for c, _, _ in outcomes])[pick]
        disposition[rows] = np.array([DISPOSITIONS.index(d) for _, d, _ in outcomes])[pick]

    staff = rng.integers(0, len(STAFF), n)
    fc_count = np.diff(_FC_OFFSETS)[market]
    fc = _FC_OFFSETS[:-1][market] + (rng.random(n) * fc_count).astype(np.int64)
    inspector = np.where(fba, fc, staff)
    fba_note = np.array([_NOTE[f"FBA disposition: {FBA_WORDS[c]}"] for c in CONDITIONS])[condition]
    bench_note = np.full(n, -1)
    for c_index, c in enumerate(CONDITIONS):
        rows = np.flatnonzero(condition == c_index)
        options = np.array([_NOTE[t] for t in BENCH_NOTES[c]])
        bench_note[rows] = options[rng.integers(0, len(options), len(rows))]
    bench_note = np.where(rng.random(n) < np.where(ORIGINAL[condition], 0.15, 0.6), bench_note, -1)
    note = np.where(fba, fba_note, bench_note)
    evidence = ~fba & ~ORIGINAL[condition] & (rng.random(n) < 0.6)
    return Inspected(condition=condition, disposition=disposition, inspector=inspector, note=note,
                     evidence=evidence)  # fmt: skip
