"""The return detail's business-day flag follows the seller's holiday calendar (Settings)."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

from seller_desk.ui.views import return_detail_sections as sections

DELIVERED = datetime(2025, 12, 24, 15, tzinfo=UTC)  # Christmas Eve; Boxing Day is a UK holiday only
ON_THE_30TH = datetime(2025, 12, 30, 15, tzinfo=UTC)


def _detail(status: str, delivered_at: datetime | None) -> Any:
    return SimpleNamespace(status=status, delivered_at=delivered_at, order=SimpleNamespace(marketplace="US"))


def test_a_parcel_left_unreceived_is_flagged_by_the_marketplaces_calendar() -> None:
    assert sections.not_received_in_time(_detail("delivered", DELIVERED), ON_THE_30TH)


def test_the_sellers_calendar_can_give_it_another_day() -> None:
    assert not sections.not_received_in_time(_detail("delivered", DELIVERED), ON_THE_30TH, "GB")


def test_only_delivered_returns_wait_at_the_bench() -> None:
    assert not sections.not_received_in_time(_detail("received", DELIVERED), ON_THE_30TH)
    assert not sections.not_received_in_time(_detail("delivered", None), ON_THE_30TH)
