"""``backend serve --amazon SELLER``: the relay executes that seller's refunds on Amazon, and its returns
reports are pulled on a schedule, beside the HTTP server (as ``--simulate`` runs the simulator).

Orders (with their charges per line), then reports, are pulled for the last ``first_days`` (60) at
start, then for the last ``lookback_days`` (3: FBA reports are back-filled) every ``interval_s``;
importing is idempotent, so overlapping pulls only update what changed. A failed pull is logged and
tried again at the next turn. The endpoints can be pointed elsewhere (a sandbox, the tests' fake) with
``SELLER_DESK_SP_API_ENDPOINT`` and ``SELLER_DESK_LWA_URL``, and ``SELLER_DESK_SP_API_POLL_S`` sets the
seconds between polls (30).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from fastapi import FastAPI

from seller_desk.backend.amazon.clients import SpApi
from seller_desk.backend.amazon.connector import SpApiUpstream
from seller_desk.backend.amazon.credentials import SpApiCredentials
from seller_desk.backend.amazon.orders import ingest_orders, pull_orders
from seller_desk.backend.amazon.reports import RETURNS_REPORTS, ReportPuller, into_backend
from seller_desk.backend.background import run_beside
from seller_desk.backend.relay import Relay, RelaySettings
from seller_desk.backend.store import Database
from seller_desk.backend.tenancy import ensure_seller

log = logging.getLogger(__name__)
ENDPOINT_ENV, LWA_ENV = "SELLER_DESK_SP_API_ENDPOINT", "SELLER_DESK_LWA_URL"
POLL_ENV = "SELLER_DESK_SP_API_POLL_S"  # seconds between feed and report polls (default 30; tests: less)


@dataclass(frozen=True, slots=True)
class AmazonOptions:
    db_url: str
    seller: str
    merchant_id: str
    credentials: SpApiCredentials
    marketplace: str = "US"
    interval_s: float = 6 * 3600.0
    first_days: int = 60
    lookback_days: int = 3
    relay: RelaySettings = field(default_factory=RelaySettings)


class AmazonService:
    def __init__(
        self, options: AmazonOptions, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    ) -> None:
        self.options, self.clock = options, clock
        self.db = Database(options.db_url)
        with self.db.writing() as session:
            self.seller_id = ensure_seller(session, options.seller, clock())
        api = SpApi.connect(options.credentials, options.marketplace, endpoint=os.environ.get(ENDPOINT_ENV),
                            lwa_url=os.environ.get(LWA_ENV))  # fmt: skip
        poll = float(os.environ.get(POLL_ENV, "30"))
        self.upstream = SpApiUpstream(api, self.db, options.merchant_id, poll_interval_s=poll)
        self.relay = Relay(self.db, self.upstream, options.relay, seller_id=self.seller_id)
        self.puller = ReportPuller(api, limits=self.upstream.limits, poll_interval_s=poll)
        self.ingest = into_backend(self.db, self.seller_id, clock, options.marketplace)
        self.pulled_once = False
        self.orders_changed = 0
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def pull_reports(self) -> int:
        """One turn: the orders, then every returns report, over the look-back; how many report documents
        were imported."""
        now = self.clock()
        days = self.options.lookback_days if self.pulled_once else self.options.first_days
        imported = 0
        try:  # orders first: the reports' returns then find the real orders, charges per line and all
            orders = pull_orders(self.puller.api, self.upstream.limits, now - timedelta(days=days))
            self.orders_changed = ingest_orders(self.db, self.seller_id, self.clock, orders)
        except Exception:
            log.exception("pulling orders failed; trying again next turn")
        for report_type in RETURNS_REPORTS:
            try:
                imported += self.puller.pull(report_type, now - timedelta(days=days), now, self.ingest)
            except Exception:  # a report that failed must not stop the others, nor the loop
                log.exception("pulling %s failed; trying again next turn", report_type)
        self.pulled_once = True
        return imported

    def _report_loop(self, stop: threading.Event) -> None:
        while not stop.is_set():
            self.pull_reports()
            stop.wait(self.options.interval_s)

    def start(self) -> None:
        for name, target in (("amazon-relay", self.relay.run), ("amazon-reports", self._report_loop)):
            thread = threading.Thread(
                target=target, args=(self._stop,), name=f"seller-desk-{name}", daemon=True
            )
            thread.start()
            self._threads.append(thread)
        log.info(
            "Amazon connector running for seller %s (merchant %s)",
            self.options.seller,
            self.options.merchant_id,
        )

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(10.0)
        self.db.dispose()


def amazon_configurer(options: AmazonOptions) -> Callable[[FastAPI], None]:
    return lambda app: run_beside(app, lambda: AmazonService(options))
