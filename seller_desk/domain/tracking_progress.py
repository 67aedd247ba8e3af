"""How far a parcel got: the furthest milestone of its tracking events, and any side state it is in.

The detail pane draws a progress line across four milestones (label created → in transit → out for
delivery → delivered). Carrier events arrive out of order and repeat, and a parcel can fall off the line
(an exception, lost, sent back); a later scan can put it back on. So the furthest milestone is the
highest one any event reached — a milestone once reached stays reached, as carrier states never move a
return backwards (DOMAIN.md) — and the side state is the *newest* event's, if that event is off the line.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum

from seller_desk.domain.enums import TrackingStatus as T


class Milestone(IntEnum):
    """The main line, in order; ``NONE`` before the carrier has heard of the parcel."""

    NONE = 0
    LABEL_CREATED = 1
    IN_TRANSIT = 2
    OUT_FOR_DELIVERY = 3
    DELIVERED = 4


MILESTONE_OF: dict[T, Milestone] = {
    T.PENDING: Milestone.LABEL_CREATED,
    T.INFO_RECEIVED: Milestone.LABEL_CREATED,
    T.IN_TRANSIT: Milestone.IN_TRANSIT,
    T.DELAYED: Milestone.IN_TRANSIT,  # still moving, only late
    T.FAILED_ATTEMPT: Milestone.OUT_FOR_DELIVERY,  # it was out on the van
    T.AVAILABLE_FOR_PICKUP: Milestone.OUT_FOR_DELIVERY,
    T.OUT_FOR_DELIVERY: Milestone.OUT_FOR_DELIVERY,
    T.DELIVERED: Milestone.DELIVERED,
}
# Off the line: the parcel needs a human (or is gone) whatever milestone it had reached.
SIDE_STATES = frozenset({T.EXCEPTION, T.LOST, T.RETURNED_TO_SENDER, T.EXPIRED, T.CANCELLED})


@dataclass(frozen=True, slots=True)
class TrackingProgress:
    reached: Milestone
    side_state: T | None  # set when the newest event is off the main line


def tracking_progress(
    events: Iterable[tuple[datetime, T]], *, label_exists: bool = False
) -> TrackingProgress:
    """Progress from ``(occurred_at, status)`` pairs in any order.

    ``label_exists``: a return label was issued (the return has a shipment) even if no event says so
    yet, which counts as the first milestone.
    """
    reached = Milestone.LABEL_CREATED if label_exists else Milestone.NONE
    newest: tuple[datetime, T] | None = None
    for occurred_at, status in events:
        reached = max(reached, MILESTONE_OF.get(status, Milestone.NONE))
        if newest is None or occurred_at >= newest[0]:
            newest = (occurred_at, status)
    side = newest[1] if newest is not None and newest[1] in SIDE_STATES else None
    if side is not None and reached == Milestone.NONE:
        reached = Milestone.LABEL_CREATED  # a carrier that reports a fault knows the parcel
    return TrackingProgress(reached, side)
