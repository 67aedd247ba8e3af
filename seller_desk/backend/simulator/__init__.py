"""The marketplace simulator of ``seller-desk backend serve --simulate``.

``events`` (what can happen), ``world`` (when it happens: a seeded queue of events), ``apply`` (how it
reaches the backend: its ingest paths), ``runner`` (history, then accelerated time). The desktop's demo
launcher uses ``demo_serve_command`` to start a simulating backend and ``DEMO_SELLER`` to ask for a
token (``seller-desk backend token create --seller demo --device NAME``).
"""

from __future__ import annotations

import sys
from pathlib import Path

from seller_desk.backend.simulator.runner import DEFAULT_SPEED, DEMO_SELLER, Simulator, SimulatorSettings
from seller_desk.backend.simulator.world import World, WorldRates


def demo_serve_command(
    db: Path, port: int, *, speed: float = DEFAULT_SPEED, seed: int | None = None, host: str = "127.0.0.1"
) -> list[str]:
    """The command line of a simulating backend on ``db`` (a SQLite file), for a subprocess."""
    command = [sys.executable, "-m", "seller_desk", "backend", "serve", "--db", str(db), "--host", host,
               "--port", str(port), "--simulate", "--speed", f"{speed:g}"]  # fmt: skip
    if seed is not None:
        command += ["--seed", str(seed)]
    return command


def demo_token_command(db: Path, device: str) -> list[str]:
    """The command line that registers a device of the demo seller and prints its token once."""
    return [sys.executable, "-m", "seller_desk", "backend", "token", "create", "--db", str(db),
            "--seller", DEMO_SELLER, "--device", device]  # fmt: skip


__all__ = [
    "DEFAULT_SPEED",
    "DEMO_SELLER",
    "Simulator",
    "SimulatorSettings",
    "World",
    "WorldRates",
    "demo_serve_command",
    "demo_token_command",
]
