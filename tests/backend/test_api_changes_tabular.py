"""GET /v1/changes?format=tabular: the same changes as the objects form, grouped by entity."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from seller_desk.wire import ChangesPage, ChangesTable
from tests.backend.live import LiveBackend
from tests.backend.shop import Shop, approval


def _objects(page: dict[str, Any]) -> list[tuple[int, str, int | str, dict[str, Any] | None]]:
    """(seq, entity, id, row with the change's version as server_version where the row has one)."""
    out = []
    for change in page["changes"]:
        data = change["data"]
        if data is not None and "server_version" in data:
            data = {**data, "server_version": change["version"]}
        out.append((change["seq"], change["entity"], change["id"], data))
    return sorted(out, key=lambda c: c[0])


def _tabular(page: dict[str, Any]) -> list[tuple[int, str, int | str, dict[str, Any] | None]]:
    out = []
    for group in page["entities"]:
        for seq, key, row in zip(group["seq"], group["id"], group["rows"], strict=True):
            data = None if row is None else dict(zip(group["columns"], row, strict=True))
            out.append((seq, group["entity"], key, data))
    return sorted(out, key=lambda c: c[0])


def test_both_formats_carry_the_same_pages(shop: Shop) -> None:
    for _ in range(2):
        seeded = shop.seed(with_return=True)
    decided = shop.post(approval(seeded.request_id, [(seeded.line_ids["L1"], "principal", 500)]))
    assert decided.status_code == 201
    cursor: str | None = None
    pages = 0
    while True:  # a bootstrap in pages of five, then the tail after a later write
        params: dict[str, Any] = {"limit": 5, **({"cursor": cursor} if cursor else {})}
        objects = shop.client.get("/v1/changes", params=params)
        tabular = shop.client.get("/v1/changes", params={**params, "format": "tabular"})
        assert objects.status_code == tabular.status_code == 200
        ChangesPage.model_validate_json(objects.content)  # each form is its documented model
        ChangesTable.model_validate_json(tabular.content)
        o, t = objects.json(), tabular.json()
        assert _objects(o) == _tabular(t)
        assert (o["next_cursor"], o["has_more"]) == (t["next_cursor"], t["has_more"])
        pages += 1
        cursor = o["next_cursor"]
        if not o["has_more"]:
            break
    assert pages >= 3
    shop.seed()
    tail = shop.client.get("/v1/changes", params={"cursor": cursor, "format": "tabular"}).json()
    assert _tabular(tail) == _objects(shop.changes(cursor).json()) != []


def test_the_tabular_form_names_columns_once_per_entity(shop: Shop) -> None:
    shop.seed(with_return=True)
    page = shop.client.get("/v1/changes", params={"format": "tabular"}).json()
    entities = [group["entity"] for group in page["entities"]]
    assert len(entities) == len(set(entities)) >= 3
    for group in page["entities"]:
        assert all(len(row) == len(group["columns"]) for row in group["rows"])
        if "server_version" in group["columns"]:
            assert group["columns"][-1] == "server_version"


@pytest.mark.parametrize("value", ["xml", "", "TABULAR", "objects,tabular"])
def test_an_unknown_format_is_a_client_error_naming_it(shop: Shop, value: str) -> None:
    response = shop.client.get("/v1/changes", params={"format": value})
    assert 400 <= response.status_code < 500
    assert "format" in response.text


def test_the_default_is_still_the_objects_form(shop: Shop) -> None:
    shop.seed()
    page = shop.changes().json()
    assert set(page) == {"changes", "next_cursor", "has_more"} and page["changes"]


def test_openapi_documents_both_forms(backend: LiveBackend) -> None:
    spec = httpx.get(f"{backend.base_url}/openapi.json", verify=False).json()
    operation = spec["paths"]["/v1/changes"]["get"]
    fmt = next(p for p in operation["parameters"] if p["name"] == "format")
    assert fmt["schema"]["enum"] == ["objects", "tabular"] and fmt["schema"]["default"] == "objects"
    answer = json.dumps(operation["responses"]["200"])
    assert "ChangesPage" in answer and "ChangesTable" in answer
    assert {"ChangesPage", "ChangesTable", "EntityRows"} <= set(spec["components"]["schemas"])
