"""What runs beside the HTTP server: the relay, and with ``--simulate`` the marketplace simulator.

``background_configurer`` is a ``server.AppConfigurer``: it wraps the app's lifespan so that, once the
app has started, the simulator (if any) seeds its history — before uvicorn reports the server ready,
so the first desktop pull already finds data — and then two daemon threads run: the simulator's clock
and the relay. On shutdown both are told to stop and joined. They share one ``Database`` of their
own and write in short transactions, like any other client of the store.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from seller_desk.backend.relay import Relay, RelaySettings, pause_hook_from_env
from seller_desk.backend.simulator.runner import Simulator, SimulatorSettings
from seller_desk.backend.store import Database
from seller_desk.backend.upstream import FaultPlan, SimulatedMarketplace

log = logging.getLogger(__name__)

JOIN_TIMEOUT_S = 10.0


@dataclass(frozen=True, slots=True)
class BackgroundOptions:
    db_url: str
    upstream_path: Path
    faults: FaultPlan
    simulate: SimulatorSettings | None = None
    relay: RelaySettings = field(default_factory=RelaySettings)


def run_beside(app: FastAPI, build: Callable[[], Any]) -> None:
    """Wrap ``app``'s lifespan: once it has started, ``build()`` the workers (in a thread: they touch the
    database) and ``start()`` them; on shutdown ``stop()`` them (in a thread: they are joined)."""
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(app_: FastAPI) -> AsyncIterator[Any]:
        async with inner(app_) as state:
            workers = await asyncio.to_thread(build)
            workers.start()
            try:
                yield state
            finally:
                await asyncio.to_thread(workers.stop)

    app.router.lifespan_context = lifespan


def background_configurer(options: BackgroundOptions) -> Callable[[FastAPI], None]:
    def build() -> Background:
        workers = Background(options)
        workers.prepare()  # the simulator's history, before the server reports ready
        return workers

    return lambda app: run_beside(app, build)


class Background:
    """The simulator and relay threads of one server process."""

    def __init__(self, options: BackgroundOptions) -> None:
        self.options = options
        self.db = Database(options.db_url)
        self.marketplace = SimulatedMarketplace(options.upstream_path, options.faults)
        self.relay = Relay(self.db, self.marketplace, options.relay, pause=pause_hook_from_env())
        self.simulator = Simulator(self.db, options.simulate) if options.simulate is not None else None
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def prepare(self) -> None:
        if self.simulator is not None:
            self.simulator.seed_history()

    def start(self) -> None:
        targets: list[tuple[str, Callable[[threading.Event], None]]] = [("relay", self.relay.run)]
        if self.simulator is not None:
            targets.append(("simulator", self.simulator.run))
        for name, target in targets:
            thread = threading.Thread(
                target=target, args=(self._stop,), name=f"seller-desk-{name}", daemon=True
            )
            thread.start()
            self._threads.append(thread)
        log.info("running beside the server: %s (upstream file %s)", ", ".join(n for n, _ in targets),
                 self.options.upstream_path)  # fmt: skip

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(JOIN_TIMEOUT_S)
            if thread.is_alive():
                log.warning("%s did not stop within %.0f s", thread.name, JOIN_TIMEOUT_S)
        self.db.dispose()
