"""One report import in a process of its own, for ``bench.imports``: its time, its progress updates and
its peak memory (``ru_maxrss`` of this process alone, which only a fresh process can give).

``python -m seller_desk.bench.import_probe FILE DATA_DIR`` prints one JSON object.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    from seller_desk.paths import DB_FILENAME
    from seller_desk.store.migrate import open_store
    from seller_desk.store.report_import import import_report

    path, data_dir = Path(argv[0]), Path(argv[1])
    store = open_store(data_dir / DB_FILENAME)
    updates: list[float] = []
    try:
        started = time.perf_counter()
        outcome = import_report(store, path, progress=lambda done, size: updates.append(done / size))
        seconds = time.perf_counter() - started
    finally:
        store.close()
    print(json.dumps({
        "seconds": seconds, "rows": outcome.rows, "imported": outcome.imported, "errors": len(outcome.errors),
        "progress_updates": len(updates), "last_progress": updates[-1] if updates else None,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
