"""The desktop's sync tables agree with the wire protocol and the migrations."""

from __future__ import annotations

from seller_desk.store.mirror import MIRROR_TABLES, SPECS
from seller_desk.store.models import Base
from seller_desk.wire import ENTITIES


def test_mirror_tables_are_the_wire_entities_in_order() -> None:
    assert tuple(ENTITIES.values()) == MIRROR_TABLES


def test_every_mirror_spec_covers_its_table() -> None:
    for name, spec in SPECS.items():
        table = Base.metadata.tables[name]
        written = (*spec.columns, *(("server_version",) if spec.has_version else ()))
        assert sorted(written) == sorted(c.name for c in table.columns)
        assert spec.pk == tuple(c.name for c in table.primary_key.columns)
        assert spec.upsert_sql.startswith(f"INSERT INTO {name} (") and "ON CONFLICT" in spec.upsert_sql


def test_local_rows_can_be_told_from_server_rows() -> None:
    """Local optimistic rows use negative ids: only tables with an integer ``id`` key may hold them."""
    from seller_desk.store.local_effects import LOCAL_ROW_TABLES

    for name in LOCAL_ROW_TABLES:
        assert SPECS[name].pk == ("id",) and SPECS[name].pk_types == (int,)
        assert "mutation_id" in Base.metadata.tables[name].c
