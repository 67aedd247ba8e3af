"""The relay: executes the ledger's approved refunds upstream, exactly once (SYNC.md faults 7 and 8).

``steps`` holds the short database transactions (claim an attempt, record the outcome); ``loop`` runs
them around the upstream calls, never holding a transaction across one, with backoff and pause hooks.
"""

from seller_desk.backend.relay.loop import Relay, RelaySettings, pause_hook_from_env
from seller_desk.backend.relay.steps import Attempt

__all__ = ["Attempt", "Relay", "RelaySettings", "pause_hook_from_env"]
