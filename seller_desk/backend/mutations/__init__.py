"""Sellers' acts sent by desktops (``POST /v1/mutations``), applied exactly once.

``service.process_mutation`` runs the whole protocol of design/SYNC.md in one transaction; the
kind-specific rules live in ``refund_decision`` (money) and ``acts`` (receipts, inspections, notes),
and the money arithmetic in ``money``.
"""

from seller_desk.backend.mutations.idempotency import Answer, KeyGuard
from seller_desk.backend.mutations.service import lookup_answer, process_mutation

__all__ = ["Answer", "KeyGuard", "lookup_answer", "process_mutation"]
