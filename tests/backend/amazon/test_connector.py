"""Refunds through the fake SP-API with the real relay and backend: executed once, refused for good,
and — Amazon having no idempotency — a FATAL or timed-out feed whose refund landed is recognised from
the Finances events and never sent again."""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from seller_desk.backend.amazon.connector import SpApiUpstream
from seller_desk.backend.relay import Relay
from tests.backend.amazon.conftest import CREDENTIALS
from tests.backend.amazon.fake_spapi import TOKEN, FakeAmazon
from tests.backend.relay_support import FAST, approve, ledger, request_state
from tests.backend.shop import Shop


def relay(shop: Shop, upstream: SpApiUpstream) -> Relay:
    return Relay(shop.db, upstream, FAST, seller_id=shop.seller_id)


def test_an_approval_becomes_one_adjustment_feed_and_completes(
    shop: Shop, amazon: FakeAmazon, sp_upstream: SpApiUpstream
) -> None:
    request_id = approve(shop, 1234)
    assert relay(shop, sp_upstream).run_once() == 1
    (entry,) = ledger(shop.db, shop.seller_id)
    assert entry["state"] == "executed" and request_state(shop.db, request_id) == "completed"
    (applied,) = amazon.applied
    assert (applied["order_id"], applied["net"], applied["currency"]) == (
        entry["order_id"],
        Decimal("12.34"),
        "USD",
    )
    (upload,) = amazon.uploads.values()
    assert upload["type"] == "text/xml; charset=UTF-8"
    root = ET.fromstring(upload["body"])
    assert root.findtext("MessageType") == "OrderAdjustment"
    assert root.findtext("Header/MerchantIdentifier") == "A2MERCHANT"
    item = root.find("Message/OrderAdjustment/AdjustedItem")
    assert item is not None
    assert item.findtext("ItemPriceAdjustments/Component/Type") == "Principal"
    assert item.findtext("ItemPriceAdjustments/Component/Amount") == "12.34"
    assert item.findtext("MerchantAdjustmentItemID") == entry["upstream_ref"]
    assert relay(shop, sp_upstream).run_once() == 0  # nothing left to do


def test_a_message_in_error_fails_the_refund_for_good_without_resending(
    shop: Shop, amazon: FakeAmazon, sp_upstream: SpApiUpstream
) -> None:
    amazon.feed_outcomes = ["error"]
    request_id = approve(shop)
    relay(shop, sp_upstream).run_once()
    (entry,) = ledger(shop.db, shop.seller_id)
    assert entry["state"] == "failed" and "18028" in entry["last_error"]
    assert request_state(shop.db, request_id) == "failed"
    relay(shop, sp_upstream).run_once()
    assert ledger(shop.db, shop.seller_id)[0]["attempts"] == FAST.max_attempts  # closed: never again
    assert len(amazon.feeds) == 1 and amazon.applied == []


@pytest.mark.parametrize("outcome", ["fatal_applied", "stuck_applied"])
def test_a_feed_whose_fate_is_unknown_is_reconciled_not_resent(
    shop: Shop, amazon: FakeAmazon, sp_upstream: SpApiUpstream, outcome: str
) -> None:
    amazon.feed_outcomes = [outcome]
    if outcome == "stuck_applied":
        sp_upstream.patience_s = 0.0  # the feed never ends: the attempt times out at once
    request_id = approve(shop)
    first = relay(shop, sp_upstream)
    first.run_once()
    (entry,) = ledger(shop.db, shop.seller_id)
    assert entry["state"] == "failed"  # unknown: retried after reconciling
    relay(shop, sp_upstream).run_once()
    (entry,) = ledger(shop.db, shop.seller_id)
    assert entry["state"] == "executed" and request_state(shop.db, request_id) == "completed"
    assert len(amazon.feeds) == 1 and len(amazon.applied) == 1  # found in the Finances events


def test_a_fatal_feed_that_applied_nothing_is_sent_again_once(
    shop: Shop, amazon: FakeAmazon, sp_upstream: SpApiUpstream
) -> None:
    amazon.feed_outcomes = ["fatal_not_applied", "cancelled"]
    approve(shop)
    for _ in range(3):
        relay(shop, sp_upstream).run_once()
    assert len(amazon.feeds) == 3 and len(amazon.applied) == 1
    assert ledger(shop.db, shop.seller_id)[0]["state"] == "executed"


def test_a_feed_still_in_progress_is_waited_for_never_sent_twice(
    shop: Shop, amazon: FakeAmazon, sp_upstream: SpApiUpstream
) -> None:
    amazon.feed_outcomes = ["stuck"]
    sp_upstream.patience_s = 0.0
    approve(shop)
    for _ in range(3):
        relay(shop, sp_upstream).run_once()
    entry = ledger(shop.db, shop.seller_id)[0]
    assert entry["state"] == "failed" and "still IN_PROGRESS" in entry["last_error"]
    assert len(amazon.feeds) == 1 and amazon.applied == []
    (feed,) = amazon.feeds.values()
    feed["outcome"] = "ok"  # Amazon gets to it at last
    relay(shop, sp_upstream).run_once()
    assert ledger(shop.db, shop.seller_id)[0]["state"] == "executed"
    assert len(amazon.feeds) == 1 and len(amazon.applied) == 1


def test_refund_events_are_matched_to_the_entry_that_sent_them(
    shop: Shop, amazon: FakeAmazon, sp_upstream: SpApiUpstream
) -> None:
    approve(shop, 700)
    relay(shop, sp_upstream).run_once()
    (entry,) = ledger(shop.db, shop.seller_id)
    refunds = sp_upstream.refunds_for_order(shop.seller_name, entry["order_id"])
    assert [(r.upstream_ref, r.amount_minor, r.currency) for r in refunds] == [
        (entry["upstream_ref"], 700, "USD")
    ]
    assert sp_upstream.refunds_for_order(shop.seller_name, "999-0000000-0000000") == []
    assert sp_upstream.refunds_for_order("another-seller", entry["order_id"]) == []


def test_429s_are_waited_out_and_counted(shop: Shop, amazon: FakeAmazon, sp_upstream: SpApiUpstream) -> None:
    amazon.throttle["createFeed"] = 2
    amazon.throttle["listFinancialEventsByOrderId"] = 1
    approve(shop)
    relay(shop, sp_upstream).run_once()
    assert ledger(shop.db, shop.seller_id)[0]["state"] == "executed"
    assert sp_upstream.limits.throttled == 3
    assert amazon.calls.count("createFeed") == 3 and len(amazon.applied) == 1


def test_credentials_and_tokens_never_reach_a_log(
    shop: Shop, amazon: FakeAmazon, sp_upstream: SpApiUpstream, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    approve(shop)
    relay(shop, sp_upstream).run_once()
    assert ledger(shop.db, shop.seller_id)[0]["state"] == "executed"
    text = "\n".join(f"{r.getMessage()} {r.args}" for r in caplog.records)
    assert caplog.records  # the relay did log
    for secret in (CREDENTIALS.refresh_token, CREDENTIALS.lwa_client_secret, TOKEN):
        assert secret not in text
    assert "SECRET" not in repr(CREDENTIALS)
