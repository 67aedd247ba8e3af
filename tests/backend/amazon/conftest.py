"""The fake SP-API on 127.0.0.1 and a connector pointed at it, for the connector's tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from seller_desk.backend.amazon.clients import SpApi
from seller_desk.backend.amazon.connector import SpApiUpstream
from seller_desk.backend.amazon.credentials import SpApiCredentials
from seller_desk.backend.amazon.rate_limits import RateLimiter
from tests.backend.amazon.fake_spapi import FakeAmazon
from tests.backend.shop import Shop

CREDENTIALS = SpApiCredentials(
    "Atzr|refresh-SECRET-1", "amzn1.application-oa2-client.test", "client-SECRET-2"
)


@pytest.fixture
def amazon() -> Iterator[FakeAmazon]:
    with FakeAmazon() as fake:
        yield fake


def api_for(amazon: FakeAmazon) -> SpApi:
    return SpApi.connect(CREDENTIALS, endpoint=amazon.base_url, lwa_url=f"{amazon.base_url}/auth/o2/token")


@pytest.fixture
def sp_upstream(amazon: FakeAmazon, shop: Shop) -> SpApiUpstream:
    waits: list[float] = []
    return SpApiUpstream(api_for(amazon), shop.db, "A2MERCHANT", limits=RateLimiter(sleep=waits.append),
                         poll_interval_s=0.0, patience_s=5.0, sleep=waits.append)  # fmt: skip
