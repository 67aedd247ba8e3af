"""The change feed's ``data`` carries exactly the desktop mirror table's columns (design/SYNC.md).

The desktop applies a page with one bulk upsert per table, so a missing, extra or renamed column is a
broken contract. The desktop's models are the reference (tests may import them; the backend may not).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from seller_desk.backend.feed.entities import SPECS, wire_value
from seller_desk.domain.enums import RefundState
from seller_desk.store.models import Base as DesktopBase
from seller_desk.wire import ENTITIES

DESKTOP_TABLES = DesktopBase.metadata.tables


@pytest.mark.parametrize("entity", list(ENTITIES))
def test_wire_columns_are_the_desktop_tables_columns(entity: str) -> None:
    spec = SPECS[entity]
    desktop = DESKTOP_TABLES[ENTITIES[entity]]
    assert sorted(spec.wire_columns) == sorted(c.name for c in desktop.columns)
    assert spec.key == tuple(c.name for c in desktop.primary_key.columns)


@pytest.mark.parametrize("entity", list(ENTITIES))
def test_backend_tables_add_only_tenancy_and_bookkeeping(entity: str) -> None:
    spec = SPECS[entity]
    assert "seller_id" in spec.backend_only
    assert "server_version" in {c.name for c in spec.table.columns}
    assert spec.backend_only <= {"seller_id", "server_version", "id", "external_id"}


def test_values_go_on_the_wire_as_the_desktop_stores_them() -> None:
    assert wire_value(datetime(2026, 3, 2, 9, 0, 1, tzinfo=UTC)) == 1772442001
    assert wire_value(RefundState.AUTO_REFUNDED) == "auto_refunded"
    assert wire_value(True) is True
    assert wire_value(None) is None


def test_entity_ids_join_composite_keys() -> None:
    spec = SPECS["daily_sales"]
    row = {"sku": "A-1", "day": 20500, "marketplace": "US", "channel": "FBA"}
    assert spec.entity_id(row) == "A-1|20500|US|FBA"
    assert spec.wire_id(row) == "A-1|20500|US|FBA"
    assert SPECS["order"].wire_id({"id": 7}) == 7
    assert [s.rank for s in SPECS.values()] == list(range(len(ENTITIES)))
