"""An in-process backend that keeps the protocol's promises, and a network that breaks them on demand.

``FakeBackend`` implements SYNC.md's server semantics in memory: idempotency keys claimed and answered
inside one "transaction" (a method call), stored responses replayed with 200, ``409 in_progress`` while
a slow request still runs, ``422 key_reused``, permanent uniqueness of mutation ids (so pruning keys
lets no duplicate through), at most one approval per refund request, the conflict reasons, a change
feed with compaction and ``410 must_refetch``, token rotation, and marketplace events (customer cancel,
auto-refund, A-to-z claim) plus a relay that executes approved refunds upstream exactly once.
``FakeNetwork`` sits between it and the desktop's ``httpx.MockTransport`` and injects faults.
Rows use the desktop mirror's columns, as the real backend's ``Change.data`` does.
"""

from __future__ import annotations

import json
from collections import Counter, deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import httpx
from pydantic import ValidationError

from seller_desk.store.mirror import SPECS
from seller_desk.store.types import to_epoch
from seller_desk.sync.clock import FakeClock
from seller_desk.wire import ENTITIES, ErrorBody, ErrorCode, MutationBatchIn, MutationIn, MutationOutcome

TABLE_ENTITY = {table: entity for entity, table in ENTITIES.items()}
COMPONENTS = ("principal", "shipping", "tax")


def make_row(table: str, **values: Any) -> dict[str, Any]:
    """A full mirror row: every column of ``table``, unknown names refused."""
    spec = SPECS[table]
    known = set(spec.columns) | ({"server_version"} if spec.has_version else set())
    unknown = set(values) - known
    assert not unknown, f"{table} has no columns {unknown}"
    row = dict.fromkeys(spec.columns)
    if spec.has_version:
        row["server_version"] = 0
    row.update(values)
    return row


def error(status: int, code: ErrorCode, message: str, **extra: Any) -> httpx.Response:
    body = ErrorBody(error=code, message=message, **extra).model_dump(mode="json", exclude_none=True)
    headers = {"Retry-After": "1"} if code == ErrorCode.IN_PROGRESS else {}
    return httpx.Response(status, json=body, headers=headers)


@dataclass
class KeyRecord:
    body_hash: str
    response: tuple[int, dict[str, Any]] | None = None  # None while in progress


