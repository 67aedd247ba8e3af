"""The detail pane's sections as Qt rich text, one function per section, from ``ReturnDetail`` facts.

Rich text in labels rather than nested widgets and item views: the sections are read, not edited, they
wrap to the pane's width and scale with the font on any screen, and a seller can select and copy an
order id or tracking number. Every stored string is escaped: a customer's comment is the customer's
text, not markup. Amounts go through ``formatting.money`` (integer minor units, never floats).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from html import escape

from seller_desk.domain.policies.clocks import delivered_not_received_overdue
from seller_desk.store.queries.return_detail_facts import (
    OrderLineFacts,
    RefundRequestFacts,
    ReturnDetail,
    ShipmentFacts,
)
from seller_desk.store.queries.returns_quick import STALLED_AFTER_DAYS
from seller_desk.ui.formatting import money, reason_label, status_label
from seller_desk.ui.theme import readable
from seller_desk.ui.views.return_detail_wording import (
    ATTENTION_STATUSES,
    chip_colors,
    history_label,
    local_time,
    refund_label,
    short_time,
    source_label,
    sync_label,
    tracking_label,
)

MUTED = "#5f6368"
ALERT = "#b3261e"
COMPONENTS = (  # attribute, label, sign
    ("principal_minor", "item", 1),
    ("shipping_minor", "shipping", 1),
    ("tax_minor", "tax", 1),
    ("shipping_tax_minor", "shipping tax", 1),
    ("gift_wrap_minor", "gift wrap", 1),
    ("promotion_minor", "promotion", -1),
)


def _muted(text: str) -> str:
    return f'<span style="color:{readable(MUTED)}">{text}</span>'


def _rows(cells: Iterable[tuple[str, ...]], aligns: str) -> str:
    """Table rows; ``aligns`` has one letter per column, ``l`` or ``r``."""
    out = []
    for row in cells:
        tds = "".join(
            f'<td align="{"right" if a == "r" else "left"}" style="padding:2px 6px">{c}</td>'
            for c, a in zip(row, aligns, strict=True)
        )
        out.append(f"<tr>{tds}</tr>")
    return "".join(out)


def _table(head: tuple[str, ...], rows: Iterable[tuple[str, ...]], aligns: str) -> str:
    header = _rows([tuple(f"<b>{h}</b>" for h in head)], aligns)
    return f'<table width="100%" cellspacing="0">{header}{_rows(rows, aligns)}</table>'


def is_stalled(d: ReturnDetail, now: datetime, stalled_after_days: int = STALLED_AFTER_DAYS) -> bool:
    """In transit with no scan for ``stalled_after_days`` (DOMAIN.md "Overdue / stalled"; the seller's
    setting, the same one the list's flag and quick filter use)."""
    if d.status != "in_transit" or d.shipment is None or not d.shipment.events:
        return False
    return now - d.shipment.events[0].occurred_at > timedelta(days=stalled_after_days)


def not_received_in_time(d: ReturnDetail, now: datetime, holiday_country: str | None = None) -> bool:
    """Delivered by the carrier but not scanned in at the bench within 2 business days (DOMAIN.md
    "Overdue / stalled"), counted in the seller's holiday calendar, else the marketplace's."""
    if d.status != "delivered" or d.delivered_at is None:
        return False
    return delivered_not_received_overdue(d.delivered_at, now, d.order.marketplace, holiday_country)


def header_html(
    d: ReturnDetail,
    now: datetime,
    stalled_after_days: int = STALLED_AFTER_DAYS,
    holiday_country: str | None = None,
) -> str:
    bg, fg = chip_colors(d.status)
    chip = (
        f'<span style="background-color:{bg}; color:{fg}">&nbsp;{escape(status_label(d.status))}&nbsp;</span>'
    )
    flags = []
    if d.a_to_z_claim:
        flags.append("A-to-z claim")
    if d.safet_claim:
        flags.append("SAFE-T claim")
    if not d.in_policy:
        flags.append("Out of policy")
    if is_stalled(d, now, stalled_after_days):
        flags.append(f"No scan for {stalled_after_days}+ days")
    if not_received_in_time(d, now, holiday_country):
        flags.append("Not received 2 business days after delivery")
    flag_html = (
        f' <span style="color:{readable(ALERT)}"><b>{escape(" · ".join(flags))}</b></span>' if flags else ""
    )
    order = d.order
    sub = (
        f"Order <b>{escape(order.order_id)}</b> · {escape(order.marketplace)} · {escape(order.channel)} · "
        f"bought {escape(local_time(order.purchased_at))}"
    )
    value = f"Value {money(d.value_minor, d.currency)}"
    return (
        f'<span style="font-size:large"><b>{escape(d.rma)}</b></span>&nbsp;&nbsp;{chip}{flag_html}'
        f"<br>{sub}<br>{_muted(value)}"
    )


def reason_html(d: ReturnDetail) -> str:
    shown = reason_label(d.reason, d.reason_raw)
    raw = "" if d.reason is None else f" {_muted('— marketplace code ' + escape(d.reason_raw))}"
    unknown = _muted(" (code not mapped to a reason yet)") if d.reason is None else ""
    comment = (
        f"<p><i>“{escape(d.customer_comment)}”</i></p>"
        if d.customer_comment
        else f"<p>{_muted('The customer left no comment.')}</p>"
    )
    return f"<b>{escape(shown)}</b>{raw}{unknown}{comment}"


def _components(line: OrderLineFacts, currency: str) -> str:
    parts = [
        f"{label} {money(sign * getattr(line, attr), currency)}"
        for attr, label, sign in COMPONENTS
        if getattr(line, attr)
    ]
    return _muted(escape(" · ".join(parts)))


def lines_html(d: ReturnDetail) -> str:
    """The order's lines with what was charged and refunded, and how many of each come back."""
    currency = d.order.currency
    returned: dict[int, int] = {}
    for rl in d.lines:
        if rl.order_line_id is not None:
            returned[rl.order_line_id] = returned.get(rl.order_line_id, 0) + rl.quantity
    rows = []
    for line in d.order.lines:
        refunded = money(line.refunded_minor, currency) if line.refunded_minor else "—"
        if line.refund_pending_minor:
            refunded += "<br>" + _muted(f"+{money(line.refund_pending_minor, currency)} pending")
        qty = f"{returned.get(line.order_line_id, 0)} of {line.quantity}"
        rows.append(
            f'<tr><td colspan="4" style="padding:6px 6px 0 6px">{escape(line.title)}</td></tr>'
            f'<tr><td style="padding:0 6px">{_muted(escape(line.sku))}</td>'
            f'<td align="right" style="padding:0 6px">{qty}</td>'
            f'<td align="right" style="padding:0 6px">{money(line.charged_minor, currency)}</td>'
            f'<td align="right" style="padding:0 6px">{refunded}</td></tr>'
            f'<tr><td colspan="4" style="padding:0 6px">{_components(line, currency)}</td></tr>'
        )
    if not rows:
        return _muted("The order's lines have not been synced to this desktop yet.")
    head = _rows([("<b>Item</b>", "<b>Returned</b>", "<b>Charged</b>", "<b>Refunded</b>")], "lrrr")
    return f'<table width="100%" cellspacing="0">{head}{"".join(rows)}</table>'


def return_lines_html(d: ReturnDetail) -> str:
    """Each returned line with its own reason, policy flag and comment."""
    if not d.lines:
        return _muted(f"{escape(d.order.order_id)}: no per-line detail; the return is for the listed SKU.")
    out = []
    for rl in d.lines:
        title = f" {escape(rl.title)}" if rl.title else ""
        reason = escape(reason_label(rl.reason, rl.reason_raw))
        code = _muted(f" ({escape(rl.reason_raw)})") if rl.reason is not None else ""
        policy = "" if rl.in_policy else f' <span style="color:{readable(ALERT)}">out of policy</span>'
        comment = (
            f"<br><i>“{escape(rl.customer_comment)}”</i>"
            if rl.customer_comment and rl.customer_comment != d.customer_comment
            else ""
        )
        out.append(f"{rl.quantity} × <b>{escape(rl.sku)}</b>{title} — {reason}{code}{policy}{comment}")
    return "<br>".join(out)


def no_parcel_text(status: str) -> str:
    """Why a return has no parcel to track, by its status."""
    if status == "returnless":
        return "Returnless refund: nothing is coming back."
    if status in ("requested", "authorized"):
        return "No return parcel yet: the customer has not shipped it."
    return f"No return parcel was tracked ({escape(status_label(status).lower())})."


def tracking_heading_html(s: ShipmentFacts) -> str:
    return f"{escape(s.carrier)} <b>{escape(s.tracking_number)}</b> · {escape(tracking_label(s.status))}"


def events_html(s: ShipmentFacts) -> str:
    if not s.events:
        return _muted("No carrier scans yet.")
    rows = []
    for e in s.events:
        label = tracking_label(e.status)
        status = escape(label)
        if e.status in ATTENTION_STATUSES:
            status = f'<span style="color:{readable(ALERT)}"><b>{status}</b></span>'
        said = e.text if e.text and e.text.casefold() != label.casefold() else None
        detail = f"{escape(said)} ({escape(e.raw_code)})" if said else escape(e.raw_code)
        when = f'<span style="white-space:nowrap">{escape(short_time(e.occurred_at))}</span>'
        rows.append((when, f"{status}<br>{_muted(detail)}", escape(e.location or "")))
    return _table(("When", "What", "Where"), rows, "lll")


def refunds_html(requests: tuple[RefundRequestFacts, ...]) -> str:
    if not requests:
        return _muted("No refund requests for this return or its order.")
    out = []
    for q in requests:
        state = escape(refund_label(q.state))
        amount = money(q.requested_minor, q.currency)
        lines = [f"<b>{state}</b> — {amount} requested, {escape(source_label(q.source))}"]
        if q.refunded_minor:
            lines.append(f"{money(q.refunded_minor, q.currency)} refunded")
        if q.due_at is not None and q.state == "pending":
            lines.append(f"Decide by {escape(local_time(q.due_at))}")
        if q.linked_by_order:
            lines.append(_muted("Linked through the order"))
        if q.decision is not None:
            dec = q.decision
            verb = "approve" if dec.kind == "approve" else "reject"
            by = f" by {escape(dec.decided_by)}" if dec.decided_by else ""
            sync = escape(sync_label(dec.sync_state))
            lines.append(f"Decision{by}: {verb} {money(dec.amount_minor, dec.currency)} — <i>{sync}</i>")
            if dec.sync_error:
                lines.append(f'<span style="color:{readable(ALERT)}">{escape(dec.sync_error)}</span>')
        out.append("<br>".join(lines))
    return "<hr>".join(out)


def dates_html(d: ReturnDetail) -> str:
    steps = (
        ("Requested", d.requested_at),
        ("Authorized", d.authorized_at),
        ("Shipped", d.shipped_at),
        ("Delivered", d.delivered_at),
        ("Received", d.received_at),
        ("Inspected", d.inspected_at),
        ("Closed", d.closed_at),
    )
    rows = [(label, escape(local_time(at))) for label, at in steps if at is not None]
    if d.label_type or d.label_cost_minor:
        cost = money(d.label_cost_minor, d.currency)
        paid = f", paid by {escape(d.label_paid_by)}" if d.label_paid_by else ""
        rows.append(("Label", f"{escape(d.label_type or 'label')}, {cost}{paid}"))
    else:
        rows.append(("Label", "none issued"))
    if d.resolution:
        rows.append(("Resolution", escape(d.resolution.replace("_", " "))))
    return _rows(rows, "ll").join(['<table cellspacing="0">', "</table>"])


def inspections_html(d: ReturnDetail) -> str:
    out = []
    for i in d.inspections:
        head = f"<b>{escape(i.sku)}</b>: {escape(i.condition.replace('_', ' '))} → {escape(i.disposition)}"
        by = f" by {escape(i.inspected_by)}" if i.inspected_by else ""
        parts = [head, _muted(f"{escape(local_time(i.inspected_at))}{by}")]
        if i.note:
            parts.append(escape(i.note))
        if i.photos:
            parts.append(_muted(f"{len(i.photos)} photo{'s' if len(i.photos) != 1 else ''}"))
        out.append("<br>".join(parts))
    for n in d.notes:
        by = f" · {escape(n.author)}" if n.author else ""
        out.append(f"{escape(n.text)}<br>{_muted(escape(local_time(n.created_at)) + by)}")
    return "<hr>".join(out) or _muted("No inspections or notes yet.")


def history_html(d: ReturnDetail) -> str:
    if not d.history:
        return _muted("Nothing recorded on this desktop yet.")
    rows = []
    for h in d.history:
        who = escape(h.user or "the marketplace")
        device = _muted(f" on {escape(h.device)}") if h.device else ""
        sync = f" — <i>{escape(sync_label(h.sync_state))}</i>" if h.sync_state else ""
        when = f'<span style="white-space:nowrap">{escape(short_time(h.at))}</span>'
        rows.append((when, f"{escape(history_label(h.what))}{sync}<br>{who}{device}"))
    return _table(("When", "What, who"), rows, "ll")
