"""The feed's XML, the processing report and the rate limiter, on their own."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from types import SimpleNamespace

import pytest
from sp_api.base.exceptions import SellingApiRequestThrottledException

from seller_desk.backend.amazon.adjustment_feed import AdjustmentMessage, adjustment_reason, build_feed
from seller_desk.backend.amazon.processing_report import UnreadableReport, parse_processing_report
from seller_desk.backend.amazon.rate_limits import RateLimiter, TokenBucket


def test_feed_signs_amounts_and_places_promotions() -> None:
    components = [
        {"order_item_code": "11111", "type": "Principal", "amount_minor": 2599},
        {"order_item_code": "11111", "type": "Tax", "amount_minor": 390},
        {"order_item_code": "11111", "type": "Promotion", "amount_minor": -260},
        {"order_item_code": "11111", "type": "RestockingFee", "amount_minor": -260},
        {"order_item_code": "22222", "type": "Shipping", "amount_minor": 499},
    ]
    feed = build_feed(
        "A2M", [AdjustmentMessage(1, "202-1", adjustment_reason("return"), "GBP", components, "sd-x")]
    )
    root = ET.fromstring(feed)
    assert feed.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    first, second = root.findall("Message/OrderAdjustment/AdjustedItem")
    prices = [(c.findtext("Type"), c.findtext("Amount"), c.find("Amount").get("currency"))  # type: ignore[union-attr]
              for c in first.findall("ItemPriceAdjustments/Component")]  # fmt: skip
    assert prices == [
        ("Principal", "25.99", "GBP"),
        ("Tax", "3.90", "GBP"),
        ("RestockingFee", "-2.60", "GBP"),
    ]
    assert first.findtext("PromotionAdjustments/Component/Amount") == "-2.60"
    assert first.findtext("AdjustmentReason") == "CustomerReturn"
    assert second.findtext("AmazonOrderItemCode") == "22222"
    assert adjustment_reason("customer") == "GeneralAdjustment"
    yen = [{"order_item_code": "9", "type": "Principal", "amount_minor": 1500}]
    jpy = build_feed("A", [AdjustmentMessage(1, "1", "Other", "JPY", yen)])
    assert b'<Amount currency="JPY">1500</Amount>' in jpy


def test_processing_reports_read_and_refuse_what_they_cannot_trust() -> None:
    text = ('<?xml version="1.0" encoding="UTF-8"?><AmazonEnvelope><Message><ProcessingReport>'
            "<ProcessingSummary><MessagesProcessed>2</MessagesProcessed><MessagesSuccessful>1</MessagesSuccessful>"
            "<MessagesWithError>1</MessagesWithError><MessagesWithWarning>0</MessagesWithWarning>"
            "</ProcessingSummary><Result><MessageID>2</MessageID><ResultCode>Error</ResultCode>"
            "<ResultMessageCode>18028</ResultMessageCode>"
            "<ResultDescription>Too much</ResultDescription></Result>"
            "</ProcessingReport></Message></AmazonEnvelope>")  # fmt: skip
    report = parse_processing_report(text)
    assert (report.processed, report.successful, report.with_error) == (2, 1, 1)
    assert report.errors_for(1) == [] and report.errors_for(2)[0].message_code == "18028"
    assert parse_processing_report(text.encode()).results == report.results
    for bad in (
        "<AmazonEnvelope>",
        "<AmazonEnvelope/>",
        text.replace(">2</MessagesProcessed", ">two</MessagesProcessed"),
    ):
        with pytest.raises(UnreadableReport):
            parse_processing_report(bad)


class Clock:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_buckets_allow_the_burst_then_pace_at_the_rate() -> None:
    clock = Clock()
    limiter = RateLimiter({"getFeed": (0.5, 2)}, clock=lambda: clock.now, sleep=clock.sleep)
    for _ in range(3):
        limiter.call("getFeed", lambda: SimpleNamespace(headers={}))
    assert clock.slept == [2.0]  # two from the burst, the third after one token's refill at 0.5/s
    limiter.call("getFeed", lambda: SimpleNamespace(headers={"x-amzn-RateLimit-Limit": "4.0"}))
    assert limiter.bucket("getFeed").rate == 4.0  # Amazon said the limit changed
    bucket = TokenBucket(1.0, 1, lambda: 0.0)
    bucket.take()
    assert bucket.wait_time() == 1.0


def test_429s_back_off_and_give_up_after_the_retries() -> None:
    clock = Clock()
    limiter = RateLimiter({"createFeed": (100.0, 10)}, clock=lambda: clock.now, sleep=clock.sleep,
                          jitter=lambda high: high, max_retries=2)  # fmt: skip
    quota = [{"code": "QuotaExceeded"}]
    answers = iter([SellingApiRequestThrottledException(quota, headers={"Retry-After": "7"}),
                    SellingApiRequestThrottledException(quota, headers={}),
                    SimpleNamespace(headers={})])  # fmt: skip

    def call() -> object:
        answer = next(answers)
        if isinstance(answer, Exception):
            raise answer
        return answer

    limiter.call("createFeed", call)
    assert (
        clock.slept == [7.0, 2.0] and limiter.throttled == 2
    )  # Retry-After, then 1 s × 2¹ (full jitter max)
    always = SellingApiRequestThrottledException([{"code": "QuotaExceeded"}], headers={})
    with pytest.raises(SellingApiRequestThrottledException):
        limiter.call("createFeed", lambda: (_ for _ in ()).throw(always))
