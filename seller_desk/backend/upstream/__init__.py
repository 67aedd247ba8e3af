"""The marketplace as the backend's relay sees it: where refunds are executed, outside our database.

``protocol`` is the seam (``Upstream``) the SP-API connector (``backend.amazon``) implements;
``marketplace`` is the simulated marketplace of ``backend serve --simulate`` and of the tests, with
its own SQLite file.
"""

from seller_desk.backend.upstream.marketplace import FaultPlan, SimulatedMarketplace
from seller_desk.backend.upstream.protocol import (
    RefundSubmission,
    Upstream,
    UpstreamError,
    UpstreamRefund,
    UpstreamRefused,
    UpstreamTimeout,
)

__all__ = [
    "FaultPlan",
    "RefundSubmission",
    "SimulatedMarketplace",
    "Upstream",
    "UpstreamError",
    "UpstreamRefund",
    "UpstreamRefused",
    "UpstreamTimeout",
]
