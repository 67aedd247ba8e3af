"""``seller-desk returns list|receive`` as a script runs them (CLI.md): real process, real store file."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from seller_desk.paths import DB_FILENAME
from seller_desk.store.migrate import open_store
from seller_desk.store.queries.returns import DEFAULT_SORT, ReturnsFilter, count_returns, page_returns
from tests.cli.test_cli_contract import run_cli
from tests.fixtures.returns_data import seeded_data_dir

N = 1_200  # more than two of the command's 500-row pages


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seeded_data_dir(tmp_path_factory.mktemp("cli-returns"), N)


def db(data_dir: Path) -> sqlite3.Connection:
    return sqlite3.connect(data_dir / DB_FILENAME)


def test_list_json_is_the_returns_screen_order_with_the_promised_fields(data_dir: Path) -> None:
    result = run_cli("returns", "list", "--data-dir", str(data_dir), "--limit", "7", "--json")
    assert result.returncode == 0, result.stderr
    listed = json.loads(result.stdout)
    with db(data_dir) as conn:
        expected = page_returns(conn, ReturnsFilter(), DEFAULT_SORT, None, 7)
    assert [r["rma"] for r in listed] == [r.rma for r in expected]
    first, row = listed[0], expected[0]
    for field in ("rma", "order_id", "sku", "status", "reason", "reason_raw", "tracking", "carrier", "eta",
                  "quantity"):  # fmt: skip
        assert field in first, field
    assert (first["order_id"], first["sku"], first["quantity"], first["tracking"]) == (
        row.order_id, row.sku, row.quantity, row.tracking_number,
    )  # fmt: skip
    assert first["value"]["currency"] == row.currency
    assert int(first["value"]["amount"].replace(".", "")) == row.value_minor  # decimal string, no float
    assert first["requested_at"].endswith("Z")


def test_list_without_a_limit_streams_every_matching_return(data_dir: Path) -> None:
    result = run_cli("returns", "list", "--data-dir", str(data_dir), "--status", "in_transit", "--status",
                     "delivered", "--json")  # fmt: skip
    assert result.returncode == 0, result.stderr
    listed = json.loads(result.stdout)
    with db(data_dir) as conn:
        expected = count_returns(conn, ReturnsFilter(statuses=("in_transit", "delivered")))
    assert len(listed) == expected > 0
    assert {r["status"] for r in listed} == {"in_transit", "delivered"}
    assert len({r["rma"] for r in listed}) == expected  # no row twice across page boundaries


def test_list_search_and_table_output(data_dir: Path) -> None:
    with db(data_dir) as conn:
        rma, tracking = conn.execute(
            "SELECT rma, tracking_number FROM returns WHERE tracking_number IS NOT NULL LIMIT 1"
        ).fetchone()
    result = run_cli("returns", "list", "--data-dir", str(data_dir), "--search", tracking)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split()[:3] == ["RMA", "ORDER", "SKU"] and lines[1].startswith(rma)
    assert result.stderr.strip() == "1 return"


def test_an_unknown_status_is_a_user_error_naming_the_choices(data_dir: Path) -> None:
    result = run_cli("returns", "list", "--data-dir", str(data_dir), "--status", "shipped")
    assert result.returncode == 1
    assert "'shipped' is not a return status" in result.stderr and "in_transit" in result.stderr
    assert result.stdout == ""


def test_receive_records_each_good_key_and_reports_each_bad_one(tmp_path: Path) -> None:
    data_dir = seeded_data_dir(tmp_path / "bench", 300)
    with db(data_dir) as conn:
        (a_rma,), (b_rma, b_tracking) = (
            conn.execute("SELECT rma FROM returns WHERE status = 'delivered' LIMIT 1").fetchone(),
            conn.execute("SELECT rma, tracking_number FROM returns WHERE status = 'in_transit' "
                         "AND tracking_number IS NOT NULL LIMIT 1").fetchone(),
        )  # fmt: skip
    result = run_cli(
        "returns", "receive", "--data-dir", str(data_dir), a_rma, "NOT-A-PARCEL", b_tracking.lower()
    )
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{a_rma}: received (queued to sync)",
        f"{b_rma}: received (queued to sync)",
    ]
    assert "'NOT-A-PARCEL': no return has this RMA" in result.stderr
    again = run_cli("returns", "receive", "--data-dir", str(data_dir), "--json", a_rma)
    assert again.returncode == 1
    answer = json.loads(again.stdout)
    assert answer["received"] == [] and answer["errors"][0]["key"] == a_rma
    assert f"{a_rma} is received" in answer["errors"][0]["message"]
    status = json.loads(run_cli("status", "--data-dir", str(data_dir), "--json").stdout)
    assert status["pending_mutations"] == 2
    store = open_store(data_dir / DB_FILENAME)
    try:
        with store.engine.connect() as conn:
            kinds = conn.exec_driver_sql("SELECT kind, status FROM mutations").fetchall()
    finally:
        store.close()
    assert sorted(kinds) == [("return_received", "queued")] * 2


def test_a_reader_that_stops_early_ends_the_listing_quietly(data_dir: Path) -> None:
    """``seller-desk returns list --json | head -c 100``: no traceback, exit 0."""
    import os
    import subprocess
    import sys

    child = subprocess.Popen(
        [sys.executable, "-m", "seller_desk", "returns", "list", "--data-dir", str(data_dir), "--json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=os.environ.copy(),
    )  # fmt: skip
    assert child.stdout is not None and child.stderr is not None
    assert child.stdout.read(100).startswith(b'[{"rma"')
    child.stdout.close()
    assert child.wait(timeout=60) == 0
    assert b"Traceback" not in child.stderr.read()


def test_list_search_finds_words_of_customers_comments(data_dir: Path) -> None:
    with db(data_dir) as conn:
        expected = {
            row[0]
            for row in conn.execute("SELECT rma FROM returns WHERE customer_comment LIKE '%screen cracked%'")
        }
    result = run_cli("returns", "list", "--data-dir", str(data_dir), "--search", "Screen CRACK", "--json")
    assert result.returncode == 0, result.stderr
    assert {r["rma"] for r in json.loads(result.stdout)} == expected and expected
