"""``SpApiUpstream``: the relay's ``Upstream`` over SP-API — refunds as order adjustment feeds, and what
Amazon has refunded from the Finances API.

Submitting a refund: the feed document is created, uploaded with the same Content-Type, the feed
created and its id recorded (``upstream_submissions``) before anything waits on it, then polled
(``IN_QUEUE → IN_PROGRESS → DONE | CANCELLED | FATAL``) until it ends or the patience runs out. Then:

* DONE, and the processing report names no error for our message: executed.
* DONE with an error for our message: Amazon refused it for good (``UpstreamRefused``).
* FATAL, a report that cannot be read, no end in time, a lost answer: unknown (``UpstreamError``).
  FATAL means "some, none or all messages may have been applied", so this is never read as "not
  refunded": the relay asks ``refunds_for_order`` before any resend.
* CANCELLED: the feed was never processed; nothing was applied (``UpstreamError``, retried).

A retry first looks for the feed an earlier attempt sent: while it is queued or in progress, the retry
waits for that feed and sends nothing; only a feed that was cancelled or ended FATAL with nothing
found refunded is replaced. The one window left is a crash between Amazon accepting the feed and our
recording its id: the reconciliation then catches the refund only once Amazon has processed it.

Amazon keeps no reference of ours (``MerchantAdjustmentItemID`` is ignored), so ``refunds_for_order``
reads the order's refund events from the Finances API and attributes each to one of our ledger
entries for that order: the same net amount and order items, posted after the entry was written,
each event to one entry at most, oldest first. A refund that reached Amazon by a FATAL or timed-out
feed is so recognised, and never sent twice.
"""

from __future__ import annotations

import io
import logging
import time
import zlib
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, select

from seller_desk.backend.amazon.adjustment_feed import (
    CONTENT_TYPE,
    FEED_TYPE,
    AdjustmentMessage,
    adjustment_reason,
    build_feed,
)
from seller_desk.backend.amazon.clients import SpApi
from seller_desk.backend.amazon.processing_report import UnreadableReport, parse_processing_report
from seller_desk.backend.amazon.rate_limits import RateLimiter
from seller_desk.backend.store import Database
from seller_desk.backend.store.models import LedgerEntry, RefundRequest, Seller, UpstreamSubmission
from seller_desk.backend.upstream import (
    RefundSubmission,
    UpstreamError,
    UpstreamRefund,
    UpstreamRefused,
    UpstreamTimeout,
)
from seller_desk.domain.money import Money

log = logging.getLogger(__name__)
CLOCK_SKEW = timedelta(minutes=5)  # Amazon's PostedDate against our clock
ENDED = {"DONE", "CANCELLED", "FATAL"}


