"""One desktop of the ``sync_fanout`` benchmark, as its own process (no GIL shared with the others).

``python -m seller_desk.bench.fanout_worker URL TOKEN DATA_DIR`` opens a fresh desktop store, prints
``ready``, waits for a line on stdin (so every desktop starts at once), pulls the feed until drained
with the real ``Puller`` and ``SyncClient``, and prints one JSON line: the latency of each page — the
``GET /v1/changes`` round trip plus decoding it, as the desktop's pull loop sees it — in seconds.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from seller_desk.paths import DB_FILENAME


class TimedClient:
    """The ``SyncClient`` the puller talks to, with the time of each ``get_changes`` recorded."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self.latencies: list[float] = []

    @property
    def token(self) -> str | None:
        return self._client.token  # type: ignore[no-any-return]

    def set_token(self, token: str | None) -> None:
        self._client.set_token(token)

    def get_changes(self, cursor: str | None, limit: int) -> Any:
        started = time.perf_counter()
        answer = self._client.get_changes(cursor, limit)
        self.latencies.append(time.perf_counter() - started)
        return answer


def main(argv: list[str]) -> int:
    from seller_desk.store.migrate import open_store
    from seller_desk.sync.client import SyncClient
    from seller_desk.sync.clock import SystemClock
    from seller_desk.sync.pull import Puller
    from seller_desk.sync.push import TokenRefresh

    base_url, token, data_dir = argv
    store = open_store(Path(data_dir) / DB_FILENAME)
    client = SyncClient(base_url, token)
    timed = TimedClient(client)
    puller = Puller(store, timed, clock=SystemClock(), refresh=TokenRefresh(client, None))  # type: ignore[arg-type]
    print("ready", flush=True)
    sys.stdin.readline()
    report = puller.pull_until_drained()
    client.close()
    store.close()
    print(json.dumps({"latencies": timed.latencies, "changes": report.changes, "error": report.error}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
