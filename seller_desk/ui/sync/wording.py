"""How sync facts read to a seller: acts, targets, conflicts, history events and ages, in plain words.

Pure functions over the plain rows of ``store.queries.sync_view``; money is formatted with its currency
by ``ui.formatting.money`` (integer minor units, never floats).
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

from seller_desk.domain.entities import credit_minor
from seller_desk.ui.formatting import money

KIND_LABELS = {
    "refund_decision": "Refund decision",
    "return_received": "Return received",
    "inspection_recorded": "Inspection",
    "note": "Note",
}
TARGET_LABELS = {"refund_request": "Refund request", "return": "Return", "order": "Order"}
STATE_LABELS = {"queued": "Waiting", "sending": "Sending…", "rejected": "Rejected"}
REASON_LABELS = {
    "version_mismatch": "Changed on the backend since you decided",
    "customer_cancelled": "The customer cancelled",
    "auto_refunded": "The marketplace refunded it already",
    "over_refund": "More than is still refundable",
    "already_decided": "Someone else decided first",
}
EVENT_LABELS = {
    "acknowledged": "Accepted by the backend",
    "settled": "Settled",
    "conflict": "Conflict",
    "rejected": "Rejected by the backend",
    "undone": "Undone before sending",
    "conflict_discarded": "Conflict discarded (backend's version kept)",
}
NOTE_CHARS = 60


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind) or kind.replace("_", " ").capitalize()


def target_label(target: str | None) -> str:
    """``refund_request:123`` → ``Refund request 123``."""
    if not target:
        return ""
    kind, _, ident = target.partition(":")
    return f"{TARGET_LABELS.get(kind) or kind.replace('_', ' ').capitalize()} {ident}".strip()


def act_summary(kind: str, payload: dict[str, Any]) -> str:
    """One line saying what the act does: "Approve $12.34", "Reject — not returned", a note's start."""
    if kind == "refund_decision":
        decision = str(payload.get("decision", ""))
        if decision == "approve":
            currency = str(payload.get("currency", ""))
            total = sum(
                credit_minor(str(c.get("component")), int(c.get("amount_minor", 0)))
                for c in payload.get("components") or []
            )
            return f"Approve {money(total, currency)}" if currency else "Approve"
        reason = payload.get("reason")
        return f"Reject — {reason}" if reason else decision.capitalize()
    if kind == "note":
        text = " ".join(str(payload.get("text", "")).split())
        return f"“{text[:NOTE_CHARS]}{'…' if len(text) > NOTE_CHARS else ''}”"
    if kind == "inspection_recorded":
        lines = payload.get("lines") or []
        return f"{len(lines)} line{'' if len(lines) == 1 else 's'} inspected"
    if kind == "return_received":
        return "Marked received"
    return ""


def reason_label(reason: str) -> str:
    return REASON_LABELS.get(reason) or reason.replace("_", " ").capitalize()


def snapshot_summary(snapshot: dict[str, Any] | None) -> str:
    """The backend's copy of the target in a few words: its state, the money, its version."""
    if not snapshot:
        return "No server copy was sent"
    parts: list[str] = []
    state = snapshot.get("state") or snapshot.get("status")
    if state:
        parts.append(f"now {str(state).replace('_', ' ')}")
    currency = snapshot.get("currency")
    if isinstance(currency, str):
        for key, value in snapshot.items():
            if key.endswith("_minor") and isinstance(value, int) and not isinstance(value, bool):
                parts.append(f"{key.removesuffix('_minor').replace('_', ' ')} {money(value, currency)}")
                if len(parts) >= 3:
                    break
    version = snapshot.get("server_version")
    if version is not None:
        parts.append(f"version {version}")
    return ", ".join(parts) or ", ".join(f"{k}: {v}" for k, v in list(snapshot.items())[:3])


def event_label(what: str) -> tuple[str, str]:
    """``refund_decision.acknowledged`` → ("Refund decision", "Accepted by the backend")."""
    kind, _, event = what.rpartition(".")
    return kind_label(kind) if kind else "", EVENT_LABELS.get(event) or event.replace("_", " ")


def run_summary(detail: dict[str, Any]) -> str:
    """A recorded sync round: "Pulled 1,234 changes · sent 2 (2 accepted)"."""
    parts = []
    pulled = int(detail.get("pulled", 0))
    if pulled:
        parts.append(f"Pulled {pulled:,} change{'' if pulled == 1 else 's'}")
    sent = int(detail.get("sent", 0))
    if sent:
        answers = [f"{int(detail[k]):,} {word}" for k, word in
                   (("acknowledged", "accepted"), ("conflicts", "in conflict"), ("rejected", "rejected"))
                   if detail.get(k)]  # fmt: skip
        parts.append(f"sent {sent:,}" + (f" ({', '.join(answers)})" if answers else ""))
    text = " · ".join(parts) or "Nothing moved"
    return text[0].upper() + text[1:]


def local_time(when: datetime | None) -> str:
    """A stored UTC time in the seller's local zone: "12 Mar 14:05"."""
    if when is None:
        return ""
    return time.strftime("%d %b %H:%M", time.localtime(when.timestamp()))


def age(when: datetime | None, now: float | None = None) -> str:
    """``synced 2 min ago``-style age: "just now", "5 min ago", "3 h ago", "2 days ago"."""
    if when is None:
        return "never"
    seconds = max(0.0, (time.time() if now is None else now) - when.timestamp())
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 86_400:
        return f"{int(seconds // 3600)} h ago"
    days = int(seconds // 86_400)
    return f"{days} day{'' if days == 1 else 's'} ago"
