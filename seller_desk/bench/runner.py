"""Run the registered benchmarks and print one line (or one JSON object) per figure.

Exit status is 0 when every figure with a target met it, 1 otherwise, so a script can gate on it.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from seller_desk.bench import (  # noqa: F401 - they register
    frozen,
    gui_pull_stall,
    imports,
    refund_approvals,
    refund_queue,
    restock,
    returns_gui,
    returns_list,
    simulator_history,
    startup,
    store_benchmarks,
    sync_fanout,
    sync_pull,
    sync_push,
    trends,
)
from seller_desk.bench.registry import BENCHMARKS, BenchContext
from seller_desk.bench.results import Result


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m seller_desk.bench", description=__doc__)
    parser.add_argument(
        "names", nargs="*", metavar="NAME", help=f"benchmarks to run: {', '.join(BENCHMARKS)}"
    )
    parser.add_argument("--rows", type=int, default=1_000_000, help="returns in the benchmark store")
    parser.add_argument("--json", action="store_true", help="one JSON object per line on stdout")
    parser.add_argument("--store", type=Path, help="reuse (or create) the seeded store in this data dir")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    unknown = [n for n in args.names if n not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}", file=sys.stderr)
        return 2
    # Seeding runs first so the benchmarks after it reuse the store it wrote instead of seeding again.
    names = args.names or sorted(BENCHMARKS, key=lambda name: name != "seed")
    all_ok = True
    with tempfile.TemporaryDirectory(prefix="seller-desk-bench-") as tmp:
        ctx = BenchContext(rows=args.rows, work_dir=Path(tmp), reuse_store=args.store)
        for name in names:
            print(f"running {name} ({args.rows:,} returns)…", file=sys.stderr, flush=True)
            results: list[Result] = BENCHMARKS[name](ctx)
            for result in results:
                all_ok = all_ok and result.ok is not False
                if args.json:
                    print(json.dumps(result.to_json()), flush=True)
                else:
                    print(result.to_text(), flush=True)
    return 0 if all_ok else 1
