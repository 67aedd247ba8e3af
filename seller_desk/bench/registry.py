"""Benchmarks register themselves by name; the runner gives each a shared context.

A benchmark is a function ``(ctx) -> list[Result]``. Most need a store holding ``ctx.rows`` returns;
``ctx.seeded_store()`` seeds one once per run (or reuses ``--store DIR``) so the expensive seed is
paid once, and the seed benchmark itself reports how long that took.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from seller_desk.bench.results import Result


@dataclass
class BenchContext:
    rows: int
    work_dir: Path
    reuse_store: Path | None = None
    facts: dict[str, object] = field(default_factory=dict)
    _store_dir: Path | None = None

    def seeded_store(self) -> Path:
        """The data dir of a store holding ``rows`` demo returns (seeded on first use)."""
        if self._store_dir is None:
            from seller_desk.bench.seeding import ensure_seeded

            self._store_dir = ensure_seeded(self)
        return self._store_dir


Benchmark = Callable[[BenchContext], list[Result]]
BENCHMARKS: dict[str, Benchmark] = {}


def benchmark(name: str) -> Callable[[Benchmark], Benchmark]:
    def register(fn: Benchmark) -> Benchmark:
        BENCHMARKS[name] = fn
        return fn

    return register
