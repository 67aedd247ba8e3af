"""Start-up benchmark: launch the real app on the big store until the Returns list paints real rows.

The app runs as a child process with ``SELLER_DESK_STARTUP_PROBE=1`` (see ``ui/startup_probe.py``):
the normal start-up path, offscreen, which prints one JSON line once rows are painted and quits. The
figure is the process's age at that paint, from the kernel's start time, so interpreter start-up counts.
The baseline is the naive floor: a bare PySide6 process that paints an empty QTableView.
Also reported from the same runs: peak RSS (with a jump to the middle row), the jump itself, and whether
pandas or matplotlib were imported (they must not be).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import textwrap

from seller_desk.bench.registry import BenchContext, benchmark
from seller_desk.bench.results import Result

RUNS = 5
BARE_QT = textwrap.dedent(
    """
    import json, os, sys
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QTableView
    app = QApplication(sys.argv)
    view = QTableView(); view.resize(1366, 768); view.show()
    def done():
        with open("/proc/self/stat") as f: ticks = int(f.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime") as f: up = float(f.read().split()[0])
        print(json.dumps({"process_age_s": up - ticks / os.sysconf("SC_CLK_TCK")})); app.quit()
    QTimer.singleShot(0, done)
    app.exec()
    """
)


def _child_env(**extra: str) -> dict[str, str]:
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen", **extra}


SOURCE_COMMAND = (sys.executable, "-m", "seller_desk")


def probe_startup(
    data_dir: str, *, jump: bool, command: tuple[str, ...] = SOURCE_COMMAND
) -> dict[str, object]:
    """One launch of the app (from source, or the frozen bundle's ``command``) until its list paints."""
    env = _child_env(SELLER_DESK_STARTUP_PROBE="1", SELLER_DESK_PROBE_JUMP="1" if jump else "0")
    done = subprocess.run(
        [*command, "--data-dir", data_dir],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"start-up probe failed ({done.returncode}): {done.stderr[-2000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _bare_qt() -> float:
    done = subprocess.run(
        [sys.executable, "-c", BARE_QT],
        capture_output=True,
        text=True,
        env=_child_env(),
        timeout=60,
        check=True,
    )
    return float(json.loads(done.stdout.strip().splitlines()[-1])["process_age_s"])


@benchmark("startup")
def startup(ctx: BenchContext) -> list[Result]:
    data_dir = str(ctx.seeded_store())
    probe_startup(data_dir, jump=False)  # warm the file cache: the figure is a warm start
    probes = [probe_startup(data_dir, jump=False) for _ in range(RUNS)]
    painted = statistics.median(float(p["process_age_s"]) for p in probes)  # type: ignore[arg-type]
    bare = statistics.median(_bare_qt() for _ in range(RUNS))
    heavy = any(p["pandas_imported"] or p["matplotlib_imported"] for p in probes)
    jumped = probe_startup(data_dir, jump=True)
    return [
        Result(
            name="startup_to_painted_returns",
            value=painted,
            unit="s",
            baseline=bare,
            target=1.0 if not heavy else 0.0,  # importing pandas/matplotlib on this path fails it
            detail={
                "runs": RUNS,
                "rows": probes[0]["rows"],
                "pandas_or_matplotlib_imported": heavy,
                "baseline_is": "bare PySide6 process painting an empty QTableView",
            },
        ),
        Result(
            name="peak_rss_returns_open",
            value=float(jumped["rss_peak_mb"]),  # type: ignore[arg-type]
            unit="MB",
            baseline=None,
            target=200.0,
            detail={"after": f"start-up and a jump to row {jumped.get('jump_row')}"},
        ),
        Result(
            name="jump_to_middle_row",
            value=float(jumped.get("jump_ms", float("nan"))),  # type: ignore[arg-type]
            unit="ms",
            baseline=None,
            target=None,
            detail={"row": jumped.get("jump_row"), "note": "right after start-up, anchors still building"},
        ),
    ]
