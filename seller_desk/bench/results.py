"""What one benchmark reports: its figure, the baseline measured in the same run, and the verdict.

A target is an upper bound on either the value itself or the ratio to the baseline; ``ok`` is that
comparison. Figures are never compared with numbers from another run or another machine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal


def _significant(x: float) -> float:
    """Six significant digits: a 1.3 ms figure in seconds keeps its precision (4 decimals would not)."""
    return float(f"{x:.6g}")


@dataclass(frozen=True, slots=True)
class Result:
    name: str
    value: float
    unit: str
    baseline: float | None
    target: float | None
    target_on: Literal["value", "ratio"] = "value"
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.baseline in (None, 0):
            return None
        return self.value / self.baseline  # type: ignore[operator]

    @property
    def ok(self) -> bool | None:
        if self.target is None:
            return None
        measured = self.value if self.target_on == "value" else self.ratio
        return measured is not None and measured <= self.target

    def to_json(self) -> dict[str, Any]:
        ratio = self.ratio
        return {
            "name": self.name,
            "value": _significant(self.value),
            "unit": self.unit,
            "baseline": None if self.baseline is None else _significant(self.baseline),
            "ratio": None if ratio is None else round(ratio, 3),
            "target": self.target,
            "target_on": self.target_on,
            "ok": self.ok,
            **({"detail": self.detail} if self.detail else {}),
        }

    def to_text(self) -> str:
        ratio = f"  ×{self.ratio:.2f} of baseline {self.baseline:.4g} {self.unit}" if self.ratio else ""
        verdict = {True: "ok", False: "MISSED", None: "-"}[self.ok]
        bound = "" if self.target is None else f"  target {self.target_on} ≤ {self.target:g}"
        return f"{self.name:<40} {self.value:>12.4g} {self.unit:<8}{ratio}{bound}  [{verdict}]"
