"""The OpenAPI document, and schemathesis fuzzing the live server from it: never a 5xx.

Schemathesis generates requests from /openapi.json — valid ones and deliberately invalid ones — for
every operation, sends them to the live server with a real token, and checks each answer: no server
error, a status the document declares, a body that matches the declared schema. Examples are bounded
so the whole run stays well under a minute per database.
"""

from __future__ import annotations

from collections import Counter

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from tests.backend.live import LiveBackend
from tests.backend.shop import Shop

MAX_EXAMPLES = 30


def test_openapi_is_served_and_describes_the_protocol(backend: LiveBackend) -> None:
    document = httpx.get(f"{backend.base_url}/openapi.json", timeout=10).json()
    assert document["openapi"].startswith("3.")
    assert set(document["paths"]) == {
        "/v1/auth/token", "/v1/changes", "/v1/mutations", "/v1/mutations/batch",
        "/v1/mutations/{idempotency_key}", "/v1/tracking-events", "/v1/imports",
    }  # fmt: skip
    exchange = document["paths"]["/v1/auth/token"]["post"]
    assert exchange["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/AccessTokenOut"
    )
    assert set(exchange["responses"]) >= {"200", "401"}
    post = document["paths"]["/v1/mutations"]["post"]
    assert set(post["responses"]) >= {"200", "201", "400", "401", "403", "409", "413", "422"}
    assert post["responses"]["422"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorBody")
    headers = [p for p in post["parameters"] if p["in"] == "header"]
    assert [(h["name"], h["required"]) for h in headers] == [("Idempotency-Key", True)]
    assert "HTTPBearer" in document["components"]["securitySchemes"]
    assert "HTTPValidationError" not in document["components"]["schemas"]
    batch = document["paths"]["/v1/mutations/batch"]["post"]
    assert set(batch["responses"]) >= {"200", "400", "401", "413"}
    assert batch["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/MutationBatchOut"
    )
    assert httpx.get(f"{backend.base_url}/docs", timeout=10).status_code == 200


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_schemathesis_finds_no_server_error(backend: LiveBackend, shop: Shop, mode: GenerationMode) -> None:
    shop.seed(with_return=True)  # something real to hit, besides the generated ids
    schema = schemathesis.openapi.from_url(f"{backend.base_url}/openapi.json")
    auth = {"Authorization": f"Bearer {shop.token}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 7
    checks = [not_a_server_error, status_code_conformance, response_schema_conformance]
    seen: Counter[int] = Counter()
    for operation in operations:

        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
        )
        @given(case=operation.as_strategy(generation_mode=mode))
        def run(case: schemathesis.Case) -> None:
            response = case.call(base_url=backend.base_url, headers=auth, timeout=30)
            seen[response.status_code] += 1
            case.validate_response(response, checks=checks, headers=auth)

        run()
    assert sum(seen.values()) >= 6 * 10, seen
    assert not [status for status in seen if status >= 500], seen
    if mode is GenerationMode.POSITIVE:
        assert seen[200] > 0, seen  # valid requests do get through (a changes page, at least)
    else:
        assert seen[400] > 0, seen
