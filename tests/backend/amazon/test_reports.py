"""Returns reports pulled from the fake Reports API: 60-day windows, CANCELLED as no data, gzip, an
expired document URL fetched again, FATAL as an error, and the documents imported into the backend."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest
from sqlalchemy import func, select

from seller_desk.backend.amazon.rate_limits import RateLimiter
from seller_desk.backend.amazon.reports import (
    RETURNS_REPORTS,
    ReportFailed,
    ReportPuller,
    into_backend,
    windows,
)
from seller_desk.backend.store.models import Return
from seller_desk.bench.report_files import write_mfn_flat
from tests.backend.amazon.conftest import api_for
from tests.backend.amazon.fake_spapi import FakeAmazon
from tests.backend.shop import Shop

T0 = datetime(2025, 1, 1, tzinfo=UTC)
FLAT = RETURNS_REPORTS[0]


def puller(amazon: FakeAmazon) -> ReportPuller:
    waits: list[float] = []
    return ReportPuller(api_for(amazon), limits=RateLimiter(sleep=waits.append), poll_interval_s=0.0,
                        sleep=waits.append)  # fmt: skip


def test_windows_cover_the_period_in_spans_of_at_most_60_days() -> None:
    spans = list(windows(T0, T0 + timedelta(days=150)))
    assert [(end - start).days for start, end in spans] == [60, 60, 30]
    assert spans[0][0] == T0 and spans[-1][1] == T0 + timedelta(days=150)
    assert all(a[1] == b[0] for a, b in pairwise(spans))
    assert list(windows(T0, T0)) == []


def test_a_pull_asks_per_window_and_skips_cancelled_ones(amazon: FakeAmazon, tmp_path: object) -> None:
    amazon.report_data[FLAT] = b"report bytes"
    amazon.report_outcomes = ["cancelled", "done"]
    got: list[tuple[str, bytes]] = []
    handed = puller(amazon).pull(
        FLAT, T0, T0 + timedelta(days=100), lambda kind, data: got.append((kind, data))
    )
    assert handed == 1 and got == [(FLAT, b"report bytes")]
    asked = sorted(amazon.reports.values(), key=lambda r: r["dataStartTime"])
    assert [r["reportType"] for r in asked] == [FLAT, FLAT]
    assert [r["dataStartTime"] for r in asked] == [T0.isoformat(), (T0 + timedelta(days=60)).isoformat()]


def test_gzip_and_an_expired_url_are_handled(amazon: FakeAmazon) -> None:
    amazon.report_data[FLAT] = "Order ID\tcafé\n".encode() * 100
    amazon.gzip_reports = True
    amazon.expire_first_url = True
    got: list[bytes] = []
    puller(amazon).pull(FLAT, T0, T0 + timedelta(days=10), lambda _kind, data: got.append(data))
    assert got == [amazon.report_data[FLAT]]
    assert list(amazon.url_versions.values()) == [2]  # the first URL had expired: a fresh one was asked


def test_a_fatal_report_is_an_error_naming_it(amazon: FakeAmazon) -> None:
    amazon.report_outcomes = ["fatal"]
    with pytest.raises(ReportFailed, match=f"{FLAT} for 2025-01-01..2025-01-11 failed"):
        puller(amazon).pull(FLAT, T0, T0 + timedelta(days=10), lambda *_: None)


def test_pulled_reports_are_imported_for_the_seller(shop: Shop, amazon: FakeAmazon, tmp_path: object) -> None:
    from pathlib import Path

    path = write_mfn_flat(Path(str(tmp_path)) / "r.txt", 40)
    amazon.report_data[FLAT] = path.read_bytes()
    ingest = into_backend(shop.db, shop.seller_id, lambda: datetime.now(UTC))
    summaries: list[dict[str, object]] = []
    puller(amazon).pull(
        FLAT, T0, T0 + timedelta(days=30), lambda kind, data: summaries.append(ingest(kind, data))
    )
    assert summaries[0]["imported"] == 40 and summaries[0]["format"] == "mfn_flat"
    with shop.db.reading() as session:
        count = session.execute(
            select(func.count()).select_from(Return).where(Return.seller_id == shop.seller_id)
        )
        assert count.scalar_one() == 40
