"""The Restock screen's background work, as ``Op`` functions: read the inputs and plan, re-plan, export.

Reading is the slow half (seconds at a million returns); it runs on the DB lane with its own
connection. Re-planning after a settings change needs no database (the inputs are plain data) and runs
on the I/O lane so it never waits behind a long read. Both return plain data for the GUI thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from seller_desk.analytics.restock import PlanRow, RestockInputs, plan_all, read_inputs
from seller_desk.domain.restock import RestockSettings
from seller_desk.exports.restock import export_restock
from seller_desk.store.queries.returns import dbapi
from seller_desk.workers.ops import OpContext


@dataclass(frozen=True, slots=True)
class RestockResult:
    inputs: RestockInputs
    settings: RestockSettings
    rows: list[PlanRow]


def read_and_plan(ctx: OpContext, settings: RestockSettings, today: date | None = None) -> RestockResult:
    """Fold new inspections into the kept sellable counts (a short write), read every input in one
    transaction (so they agree with each other), then plan."""
    from seller_desk.store.sellable_counts import catch_up

    with ctx.store.writing() as session:
        catch_up(dbapi(session.connection()))
    conn = ctx.connection()
    with conn.begin():
        inputs = read_inputs(dbapi(conn), today)
    ctx.check_cancelled()
    return RestockResult(inputs, settings, plan_all(inputs, settings))


def replan(inputs: RestockInputs, settings: RestockSettings) -> RestockResult:
    """The plan for new settings from inputs already read."""
    return RestockResult(inputs, settings, plan_all(inputs, settings))


def export_plan(rows: list[PlanRow], path: Path) -> int:
    return export_restock(rows, path)
