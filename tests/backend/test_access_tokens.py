"""``POST /v1/auth/token``: a device token exchanged for a short-lived access token (fault 15's server half).

On the live server (SQLite and PostgreSQL): the exchange, the access token on the data endpoints,
revocation ending it at once, and forged or garbage tokens answered ``401`` (never 5xx). On an
in-process server with a fake clock: expiry, ``401 token_expired``, and a re-exchange that works.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from seller_desk.backend.tenancy import revoke_device
from tests.backend.live import LiveBackend
from tests.backend.shop import T0, Shop, now
from tests.backend.test_app_seams import FakeClock, _shop, serving


def exchange(base_url: str, token: str | None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return httpx.post(f"{base_url}/v1/auth/token", headers=headers, timeout=10)


def changes(base_url: str, token: str) -> httpx.Response:
    return httpx.get(f"{base_url}/v1/changes", headers={"Authorization": f"Bearer {token}"}, timeout=10)


def test_a_device_token_buys_an_access_token_that_works_everywhere(backend: LiveBackend, shop: Shop) -> None:
    shop.seed()
    response = exchange(backend.base_url, shop.token)
    assert response.status_code == 200, response.text
    grant = response.json()
    assert grant["token_type"] == "bearer" and grant["access_token"].startswith("sda1.")
    assert response.headers["Cache-Control"] == "no-store"
    expires_at = datetime.fromisoformat(grant["expires_at"])
    assert timedelta(minutes=59) < expires_at - datetime.now(UTC) <= timedelta(hours=1, seconds=1)
    assert 3500 < grant["expires_in"] <= 3600
    access = grant["access_token"]
    assert access != shop.token and shop.token not in access
    by_access, by_device = changes(backend.base_url, access), changes(backend.base_url, shop.token)
    assert by_access.status_code == 200 and by_access.json() == by_device.json()
    assert by_access.json()["changes"], "the seeded order is in the access token's seller's feed"


def test_revoking_the_device_ends_its_access_tokens_at_once(backend: LiveBackend, shop: Shop) -> None:
    access = exchange(backend.base_url, shop.token).json()["access_token"]
    assert changes(backend.base_url, access).status_code == 200
    with shop.db.writing() as session:
        assert revoke_device(session, shop.device_id, now())
    refused = changes(backend.base_url, access)
    assert refused.status_code == 401 and refused.json()["error"] == "unauthorized"
    assert exchange(backend.base_url, shop.token).status_code == 401


def _forgeries(access: str, other_device_id: int) -> list[str]:
    prefix, device, expires, mac = access.split(".")
    flipped = mac[:-1] + ("A" if mac[-1] != "A" else "B")
    return [
        f"{prefix}.{device}.{int(expires) + 3600}.{mac}",  # stretched expiry
        f"{prefix}.{other_device_id}.{expires}.{mac}",  # another device
        f"{prefix}.{device}.{expires}.{flipped}",  # tampered MAC
        f"{prefix}.{'9' * 18}.{expires}.{mac}",  # no such device, largest id the format allows
        f"{prefix}.{'9' * 40}.{'9' * 40}.{mac}",  # digits past any database integer
        f"{prefix}.0.0.{mac}",
        f"{prefix}.{device}.{expires}",
        f"{prefix}.",
        f"{prefix}.x.y.z",
        "sda2" + access[4:],
    ]


def test_forged_and_garbage_access_tokens_are_401_never_5xx(
    backend: LiveBackend, shop: Shop, other_shop: Shop
) -> None:
    access = exchange(backend.base_url, shop.token).json()["access_token"]
    for forged in _forgeries(access, other_shop.device_id):
        answer = changes(backend.base_url, forged)
        assert answer.status_code == 401, (forged, answer.text)
        assert answer.json()["error"] == "unauthorized" and answer.json()["field"] == "Authorization"


@pytest.mark.parametrize("token", [None, "not-a-token", "x" * 300])
def test_the_exchange_refuses_missing_and_unknown_tokens(backend: LiveBackend, token: str | None) -> None:
    answer = exchange(backend.base_url, token)
    assert answer.status_code == 401 and answer.json()["error"] == "unauthorized"


def test_an_access_token_cannot_renew_itself(backend: LiveBackend, shop: Shop) -> None:
    access = exchange(backend.base_url, shop.token).json()["access_token"]
    answer = exchange(backend.base_url, access)
    assert answer.status_code == 401
    assert "only a device token" in answer.json()["message"]


def test_an_expired_access_token_is_token_expired_and_a_new_exchange_works(sqlite_db_url: str) -> None:
    clock = FakeClock(T0)
    with serving(sqlite_db_url, clock=clock, access_token_ttl=timedelta(seconds=90)) as url:
        shop = _shop(sqlite_db_url, url)
        try:
            grant = exchange(url, shop.token).json()
            assert datetime.fromisoformat(grant["expires_at"]) == T0 + timedelta(seconds=90)
            clock.now = T0 + timedelta(seconds=89)
            assert changes(url, grant["access_token"]).status_code == 200
            clock.now = T0 + timedelta(seconds=90)
            expired = changes(url, grant["access_token"])
            assert expired.status_code == 401
            assert expired.json()["error"] == "token_expired" and expired.json()["field"] == "Authorization"
            assert "POST /v1/auth/token" in expired.json()["message"]
            fresh = exchange(url, shop.token).json()["access_token"]
            assert fresh != grant["access_token"] and changes(url, fresh).status_code == 200
            assert changes(url, shop.token).status_code == 200  # the device token itself never expires
        finally:
            shop.close()
            shop.db.dispose()


def test_access_tokens_die_with_the_process_that_signed_them(sqlite_db_url: str) -> None:
    with serving(sqlite_db_url) as url:
        shop = _shop(sqlite_db_url, url)
        access = exchange(url, shop.token).json()["access_token"]
        assert changes(url, access).status_code == 200
    with serving(sqlite_db_url) as url:
        try:
            assert changes(url, access).status_code == 401
            assert changes(url, shop.token).status_code == 200
        finally:
            shop.close()
            shop.db.dispose()


def test_a_non_positive_lifetime_is_refused(sqlite_db_url: str) -> None:
    from seller_desk.backend.api import create_app

    with pytest.raises(ValueError, match="lifetime must be positive"):
        create_app(sqlite_db_url, access_token_ttl=timedelta(0))
