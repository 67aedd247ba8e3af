"""Run ``python -m seller_desk`` as a user would, with this checkout first on the path."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.backend.live import ROOT


def cli(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SELLER_DESK_HOME": str(data_dir)}
    return subprocess.run([sys.executable, "-m", "seller_desk", *args], capture_output=True, text=True,
                          env=env, timeout=120, check=False)  # fmt: skip
