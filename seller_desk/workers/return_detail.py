"""The Returns screen's detail read, as an ``Op`` function: one return's detail on the DB thread.

The pane never sees a connection: this opens the op's own through ``ctx`` and hands back the frozen
``ReturnDetail`` (or raises ``ReturnNotFound``, which reaches the pane's failure callback).
"""

from __future__ import annotations

from seller_desk.store.queries.return_detail import load_return_detail
from seller_desk.store.queries.return_detail_facts import ReturnDetail
from seller_desk.workers.ops import OpContext


def read_return_detail(ctx: OpContext, return_id: int) -> ReturnDetail:
    """Read on the DB lane, queued behind any write the seller just made, so the pane shows its effect."""
    ctx.check_cancelled()  # the selection moved on while this waited in the queue: skip the read
    return load_return_detail(ctx.connection(), return_id)
