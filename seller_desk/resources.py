"""Locate files under the project's top-level ``resources/`` folder.

In a checkout (and an editable install) it sits beside the package; in the PyInstaller bundle
``build.spec`` copies it next to the frozen modules (``sys._MEIPASS``).
"""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root is not None:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    path = resources_dir().joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(f"missing resource {path} (is the resources/ folder beside the app?)")
    return path
