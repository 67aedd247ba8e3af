"""The selected refund request in detail: per line and component what was charged, refunded, promised
and what is refundable now; the return and its inspection; and the history — every decision with who,
when, on which device, its sync state, the note sent to the customer and the policy checks shown.
"""

from __future__ import annotations

import html

from PySide6.QtWidgets import QTextBrowser, QVBoxLayout, QWidget

from seller_desk.domain.enums import ChargeComponent
from seller_desk.domain.money import Money, zero
from seller_desk.ui import formatting as fmt
from seller_desk.ui.models.refunds_columns import SOURCE_LABELS, SYNC_LABELS
from seller_desk.workers.refunds import RequestDetail


def _m(amount: Money) -> str:
    return fmt.money(amount.amount_minor, amount.currency)


def _lines_html(detail: RequestDetail) -> str:
    f = detail.facts
    rows = []
    for line in f.lines:
        for component in ChargeComponent:
            if component not in line.charged:
                continue
            none = zero(f.currency)
            asked = line.asked.get(component)
            cells = (
                html.escape(line.sku), component.value.replace("_", " "), _m(line.charged[component]),
                _m(line.refunded.get(component, none)), _m(line.pending.get(component, none)),
                _m(line.refundable.get(component, none)), "" if asked is None else _m(asked),
            )  # fmt: skip
            tds = (f"<td{' align=right' if i >= 2 else ''}>{c}</td>" for i, c in enumerate(cells))
            rows.append("<tr>" + "".join(tds) + "</tr>")
    head = "".join(f"<th align='{'left' if i < 2 else 'right'}'>{t}</th>" for i, t in enumerate(
        ("Item", "Component", "Charged", "Refunded", "Pending", "Refundable now", "Asked")))  # fmt: skip
    return f"<table cellspacing='6'><tr>{head}</tr>{''.join(rows)}</table>"


def _history_html(detail: RequestDetail) -> str:
    parts = []
    for d in detail.decisions:
        what = "Rejected" if d.kind == "reject" else f"Approved {_m(d.amount)}"
        if d.restocking_fee_bp:
            what += f" (restocking fee {d.restocking_fee_bp / 100:g} %)"
        sync = SYNC_LABELS.get(d.sync_state, "from the backend" if d.sync_state == "server" else d.sync_state)
        who = f"{html.escape(d.decided_by or 'someone')} on device {html.escape((d.device_id or '?')[:8])}"
        block = f"<p><b>{what}</b> — {who}, {d.at:%d %b %Y %H:%M} UTC · <i>{html.escape(sync)}</i>"
        if d.reason:
            block += f"<br>Reason: {html.escape(d.reason)}"
        if d.customer_message:
            block += (
                "<br>To the customer: <i>" + html.escape(d.customer_message).replace("\n", "<br>") + "</i>"
            )
        if d.checks:
            marks = "; ".join(
                f"{'✓' if ok else '✗'} {html.escape(n)}: {html.escape(t)}" for n, ok, t in d.checks
            )
            block += f"<br><small>Checks shown: {marks}</small>"
        parts.append(block + "</p>")
    for line in detail.audit:
        parts.append(f"<p><small>{line.at:%d %b %Y %H:%M} UTC · {html.escape(line.what)} by "
                     f"{html.escape(line.user or '?')}</small></p>")  # fmt: skip
    return "".join(parts) or "<p>No decision yet.</p>"


class RefundDetailPane(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = QTextBrowser(self)
        self.text.setAccessibleName("Refund request details")
        self.text.setOpenLinks(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.text)
        self.clear()

    def clear(self) -> None:
        self.text.setHtml("<p style='color:#666'>Select a refund request to see its money and history.</p>")

    def show_message(self, message: str) -> None:
        self.text.setHtml(f"<p>{html.escape(message)}</p>")

    def show_detail(self, detail: RequestDetail) -> None:
        f = detail.facts
        ret = ""
        if f.rma:
            inspected = [f"{line.sku}: {line.condition}" for line in f.lines if line.condition]
            ret = f"<p>Return <b>{html.escape(f.rma)}</b> · {fmt.status_label(f.return_status or '')}"
            ret += (" · inspected " + html.escape(", ".join(inspected))) if inspected else " · not inspected"
            ret += "</p>"
        claims = " · <b style='color:#b0201a'>A-to-z claim open</b>" if f.a_to_z_claim else ""
        due = "no refund clock yet" if f.due_at is None else f"due {f.due_at:%d %b %Y %H:%M} UTC"
        self.text.setHtml(
            f"<h3>Refund request {f.request_id} · order {html.escape(f.order_id)}</h3>"
            f"<p>{SOURCE_LABELS.get(f.source.value, f.source.value)} · {html.escape(f.reason or 'no reason')}"
            f" · {f.state.value} on the backend · asks {_m(f.requested)} · {due}{claims}</p>{ret}"
            f"{_lines_html(detail)}<h4>History</h4>{_history_html(detail)}"
        )
