"""Initial schema: catalogue, orders, shipments, returns, refunds, and the client sync tables.

Frozen DDL: timestamps as INTEGER epoch seconds, enums as VARCHAR(32), so this revision never changes
when the Python types do.

Revision ID: 0001
Revises:
Create Date: 2026-11-22 02:24:47.456144
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "app_meta",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_app_meta")),
    )
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.Integer(), nullable=False),
        sa.Column("user", sa.String(length=120), nullable=True),
        sa.Column("device", sa.String(length=36), nullable=True),
        sa.Column("what", sa.String(length=80), nullable=False),
        sa.Column("target", sa.String(length=80), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit")),
    )
    with op.batch_alter_table("audit", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_audit_target_at"), ["target", "at"], unique=False
        )

    op.create_table(
        "mutations",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("target", sa.String(length=80), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("base_version", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=True),
        sa.Column("acknowledged_at", sa.Integer(), nullable=True),
        sa.Column("server_version", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mutations")),
    )
    with op.batch_alter_table("mutations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_mutations_status_created_at"),
            ["status", "created_at"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_mutations_target"), ["target"], unique=False
        )

    op.create_table(
        "notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("target_kind", sa.String(length=24), nullable=False),
        sa.Column("target_id", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("author", sa.String(length=120), nullable=True),
        sa.Column("created_at", sa.Integer(), nullable=False),
        sa.Column("mutation_id", sa.String(length=36), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notes")),
    )
    with op.batch_alter_table("notes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_notes_target_kind_target_id"),
            ["target_kind", "target_id"],
            unique=False,
        )

    op.create_table(
        "orders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.String(length=40), nullable=False),
        sa.Column("marketplace", sa.String(length=8), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("purchased_at", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("buyer_name", sa.String(length=120), nullable=True),
        sa.Column("server_version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_orders")),
    )
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_orders_order_id"), ["order_id"], unique=True
        )

    op.create_table(
        "skus",
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("asin", sa.String(length=16), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("category", sa.String(length=64), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("price_minor", sa.Integer(), nullable=False),
        sa.Column("unit_cost_minor", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("sku", name=op.f("pk_skus")),
    )
    with op.batch_alter_table("skus", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_skus_category"), ["category"], unique=False
        )

    op.create_table(
        "sync_state",
        sa.Column("stream", sa.String(length=40), nullable=False),
        sa.Column("cursor", sa.String(length=200), nullable=True),
        sa.Column("last_success_at", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("stream", name=op.f("pk_sync_state")),
    )
    op.create_table(
        "conflicts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mutation_id", sa.String(length=36), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.Column("server_snapshot", sa.Text(), nullable=True),
        sa.Column("created_at", sa.Integer(), nullable=False),
        sa.Column("resolved_at", sa.Integer(), nullable=True),
        sa.Column("resolution", sa.String(length=24), nullable=True),
        sa.ForeignKeyConstraint(
            ["mutation_id"],
            ["mutations.id"],
            name=op.f("fk_conflicts_mutation_id_mutations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conflicts")),
    )
    with op.batch_alter_table("conflicts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_conflicts_mutation_id"), ["mutation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_conflicts_resolved_at"), ["resolved_at"], unique=False
        )

    op.create_table(
        "daily_sales",
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("day", sa.Integer(), nullable=False),
        sa.Column("marketplace", sa.String(length=8), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.Column("revenue_minor", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.ForeignKeyConstraint(
            ["sku"], ["skus.sku"], name=op.f("fk_daily_sales_sku_skus")
        ),
        sa.PrimaryKeyConstraint(
            "sku", "day", "marketplace", "channel", name=op.f("pk_daily_sales")
        ),
    )
    with op.batch_alter_table("daily_sales", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_daily_sales_day_sku"), ["day", "sku"], unique=False
        )

    op.create_table(
        "order_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_pk", sa.Integer(), nullable=False),
        sa.Column("order_item_code", sa.String(length=40), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("asin", sa.String(length=16), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("principal_minor", sa.Integer(), nullable=False),
        sa.Column("shipping_minor", sa.Integer(), nullable=False),
        sa.Column("tax_minor", sa.Integer(), nullable=False),
        sa.Column("shipping_tax_minor", sa.Integer(), nullable=False),
        sa.Column("gift_wrap_minor", sa.Integer(), nullable=False),
        sa.Column("promotion_minor", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_pk"],
            ["orders.id"],
            name=op.f("fk_order_lines_order_pk_orders"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_lines")),
    )
    with op.batch_alter_table("order_lines", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_order_lines_order_pk"), ["order_pk"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_order_lines_sku"), ["sku"], unique=False)

    op.create_table(
        "outbox",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("mutation_id", sa.String(length=36), nullable=False),
        sa.Column("idempotency_key", sa.String(length=64), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("in_flight_since", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["mutation_id"],
            ["mutations.id"],
            name=op.f("fk_outbox_mutation_id_mutations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_outbox")),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_outbox_idempotency_key"), ["idempotency_key"], unique=True
        )
        batch_op.create_index(
            batch_op.f("ix_outbox_mutation_id"), ["mutation_id"], unique=True
        )
        batch_op.create_index(
            batch_op.f("ix_outbox_next_attempt_at"), ["next_attempt_at"], unique=False
        )

    op.create_table(
        "shipments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("direction", sa.String(length=32), nullable=False),
        sa.Column("carrier", sa.String(length=40), nullable=False),
        sa.Column("tracking_number", sa.String(length=64), nullable=False),
        sa.Column("order_pk", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("shipped_at", sa.Integer(), nullable=True),
        sa.Column("promised_at", sa.Integer(), nullable=True),
        sa.Column("carrier_eta", sa.Integer(), nullable=True),
        sa.Column("delivered_at", sa.Integer(), nullable=True),
        sa.Column("last_event_at", sa.Integer(), nullable=True),
        sa.Column("last_location", sa.String(length=120), nullable=True),
        sa.Column("server_version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_pk"],
            ["orders.id"],
            name=op.f("fk_shipments_order_pk_orders"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shipments")),
    )
    with op.batch_alter_table("shipments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_shipments_direction_status_promised_at"),
            ["direction", "status", "promised_at"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_shipments_order_pk"), ["order_pk"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_shipments_tracking_number_carrier"),
            ["tracking_number", "carrier"],
            unique=True,
        )

    op.create_table(
        "sku_stock",
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("on_hand", sa.Integer(), nullable=False),
        sa.Column("lead_time_days", sa.Integer(), nullable=False),
        sa.Column("sales_per_day", sa.Double(), nullable=False),
        sa.Column("inbound_po_units", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["sku"], ["skus.sku"], name=op.f("fk_sku_stock_sku_skus")
        ),
        sa.PrimaryKeyConstraint("sku", name=op.f("pk_sku_stock")),
    )
    op.create_table(
        "returns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rma", sa.String(length=40), nullable=False),
        sa.Column("order_pk", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.String(length=40), nullable=False),
        sa.Column("marketplace", sa.String(length=8), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("asin", sa.String(length=16), nullable=True),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=True),
        sa.Column("reason_raw", sa.String(length=64), nullable=False),
        sa.Column("customer_comment", sa.Text(), nullable=True),
        sa.Column("in_policy", sa.Boolean(), nullable=False),
        sa.Column("requested_at", sa.Integer(), nullable=False),
        sa.Column("week", sa.Integer(), nullable=False),
        sa.Column("authorized_at", sa.Integer(), nullable=True),
        sa.Column("shipped_at", sa.Integer(), nullable=True),
        sa.Column("delivered_at", sa.Integer(), nullable=True),
        sa.Column("received_at", sa.Integer(), nullable=True),
        sa.Column("inspected_at", sa.Integer(), nullable=True),
        sa.Column("closed_at", sa.Integer(), nullable=True),
        sa.Column("shipment_id", sa.Integer(), nullable=True),
        sa.Column("carrier", sa.String(length=40), nullable=True),
        sa.Column("tracking_number", sa.String(length=64), nullable=True),
        sa.Column("tracking_status", sa.String(length=32), nullable=True),
        sa.Column("last_scan_at", sa.Integer(), nullable=True),
        sa.Column("eta", sa.Integer(), nullable=True),
        sa.Column("eta_source", sa.String(length=16), nullable=True),
        sa.Column("label_type", sa.String(length=40), nullable=True),
        sa.Column("label_cost_minor", sa.Integer(), nullable=False),
        sa.Column("label_paid_by", sa.String(length=32), nullable=True),
        sa.Column("resolution", sa.String(length=32), nullable=True),
        sa.Column("a_to_z_claim", sa.Boolean(), nullable=False),
        sa.Column("safet_claim", sa.Boolean(), nullable=False),
        sa.Column("value_minor", sa.Integer(), nullable=False),
        sa.Column("server_version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_pk"],
            ["orders.id"],
            name=op.f("fk_returns_order_pk_orders"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["shipment_id"],
            ["shipments.id"],
            name=op.f("fk_returns_shipment_id_shipments"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_returns")),
    )
    with op.batch_alter_table("returns", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_returns_order_id"), ["order_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_returns_order_pk"), ["order_pk"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_returns_reason_requested_at_id"),
            ["reason", "requested_at", "id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_returns_requested_at_id"),
            ["requested_at", "id"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_returns_rma"), ["rma"], unique=True)
        batch_op.create_index(
            batch_op.f("ix_returns_sku_requested_at_id"),
            ["sku", "requested_at", "id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_returns_status_requested_at_id"),
            ["status", "requested_at", "id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_returns_tracking_number"), ["tracking_number"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_returns_week_reason"), ["week", "reason"], unique=False
        )

    op.create_table(
        "tracking_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("shipment_id", sa.Integer(), nullable=False),
        sa.Column("occurred_at", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("raw_code", sa.String(length=64), nullable=False),
        sa.Column("location", sa.String(length=120), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["shipment_id"],
            ["shipments.id"],
            name=op.f("fk_tracking_events_shipment_id_shipments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tracking_events")),
    )
    with op.batch_alter_table("tracking_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_tracking_events_shipment_id_occurred_at"),
            ["shipment_id", "occurred_at"],
            unique=False,
        )

    op.create_table(
        "refund_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_pk", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.String(length=40), nullable=False),
        sa.Column("return_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.String(length=64), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("requested_minor", sa.Integer(), nullable=False),
        sa.Column("refunded_minor", sa.Integer(), nullable=False),
        sa.Column("needs_authorization", sa.Boolean(), nullable=False),
        sa.Column("a_to_z_claim", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.Integer(), nullable=False),
        sa.Column("due_at", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.Integer(), nullable=False),
        sa.Column("server_version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_pk"],
            ["orders.id"],
            name=op.f("fk_refund_requests_order_pk_orders"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["return_id"],
            ["returns.id"],
            name=op.f("fk_refund_requests_return_id_returns"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refund_requests")),
    )
    with op.batch_alter_table("refund_requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_refund_requests_order_pk"), ["order_pk"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_refund_requests_return_id"), ["return_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_refund_requests_state_due_at"),
            ["state", "due_at"],
            unique=False,
        )

    op.create_table(
        "return_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("return_id", sa.Integer(), nullable=False),
        sa.Column("order_line_id", sa.Integer(), nullable=True),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=True),
        sa.Column("reason_raw", sa.String(length=64), nullable=False),
        sa.Column("customer_comment", sa.Text(), nullable=True),
        sa.Column("in_policy", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_line_id"],
            ["order_lines.id"],
            name=op.f("fk_return_lines_order_line_id_order_lines"),
        ),
        sa.ForeignKeyConstraint(
            ["return_id"],
            ["returns.id"],
            name=op.f("fk_return_lines_return_id_returns"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_return_lines")),
    )
    with op.batch_alter_table("return_lines", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_return_lines_return_id"), ["return_id"], unique=False
        )

    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("refund_request_id", sa.Integer(), nullable=False),
        sa.Column("mutation_id", sa.String(length=36), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("amount_minor", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("components", sa.Text(), nullable=False),
        sa.Column("restocking_fee_bp", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("customer_message", sa.Text(), nullable=True),
        sa.Column("decided_by", sa.String(length=120), nullable=True),
        sa.Column("device_id", sa.String(length=36), nullable=True),
        sa.Column("decided_at", sa.Integer(), nullable=False),
        sa.Column("server_version", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["refund_request_id"],
            ["refund_requests.id"],
            name=op.f("fk_decisions_refund_request_id_refund_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decisions")),
    )
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_decisions_mutation_id"), ["mutation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_decisions_refund_request_id"),
            ["refund_request_id"],
            unique=False,
        )

    op.create_table(
        "inspections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("return_id", sa.Integer(), nullable=False),
        sa.Column("return_line_id", sa.Integer(), nullable=True),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("condition", sa.String(length=32), nullable=False),
        sa.Column("disposition", sa.String(length=32), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("photos", sa.Text(), nullable=True),
        sa.Column("inspected_at", sa.Integer(), nullable=False),
        sa.Column("inspected_by", sa.String(length=120), nullable=True),
        sa.Column("mutation_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["return_id"],
            ["returns.id"],
            name=op.f("fk_inspections_return_id_returns"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["return_line_id"],
            ["return_lines.id"],
            name=op.f("fk_inspections_return_line_id_return_lines"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspections")),
    )
    with op.batch_alter_table("inspections", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_inspections_return_id"), ["return_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_inspections_sku_disposition"),
            ["sku", "disposition"],
            unique=False,
        )

    op.create_table(
        "refund_payments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("refund_request_id", sa.Integer(), nullable=False),
        sa.Column("order_line_id", sa.Integer(), nullable=False),
        sa.Column("component", sa.String(length=32), nullable=False),
        sa.Column("amount_minor", sa.Integer(), nullable=False),
        sa.Column("settled", sa.Boolean(), nullable=False),
        sa.Column("executed_at", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["order_line_id"],
            ["order_lines.id"],
            name=op.f("fk_refund_payments_order_line_id_order_lines"),
        ),
        sa.ForeignKeyConstraint(
            ["refund_request_id"],
            ["refund_requests.id"],
            name=op.f("fk_refund_payments_refund_request_id_refund_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refund_payments")),
    )
    with op.batch_alter_table("refund_payments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_refund_payments_order_line_id"),
            ["order_line_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_refund_payments_refund_request_id"),
            ["refund_request_id"],
            unique=False,
        )

    op.create_table(
        "refund_request_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("refund_request_id", sa.Integer(), nullable=False),
        sa.Column("order_line_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("component", sa.String(length=32), nullable=False),
        sa.Column("amount_minor", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_line_id"],
            ["order_lines.id"],
            name=op.f("fk_refund_request_lines_order_line_id_order_lines"),
        ),
        sa.ForeignKeyConstraint(
            ["refund_request_id"],
            ["refund_requests.id"],
            name=op.f("fk_refund_request_lines_refund_request_id_refund_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refund_request_lines")),
    )
    with op.batch_alter_table("refund_request_lines", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_refund_request_lines_refund_request_id"),
            ["refund_request_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("refund_request_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_refund_request_lines_refund_request_id"))

    op.drop_table("refund_request_lines")
    with op.batch_alter_table("refund_payments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_refund_payments_refund_request_id"))
        batch_op.drop_index(batch_op.f("ix_refund_payments_order_line_id"))

    op.drop_table("refund_payments")
    with op.batch_alter_table("inspections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inspections_sku_disposition"))
        batch_op.drop_index(batch_op.f("ix_inspections_return_id"))

    op.drop_table("inspections")
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_decisions_refund_request_id"))
        batch_op.drop_index(batch_op.f("ix_decisions_mutation_id"))

    op.drop_table("decisions")
    with op.batch_alter_table("return_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_return_lines_return_id"))

    op.drop_table("return_lines")
    with op.batch_alter_table("refund_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_refund_requests_state_due_at"))
        batch_op.drop_index(batch_op.f("ix_refund_requests_return_id"))
        batch_op.drop_index(batch_op.f("ix_refund_requests_order_pk"))

    op.drop_table("refund_requests")
    with op.batch_alter_table("tracking_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tracking_events_shipment_id_occurred_at"))

    op.drop_table("tracking_events")
    with op.batch_alter_table("returns", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_returns_week_reason"))
        batch_op.drop_index(batch_op.f("ix_returns_tracking_number"))
        batch_op.drop_index(batch_op.f("ix_returns_status_requested_at_id"))
        batch_op.drop_index(batch_op.f("ix_returns_sku_requested_at_id"))
        batch_op.drop_index(batch_op.f("ix_returns_rma"))
        batch_op.drop_index(batch_op.f("ix_returns_requested_at_id"))
        batch_op.drop_index(batch_op.f("ix_returns_reason_requested_at_id"))
        batch_op.drop_index(batch_op.f("ix_returns_order_pk"))
        batch_op.drop_index(batch_op.f("ix_returns_order_id"))

    op.drop_table("returns")
    op.drop_table("sku_stock")
    with op.batch_alter_table("shipments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_shipments_tracking_number_carrier"))
        batch_op.drop_index(batch_op.f("ix_shipments_order_pk"))
        batch_op.drop_index(batch_op.f("ix_shipments_direction_status_promised_at"))

    op.drop_table("shipments")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_next_attempt_at"))
        batch_op.drop_index(batch_op.f("ix_outbox_mutation_id"))
        batch_op.drop_index(batch_op.f("ix_outbox_idempotency_key"))

    op.drop_table("outbox")
    with op.batch_alter_table("order_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_order_lines_sku"))
        batch_op.drop_index(batch_op.f("ix_order_lines_order_pk"))

    op.drop_table("order_lines")
    with op.batch_alter_table("daily_sales", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_daily_sales_day_sku"))

    op.drop_table("daily_sales")
    with op.batch_alter_table("conflicts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conflicts_resolved_at"))
        batch_op.drop_index(batch_op.f("ix_conflicts_mutation_id"))

    op.drop_table("conflicts")
    op.drop_table("sync_state")
    with op.batch_alter_table("skus", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_skus_category"))

    op.drop_table("skus")
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_orders_order_id"))

    op.drop_table("orders")
    with op.batch_alter_table("notes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notes_target_kind_target_id"))

    op.drop_table("notes")
    with op.batch_alter_table("mutations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mutations_target"))
        batch_op.drop_index(batch_op.f("ix_mutations_status_created_at"))

    op.drop_table("mutations")
    with op.batch_alter_table("audit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_target_at"))

    op.drop_table("audit")
    op.drop_table("app_meta")
