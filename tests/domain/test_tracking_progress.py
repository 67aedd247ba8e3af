"""The furthest milestone a parcel reached, and the side state its newest event puts it in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from seller_desk.domain.enums import TrackingStatus as T
from seller_desk.domain.tracking_progress import Milestone, TrackingProgress, tracking_progress

T0 = datetime(2026, 5, 1, tzinfo=UTC)


def events(*statuses: T) -> list[tuple[datetime, T]]:
    return [(T0 + timedelta(hours=i), s) for i, s in enumerate(statuses)]


def test_no_events_and_no_label_is_nowhere() -> None:
    assert tracking_progress([]) == TrackingProgress(Milestone.NONE, None)


def test_a_label_alone_is_the_first_milestone() -> None:
    assert tracking_progress([], label_exists=True) == TrackingProgress(Milestone.LABEL_CREATED, None)


def test_furthest_milestone_wins_whatever_the_order() -> None:
    shuffled = list(reversed(events(T.INFO_RECEIVED, T.IN_TRANSIT, T.OUT_FOR_DELIVERY, T.IN_TRANSIT)))
    assert tracking_progress(shuffled).reached == Milestone.OUT_FOR_DELIVERY


def test_an_exception_is_a_side_state_until_a_later_scan_moves_on() -> None:
    stuck = tracking_progress(events(T.INFO_RECEIVED, T.IN_TRANSIT, T.EXCEPTION))
    assert stuck == TrackingProgress(Milestone.IN_TRANSIT, T.EXCEPTION)
    moved_on = tracking_progress(events(T.INFO_RECEIVED, T.IN_TRANSIT, T.EXCEPTION, T.DELIVERED))
    assert moved_on == TrackingProgress(Milestone.DELIVERED, None)


def test_lost_with_no_earlier_scan_still_counts_the_label() -> None:
    assert tracking_progress(events(T.LOST)) == TrackingProgress(Milestone.LABEL_CREATED, T.LOST)


def test_a_failed_attempt_means_it_was_out_for_delivery() -> None:
    assert tracking_progress(events(T.IN_TRANSIT, T.FAILED_ATTEMPT)).reached == Milestone.OUT_FOR_DELIVERY