class SpApiUpstream:
    def __init__(
        self,
        api: SpApi,
        db: Database,
        merchant_id: str,
        *,
        limits: RateLimiter | None = None,
        poll_interval_s: float = 30.0,
        patience_s: float = 3600.0,
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.api, self.db, self.merchant_id = api, db, merchant_id
        self.limits = limits or RateLimiter(sleep=sleep)
        self.poll_interval_s, self.patience_s = poll_interval_s, patience_s
        self._sleep, self._monotonic = sleep, monotonic

    # -- refunds out -----------------------------------------------------------------------------------
    def submit_refund(self, submission: RefundSubmission) -> UpstreamRefund:
        feed_id = self._feed_under_way(submission.upstream_ref)
        if feed_id is None:
            feed_id = self._send(submission)
        else:
            log.info("refund %s: waiting for feed %s, sent earlier", submission.upstream_ref, feed_id)
        status, result_document = self._wait_for(feed_id)
        message_id = 1
        if status == "CANCELLED":
            raise UpstreamError(f"feed {feed_id} was cancelled before processing; nothing was applied")
        if status == "FATAL":
            raise UpstreamError(f"feed {feed_id} ended FATAL: some, none or all of it may have been applied")
        report = self._processing_report(feed_id, result_document)
        errors = report.errors_for(message_id)
        if errors:
            why = "; ".join(f"{e.message_code} {e.description}".strip() for e in errors)
            raise UpstreamRefused(f"Amazon refused the refund in feed {feed_id}: {why}")
        return UpstreamRefund(refund_id=zlib.crc32(feed_id.encode()), upstream_ref=submission.upstream_ref,
                              seller=submission.seller, order_id=submission.order_id,
                              request_external_id=submission.request_external_id,
                              amount_minor=submission.amount_minor, currency=submission.currency,
                              recorded_at=datetime.now(UTC))  # fmt: skip

    def _send(self, submission: RefundSubmission) -> str:
        """Create, upload and submit the feed; its id is recorded before anything waits on it."""
        reason = adjustment_reason(self._source(submission))
        sub = submission
        message = AdjustmentMessage(1, sub.order_id, reason, sub.currency, sub.components, sub.upstream_ref)
        feed = build_feed(self.merchant_id, [message])
        try:
            feeds = self.api.feeds
            document = self.limits.call(
                "createFeedDocument", lambda: feeds.create_feed_document(io.BytesIO(feed), CONTENT_TYPE)
            )
            document_id = document.payload["feedDocumentId"]
            created = self.limits.call("createFeed", lambda: feeds.create_feed(FEED_TYPE, document_id))
            feed_id = str(created.payload["feedId"])
        except (KeyError, TypeError) as exc:
            raise UpstreamError(f"an unexpected answer while sending the feed: {exc}") from None
        except Exception as exc:  # the library's errors, network errors: whether it was sent is unknown
            raise UpstreamError(f"sending the adjustment feed failed: {type(exc).__name__}: {exc}") from None
        with self.db.writing() as session:
            session.execute(insert(UpstreamSubmission).values(
                upstream_ref=sub.upstream_ref, feed_id=feed_id, sent_at=datetime.now(UTC)))  # fmt: skip
        log.info("refund %s sent to Amazon as feed %s", sub.upstream_ref, feed_id)
        return feed_id

    def _feed_under_way(self, upstream_ref: str) -> str | None:
        """The feed an earlier attempt sent, if it is still queued, in progress or done: wait for it,
        never send another. A feed that was cancelled or ended FATAL (and the relay's reconciliation
        found nothing refunded) is replaced by a new one."""
        with self.db.reading() as session:
            feed_id = session.execute(
                select(UpstreamSubmission.feed_id).where(UpstreamSubmission.upstream_ref == upstream_ref)
                .order_by(UpstreamSubmission.id.desc()).limit(1)
            ).scalar_one_or_none()  # fmt: skip
        if feed_id is None:
            return None
        try:
            answer = self.limits.call("getFeed", lambda: self.api.feeds.get_feed(feed_id)).payload
        except Exception as exc:
            raise UpstreamError(f"the state of feed {feed_id} could not be read: {exc}") from None
        return None if answer.get("processingStatus") in ("CANCELLED", "FATAL") else feed_id

    def _wait_for(self, feed_id: str) -> tuple[str, str | None]:
        deadline = self._monotonic() + self.patience_s
        while True:
            try:
                answer = self.limits.call("getFeed", lambda: self.api.feeds.get_feed(feed_id)).payload
            except Exception as exc:
                raise UpstreamError(f"polling feed {feed_id} failed: {type(exc).__name__}: {exc}") from None
            status = str(answer.get("processingStatus", ""))
            if status in ENDED:
                return status, answer.get("resultFeedDocumentId")
            if self._monotonic() >= deadline:
                raise UpstreamTimeout(
                    f"feed {feed_id} still {status or 'unknown'} after {self.patience_s:.0f} s"
                )
            self._sleep(self.poll_interval_s)

    def _processing_report(self, feed_id: str, document_id: str | None) -> Any:
        if not document_id:
            raise UpstreamError(f"feed {feed_id} is DONE but names no processing report")
        try:
            # The library fetches the document behind the URL, gunzipped and decoded.
            feeds = self.api.feeds
            text = self.limits.call("getFeedDocument", lambda: feeds.get_feed_result_document(document_id))
            return parse_processing_report(text)
        except UnreadableReport as exc:
            raise UpstreamError(f"feed {feed_id}: {exc}") from None
        except Exception as exc:
            raise UpstreamError(f"feed {feed_id}: its processing report could not be read: {exc}") from None

    def _source(self, submission: RefundSubmission) -> str | None:
        with self.db.reading() as session:
            return session.execute(
                select(RefundRequest.source).where(
                    RefundRequest.external_id == submission.request_external_id
                )
            ).scalar_one_or_none()

    # -- what Amazon refunded -------------------------------------------------------------------------
    def refunds_for_order(self, seller: str, order_id: str) -> list[UpstreamRefund]:
        try:
            finances = self.api.finances
            answer = self.limits.call(
                "listFinancialEventsByOrderId", lambda: finances.get_financial_events_for_order(order_id)
            )
        except Exception as exc:
            raise UpstreamError(f"the refunds of order {order_id} could not be read: {exc}") from None
        events = sorted(_refund_events(answer.payload), key=lambda e: e[0])
        with self.db.reading() as session:
            entries = session.execute(
                select(LedgerEntry.upstream_ref, LedgerEntry.amount_minor, LedgerEntry.currency,
                       LedgerEntry.components, LedgerEntry.created_at, RefundRequest.external_id)
                .join(Seller, Seller.id == LedgerEntry.seller_id)
                .join(RefundRequest, RefundRequest.id == LedgerEntry.refund_request_id)
                .where(Seller.name == seller, LedgerEntry.order_id == order_id)
                .order_by(LedgerEntry.id)
            ).all()  # fmt: skip
        found: list[UpstreamRefund] = []
        used: set[int] = set()
        for ref, amount, currency, components, created, external_id in entries:
            items = {str(c["order_item_code"]) for c in components or ()}
            created = created if created.tzinfo else created.replace(tzinfo=UTC)
            for index, (posted, net, event_items, event_currency) in enumerate(events):
                if index in used or event_currency != currency or net != amount:
                    continue
                if posted < created - CLOCK_SKEW or not event_items <= items:
                    continue
                used.add(index)
                found.append(UpstreamRefund(
                    refund_id=index, upstream_ref=ref, seller=seller, order_id=order_id,
                    request_external_id=external_id, amount_minor=net, currency=currency, recorded_at=posted,
                ))  # fmt: skip
                break
        return found


def _refund_events(payload: Any) -> Iterable[tuple[datetime, int, set[str], str]]:
    """(posted, net credit to the buyer in minor units, order item ids, currency) per refund event.
    Amounts there are the seller's: a refunded charge is negative, a fee kept or a promotion taken back
    positive, so the buyer's credit is minus their sum."""
    for event in (payload or {}).get("FinancialEvents", {}).get("RefundEventList", []) or []:
        posted = datetime.fromisoformat(str(event.get("PostedDate", "")).replace("Z", "+00:00"))
        total, currency, items = Decimal(0), "", set()
        for item in event.get("ShipmentItemAdjustmentList", []) or []:
            items.add(str(item.get("OrderItemId") or item.get("OrderAdjustmentItemId") or ""))
            charges = (item.get("ItemChargeAdjustmentList") or []) + [
                {"ChargeAmount": p.get("PromotionAmount", {})}
                for p in item.get("PromotionAdjustmentList") or []
            ]
            for charge in charges:
                amount = charge.get("ChargeAmount") or {}
                currency = str(amount.get("CurrencyCode") or currency)
                total += Decimal(str(amount.get("CurrencyAmount", 0)))
        if currency:
            yield posted, Money.parse(-total, currency).amount_minor, items, currency
