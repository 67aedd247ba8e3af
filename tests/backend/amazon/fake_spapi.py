"""A fake of the SP-API endpoints the connector uses, served by uvicorn on 127.0.0.1, written from the
documented request and response shapes (AMAZON.md §3-4) — never Amazon's own data.

It keeps what a real account would: uploaded feed documents, feeds walking ``IN_QUEUE → IN_PROGRESS
→`` an end, the refunds it applied (so a test can count them: the promise is "exactly once"), the
Finances refund events those refunds produce, and reports with documents behind expiring URLs.
Faults are scripted per test: ``feed_outcomes`` (ok, error, fatal_applied, fatal_not_applied,
stuck, stuck_applied, cancelled), ``throttle[operation] = n`` (n answers of 429 with ``Retry-After: 0``),
``report_outcomes`` (done, cancelled, fatal), ``gzip_reports`` and ``expire_first_url``.
"""

from __future__ import annotations

import gzip
import itertools
import threading
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs

import uvicorn
from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse

from seller_desk.bench.sync_feed import free_port

TOKEN = "Atza|fake-access-token"


class FakeAmazon:
    def __init__(self) -> None:
        self.base_url = ""
        self.ids = itertools.count(1)
        self.uploads: dict[str, dict[str, Any]] = {}  # feed document id -> declared type, body
        self.feeds: dict[str, dict[str, Any]] = {}
        self.results: dict[str, bytes] = {}  # processing reports by document id
        self.applied: list[dict[str, Any]] = []  # every refund applied, in order
        self.events: dict[str, list[dict[str, Any]]] = defaultdict(list)  # order id -> refund events
        self.feed_outcomes: list[str] = []
        self.throttle: dict[str, int] = defaultdict(int)
        self.calls: list[str] = []
        self.reports: dict[str, dict[str, Any]] = {}
        self.report_outcomes: list[str] = []
        self.report_data: dict[str, bytes] = {}  # report type -> document bytes
        self.gzip_reports = False
        self.expire_first_url = False
        self.url_versions: dict[str, int] = defaultdict(int)
        self.orders: list[dict[str, Any]] = []  # getOrders answers, two a page
        self.order_items: dict[str, list[dict[str, Any]]] = {}
        self.app = self._build()

    # -- helpers -------------------------------------------------------------------------------------
    def _throttled(self, operation: str) -> Response | None:
        self.calls.append(operation)
        if self.throttle[operation] > 0:
            self.throttle[operation] -= 1
            body = {
                "errors": [
                    {
                        "code": "QuotaExceeded",
                        "message": "You exceeded your quota for the requested resource.",
                    }
                ]
            }
            return JSONResponse(body, status_code=429, headers={"Retry-After": "0"})
        return None

    def _apply(self, feed: dict[str, Any]) -> None:
        root = ET.fromstring(self.uploads[feed["document"]]["body"])
        for message in root.iter("Message"):
            order_id = message.findtext("OrderAdjustment/AmazonOrderID") or ""
            items, net = [], Decimal(0)
            currency = ""
            for item in message.iter("AdjustedItem"):
                charges, promotions = [], []
                for parent, target in (
                    ("ItemPriceAdjustments", charges),
                    ("PromotionAdjustments", promotions),
                ):
                    for component in item.findall(f"{parent}/Component"):
                        amount = component.find("Amount")
                        assert amount is not None
                        currency = amount.get("currency", "")
                        value = Decimal(amount.text or "0")
                        net += value
                        money = {"CurrencyCode": currency, "CurrencyAmount": float(-value)}
                        if target is charges:
                            target.append({"ChargeType": component.findtext("Type"), "ChargeAmount": money})
                        else:
                            target.append({"PromotionType": "refund", "PromotionAmount": money})
                code = item.findtext("AmazonOrderItemCode")
                items.append({"OrderItemId": code, "ItemChargeAdjustmentList": charges,
                              "PromotionAdjustmentList": promotions})  # fmt: skip
            posted = datetime.now(UTC).isoformat().replace("+00:00", "Z")
            self.applied.append({"order_id": order_id, "net": net, "currency": currency, "feed": feed["id"]})
            self.events[order_id].append({"AmazonOrderId": order_id, "PostedDate": posted,
                                          "ShipmentItemAdjustmentList": items})  # fmt: skip

    def _report_xml(self, errors: int) -> bytes:
        results = "".join(
            "<Result><MessageID>1</MessageID><ResultCode>Error</ResultCode>"
            "<ResultMessageCode>18028</ResultMessageCode>"
            "<ResultDescription>The refund amount exceeds the amount charged.</ResultDescription></Result>"
            for _ in range(errors)
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?><AmazonEnvelope><Header>'
            "<DocumentVersion>1.02</DocumentVersion></Header><MessageType>ProcessingReport</MessageType>"
            "<Message><MessageID>1</MessageID><ProcessingReport>"
            "<DocumentTransactionID>1</DocumentTransactionID>"
            "<StatusCode>Complete</StatusCode><ProcessingSummary>"
            f"<MessagesProcessed>1</MessagesProcessed><MessagesSuccessful>{1 - errors}</MessagesSuccessful>"
            f"<MessagesWithError>{errors}</MessagesWithError><MessagesWithWarning>0</MessagesWithWarning>"
            f"</ProcessingSummary>{results}</ProcessingReport></Message></AmazonEnvelope>"
        ).encode()

    # -- the HTTP surface ------------------------------------------------------------------------------
    def _build(self) -> FastAPI:
        app = FastAPI()

        @app.middleware("http")
        async def authorized(request: Request, call_next: Any) -> Response:
            public = request.url.path.startswith(("/auth/", "/upload/", "/download/", "/report-download/"))
            if not public and request.headers.get("x-amz-access-token") != TOKEN:
                return JSONResponse({"errors": [{"code": "Unauthorized", "message": "Access denied"}]}, 403)
            return await call_next(request)

        @app.post("/auth/o2/token")
        async def token(request: Request) -> dict[str, Any]:
            form = parse_qs((await request.body()).decode())
            if form.get("grant_type") != ["refresh_token"] or not form.get("refresh_token"):
                return JSONResponse({"error": "invalid_grant", "error_description": "no refresh token"}, 400)
            return {"access_token": TOKEN, "token_type": "bearer", "expires_in": 3600}

        @app.post("/feeds/2021-06-30/documents")
        async def create_feed_document(request: Request) -> Any:
            if (refused := self._throttled("createFeedDocument")) is not None:
                return refused
            body = await request.json()
            doc = f"amzn1.tortuga.doc.{next(self.ids)}"
            self.uploads[doc] = {"type": body["contentType"], "body": None}
            return {"feedDocumentId": doc, "url": f"{self.base_url}/upload/{doc}"}

        @app.put("/upload/{doc}")
        async def upload(doc: str, request: Request) -> Response:
            if request.headers.get("content-type") != self.uploads[doc]["type"]:
                return Response("<Error><Code>SignatureDoesNotMatch</Code></Error>", 403)
            self.uploads[doc]["body"] = await request.body()
            return Response(status_code=200)

        @app.post("/feeds/2021-06-30/feeds", status_code=202)
        async def create_feed(request: Request) -> Any:
            if (refused := self._throttled("createFeed")) is not None:
                return refused
            body = await request.json()
            feed_id = str(50000 + next(self.ids))
            outcome = self.feed_outcomes.pop(0) if self.feed_outcomes else "ok"
            feed = {"id": feed_id, "type": body["feedType"], "document": body["inputFeedDocumentId"],
                    "outcome": outcome, "polls": 0, "status": "IN_QUEUE", "result": None}  # fmt: skip
            self.feeds[feed_id] = feed
            if outcome == "stuck_applied":
                self._apply(feed)
            return {"feedId": feed_id}

        @app.get("/feeds/2021-06-30/feeds/{feed_id}")
        async def get_feed(feed_id: str) -> Any:
            if (refused := self._throttled("getFeed")) is not None:
                return refused
            feed = self.feeds[feed_id]
            feed["polls"] += 1
            if feed["status"] == "IN_QUEUE":
                feed["status"] = "IN_PROGRESS"
            elif feed["status"] == "IN_PROGRESS" and not feed["outcome"].startswith("stuck"):
                self._finish(feed)
            answer = {"feedId": feed_id, "feedType": feed["type"], "processingStatus": feed["status"]}
            if feed["result"]:
                answer["resultFeedDocumentId"] = feed["result"]
            return answer

        @app.get("/feeds/2021-06-30/documents/{doc}")
        async def get_feed_document(doc: str) -> Any:
            return {"feedDocumentId": doc, "url": f"{self.base_url}/download/{doc}"}

        @app.get("/download/{doc}")
        async def download(doc: str) -> Response:
            return Response(self.results[doc], media_type="text/xml")

        @app.get("/finances/v0/orders/{order_id}/financialEvents")
        async def financial_events(order_id: str) -> Any:
            if (refused := self._throttled("listFinancialEventsByOrderId")) is not None:
                return refused
            return {"payload": {"FinancialEvents": {"RefundEventList": self.events.get(order_id, [])}}}

        @app.get("/orders/v0/orders")
        async def get_orders(NextToken: str | None = None, LastUpdatedAfter: str | None = None) -> Any:
            if (refused := self._throttled("getOrders")) is not None:
                return refused
            start = int(NextToken or 0)
            page: dict[str, Any] = {"Orders": self.orders[start : start + 2]}
            if start + 2 < len(self.orders):
                page["NextToken"] = str(start + 2)
            return {"payload": page}

        @app.get("/orders/v0/orders/{order_id}/orderItems")
        async def get_order_items(order_id: str) -> Any:
            return {"payload": {"AmazonOrderId": order_id, "OrderItems": self.order_items[order_id]}}

        @app.post("/reports/2021-06-30/reports", status_code=202)
        async def create_report(request: Request) -> Any:
            if (refused := self._throttled("createReport")) is not None:
                return refused
            body = await request.json()
            report_id = str(next(self.ids))
            outcome = self.report_outcomes.pop(0) if self.report_outcomes else "done"
            self.reports[report_id] = {**body, "outcome": outcome, "polls": 0}
            return {"reportId": report_id}

        @app.get("/reports/2021-06-30/reports/{report_id}")
        async def get_report(report_id: str) -> Any:
            report = self.reports[report_id]
            report["polls"] += 1
            if report["polls"] < 2:
                return {"reportId": report_id, "processingStatus": "IN_PROGRESS"}
            status = {"done": "DONE", "cancelled": "CANCELLED", "fatal": "FATAL"}[report["outcome"]]
            answer = {"reportId": report_id, "processingStatus": status}
            if status == "DONE":
                answer["reportDocumentId"] = f"doc-{report_id}"
            return answer

        @app.get("/reports/2021-06-30/documents/{doc}")
        async def get_report_document(doc: str) -> Any:
            self.url_versions[doc] += 1
            answer = {
                "reportDocumentId": doc,
                "url": f"{self.base_url}/report-download/{doc}?v={self.url_versions[doc]}",
            }
            if self.gzip_reports:
                answer["compressionAlgorithm"] = "GZIP"
            return answer

        @app.get("/report-download/{doc}")
        async def report_download(doc: str, v: int) -> Response:
            if self.expire_first_url and v == 1:
                return Response(
                    "<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>", 403
                )
            report = self.reports[doc.removeprefix("doc-")]
            data = self.report_data[report["reportType"]]
            return Response(gzip.compress(data) if self.gzip_reports else data)

        return app

    def _finish(self, feed: dict[str, Any]) -> None:
        outcome = feed["outcome"]
        if outcome in ("ok", "fatal_applied"):
            self._apply(feed)
        if outcome in ("fatal_applied", "fatal_not_applied"):
            feed["status"] = "FATAL"
            return
        if outcome == "cancelled":
            feed["status"] = "CANCELLED"
            return
        doc = f"amzn1.tortuga.result.{next(self.ids)}"
        self.results[doc] = self._report_xml(1 if outcome == "error" else 0)
        feed["status"], feed["result"] = "DONE", doc

    # -- serving ---------------------------------------------------------------------------------------
    def __enter__(self) -> FakeAmazon:
        port = free_port()
        self.base_url = f"http://127.0.0.1:{port}"
        config = uvicorn.Config(self.app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="fake-sp-api", daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the fake SP-API did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *_exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
