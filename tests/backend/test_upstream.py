"""The simulated marketplace: no idempotency, a durable file, and faults that follow their seed."""

from __future__ import annotations

from pathlib import Path

import pytest

from seller_desk.backend.upstream import FaultPlan, RefundSubmission, SimulatedMarketplace, UpstreamError

SUBMISSION = RefundSubmission("sd-abc", "demo", "111-0000001-0000001", "RR-1", 1999, "USD")


def test_a_second_submission_with_the_same_reference_is_a_second_refund(tmp_path: Path) -> None:
    market = SimulatedMarketplace(tmp_path / "m.sqlite3")
    market.submit_refund(SUBMISSION)
    market.submit_refund(SUBMISSION)
    reopened = SimulatedMarketplace(tmp_path / "m.sqlite3")  # another process, after a crash
    refunds = reopened.refunds_for_order("demo", SUBMISSION.order_id)
    assert [r.upstream_ref for r in refunds] == ["sd-abc", "sd-abc"]
    assert refunds[0].amount_minor == 1999 and refunds[0].refund_id != refunds[1].refund_id
    assert reopened.refunds_for_order("other-seller", SUBMISSION.order_id) == []


def test_a_lost_answer_still_records_the_refund_and_a_refusal_does_not(tmp_path: Path) -> None:
    lost = SimulatedMarketplace(tmp_path / "lost.sqlite3", FaultPlan(lost=1.0))
    with pytest.raises(UpstreamError):
        lost.submit_refund(SUBMISSION)
    assert len(lost.all_refunds()) == 1
    refused = SimulatedMarketplace(tmp_path / "refused.sqlite3", FaultPlan(fail=1.0))
    with pytest.raises(UpstreamError):
        refused.submit_refund(SUBMISSION)
    assert refused.all_refunds() == []


def test_faults_and_delays_follow_the_seed(tmp_path: Path) -> None:
    def outcomes(name: str, seed: int) -> list[str]:
        slept: list[float] = []
        plan = FaultPlan(fail=0.3, lost=0.2, timeout=0.2, delay=(0.01, 0.5), timeout_s=3.0, seed=seed)
        market = SimulatedMarketplace(tmp_path / f"{name}.sqlite3", plan, sleep=slept.append)
        seen = []
        for _ in range(16):
            try:
                market.submit_refund(SUBMISSION)
                seen.append("ok")
            except UpstreamError as exc:
                seen.append(type(exc).__name__ + str(exc)[:20])
        assert all(0.01 <= s <= 0.5 or s == 3.0 for s in slept) and 3.0 in slept
        return seen

    first = outcomes("a", 4)
    assert first == outcomes("b", 4)
    assert first != outcomes("c", 5)
    assert {"ok"} < set(first)
