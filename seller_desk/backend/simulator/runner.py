"""Run the simulated marketplace against a backend database: a quick history, then accelerated time.

``Simulator`` owns one ``World`` and applies its events to the demo seller in small transactions
(at most ``batch`` events each, so desktops' pulls and mutations never wait long for the write lock).
``seed_history`` fills an empty seller with the ``history_days`` before ``start`` in a second or
two; ``advance(until)`` applies what is due; ``run`` maps real time onto simulated time at ``speed``
simulated seconds per real second until told to stop.

Determinism: given (seed, start), the events and their order are fixed (see ``world``), so two runs
on fresh databases write the same rows. A restart on a database that already has the seller's orders
skips the history and begins a new world at the new start, so it never replays the old one's ids.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from itertools import islice

from sqlalchemy import func, select

from seller_desk.backend.clock import Clock, system_clock
from seller_desk.backend.feed.writer import FeedWriter
from seller_desk.backend.simulator.apply import REFUSALS, apply_event, list_catalogue
from seller_desk.backend.simulator.events import SimEvent
from seller_desk.backend.simulator.world import World, WorldRates
from seller_desk.backend.store import Database
from seller_desk.backend.store.models import Order
from seller_desk.backend.tenancy import ensure_seller

log = logging.getLogger(__name__)

DEMO_SELLER = "demo"
DEFAULT_SPEED = 600.0  # ten simulated minutes per real second: a return parcel moves every few seconds


@dataclass(frozen=True, slots=True)
class SimulatorSettings:
    seed: int = 1
    speed: float = DEFAULT_SPEED
    seller: str = DEMO_SELLER
    history_days: float = 3.0  # ~110 orders at the default rate, plus the backlog: under 2 s on SQLite
    backlog_returns: int = 30
    pipeline_days: float = 6.0  # a return opens 1.5 to 9 days after its order: keep them coming at once
    batch: int = 400
    tick_s: float = 0.25
    rates: WorldRates = field(default_factory=WorldRates)

    def busier(self, orders_per_day: float) -> SimulatorSettings:
        """The same shop at another order rate; the history shrinks to keep the orders it seeds (and the
        time seeding takes) the same."""
        history = self.history_days * self.rates.orders_per_day / orders_per_day
        return replace(self, rates=replace(self.rates, orders_per_day=orders_per_day), history_days=history)


class Simulator:
    def __init__(
        self,
        db: Database,
        settings: SimulatorSettings | None = None,
        *,
        start: datetime | None = None,
        clock: Clock = system_clock,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.db = db
        self.settings = settings or SimulatorSettings()
        self.clock = clock
        self.monotonic = monotonic
        self.start = start or clock()
        self.tally: Counter[str] = Counter()
        with db.writing() as session:
            self.seller_id = ensure_seller(session, self.settings.seller, clock())
            has_orders = session.execute(
                select(func.count()).select_from(Order).where(Order.seller_id == self.seller_id)
            ).scalar_one()
        self.needs_history = not has_orders
        begin = self.start - timedelta(days=self.settings.history_days) if self.needs_history else self.start
        backlog = self.settings.backlog_returns if self.needs_history else 0
        pipeline = (
            (self.start - timedelta(days=self.settings.pipeline_days), begin) if self.needs_history else None
        )
        if pipeline is not None and pipeline[0] >= pipeline[1]:
            pipeline = None  # the history already covers the span
        self.world = World(self.settings.seed, begin, self.settings.rates, backlog=backlog, pipeline=pipeline)
        self.sim_now = begin

    def seed_history(self) -> int:
        """List the catalogue, then apply everything up to ``start`` (no history when the seller
        already had orders; the listings are upserts, so a restart changes nothing)."""
        with self.db.writing() as session:
            list_catalogue(FeedWriter.open(session, self.seller_id, self.clock()))
        applied = self.advance(self.start)
        log.info("simulator: seeded %d events of history for seller %r", applied, self.settings.seller)
        return applied

    def advance(self, until: datetime) -> int:
        """Apply every event due at or before ``until``; the number applied."""
        applied = 0
        events = self.world.pop_until(until)
        while batch := [item.event for item in islice(events, self.settings.batch)]:
            try:
                tally = self._apply(batch, careful=False)
            except REFUSALS:  # one event was refused: redo the batch, each event in its own savepoint
                tally = self._apply(batch, careful=True)
            self.tally.update(tally)
            applied += len(batch)
        self.sim_now = max(self.sim_now, until)
        return applied

    def _apply(self, batch: list[SimEvent], *, careful: bool) -> Counter[str]:
        """One transaction for ``batch``. Savepoints cost a sixth of the time, so they are only
        taken (``careful``) once a batch has failed without them."""
        tally: Counter[str] = Counter()
        with self.db.writing() as session:
            writer = FeedWriter.open(session, self.seller_id, self.clock())
            for event in batch:
                apply_event(writer, event, tally, savepoint=careful)
        return tally

    def simulated_time(self, real_started: float) -> datetime:
        elapsed = self.monotonic() - real_started
        return self.start + timedelta(seconds=elapsed * self.settings.speed)

    def run(self, stop: threading.Event) -> None:
        """Advance with real time until ``stop`` is set; a failed round is logged and retried."""
        real_started = self.monotonic()
        while not stop.is_set():
            try:
                self.advance(self.simulated_time(real_started))
            except Exception:  # a busy or restarting database must not end the demo
                log.exception("simulator round failed; retrying")
            stop.wait(self.settings.tick_s)
