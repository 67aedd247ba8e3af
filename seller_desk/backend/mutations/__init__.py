"""Sellers' acts sent by desktops (``POST /v1/mutations``), applied exactly once.

``service.process_mutations`` runs the whole protocol of design/SYNC.md for a batch (the single
endpoint's is a batch of one) in one transaction; the
kind-specific rules live in ``refund_decision`` (money) and ``acts`` (receipts, inspections, notes),
and the money arithmetic in ``money``.
"""

from seller_desk.backend.mutations.idempotency import Answer, KeyGuard
from seller_desk.backend.mutations.service import (
    KeyedMutation,
    lookup_answer,
    process_mutation,
    process_mutations,
)

__all__ = ["Answer", "KeyGuard", "KeyedMutation", "lookup_answer", "process_mutation", "process_mutations"]
