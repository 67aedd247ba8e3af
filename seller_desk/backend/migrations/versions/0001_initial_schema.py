"""Initial schema of the backend store: tenancy, mirrored entities, change log, mutations, ledger.

Types are frozen here as plain SQL types (timestamps BIGINT epoch seconds, enums VARCHAR(32)) so this
revision keeps meaning the same schema whatever the models become. The feed's epoch is minted here,
once per database.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    feed_state = op.create_table(
        "feed_state",
        sa.Column("id", BIG, nullable=False),
        sa.Column("epoch", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feed_state")),
    )
    # The epoch every cursor carries: a cursor minted by another database is refused (410).
    op.bulk_insert(feed_state, [{"id": 1, "epoch": secrets.token_hex(8)}])
    op.create_table(
        "sellers",
        sa.Column("id", BIG, nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("feed_horizon_seq", BIG, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sellers")),
    )
    with op.batch_alter_table("sellers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sellers_name"), ["name"], unique=True)

    op.create_table(
        "changes",
        sa.Column("seq", BIG, autoincrement=True, nullable=False),
        sa.Column("seller_id", BIG, nullable=False),
        sa.Column("entity", sa.String(length=32), nullable=False),
        sa.Column("entity_id", sa.String(length=200), nullable=False),
        sa.Column("rank", sa.SmallInteger(), nullable=False),
        sa.Column("version", BIG, nullable=False),
        sa.Column("op", sa.String(length=8), nullable=False),
        sa.Column("data", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["seller_id"], ["sellers.id"], name=op.f("fk_changes_seller_id_sellers")),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_changes")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_changes_seller_id_entity_entity_id_seq"),
            ["seller_id", "entity", "entity_id", "seq"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_changes_seller_id_rank_seq"), ["seller_id", "rank", "seq"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_changes_seller_id_seq"), ["seller_id", "seq"], unique=False)

    op.create_table(
        "daily_sales",
        sa.Column("id", BIG, nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("day", BIG, nullable=False),
        sa.Column("marketplace", sa.String(length=8), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("units", BIG, nullable=False),
        sa.Column("revenue_minor", BIG, nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("server_version", BIG, nullable=False),
        sa.Column("seller_id", BIG, nullable=False),
        sa.ForeignKeyConstraint(["seller_id"], ["sellers.id"], name=op.f("fk_daily_sales_seller_id_sellers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_daily_sales")),
    )
    with op.batch_alter_table("daily_sales", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_daily_sales_seller_id_sku_day_marketplace_channel"),
            ["seller_id", "sku", "day", "marketplace", "channel"],
            unique=True,
        )

    op.create_table(
        "devices",
        sa.Column("id", BIG, nullable=False),
        sa.Column("seller_id", BIG, nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("revoked_at", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(["seller_id"], ["sellers.id"], name=op.f("fk_devices_seller_id_sellers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_devices")),
    )
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_devices_seller_id"), ["seller_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_devices_token_hash"), ["token_hash"], unique=True)

    op.create_table(
        "idempotency_keys",
        sa.Column("id", BIG, nullable=False),
        sa.Column("seller_id", BIG, nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("response_status", BIG, nullable=True),
        sa.Column("response_body", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("locked_until", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["seller_id"], ["sellers.id"], name=op.f("fk_idempotency_keys_seller_id_sellers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idempotency_keys")),
    )
    with op.batch_alter_table("idempotency_keys", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_idempotency_keys_created_at"), ["created_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_idempotency_keys_seller_id_key"), ["seller_id", "key"], unique=True
        )

    op.create_table(
        "notes",
        sa.Column("id", BIG, nullable=False),
        sa.Column("target_kind", sa.String(length=24), nullable=False),
        sa.Column("target_id", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("author", sa.String(length=120), nullable=True),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("mutation_id", sa.String(length=36), nullable=True),
        sa.Column("server_version", BIG, nullable=False),
        sa.Column("seller_id", BIG, nullable=False),
        sa.ForeignKeyConstraint(["seller_id"], ["sellers.id"], name=op.f("fk_notes_seller_id_sellers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notes")),
    )
    with op.batch_alter_table("notes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_notes_seller_id_target_kind_target_id"),
            ["seller_id", "target_kind", "target_id"],
            unique=False,
        )

    op.create_table(
        "orders",
        sa.Column("id", BIG, nullable=False),
        sa.Column("order_id", sa.String(length=40), nullable=False),
        sa.Column("marketplace", sa.String(length=8), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("purchased_at", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("buyer_name", sa.String(length=120), nullable=True),
        sa.Column("server_version", BIG, nullable=False),
        sa.Column("seller_id", BIG, nullable=False),
        sa.ForeignKeyConstraint(["seller_id"], ["sellers.id"], name=op.f("fk_orders_seller_id_sellers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_orders")),
    )
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_orders_seller_id_order_id"), ["seller_id", "order_id"], unique=True
        )

    op.create_table(
        "sku_stock",
        sa.Column("id", BIG, nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("on_hand", BIG, nullable=False),
        sa.Column("lead_time_days", BIG, nullable=False),
        sa.Column("sales_per_day", sa.Double(), nullable=False),
        sa.Column("inbound_po_units", BIG, nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.Column("server_version", BIG, nullable=False),
        sa.Column("seller_id", BIG, nullable=False),
        sa.ForeignKeyConstraint(["seller_id"], ["sellers.id"], name=op.f("fk_sku_stock_seller_id_sellers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sku_stock")),
    )
    with op.batch_alter_table("sku_stock", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sku_stock_seller_id_sku"), ["seller_id", "sku"], unique=True)

    op.create_table(
        "skus",
        sa.Column("id", BIG, nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("asin", sa.String(length=16), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("category", sa.String(length=64), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("price_minor", BIG, nullable=False),
        sa.Column("unit_cost_minor", BIG, nullable=False),
        sa.Column("server_version", BIG, nullable=False),
        sa.Column("seller_id", BIG, nullable=False),
        sa.ForeignKeyConstraint(["seller_id"], ["sellers.id"], name=op.f("fk_skus_seller_id_sellers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_skus")),
    )
    with op.batch_alter_table("skus", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_skus_seller_id_sku"), ["seller_id", "sku"], unique=True)

    op.create_table(
        "mutations",
        sa.Column("id", BIG, nullable=False),
        sa.Column("mutation_id", sa.String(length=36), nullable=False),
        sa.Column("seller_id", BIG, nullable=False),
        sa.Column("device_id", BIG, nullable=False),
        sa.Column("client_device", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("target", sa.String(length=40), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("status_code", BIG, nullable=False),
        sa.Column("outcome", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["device_id"], ["devices.id"], name=op.f("fk_mutations_device_id_devices")),
        sa.ForeignKeyConstraint(["seller_id"], ["sellers.id"], name=op.f("fk_mutations_seller_id_sellers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mutations")),
    )
    with op.batch_alter_table("mutations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mutations_mutation_id"), ["mutation_id"], unique=True)

    op.create_table(
        "order_lines",
        sa.Column("id", BIG, nullable=False),
        sa.Column("order_pk", BIG, nullable=False),
        sa.Column("order_item_code", sa.String(length=40), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("asin", sa.String(length=16), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("quantity", BIG, nullable=False),
        sa.Column("principal_minor", BIG, nullable=False),
        sa.Column("shipping_minor", BIG, nullable=False),
        sa.Column("tax_minor", BIG, nullable=False),
        sa.Column("shipping_tax_minor", BIG, nullable=False),
        sa.Column("gift_wrap_minor", BIG, nullable=False),
        sa.Column("promotion_minor", BIG, nullable=False),
        sa.Column("server_version", BIG, nullable=False),
        sa.Column("seller_id", BIG, nullable=False),
        sa.ForeignKeyConstraint(
            ["order_pk"], ["orders.id"], name=op.f("fk_order_lines_order_pk_orders"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["seller_id"], ["sellers.id"], name=op.f("fk_order_lines_seller_id_sellers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_lines")),
    )
    with op.batch_alter_table("order_lines", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_order_lines_order_pk_order_item_code"),
            ["order_pk", "order_item_code"],
            unique=True,
        )

    op.create_table(
        "shipments",
        sa.Column("id", BIG, nullable=False),
        sa.Column("direction", sa.String(length=32), nullable=False),
        sa.Column("carrier", sa.String(length=40), nullable=False),
        sa.Column("tracking_number", sa.String(length=64), nullable=False),
        sa.Column("order_pk", BIG, nullable=True),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("shipped_at", sa.BigInteger(), nullable=True),
        sa.Column("promised_at", sa.BigInteger(), nullable=True),
        sa.Column("carrier_eta", sa.BigInteger(), nullable=True),
        sa.Column("delivered_at", sa.BigInteger(), nullable=True),
        sa.Column("last_event_at", sa.BigInteger(), nullable=True),
        sa.Column("last_location", sa.String(length=120), nullable=True),
        sa.Column("server_version", BIG, nullable=False),
        sa.Column("seller_id", BIG, nullable=False),
        sa.ForeignKeyConstraint(
            ["order_pk"], ["orders.id"], name=op.f("fk_shipments_order_pk_orders"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["seller_id"], ["sellers.id"], name=op.f("fk_shipments_seller_id_sellers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shipments")),
    )
    with op.batch_alter_table("shipments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_shipments_order_pk"), ["order_pk"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_shipments_seller_id_tracking_number_carrier"),
            ["seller_id", "tracking_number", "carrier"],
            unique=True,
        )

    op.create_table(
        "returns",
        sa.Column("id", BIG, nullable=False),
        sa.Column("rma", sa.String(length=40), nullable=False),
        sa.Column("order_pk", BIG, nullable=False),
        sa.Column("order_id", sa.String(length=40), nullable=False),
        sa.Column("marketplace", sa.String(length=8), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("asin", sa.String(length=16), nullable=True),
        sa.Column("quantity", BIG, nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=True),
        sa.Column("reason_raw", sa.String(length=64), nullable=False),
        sa.Column("customer_comment", sa.Text(), nullable=True),
        sa.Column("in_policy", sa.Boolean(), nullable=False),
        sa.Column("requested_at", sa.BigInteger(), nullable=False),
        sa.Column("week", BIG, nullable=False),
        sa.Column("authorized_at", sa.BigInteger(), nullable=True),
        sa.Column("shipped_at", sa.BigInteger(), nullable=True),
        sa.Column("delivered_at", sa.BigInteger(), nullable=True),
        sa.Column("received_at", sa.BigInteger(), nullable=True),
        sa.Column("inspected_at", sa.BigInteger(), nullable=True),
        sa.Column("closed_at", sa.BigInteger(), nullable=True),
        sa.Column("shipment_id", BIG, nullable=True),
        sa.Column("carrier", sa.String(length=40), nullable=True),
        sa.Column("tracking_number", sa.String(length=64), nullable=True),
        sa.Column("tracking_status", sa.String(length=32), nullable=True),
        sa.Column("last_scan_at", sa.BigInteger(), nullable=True),
        sa.Column("eta", sa.BigInteger(), nullable=True),
        sa.Column("eta_source", sa.String(length=16), nullable=True),
        sa.Column("label_type", sa.String(length=40), nullable=True),
        sa.Column("label_cost_minor", BIG, nullable=False),
        sa.Column("label_paid_by", sa.String(length=32), nullable=True),
        sa.Column("resolution", sa.String(length=32), nullable=True),
        sa.Column("a_to_z_claim", sa.Boolean(), nullable=False),
        sa.Column("safet_claim", sa.Boolean(), nullable=False),
        sa.Column("value_minor", BIG, nullable=False),
        sa.Column("server_version", BIG, nullable=False),
        sa.Column("seller_id", BIG, nullable=False),
        sa.ForeignKeyConstraint(
            ["order_pk"], ["orders.id"], name=op.f("fk_returns_order_pk_orders"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["seller_id"], ["sellers.id"], name=op.f("fk_returns_seller_id_sellers")),
        sa.ForeignKeyConstraint(
            ["shipment_id"], ["shipments.id"], name=op.f("fk_returns_shipment_id_shipments")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_returns")),
    )
    with op.batch_alter_table("returns", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_returns_order_pk"), ["order_pk"], unique=False)
        batch_op.create_index(batch_op.f("ix_returns_seller_id_rma"), ["seller_id", "rma"], unique=True)
        batch_op.create_index(batch_op.f("ix_returns_shipment_id"), ["shipment_id"], unique=False)

    op.create_table(
        "tracking_events",
        sa.Column("id", BIG, nullable=False),
        sa.Column("shipment_id", BIG, nullable=False),
        sa.Column("occurred_at", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("raw_code", sa.String(length=64), nullable=False),
        sa.Column("location", sa.String(length=120), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("server_version", BIG, nullable=False),
        sa.Column("seller_id", BIG, nullable=False),
        sa.ForeignKeyConstraint(
            ["seller_id"], ["sellers.id"], name=op.f("fk_tracking_events_seller_id_sellers")
        ),
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
            batch_op.f("ix_tracking_events_shipment_id_occurred_at_raw_code"),
            ["shipment_id", "occurred_at", "raw_code"],
            unique=True,
        )

    op.create_table(
        "refund_requests",
        sa.Column("id", BIG, nullable=False),
        sa.Column("external_id", sa.String(length=64), nullable=False),
        sa.Column("order_pk", BIG, nullable=False),
        sa.Column("order_id", sa.String(length=40), nullable=False),
        sa.Column("return_id", BIG, nullable=True),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.String(length=64), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("requested_minor", BIG, nullable=False),
        sa.Column("refunded_minor", BIG, nullable=False),
        sa.Column("needs_authorization", sa.Boolean(), nullable=False),
        sa.Column("a_to_z_claim", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("due_at", sa.BigInteger(), nullable=True),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.Column("server_version", BIG, nullable=False),
        sa.Column("seller_id", BIG, nullable=False),
        sa.ForeignKeyConstraint(
            ["order_pk"], ["orders.id"], name=op.f("fk_refund_requests_order_pk_orders"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["return_id"], ["returns.id"], name=op.f("fk_refund_requests_return_id_returns")
        ),
        sa.ForeignKeyConstraint(
            ["seller_id"], ["sellers.id"], name=op.f("fk_refund_requests_seller_id_sellers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refund_requests")),
    )
    with op.batch_alter_table("refund_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_refund_requests_order_pk"), ["order_pk"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_refund_requests_seller_id_external_id"), ["seller_id", "external_id"], unique=True
        )

    op.create_table(
        "return_lines",
        sa.Column("id", BIG, nullable=False),
        sa.Column("return_id", BIG, nullable=False),
        sa.Column("order_line_id", BIG, nullable=True),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("quantity", BIG, nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=True),
        sa.Column("reason_raw", sa.String(length=64), nullable=False),
        sa.Column("customer_comment", sa.Text(), nullable=True),
        sa.Column("in_policy", sa.Boolean(), nullable=False),
        sa.Column("server_version", BIG, nullable=False),
        sa.Column("seller_id", BIG, nullable=False),
        sa.ForeignKeyConstraint(
            ["order_line_id"], ["order_lines.id"], name=op.f("fk_return_lines_order_line_id_order_lines")
        ),
        sa.ForeignKeyConstraint(
            ["return_id"], ["returns.id"], name=op.f("fk_return_lines_return_id_returns"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["seller_id"], ["sellers.id"], name=op.f("fk_return_lines_seller_id_sellers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_return_lines")),
    )
    with op.batch_alter_table("return_lines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_return_lines_return_id"), ["return_id"], unique=False)

    op.create_table(
        "decisions",
        sa.Column("id", BIG, nullable=False),
        sa.Column("refund_request_id", BIG, nullable=False),
        sa.Column("mutation_id", sa.String(length=36), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("amount_minor", BIG, nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("components", sa.Text(), nullable=False),
        sa.Column("restocking_fee_bp", BIG, nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("customer_message", sa.Text(), nullable=True),
        sa.Column("decided_by", sa.String(length=120), nullable=True),
        sa.Column("device_id", sa.String(length=64), nullable=True),
        sa.Column("decided_at", sa.BigInteger(), nullable=False),
        sa.Column("server_version", BIG, nullable=False),
        sa.Column("seller_id", BIG, nullable=False),
        sa.ForeignKeyConstraint(
            ["refund_request_id"],
            ["refund_requests.id"],
            name=op.f("fk_decisions_refund_request_id_refund_requests"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["seller_id"], ["sellers.id"], name=op.f("fk_decisions_seller_id_sellers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decisions")),
    )
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_decisions_refund_request_id"), ["refund_request_id"], unique=False
        )

    op.create_table(
        "inspections",
        sa.Column("id", BIG, nullable=False),
        sa.Column("return_id", BIG, nullable=False),
        sa.Column("return_line_id", BIG, nullable=True),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("condition", sa.String(length=32), nullable=False),
        sa.Column("disposition", sa.String(length=32), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("photos", sa.Text(), nullable=True),
        sa.Column("inspected_at", sa.BigInteger(), nullable=False),
        sa.Column("inspected_by", sa.String(length=120), nullable=True),
        sa.Column("mutation_id", sa.String(length=36), nullable=True),
        sa.Column("server_version", BIG, nullable=False),
        sa.Column("seller_id", BIG, nullable=False),
        sa.ForeignKeyConstraint(
            ["return_id"], ["returns.id"], name=op.f("fk_inspections_return_id_returns"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["return_line_id"], ["return_lines.id"], name=op.f("fk_inspections_return_line_id_return_lines")
        ),
        sa.ForeignKeyConstraint(["seller_id"], ["sellers.id"], name=op.f("fk_inspections_seller_id_sellers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspections")),
    )
    with op.batch_alter_table("inspections", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inspections_return_id"), ["return_id"], unique=False)

    op.create_table(
        "ledger",
        sa.Column("id", BIG, nullable=False),
        sa.Column("seller_id", BIG, nullable=False),
        sa.Column("refund_request_id", BIG, nullable=False),
        sa.Column("mutation_id", sa.String(length=36), nullable=False),
        sa.Column("order_id", sa.String(length=40), nullable=False),
        sa.Column("amount_minor", BIG, nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("components", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("upstream_ref", sa.String(length=64), nullable=False),
        sa.Column("attempts", BIG, nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("executed_at", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["refund_request_id"],
            ["refund_requests.id"],
            name=op.f("fk_ledger_refund_request_id_refund_requests"),
        ),
        sa.ForeignKeyConstraint(["seller_id"], ["sellers.id"], name=op.f("fk_ledger_seller_id_sellers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger")),
    )
    with op.batch_alter_table("ledger", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ledger_mutation_id"), ["mutation_id"], unique=True)
        batch_op.create_index(batch_op.f("ix_ledger_refund_request_id"), ["refund_request_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_ledger_state_id"), ["state", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_ledger_upstream_ref"), ["upstream_ref"], unique=True)

    op.create_table(
        "refund_payments",
        sa.Column("id", BIG, nullable=False),
        sa.Column("refund_request_id", BIG, nullable=False),
        sa.Column("order_line_id", BIG, nullable=False),
        sa.Column("component", sa.String(length=32), nullable=False),
        sa.Column("amount_minor", BIG, nullable=False),
        sa.Column("settled", sa.Boolean(), nullable=False),
        sa.Column("executed_at", sa.BigInteger(), nullable=True),
        sa.Column("server_version", BIG, nullable=False),
        sa.Column("seller_id", BIG, nullable=False),
        sa.ForeignKeyConstraint(
            ["order_line_id"], ["order_lines.id"], name=op.f("fk_refund_payments_order_line_id_order_lines")
        ),
        sa.ForeignKeyConstraint(
            ["refund_request_id"],
            ["refund_requests.id"],
            name=op.f("fk_refund_payments_refund_request_id_refund_requests"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["seller_id"], ["sellers.id"], name=op.f("fk_refund_payments_seller_id_sellers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refund_payments")),
    )
    with op.batch_alter_table("refund_payments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_refund_payments_order_line_id"), ["order_line_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_refund_payments_refund_request_id"), ["refund_request_id"], unique=False
        )

    op.create_table(
        "refund_request_lines",
        sa.Column("id", BIG, nullable=False),
        sa.Column("refund_request_id", BIG, nullable=False),
        sa.Column("order_line_id", BIG, nullable=False),
        sa.Column("quantity", BIG, nullable=False),
        sa.Column("component", sa.String(length=32), nullable=False),
        sa.Column("amount_minor", BIG, nullable=False),
        sa.Column("server_version", BIG, nullable=False),
        sa.Column("seller_id", BIG, nullable=False),
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
        sa.ForeignKeyConstraint(
            ["seller_id"], ["sellers.id"], name=op.f("fk_refund_request_lines_seller_id_sellers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refund_request_lines")),
    )
    with op.batch_alter_table("refund_request_lines", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_refund_request_lines_refund_request_id_order_line_id_component"),
            ["refund_request_id", "order_line_id", "component"],
            unique=True,
        )

    op.create_table(
        "refund_approvals",
        sa.Column("refund_request_id", BIG, nullable=False),
        sa.Column("seller_id", BIG, nullable=False),
        sa.Column("mutation_id", sa.String(length=36), nullable=False),
        sa.Column("decision_id", BIG, nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["decision_id"], ["decisions.id"], name=op.f("fk_refund_approvals_decision_id_decisions")
        ),
        sa.ForeignKeyConstraint(
            ["refund_request_id"],
            ["refund_requests.id"],
            name=op.f("fk_refund_approvals_refund_request_id_refund_requests"),
        ),
        sa.ForeignKeyConstraint(
            ["seller_id"], ["sellers.id"], name=op.f("fk_refund_approvals_seller_id_sellers")
        ),
        sa.PrimaryKeyConstraint("refund_request_id", name=op.f("pk_refund_approvals")),
    )


def downgrade() -> None:
    op.drop_table("refund_approvals")
    with op.batch_alter_table("refund_request_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_refund_request_lines_refund_request_id_order_line_id_component"))

    op.drop_table("refund_request_lines")
    with op.batch_alter_table("refund_payments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_refund_payments_refund_request_id"))
        batch_op.drop_index(batch_op.f("ix_refund_payments_order_line_id"))

    op.drop_table("refund_payments")
    with op.batch_alter_table("ledger", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ledger_upstream_ref"))
        batch_op.drop_index(batch_op.f("ix_ledger_state_id"))
        batch_op.drop_index(batch_op.f("ix_ledger_refund_request_id"))
        batch_op.drop_index(batch_op.f("ix_ledger_mutation_id"))

    op.drop_table("ledger")
    with op.batch_alter_table("inspections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inspections_return_id"))

    op.drop_table("inspections")
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_decisions_refund_request_id"))

    op.drop_table("decisions")
    with op.batch_alter_table("return_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_return_lines_return_id"))

    op.drop_table("return_lines")
    with op.batch_alter_table("refund_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_refund_requests_seller_id_external_id"))
        batch_op.drop_index(batch_op.f("ix_refund_requests_order_pk"))

    op.drop_table("refund_requests")
    with op.batch_alter_table("tracking_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tracking_events_shipment_id_occurred_at_raw_code"))

    op.drop_table("tracking_events")
    with op.batch_alter_table("returns", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_returns_shipment_id"))
        batch_op.drop_index(batch_op.f("ix_returns_seller_id_rma"))
        batch_op.drop_index(batch_op.f("ix_returns_order_pk"))

    op.drop_table("returns")
    with op.batch_alter_table("shipments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_shipments_seller_id_tracking_number_carrier"))
        batch_op.drop_index(batch_op.f("ix_shipments_order_pk"))

    op.drop_table("shipments")
    with op.batch_alter_table("order_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_order_lines_order_pk_order_item_code"))

    op.drop_table("order_lines")
    with op.batch_alter_table("mutations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mutations_mutation_id"))

    op.drop_table("mutations")
    with op.batch_alter_table("skus", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_skus_seller_id_sku"))

    op.drop_table("skus")
    with op.batch_alter_table("sku_stock", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sku_stock_seller_id_sku"))

    op.drop_table("sku_stock")
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_orders_seller_id_order_id"))

    op.drop_table("orders")
    with op.batch_alter_table("notes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notes_seller_id_target_kind_target_id"))

    op.drop_table("notes")
    with op.batch_alter_table("idempotency_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_idempotency_keys_seller_id_key"))
        batch_op.drop_index(batch_op.f("ix_idempotency_keys_created_at"))

    op.drop_table("idempotency_keys")
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_devices_token_hash"))
        batch_op.drop_index(batch_op.f("ix_devices_seller_id"))

    op.drop_table("devices")
    with op.batch_alter_table("daily_sales", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_daily_sales_seller_id_sku_day_marketplace_channel"))

    op.drop_table("daily_sales")
    with op.batch_alter_table("changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_changes_seller_id_seq"))
        batch_op.drop_index(batch_op.f("ix_changes_seller_id_rank_seq"))
        batch_op.drop_index(batch_op.f("ix_changes_seller_id_entity_entity_id_seq"))

    op.drop_table("changes")
    with op.batch_alter_table("sellers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sellers_name"))

    op.drop_table("sellers")
    op.drop_table("feed_state")
