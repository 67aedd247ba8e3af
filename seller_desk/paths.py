"""Where Seller Desk keeps its files.

One base directory holds the store, its backups and (when overridden) the logs, so that ``--data-dir``
or ``SELLER_DESK_HOME`` moves *everything*: tests and scripts never touch the user's real home.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "seller-desk"
ENV_HOME = "SELLER_DESK_HOME"
DB_FILENAME = "seller-desk.sqlite3"


@dataclass(frozen=True, slots=True)
class AppPaths:
    data_dir: Path
    log_dir: Path
    config_dir: Path

    @property
    def database(self) -> Path:
        return self.data_dir / DB_FILENAME

    @property
    def backups(self) -> Path:
        return self.data_dir / "backups"


def resolve_paths(data_dir: str | os.PathLike[str] | None = None) -> AppPaths:
    """``--data-dir`` wins, then ``SELLER_DESK_HOME``, then the platform's per-user directories."""
    chosen = data_dir if data_dir is not None else os.environ.get(ENV_HOME) or None
    if chosen is not None:
        base = Path(chosen).expanduser().resolve()
        return AppPaths(data_dir=base, log_dir=base / "logs", config_dir=base / "config")
    import platformdirs

    return AppPaths(
        data_dir=Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
        log_dir=Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)),
        config_dir=Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
    )


DEMO_DIRNAME = "demo"


def demo_home(data_dir: str | os.PathLike[str] | None = None) -> Path:
    """Where ``seller-desk --demo`` keeps its store, token and backend: a directory of its own inside
    the data directory, so a demo never mixes simulated rows into the seller's store nor points a
    store connected to the team's backend at the simulator."""
    return resolve_paths(data_dir).data_dir / DEMO_DIRNAME
