"""The marketplace simulator of ``seller-desk backend serve --simulate``.

``events`` (what can happen), ``world`` (when it happens: a seeded queue of events), ``apply`` (how it
reaches the backend: its ingest paths), ``runner`` (history, then accelerated time). The desktop's demo
launcher (``seller_desk.demo_backend``) runs ``backend serve --simulate`` and asks for a token of
``DEMO_SELLER`` (``seller-desk backend token create --seller demo --device NAME``).
"""

from __future__ import annotations

from seller_desk.backend.simulator.runner import DEFAULT_SPEED, DEMO_SELLER, Simulator, SimulatorSettings
from seller_desk.backend.simulator.world import World, WorldRates

__all__ = [
    "DEFAULT_SPEED",
    "DEMO_SELLER",
    "Simulator",
    "SimulatorSettings",
    "World",
    "WorldRates",
]
