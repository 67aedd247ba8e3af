"""Generate the whole demo history in memory, as numpy columns, in a fixed order of random streams.

Each stage draws from its own child stream of the seed (numpy's SeedSequence.spawn), so the history
is a pure function of (seed, N, today) and tuning one stage does not reshuffle the others. Returns are
numbered in order of their request time, so ids, the requested_at index and keyset pages agree.

Two phases: `generate_sales` ends when units sold are final (so the catalogue and daily sales can be
written while the rest is generated), `generate_rest` adds lifecycles, parcels, inspections and money.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import numpy as np

from seller_desk.demo import comments, inspections, lifecycle, parcels, reasons, sales
from seller_desk.demo.calendar import DAY, Window, holiday_purchase, time_of_day
from seller_desk.demo.catalogue import CATEGORY_INDEX, Catalogue, build_catalogue, sku_count
from seller_desk.demo.extra_refunds import plan_extra
from seller_desk.demo.orders import Orders, build_orders
from seller_desk.demo.refund_lines import Items, Money, concat_items, money
from seller_desk.demo.refunds import Requests, concat
from seller_desk.demo.return_refunds import ReturnRefunds, plan_return_refunds
from seller_desk.demo.sales import Problems
from seller_desk.demo.tracking import Parcels, Timelines, build

Progress = Callable[[str, int, int], None]
# Spawned by position: add names at the end only, or every existing history changes.
STREAMS = (
    "catalogue", "sales", "reasons", "orders", "lifecycle", "inspect", "refunds", "parcels", "extra", "stock",
    "ids",
)  # fmt: skip


@dataclass(slots=True)
class Returned:
    """Per return, in id order."""

    sku: np.ndarray
    purchase_day: np.ndarray
    problem: np.ndarray
    purchased_at: np.ndarray
    requested_at: np.ndarray
    reason: np.ndarray  # canonical reason index (also for unknown raw codes)
    raw: np.ndarray  # index into reasons.RAW_POOL
    comment: np.ndarray  # index into comments.POOL or -1
    value: np.ndarray
    lines: np.ndarray  # return line indexes start (per return)
    lag: np.ndarray  # days from purchase to request


@dataclass(slots=True)
class ReturnLines:
    ret: np.ndarray  # return index
    line: np.ndarray  # order line index
    quantity: np.ndarray
    reason: np.ndarray
    raw: np.ndarray
    comment: np.ndarray


@dataclass(slots=True)
class Sales:
    """Phase one: the catalogue, units sold, the returned and outbound orders and their return lines."""

    window: Window
    seed: int
    rngs: dict[str, np.random.Generator]
    catalogue: Catalogue
    problems: Problems
    units: np.ndarray  # SKU x day, final
    returned: Returned
    return_lines: ReturnLines
    orders: Orders
    outbound_purchased_at: np.ndarray


@dataclass(slots=True)
class History:
    sales: Sales
    plan: lifecycle.Lifecycle
    observed: lifecycle.Observed
    refunds: ReturnRefunds
    inspected_lines: np.ndarray  # return line indexes that have an inspection
    inspected: inspections.Inspected
    inbound: parcels.Inbound
    outbound: parcels.Outbound
    timelines: Timelines
    requests: Requests
    request_order: np.ndarray  # order index per request
    request_return: np.ndarray  # return index per request, -1 without a return
    money: Money

    @property
    def window(self) -> Window:
        return self.sales.window

    @property
    def seed(self) -> int:
        return self.sales.seed

    @property
    def rngs(self) -> dict[str, np.random.Generator]:
        return self.sales.rngs

    @property
    def catalogue(self) -> Catalogue:
        return self.sales.catalogue

    @property
    def problems(self) -> Problems:
        return self.sales.problems

    @property
    def returned(self) -> Returned:
        return self.sales.returned

    @property
    def return_lines(self) -> ReturnLines:
        return self.sales.return_lines

    @property
    def orders(self) -> Orders:
        return self.sales.orders


def streams(seed: int) -> dict[str, np.random.Generator]:
    children = np.random.SeedSequence(seed).spawn(len(STREAMS))
    return {
        name: np.random.Generator(np.random.PCG64(child))
        for name, child in zip(STREAMS, children, strict=True)
    }


def _return_lines(rng: np.random.Generator, orders: Orders, n: int, reason: np.ndarray, cat: Catalogue,
                  raw: np.ndarray, comment: np.ndarray, market: np.ndarray) -> ReturnLines:  # fmt: skip
    """The primary line of each returned order, plus some of its other lines."""
    lines = np.flatnonzero(orders.line_order < n)
    ret = orders.line_order[lines]
    primary = orders.line_primary[lines]
    keep = primary | (rng.random(len(lines)) < 0.2)
    lines, ret, primary = lines[keep], ret[keep], primary[keep]
    q = orders.line_qty[lines]
    partial = (q > 1) & (rng.random(len(lines)) < 0.3)
    quantity = np.where(partial, 1 + (rng.random(len(lines)) * (q - 1)).astype(np.int64), q)
    category = cat.category[orders.line_sku[lines]]
    same = primary | (rng.random(len(lines)) < 0.6)
    own = reasons.draw_reasons(rng, category, np.zeros(len(lines), dtype=bool))
    line_reason = np.where(same, reason[ret], own)
    own_raw = reasons.draw_raw_codes(rng, line_reason, category, orders.channel[ret])
    line_raw = np.where(same, raw[ret], own_raw)
    own_comment = comments.draw_comments(rng, line_reason, market[ret] == 2, reasons.SIZE_DIRECTION[line_raw])
    return ReturnLines(
        ret=ret, line=lines, quantity=quantity, reason=line_reason,
        raw=line_raw, comment=np.where(primary, comment[ret], own_comment),
    )  # fmt: skip


def generate(n: int, seed: int, today: date, progress: Progress) -> History:
    """Both phases."""
    return generate_rest(generate_sales(n, seed, today, progress), progress)


def generate_sales(n: int, seed: int, today: date, progress: Progress) -> Sales:
    rngs = streams(seed)
    window = Window(today)
    cat = build_catalogue(rngs["catalogue"], sku_count(n), window.days)
    problems = sales.plant_problems(rngs["catalogue"], cat, window.days)
    progress("catalogue", 1, 1)

    rng = rngs["sales"]
    draw, demand = sales.draw_returns(rng, window, cat, problems, n)
    purchased = (window.first_day + draw.day) * DAY + time_of_day(rng, n)
    requested = (window.first_day + draw.day + draw.lag) * DAY + time_of_day(rng, n)
    order = np.lexsort((purchased, draw.sku, requested))
    sku, day, lag = draw.sku[order], draw.day[order], draw.lag[order]
    problem, purchased, requested = draw.problem[order], purchased[order], requested[order]
    ob_sku, ob_day = sales.draw_outbound(rng, demand, n)
    ob_purchased = (window.first_day + ob_day) * DAY + time_of_day(rng, len(ob_sku))
    progress("sales", 1, 1)

    rng = rngs["reasons"]
    category, channel, market = cat.category[sku], cat.channel[sku], cat.marketplace[sku]
    reason = reasons.draw_reasons(rng, category, problem)
    raw = reasons.draw_raw_codes(rng, reason, category, channel)
    comment = comments.draw_comments(rng, reason, market == 2, reasons.SIZE_DIRECTION[raw])

    rng = rngs["orders"]
    returned_mask = np.arange(n + len(ob_sku)) < n
    orders = build_orders(rng, cat, np.concatenate([sku, ob_sku]), np.concatenate([purchased, ob_purchased]),
                          returned_mask)  # fmt: skip
    order_day = np.concatenate([day, ob_day])[orders.line_order]
    returned_line = orders.line_order < n
    cell = orders.line_sku[returned_line] * window.days + order_day[returned_line]
    added = np.bincount(cell, weights=orders.line_qty[returned_line], minlength=demand.units.size)
    demand.units += added.astype(np.int64).reshape(demand.units.shape)
    rl = _return_lines(rng, orders, n, reason, cat, raw, comment, market)
    share = rl.quantity / orders.line_qty[rl.line]
    value_parts = np.floor((orders.principal - orders.promotion + orders.tax)[rl.line] * share).astype(
        np.int64
    )
    value = np.bincount(rl.ret, weights=value_parts, minlength=n).astype(np.int64)
    first_rl = np.searchsorted(rl.ret, np.arange(n))
    progress("orders", 1, 1)
    returned = Returned(sku=sku, purchase_day=day, problem=problem, purchased_at=purchased,
                        requested_at=requested, reason=reason, raw=raw, comment=comment, value=value,
                        lines=first_rl, lag=lag)  # fmt: skip
    return Sales(
        window=window, seed=seed, rngs=rngs, catalogue=cat, problems=problems, units=demand.units,
        returned=returned, return_lines=rl, orders=orders, outbound_purchased_at=ob_purchased,
    )  # fmt: skip


def generate_rest(s: Sales, progress: Progress) -> History:
    rngs, window, cat, orders, rl = s.rngs, s.window, s.catalogue, s.orders, s.return_lines
    r = s.returned
    sku, day, lag, problem, requested, reason = (
        r.sku,
        r.purchase_day,
        r.lag,
        r.problem,
        r.requested_at,
        r.reason,
    )
    n = len(sku)
    category, channel, market = cat.category[sku], cat.channel[sku], cat.marketplace[sku]
    ob_purchased = s.outbound_purchased_at

    rng = rngs["lifecycle"]
    late = (lag > 33) & ~holiday_purchase(window)[day]
    apparel = np.isin(category, [CATEGORY_INDEX["apparel"], CATEGORY_INDEX["shoes"]])
    lc = lifecycle.plan(rng, requested, channel, market, reason, apparel, cat.price_minor[sku], late)

    as_of = window.as_of
    rng = rngs["inspect"]
    seen = (lc.inspected_at >= 0) & (lc.inspected_at <= as_of)
    inspected_lines = np.flatnonzero(seen[rl.ret])
    ret_of = rl.ret[inspected_lines]
    line_sku = orders.line_sku[rl.line[inspected_lines]]
    tilt = inspections.sku_tilt(rng, len(cat))
    graded = inspections.inspect(rng, rl.reason[inspected_lines], cat.category[line_sku], tilt[line_sku],
                                 problem[ret_of] & (rl.line[inspected_lines] == orders.first_line[ret_of]),
                                 channel[ret_of] == 1, market[ret_of])  # fmt: skip
    condition = np.full(n, -1)
    evidence = np.zeros(n, dtype=bool)
    primary = orders.line_primary[rl.line[inspected_lines]]
    condition[ret_of[primary]] = graded.condition[primary]
    evidence[ret_of[primary]] = graded.evidence[primary]
    progress("inspections", 1, 1)

    rng = rngs["refunds"]
    remorse = ~lifecycle.SELLER_FAULT[reason]
    rr = plan_return_refunds(rng, lc, requested, channel == 1, remorse, condition, evidence, as_of)
    observed = lifecycle.observe(lc, rr.closed_plan, as_of)

    rng = rngs["parcels"]
    inbound = parcels.inbound(rng, lc, market, channel == 1, as_of)
    ob_orders = np.arange(n, len(orders))
    outbound = parcels.outbound(rng, orders.marketplace[ob_orders], orders.channel[ob_orders] == 1,
                                ob_purchased, as_of)  # fmt: skip
    both = Parcels(**{
        f: np.concatenate([getattr(inbound.parcels, f), getattr(outbound.parcels, f)])
        for f in Parcels.__dataclass_fields__
    })  # fmt: skip
    timelines = build(rng, both, as_of)
    progress("tracking", 1, 1)

    rng = rngs["extra"]
    mfn = channel == 0
    extra, extra_items, extra_orders = plan_extra(rng, orders, observed, mfn, remorse, outbound,
                                                  len(rr.rows), as_of)  # fmt: skip
    requests = concat([rr.requests, extra])
    rl_has = np.isin(rl.ret, rr.rows)
    request_of_return = np.full(n, -1)
    request_of_return[rr.rows] = np.arange(len(rr.rows))
    seller_fault = lifecycle.SELLER_FAULT[rl.reason]
    q = orders.line_qty[rl.line]
    return_items = Items(
        request=request_of_return[rl.ret[rl_has]], line=rl.line[rl_has], quantity=rl.quantity[rl_has],
        of=q[rl_has], goods=np.ones(int(rl_has.sum()), dtype=bool),
        shipping=(seller_fault & (rl.quantity == q))[rl_has],
    )  # fmt: skip
    paid = money(orders, concat_items([return_items, extra_items]), requests)
    progress("refunds", 1, 1)

    return History(
        sales=s, plan=lc, observed=observed, refunds=rr,
        inspected_lines=inspected_lines, inspected=graded, inbound=inbound, outbound=outbound,
        timelines=timelines, requests=requests,
        request_order=np.concatenate([rr.rows, extra_orders]),
        request_return=np.concatenate([rr.rows, np.full(len(extra_orders), -1)]), money=paid,
    )  # fmt: skip
