"""``frozen_startup``: the PyInstaller bundle built from this checkout, its launch and its size.

The issue's targets: launch to the painted main window ≤ 1.0 s warm and ≤ 1.3× the same launch from
source; the onedir bundle ≤ 200 MB, with what dominates it listed. The bundle is built into the
benchmark's work dir (``SELLER_DESK_BUNDLE`` names an existing one instead), then the same start-up
probe as ``startup`` (``ui/startup_probe.py``) runs against the frozen executable and, as the
baseline in the same run, from source, alternating, on the same store.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
from pathlib import Path

from seller_desk.bench.registry import BenchContext, benchmark
from seller_desk.bench.results import Result
from seller_desk.bench.startup import SOURCE_COMMAND, probe_startup
from seller_desk.packaging.bundle_report import largest_parts, size_bytes

ROOT = Path(__file__).resolve().parents[2]
RUNS = 5
LAUNCH_TARGET_S, RATIO_TARGET, SIZE_TARGET_MB = 1.0, 1.3, 200.0


def build_bundle(work_dir: Path) -> Path:
    """Build ``build.spec`` into ``work_dir``; returns the bundle's folder."""
    dist, work = work_dir / "dist", work_dir / "pyinstaller"
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN", "--distpath", str(dist),
         "--workpath", str(work), str(ROOT / "build.spec")],
        check=True, cwd=ROOT, timeout=1800, stdout=sys.stderr,  # --json keeps stdout for the figures
    )  # fmt: skip
    return dist / "seller-desk"


def _launch_s(data_dir: str, command: tuple[str, ...]) -> float:
    return float(str(probe_startup(data_dir, jump=False, command=command)["process_age_s"]))


@benchmark("frozen_startup")
def frozen_startup(ctx: BenchContext) -> list[Result]:
    given = os.environ.get("SELLER_DESK_BUNDLE")
    bundle = Path(given) if given else build_bundle(ctx.work_dir / "bundle")
    frozen = (str(bundle / "seller-desk"),)
    data_dir = str(ctx.seeded_store())
    for command in (frozen, SOURCE_COMMAND):  # warm both: the figures are warm starts
        probe_startup(data_dir, jump=False, command=command)
    frozen_s, source_s = [], []
    for _ in range(RUNS):
        frozen_s.append(_launch_s(data_dir, frozen))
        source_s.append(_launch_s(data_dir, SOURCE_COMMAND))
    launch, source = statistics.median(frozen_s), statistics.median(source_s)
    size_mb = size_bytes(bundle) / 2**20
    parts = {name: round(size / 2**20, 1) for name, size in largest_parts(bundle)}
    detail = {"runs": RUNS, "frozen_s": frozen_s, "source_s": source_s, "bundle": str(bundle)}
    return [
        Result("frozen_launch_s", launch, "s", source, LAUNCH_TARGET_S, detail=detail),
        Result("frozen_vs_source", launch, "s", source, RATIO_TARGET, "ratio", detail={"runs": RUNS}),
        Result("bundle_mb", size_mb, "MB", None, SIZE_TARGET_MB, detail={"largest_parts_mb": parts}),
    ]
