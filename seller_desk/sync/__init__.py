"""Desktop ↔ backend sync (design/SYNC.md): the outbox push, the change-feed pull, and their engine.

The promise: an act of the seller reaches the backend exactly once — never twice, never lost — through
crashes, network faults and retries. The pieces, each with one job:

- ``client``: the three HTTP calls of the protocol, answered with typed results (``results``);
- ``pages``: a changes page decoded straight into per-table rows, checked as a whole;
- ``push``: the outbox worker (claim, send without a transaction, record the answer);
- ``pull``: the feed, one page per transaction with its cursor; 410 rebuilds the mirrors;
- ``backoff``, ``clock``: when to retry, and whose time it is (injectable);
- ``engine``: ``sync_once`` and the background loop, plus the status the UI shows;
- ``credentials``: the device token in the OS keyring (or a private file).
Recording an act (mutation + outbox row + local effect + audit, one transaction) is the store's job:
``seller_desk.store.outbox.record_mutation``. No Qt in this package.
"""

from seller_desk.sync.client import SyncClient
from seller_desk.sync.clock import Clock, FakeClock, SystemClock
from seller_desk.sync.engine import SyncEngine, SyncStatus, SyncSummary

__all__ = ["Clock", "FakeClock", "SyncClient", "SyncEngine", "SyncStatus", "SyncSummary", "SystemClock"]
