"""``seller-desk refunds list|approve|reject`` and ``export refunds`` as scripts run them (CLI.md)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from seller_desk.paths import DB_FILENAME
from seller_desk.store.migrate import open_store
from seller_desk.store.models import AuditEntry, Decision, Mutation
from tests.cli.test_cli_contract import run_cli
from tests.fixtures.refund_review_data import (
    LINE_A,
    LINE_B,
    REQ_DONE,
    REQ_EUR,
    REQ_FULL,
    REQ_SAME_ORDER,
    add_review_requests,
)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    store = open_store(tmp_path / DB_FILENAME)
    add_review_requests(store)
    store.close()
    return tmp_path


def cli(data_dir: Path, *args: str) -> tuple[int, str, str]:
    result = run_cli(*args, "--data-dir", str(data_dir))
    return result.returncode, result.stdout, result.stderr


def decisions(data_dir: Path) -> list[tuple[str, int, dict[str, object]]]:
    store = open_store(data_dir / DB_FILENAME)
    try:
        with store.reading() as s:
            rows = s.execute(select(Decision.kind, Decision.amount_minor, Mutation.payload).join(
                Mutation, Mutation.id == Decision.mutation_id)).all()  # fmt: skip
            return [(str(k), int(a), json.loads(p)) for k, a, p in rows]
    finally:
        store.close()


def test_list_json_has_the_promised_fields_in_refund_clock_order(data_dir: Path) -> None:
    code, out, err = cli(data_dir, "refunds", "list", "--state", "pending", "--json")
    assert code == 0, err
    listed = json.loads(out)
    assert [r["id"] for r in listed] == [REQ_SAME_ORDER, REQ_EUR, REQ_FULL]  # due: -3 h, +5 h, +30 h
    full = listed[2]
    assert set(full) >= {"id", "order_id", "state", "refundable", "due_at", "decision"}
    assert full["refundable"] == {"amount": "82.00", "currency": "USD"} and full["decision"] is None
    assert full["due_at"].endswith("Z")


def test_approve_in_full_then_list_shows_the_queued_decision(data_dir: Path) -> None:
    code, out, err = cli(data_dir, "refunds", "approve", str(REQ_FULL))
    assert code == 0, err
    assert out.strip() == f"refund request {REQ_FULL}: approved 82.00 USD (queued to sync)"
    _, listed, _ = cli(data_dir, "refunds", "list", "--json")
    row = next(r for r in json.loads(listed) if r["id"] == REQ_FULL)
    assert row["decision"] == {"kind": "approve", "amount": {"amount": "82.00", "currency": "USD"},
                               "sync_state": "queued", "by": row["decision"]["by"]}  # fmt: skip
    ((kind, amount, payload),) = decisions(data_dir)
    assert (kind, amount) == ("approve", 8200) and "82.00 USD" in str(payload["customer_message"])
    code, _, err = cli(data_dir, "refunds", "approve", str(REQ_FULL))
    assert code == 1 and "already decided on this desktop" in err


def test_amount_is_split_exactly_and_components_name_their_line(data_dir: Path) -> None:
    code, out, err = cli(data_dir, "refunds", "approve", str(REQ_FULL), "--amount", "41.00", "--json")
    assert code == 0, err
    assert json.loads(out)["amount"] == {"amount": "41.00", "currency": "USD"}
    ((_, _, payload),) = decisions(data_dir)
    parts = {(c["order_line_id"], c["component"]): c["amount_minor"] for c in payload["components"]}
    assert parts == {(LINE_A, "principal"): 2500, (LINE_A, "shipping"): 400, (LINE_A, "tax"): 200,
                     (LINE_B, "principal"): 1000}  # fmt: skip
    code, _, err = cli(data_dir, "refunds", "approve", str(REQ_EUR), "--component", "principal=1.005")
    assert code == 1 and "principal" in err  # more decimals than EUR has: refused, never rounded
    code, _, err = cli(data_dir, "refunds", "approve", str(REQ_SAME_ORDER), "--component", "principal=1.00")
    assert code == 1 and "LAMP-2, SHADE-1" in err and "SKU:principal=X" in err


def test_policy_refusals_name_line_and_component_and_write_nothing(data_dir: Path) -> None:
    code, _, err = cli(data_dir, "refunds", "approve", str(REQ_FULL), "--component", "LAMP-2:tax=4.01")
    assert code == 1 and "line OI-A, tax: asked 4.01 USD but only 4.00 USD is refundable now" in err
    code, _, err = cli(data_dir, "refunds", "approve", str(REQ_FULL), "--component", "LAMP-2:principal=10",
                       "--restocking-fee", "10")  # fmt: skip
    assert code == 1 and "no restocking fee on an in-policy return in original condition" in err
    code, _, err = cli(data_dir, "refunds", "approve", str(REQ_FULL), "--component", "SHADE-1:principal=20",
                       "--restocking-fee", "25")  # fmt: skip
    assert code == 1 and "needs evidence attached" in err
    code, _, err = cli(data_dir, "refunds", "approve", str(REQ_DONE))
    assert code == 1 and "already completed" in err
    assert decisions(data_dir) == []


def test_a_fee_under_20_percent_on_a_used_out_of_policy_line_goes_through(data_dir: Path) -> None:
    code, out, err = cli(data_dir, "refunds", "approve", str(REQ_FULL), "--component", "SHADE-1:principal=20",
                         "--restocking-fee", "15", "--json")  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["amount"]["amount"] == "17.00"
    ((_, _, payload),) = decisions(data_dir)
    assert payload["restocking_fee_bp"] == 1500


def test_reject_needs_a_reason_and_keeps_the_checks_in_the_audit(data_dir: Path) -> None:
    code, out, err = cli(data_dir, "refunds", "reject", str(REQ_EUR), "--reason", "Item never sent back")
    assert code == 0, err
    assert out.strip() == f"refund request {REQ_EUR}: rejected (queued to sync)"
    store = open_store(data_dir / DB_FILENAME)
    with store.reading() as s:
        shown = s.scalars(
            select(AuditEntry.detail).where(AuditEntry.what == "refund_decision.checks_shown")
        ).one()
    store.close()
    names = [c["name"] for c in json.loads(shown)["checks"]]
    assert names[0] == "Reason" and "A-to-z claim" in names
    code, _, err = cli(data_dir, "refunds", "reject", str(REQ_FULL), "--reason", " ")
    assert code == 1 and "needs a reason" in err


def test_export_refunds_writes_every_request_with_exact_money(data_dir: Path) -> None:
    cli(data_dir, "refunds", "approve", str(REQ_FULL))
    code, out, err = cli(data_dir, "export", "refunds", "--out", str(data_dir / "r.csv"), "--json")
    assert code == 0, err and json.loads(out)["rows"] == 4
    with open(data_dir / "r.csv", encoding="utf-8-sig", newline="") as f:
        rows = {int(r["Request"]): r for r in csv.DictReader(f)}
    assert set(rows) == {REQ_FULL, REQ_SAME_ORDER, REQ_EUR, REQ_DONE}
    full = rows[REQ_FULL]
    assert (full["Requested"], full["Decision"], full["Decision amount"], full["Sync state"]) == (
        "82.00", "approve", "82.00", "queued",
    )  # fmt: skip
    assert "OI-A principal 50.00" in full["Asked per line"]
    assert rows[REQ_DONE]["Refunded per line"] == "OI-B tax 1.60"
