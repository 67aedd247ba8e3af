"""What the relay needs from a marketplace: submit a refund, and report what was refunded.

Amazon's refund path (an adjustment feed) has no idempotency: sending the same adjustment twice
refunds twice. The only defence is the seller's own reference on each submission, which the
marketplace echoes in its reports, so the relay can ask "is ``sd-…`` already refunded?" before any
resend. That is the whole contract; the simulated marketplace and the SP-API connector both keep it.

Errors: ``UpstreamError`` means the call did not succeed *as far as we know* — the refund may still
have been recorded (a lost response), which is why the relay reconciles before retrying.
``UpstreamTimeout`` is the same with no answer at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol


class UpstreamError(Exception):
    """The submission or report failed; whether a refund was recorded is unknown."""


class UpstreamTimeout(UpstreamError):
    """No answer within the time allowed."""


class UpstreamRefused(UpstreamError):
    """The marketplace answered, and definitely did not execute the refund (a feed message in error):
    sending it again would only be refused again, so the relay fails it for good."""


@dataclass(frozen=True, slots=True)
class RefundSubmission:
    """One refund to execute: the client reference makes it recognizable in later reports."""

    upstream_ref: str
    seller: str
    order_id: str
    request_external_id: str
    amount_minor: int
    currency: str
    components: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True, slots=True)
class UpstreamRefund:
    """A refund the marketplace has executed, as its reports show it."""

    refund_id: int
    upstream_ref: str
    seller: str
    order_id: str
    request_external_id: str
    amount_minor: int
    currency: str
    recorded_at: datetime


class Upstream(Protocol):
    """The marketplace seam of the relay (the simulator now, SP-API later)."""

    def submit_refund(self, submission: RefundSubmission) -> UpstreamRefund:
        """Execute the refund. Not idempotent: each successful call is one more refund."""
        ...

    def refunds_for_order(self, seller: str, order_id: str) -> list[UpstreamRefund]:
        """Every refund executed for this order, with the references they were sent with."""
        ...