@dataclass
class FakeBackend:
    clock: FakeClock
    token: str = "token-1"
    rows: dict[str, dict[int, dict[str, Any]]] = field(default_factory=dict)
    log: list[dict[str, Any]] = field(default_factory=list)
    versions: dict[tuple[str, int], int] = field(default_factory=dict)
    seq: int = 0
    floor: int = 0  # cursors of an older epoch below this answer 410
    epoch: int = 0
    keys: dict[str, KeyRecord] = field(default_factory=dict)
    applied: dict[str, dict[str, Any]] = field(default_factory=dict)  # permanent: mutation id -> outcome
    applications: Counter[str] = field(default_factory=Counter)
    approvals: Counter[int] = field(default_factory=Counter)
    upstream: list[tuple[int, str, int]] = field(default_factory=list)  # (request, mutation, amount) executed
    slow: deque[tuple[str, MutationIn]] = field(default_factory=deque)
    requests: list[tuple[str, str]] = field(default_factory=list)
    next_id: int = 1000
    tokens_issued: int = 1
    batch_endpoint: bool = True  # False: a backend from before POST /v1/mutations/batch (404)
    batches: int = 0  # batch requests received

    # -- world -----------------------------------------------------------------------------------------
    def put(self, table: str, row_id: int, **changes: Any) -> dict[str, Any]:
        """Insert or update a row and append its change to the feed."""
        table_rows = self.rows.setdefault(table, {})
        row = table_rows.get(row_id) or make_row(table, id=row_id)
        row.update(changes)
        version = self.versions[(table, row_id)] = self.versions.get((table, row_id), 0) + 1
        if SPECS[table].has_version:
            row["server_version"] = version
        table_rows[row_id] = row
        self._append(table, row_id, version, "upsert", dict(row))
        return row

    def remove(self, table: str, row_id: int) -> None:
        self.rows.get(table, {}).pop(row_id, None)
        self._append(table, row_id, 1, "delete", None)

    def _append(self, table: str, row_id: int, version: int, op: str, data: dict[str, Any] | None) -> None:
        self.seq += 1
        change: dict[str, Any] = {"seq": self.seq, "entity": TABLE_ENTITY[table], "id": row_id}
        change.update({"version": max(version, 1), "op": op, "data": data})
        self.log.append(change)

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id

    def seed(self, orders: int = 4) -> None:
        """Orders with two lines each, one pending refund request per order (two on order 1, to make an
        over-refund reachable), and a delivered return per order."""
        now = to_epoch(self.clock.now())
        for n in range(1, orders + 1):
            self.put(
                "orders",
                n,
                order_id=f"111-{n:07d}-0000000",
                marketplace="US",
                channel="MFN",
                purchased_at=now - 86400 * 20,
                currency="USD",
                buyer_name=f"Buyer {n}",
            )
            for k in (1, 2):
                line_id = n * 10 + k
                self.put(
                    "order_lines",
                    line_id,
                    order_pk=n,
                    order_item_code=f"OI{line_id}",
                    sku=f"SKU-{k}",
                    asin=None,
                    title=f"Item {k}",
                    quantity=1,
                    principal_minor=1000 * k,
                    shipping_minor=300,
                    tax_minor=100 * k,
                    shipping_tax_minor=0,
                    gift_wrap_minor=0,
                    promotion_minor=0,
                )
            self.put(
                "returns",
                n,
                rma=f"RMA{n:09d}",
                order_pk=n,
                order_id=f"111-{n:07d}-0000000",
                marketplace="US",
                channel="MFN",
                currency="USD",
                status="delivered",
                sku="SKU-1",
                quantity=1,
                reason="defective",
                reason_raw="DEFECTIVE",
                in_policy=True,
                requested_at=now - 86400 * 10,
                week=20000,
                delivered_at=now - 86400,
                label_cost_minor=0,
                a_to_z_claim=False,
                safet_claim=False,
                value_minor=1000,
            )
            self._request(n * 100, n, return_id=n)
        self._request(101 + 0, 1, return_id=None)  # a second request on order 1

    def _request(self, request_id: int, order: int, return_id: int | None) -> None:
        now = to_epoch(self.clock.now())
        self.put(
            "refund_requests",
            request_id,
            order_pk=order,
            order_id=f"111-{order:07d}-0000000",
            return_id=return_id,
            state="pending",
            source="return",
            reason="defective",
            currency="USD",
            requested_minor=1400,
            refunded_minor=0,
            needs_authorization=False,
            a_to_z_claim=False,
            created_at=now,
            due_at=now + 2 * 86400,
            updated_at=now,
        )
        self.put(
            "refund_request_lines",
            request_id * 10 + 1,
            refund_request_id=request_id,
            order_line_id=order * 10 + 1,
            quantity=1,
            component="principal",
            amount_minor=1000,
        )

    def charged(self, line_id: int, component: str) -> int:
        return int(self.rows["order_lines"][line_id][f"{component}_minor"])

    def paid(self, line_id: int, component: str) -> int:
        return sum(
            p["amount_minor"]
            for p in self.rows.get("refund_payments", {}).values()
            if p["order_line_id"] == line_id and p["component"] == component
        )

    # -- HTTP ------------------------------------------------------------------------------------------
    def handle(self, request: httpx.Request, *, slow: bool = False) -> httpx.Response:
        self.requests.append((request.method, request.url.path))
        if request.headers.get("Authorization") != f"Bearer {self.token}":
            return error(401, ErrorCode.UNAUTHORIZED, "unknown or expired token")
        path = request.url.path
        if request.method == "GET" and path == "/v1/changes":
            return self._changes(request)
        if request.method == "POST" and path == "/v1/mutations":
            return self._post(request, slow=slow)
        if request.method == "POST" and path == "/v1/mutations/batch" and self.batch_endpoint:
            return self._post_batch(request, slow=slow)
        if request.method == "GET" and path.startswith("/v1/mutations/"):
            record = self.keys.get(path.rsplit("/", 1)[1])
            if record is None or record.response is None:
                return error(404, ErrorCode.NOT_FOUND, "no outcome under this key")
            return httpx.Response(200, json=record.response[1])
        return error(404, ErrorCode.NOT_FOUND, f"no route {request.method} {path}")

    def _changes(self, request: httpx.Request) -> httpx.Response:
        """Cursors are "epoch:seq"; compaction starts a new epoch, and a cursor of an older epoch that
        points before the compacted range is too old (410)."""
        raw = request.url.params.get("cursor")
        limit = int(request.url.params.get("limit", "100"))
        epoch, cursor = (int(part) for part in raw.split(":")) if raw else (self.epoch, 0)
        if epoch != self.epoch and cursor < self.floor:
            return error(410, ErrorCode.MUST_REFETCH, f"cursor {raw} is older than the change log")
        after = [c for c in self.log if c["seq"] > cursor]
        page = after[:limit]
        next_cursor = f"{self.epoch}:{page[-1]['seq'] if page else cursor}"
        body = {"changes": page, "next_cursor": next_cursor, "has_more": len(after) > limit}
        return httpx.Response(
            200, content=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
        )

    def _post(self, request: httpx.Request, *, slow: bool) -> httpx.Response:
        key = request.headers.get("Idempotency-Key")
        if not key:
            return error(400, ErrorCode.BAD_REQUEST, "Idempotency-Key header is required")
        try:
            body = MutationIn.model_validate_json(request.content)
        except ValidationError as exc:
            return error(400, ErrorCode.BAD_REQUEST, str(exc.errors()[0]["msg"]))
        return self._post_one(key, body, json.dumps(json.loads(request.content), sort_keys=True), slow=slow)

    def _post_batch(self, request: httpx.Request, *, slow: bool) -> httpx.Response:
        """The batch endpoint: each item answered exactly as ``_post`` answers it alone, in order."""
        self.batches += 1
        try:
            batch = MutationBatchIn.model_validate_json(request.content)
        except ValidationError as exc:
            return error(400, ErrorCode.BAD_REQUEST, str(exc.errors()[0]["msg"]))
        raw_items = json.loads(request.content)["items"]
        results = []
        for item, raw in zip(batch.items, raw_items, strict=True):
            body_hash = json.dumps(raw["mutation"], sort_keys=True)
            answer = self._post_one(item.idempotency_key, item.mutation, body_hash, slow=slow)
            results.append({"idempotency_key": item.idempotency_key, "status": answer.status_code,
                            "body": json.loads(answer.content)})  # fmt: skip
        return httpx.Response(200, json={"results": results})

    def _post_one(self, key: str, body: MutationIn, body_hash: str, *, slow: bool) -> httpx.Response:
        record = self.keys.get(key)
        if record is not None:
            if record.body_hash != body_hash:
                return error(422, ErrorCode.KEY_REUSED, "this key was used with another body")
            if record.response is None:
                return error(409, ErrorCode.IN_PROGRESS, "a request with this key is still running")
            status, payload = record.response
            return httpx.Response(200 if status == 201 else status, json=payload)
        record = self.keys[key] = KeyRecord(body_hash)
        if slow:
            self.slow.append((key, body))
            return error(409, ErrorCode.IN_PROGRESS, "still running")  # the client never sees this one
        return self._finish(key, body)

    def finish_slow(self) -> None:
        while self.slow:
            self._finish(*self.slow.popleft())

    def _finish(self, key: str, body: MutationIn) -> httpx.Response:
        mutation_id = str(body.mutation_id)
        if mutation_id in self.applied:  # permanent uniqueness: the key may have been pruned
            response: tuple[int, dict[str, Any]] = (200, self.applied[mutation_id])
        else:
            response = self._apply(body)
        self.keys[key].response = response
        return httpx.Response(response[0], json=response[1])

    def _apply(self, body: MutationIn) -> tuple[int, dict[str, Any]]:
        kind, target_id = body.kind.value, body.target_id
        table = {"refund_request": "refund_requests", "return": "returns", "order": "orders"}[
            body.target_kind
        ]
        target = self.rows.get(table, {}).get(target_id)
        if target is None:
            return 404, ErrorBody(error=ErrorCode.NOT_FOUND, message=f"no {body.target}").model_dump(
                mode="json"
            )
        if kind == "refund_decision":
            refused = self._decide(body, target)
            if refused is not None:
                return refused
        elif kind == "return_received":
            if target["status"] in ("cancelled", "closed", "rejected", "expired", "returnless"):
                return self._conflict("customer_cancelled", target)
            self.put(
                "returns",
                target_id,
                received_at=target["received_at"] or to_epoch(self.clock.now()),
                status="received"
                if target["status"] in ("authorized", "in_transit", "delivered", "lost")
                else target["status"],
            )
        elif kind == "note":
            payload = body.payload
            if payload["text"] == "poison":  # a mutation the backend refuses for good, every time
                return 400, ErrorBody(error=ErrorCode.BAD_REQUEST, message="poisoned note").model_dump(
                    mode="json"
                )
            self.put(
                "notes",
                self.new_id(),
                target_kind=body.target_kind,
                target_id=str(target_id),
                text=payload["text"],
                author=payload.get("author"),
                created_at=to_epoch(self.clock.now()),
                mutation_id=str(body.mutation_id),
            )
            self.put(table, target_id)
        else:
            return 400, ErrorBody(error=ErrorCode.BAD_REQUEST, message=f"{kind} not supported").model_dump()
        mutation_id = str(body.mutation_id)
        self.applications[mutation_id] += 1
        version = self.rows[table][target_id]["server_version"]
        outcome = MutationOutcome(
            mutation_id=body.mutation_id,
            target=body.target,
            server_version=version,
            result={"state": self.rows[table][target_id].get("state")},
        )
        self.applied[mutation_id] = outcome.model_dump(mode="json")
        return 201, self.applied[mutation_id]

    def _conflict(self, reason: str, snapshot: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        body = ErrorBody(
            error=ErrorCode.CONFLICT,
            message=f"conflict: {reason}",
            reason=reason,
            server_snapshot=dict(snapshot),
        )
        return 409, body.model_dump(mode="json")

    def _decide(self, body: MutationIn, request: dict[str, Any]) -> tuple[int, dict[str, Any]] | None:
        payload = body.payload
        if request["a_to_z_claim"]:
            return self._conflict("claim_opened", request)
        state = request["state"]
        if state in ("cancelled", "auto_refunded"):
            return self._conflict("customer_cancelled" if state == "cancelled" else "auto_refunded", request)
        if state != "pending":
            return self._conflict("decided_elsewhere", request)
        components = payload.get("components", [])
        for item in components:
            line, comp = item["order_line_id"], item["component"]
            if item["amount_minor"] > self.charged(line, comp) - self.paid(line, comp):
                return self._conflict("over_refund", request)
        request_id = request["id"]
        decision = payload["decision"]
        total = sum(int(c["amount_minor"]) for c in components)
        self.put(
            "decisions",
            self.new_id(),
            refund_request_id=request_id,
            mutation_id=str(body.mutation_id),
            kind=decision,
            amount_minor=total,
            currency=payload["currency"],
            components=json.dumps(components),
            restocking_fee_bp=payload.get("restocking_fee_bp", 0),
            reason=payload.get("reason"),
            decided_by=payload.get("decided_by"),
            device_id=body.device_id,
            decided_at=to_epoch(self.clock.now()),
        )
        if decision == "approve":
            self.approvals[request_id] += 1
            for item in components:
                self.put(
                    "refund_payments",
                    self.new_id(),
                    refund_request_id=request_id,
                    order_line_id=item["order_line_id"],
                    component=item["component"],
                    amount_minor=item["amount_minor"],
                    settled=False,
                )
        self.put(
            "refund_requests",
            request_id,
            state="approved" if decision == "approve" else "rejected",
            updated_at=to_epoch(self.clock.now()),
        )
        return None

    # -- marketplace and relay -------------------------------------------------------------------------
    def _payments(self, request_id: int) -> list[dict[str, Any]]:
        return [
            p for p in self.rows.get("refund_payments", {}).values() if p["refund_request_id"] == request_id
        ]

    def customer_cancel(self, request_id: int) -> None:
        request = self.rows["refund_requests"][request_id]
        if request["state"] in ("pending", "approved"):
            for payment in self._payments(request_id):  # nothing went upstream yet: void it
                self.remove("refund_payments", payment["id"])
            self.put("refund_requests", request_id, state="cancelled")

    def auto_refund(self, request_id: int) -> None:
        request = self.rows["refund_requests"][request_id]
        if request["state"] not in ("pending", "approved"):
            return
        for payment in self._payments(request_id):
            self.remove("refund_payments", payment["id"])
        line = request["order_pk"] * 10 + 1
        amount = min(1000, self.charged(line, "principal") - self.paid(line, "principal"))
        if amount > 0:
            self.put(
                "refund_payments",
                self.new_id(),
                refund_request_id=request_id,
                order_line_id=line,
                component="principal",
                amount_minor=amount,
                settled=True,
            )
            self.upstream.append((request_id, "marketplace", amount))
        self.put("refund_requests", request_id, state="auto_refunded", refunded_minor=max(amount, 0))

    def open_claim(self, request_id: int) -> None:
        if self.rows["refund_requests"][request_id]["state"] == "pending":
            self.put("refund_requests", request_id, a_to_z_claim=True)

    def relay_tick(self) -> None:
        """approved -> submitted (executed upstream, once) -> completed."""
        for request_id, request in sorted(self.rows.get("refund_requests", {}).items()):
            if request["state"] == "approved":
                decision = next(
                    d
                    for d in self.rows["decisions"].values()
                    if d["refund_request_id"] == request_id and d["kind"] == "approve"
                )
                self.upstream.append((request_id, decision["mutation_id"], decision["amount_minor"]))
                self.put("refund_requests", request_id, state="submitted")
            elif request["state"] == "submitted":
                for payment in self._payments(request_id):
                    self.put("refund_payments", payment["id"], settled=True)
                paid = sum(p["amount_minor"] for p in self._payments(request_id))
                self.put("refund_requests", request_id, state="completed", refunded_minor=paid)

    # -- server-side faults ----------------------------------------------------------------------------
    def rotate_token(self) -> None:
        self.tokens_issued += 1
        self.token = f"token-{self.tokens_issued}"

    def prune_keys(self) -> None:
        self.keys = {k: r for k, r in self.keys.items() if r.response is None}

    def compact(self) -> None:
        """Expire every cursor: keep only each row's latest change, drop deleted rows' history."""
        latest: dict[tuple[str, Any], dict[str, Any]] = {}
        for change in self.log:
            latest[(change["entity"], change["id"])] = change
        self.log = sorted((c for c in latest.values() if c["op"] == "upsert"), key=lambda c: c["seq"])
        self.floor = self.seq
        self.epoch += 1

    # -- checks ----------------------------------------------------------------------------------------
    def state_of(self, request_id: int) -> str:
        return str(self.rows["refund_requests"][request_id]["state"])

    def request_ids(self) -> list[int]:
        return sorted(self.rows.get("refund_requests", {}))


class FakeNetwork:
    """The wire between desktops and the fake backend, with faults queued for the next requests."""

    FAULTS = ("drop_request", "drop_response", "slow", "5xx", "429", "duplicate", "stale", "hold")

    def __init__(self, backend: FakeBackend) -> None:
        self.backend = backend
        self.faults: deque[str] = deque()
        self.down = False
        self.later: list[httpx.Request] = []

    def inject(self, *faults: str) -> None:
        self.faults.extend(faults)

    def clear(self) -> None:
        self.faults.clear()
        self.down = False

    def deliver_later(self) -> None:
        """Requests held or duplicated earlier arrive now, in reverse order; their answers are lost."""
        pending, self.later = self.later, []
        for request in reversed(pending):
            self.backend.handle(request)

    def handler(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            raise httpx.ConnectError("network is down", request=request)
        fault = self.faults.popleft() if self.faults else None
        if fault == "drop_request":
            raise httpx.ConnectError("connection refused", request=request)
        if fault == "drop_response":
            self.backend.handle(request)
            raise httpx.ReadTimeout("response lost", request=request)
        if fault == "slow":
            self.backend.handle(request, slow=request.method == "POST")
            raise httpx.ReadTimeout("server too slow", request=request)
        if fault == "5xx":
            return httpx.Response(503, text="upstream unavailable", headers={"Retry-After": "3"})
        if fault == "429":
            body = {"error": "rate_limited", "message": "slow down"}
            return httpx.Response(429, json=body, headers={"Retry-After": "7"})
        if fault == "duplicate":
            self.backend.handle(request)
            return self.backend.handle(request)
        if fault == "stale":
            self.later.append(_copy(request))
            return self.backend.handle(request)
        if fault == "hold":
            self.later.append(_copy(request))
            raise httpx.ReadTimeout("held in the network", request=request)
        return self.backend.handle(request)


def _copy(request: httpx.Request) -> httpx.Request:
    return httpx.Request(request.method, request.url, headers=request.headers, content=request.content)


def all_rows(backend: FakeBackend, table: str) -> Iterable[dict[str, Any]]:
    return backend.rows.get(table, {}).values()
