"""Tracking: three carrier vocabularies to one status, and carrier scans only ever move a return forward."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from seller_desk.domain.enums import ReturnStatus as S
from seller_desk.domain.enums import TrackingStatus as T
from seller_desk.domain.errors import DomainError, UnknownTrackingCode
from seller_desk.domain.lifecycle import RETURN_MAIN_LINE, can_transition, is_terminal
from seller_desk.domain.tracking import (
    AFTERSHIP_TAGS,
    SHIPPING_V2_EVENTS,
    TRACKING_MILESTONES,
    TrackingSource,
    normalize_tracking_code,
    return_status_after_scan,
    try_normalize_tracking_code,
)

AFTERSHIP = {
    "Pending": T.PENDING, "InfoReceived": T.INFO_RECEIVED, "InTransit": T.IN_TRANSIT,
    "OutForDelivery": T.OUT_FOR_DELIVERY, "AttemptFail": T.FAILED_ATTEMPT, "Delivered": T.DELIVERED,
    "AvailableForPickup": T.AVAILABLE_FOR_PICKUP, "Exception": T.EXCEPTION, "Expired": T.EXPIRED,
}  # fmt: skip
SHIPPING_V2 = {
    "ReadyForReceive": T.INFO_RECEIVED, "PickupDone": T.IN_TRANSIT, "Delivered": T.DELIVERED,
    "Departed": T.IN_TRANSIT, "DeliveryAttempted": T.FAILED_ATTEMPT, "Lost": T.LOST,
    "OutForDelivery": T.OUT_FOR_DELIVERY, "ArrivedAtCarrierFacility": T.IN_TRANSIT, "Rejected": T.EXCEPTION,
    "Undeliverable": T.EXCEPTION, "PickupCancelled": T.CANCELLED, "ReturnInitiated": T.RETURNED_TO_SENDER,
    "AvailableForPickup": T.AVAILABLE_FOR_PICKUP, "RecipientRequestedAlternateDeliveryTiming": T.DELAYED,
}  # fmt: skip
MILESTONES = {
    "SHIPPED": T.IN_TRANSIT, "PICKED_UP": T.IN_TRANSIT, "OUT_FOR_DELIVERY": T.OUT_FOR_DELIVERY,
    "DELIVERY_ATTEMPTED": T.FAILED_ATTEMPT, "DELIVERED": T.DELIVERED, "UNDELIVERABLE": T.EXCEPTION,
    "RETURNED": T.RETURNED_TO_SENDER, "LOST": T.LOST, "DAMAGED": T.EXCEPTION, "DELAYED": T.DELAYED,
    "READY_FOR_CUSTOMER_PICKUP": T.AVAILABLE_FOR_PICKUP, "CUSTOMS_CLEARED": T.IN_TRANSIT,
    "CUSTOMS_HELD": T.IN_TRANSIT,
}  # fmt: skip
CASES = [
    *[(code, TrackingSource.AFTERSHIP, status) for code, status in AFTERSHIP.items()],
    *[(code, TrackingSource.SHIPPING_V2, status) for code, status in SHIPPING_V2.items()],
    *[(code, TrackingSource.TRACKING_MILESTONE, status) for code, status in MILESTONES.items()],
]


@pytest.mark.parametrize(("code", "source", "status"), CASES)
def test_each_vocabulary_code_with_and_without_source(code: str, source: TrackingSource, status: T) -> None:
    assert normalize_tracking_code(code, source) is status
    assert normalize_tracking_code(code, source.value) is status
    assert normalize_tracking_code(code) is status


def test_tables_cover_the_reference_vocabularies() -> None:
    assert set(AFTERSHIP_TAGS) == set(AFTERSHIP)
    assert set(SHIPPING_V2_EVENTS) == set(SHIPPING_V2)
    assert set(MILESTONES) - {"CUSTOMS_CLEARED", "CUSTOMS_HELD"} <= set(TRACKING_MILESTONES)


def test_vocabularies_that_share_a_word_agree_on_it() -> None:
    def squash(code: str) -> str:
        return code.replace("_", "").upper()

    seen: dict[str, T] = {}
    for table in (AFTERSHIP_TAGS, SHIPPING_V2_EVENTS, TRACKING_MILESTONES):
        for code, status in table.items():
            assert seen.setdefault(squash(code), status) is status, code


@pytest.mark.parametrize("code", ["out for delivery", " delivered ", "out-for-delivery", "outfordelivery"])
def test_case_and_separator_tolerant(code: str) -> None:
    assert normalize_tracking_code(code) in (T.OUT_FOR_DELIVERY, T.DELIVERED)


def test_aftership_subtags_map_to_their_tag() -> None:
    assert normalize_tracking_code("InTransit_003", TrackingSource.AFTERSHIP) is T.IN_TRANSIT
    assert normalize_tracking_code("Exception_011") is T.EXCEPTION


def test_sample_notification_pre_shipment_milestones() -> None:
    assert normalize_tracking_code("CARRIER_ASSIGNED", "tracking_milestone") is T.INFO_RECEIVED
    assert normalize_tracking_code("ORDER_PREPARING") is T.INFO_RECEIVED


def test_unknown_code_raises_or_returns_none() -> None:
    with pytest.raises(UnknownTrackingCode, match="TELEPORTED") as raised:
        normalize_tracking_code("TELEPORTED")
    assert isinstance(raised.value, DomainError) and raised.value.source is None
    assert try_normalize_tracking_code("TELEPORTED") is None
    # A code from another vocabulary is unknown when the source is named.
    with pytest.raises(UnknownTrackingCode, match="aftership"):
        normalize_tracking_code("PICKED_UP", TrackingSource.AFTERSHIP)
    assert try_normalize_tracking_code("CUSTOMS_CLEARED", TrackingSource.SHIPPING_V2) is None


def test_unknown_source_name_is_refused() -> None:
    with pytest.raises(ValueError):
        normalize_tracking_code("Delivered", "fedex")


# -- effect on a return ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("current", "scan", "expected"),
    [
        (S.AUTHORIZED, T.IN_TRANSIT, S.IN_TRANSIT),  # first movement scan
        (S.AUTHORIZED, T.OUT_FOR_DELIVERY, S.IN_TRANSIT),
        (S.AUTHORIZED, T.INFO_RECEIVED, S.AUTHORIZED),  # label created: no movement yet
        (S.AUTHORIZED, T.PENDING, S.AUTHORIZED),
        (S.AUTHORIZED, T.DELIVERED, S.DELIVERED),  # delivery as the first scan
        (S.IN_TRANSIT, T.DELIVERED, S.DELIVERED),
        (S.IN_TRANSIT, T.IN_TRANSIT, S.IN_TRANSIT),
        (S.IN_TRANSIT, T.LOST, S.LOST),
        (S.AUTHORIZED, T.LOST, S.LOST),
        (S.LOST, T.DELIVERED, S.DELIVERED),  # found after all
        (S.LOST, T.IN_TRANSIT, S.IN_TRANSIT),
        (S.DELIVERED, T.IN_TRANSIT, S.DELIVERED),  # late scan never moves it back
        (S.DELIVERED, T.LOST, S.DELIVERED),
        (S.RECEIVED, T.DELIVERED, S.RECEIVED),  # the seller's own states are not the carrier's
        (S.INSPECTED, T.IN_TRANSIT, S.INSPECTED),
        (S.CLOSED, T.DELIVERED, S.CLOSED),
        (S.CANCELLED, T.IN_TRANSIT, S.CANCELLED),
        (S.REQUESTED, T.DELIVERED, S.REQUESTED),  # no label yet: anomaly for a human
        (S.IN_TRANSIT, T.EXCEPTION, S.IN_TRANSIT),
        (S.IN_TRANSIT, T.RETURNED_TO_SENDER, S.IN_TRANSIT),
    ],
)
def test_return_status_after_scan(current: S, scan: T, expected: S) -> None:
    assert return_status_after_scan(current, scan) is expected


@pytest.mark.parametrize(("current", "scan"), list(itertools.product(S, T)))
def test_every_scan_move_is_a_legal_forward_transition(current: S, scan: T) -> None:
    after = return_status_after_scan(current, scan)
    if after is current:
        return
    assert can_transition(current, after)
    assert not is_terminal(current)
    assert current not in (S.DELIVERED, S.RECEIVED, S.INSPECTED)
    if current in RETURN_MAIN_LINE and after in RETURN_MAIN_LINE:
        assert RETURN_MAIN_LINE.index(after) > RETURN_MAIN_LINE.index(current)


@given(st.lists(st.sampled_from(list(T)), max_size=30))
def test_once_delivered_no_sequence_of_scans_moves_it(scans: list[T]) -> None:
    state = S.AUTHORIZED
    delivered_seen = False
    for scan in scans:
        state = return_status_after_scan(state, scan)
        delivered_seen = delivered_seen or scan is T.DELIVERED
        if delivered_seen:
            assert state is S.DELIVERED
