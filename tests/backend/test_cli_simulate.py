"""The CLI around the relay and the simulator: serve's new flags refuse mistakes; the ledger shows the
relay's states (executed with its time, failed with its error and attempts)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from seller_desk.backend.upstream import FaultPlan
from tests.backend.cli_support import cli
from tests.backend.live import LiveBackend
from tests.backend.relay_support import FAST, approve, marketplace, relay_for
from tests.backend.shop import Shop


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("--speed", "100"), 1, "--speed only applies with --simulate"),
        (("--simulate", "--speed", "0"), 2, "the speed must be above 0"),
        (("--orders-per-day", "100"), 1, "--orders-per-day only applies with --simulate"),
        (("--simulate", "--orders-per-day", "0"), 2, "'0' is not positive"),
        (("--simulate", "--upstream-faults", "fail=2"), 1, "a rate is between 0 and 1"),
    ],
)
def test_serve_refuses_bad_simulation_flags(
    tmp_path: Path, args: tuple[str, ...], code: int, message: str
) -> None:
    result = cli("backend", "serve", "--db", str(tmp_path / "b.sqlite3"), *args, data_dir=tmp_path)
    assert result.returncode == code, result.stderr
    assert message in result.stderr


def test_a_busier_shop_seeds_a_shorter_history_of_as_many_orders() -> None:
    from seller_desk.backend.simulator import SimulatorSettings

    base = SimulatorSettings()
    busy = base.busier(base.rates.orders_per_day * 4)
    assert busy.rates.orders_per_day == base.rates.orders_per_day * 4
    assert busy.history_days * busy.rates.orders_per_day == pytest.approx(
        base.history_days * base.rates.orders_per_day
    )
    assert busy.rates.return_rate == base.rates.return_rate and busy.speed == base.speed


@pytest.mark.parametrize(
    ("spec", "message"),
    [("explode=1", "unknown setting"), ("fail", "expected NAME=VALUE"), ("delay=x", "could not convert")],
)
def test_bad_fault_plans_name_the_setting(spec: str, message: str) -> None:
    with pytest.raises(ValueError, match=message) as caught:
        FaultPlan.parse(f"fail=0.1,{spec}")
    assert repr(spec) in str(caught.value)


def test_fault_plans_parse_every_setting() -> None:
    plan = FaultPlan.parse(
        "fail=0.1, lost=0.2,timeout=0.05,report_fail=0.01,delay=0.05-0.4,timeout_s=1.5,seed=7"
    )
    assert plan == FaultPlan(0.1, 0.2, 0.05, 0.01, (0.05, 0.4), 1.5, 7)


def test_ledger_shows_executed_and_failed_entries(backend: LiveBackend, shop: Shop, tmp_path: Path) -> None:
    approve(shop, amount=1500)
    relay_for(shop, marketplace(tmp_path)).run_once()
    approve(shop, amount=700)
    failing = relay_for(shop, marketplace(tmp_path, FaultPlan(fail=1.0)))
    for _ in range(FAST.max_attempts):
        failing.run_once()
    listed = json.loads(cli("backend", "ledger", "--db", backend.db_url, "--json", data_dir=tmp_path).stdout)
    entries = [e for e in listed if e["seller"] == shop.seller_name]
    assert [(e["state"], e["attempts"]) for e in entries] == [("executed", 1), ("failed", FAST.max_attempts)]
    assert entries[0]["executed_at"] is not None and entries[0]["last_error"] is None
    assert entries[1]["executed_at"] is None and "refused" in entries[1]["last_error"]
    text = cli("backend", "ledger", "--db", backend.db_url, data_dir=tmp_path).stdout
    assert f"attempts {FAST.max_attempts}" in text
