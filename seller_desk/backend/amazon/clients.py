"""python-amazon-sp-api clients for one seller and marketplace, pointed at Amazon or at a test double.

``SpApi(credentials, marketplace)`` builds the Feeds, Reports, Finances and Orders clients with the
seller's credentials. ``endpoint`` and ``lwa_url`` replace Amazon's addresses (the tests' fake on
127.0.0.1); nothing else changes. The library logs request headers at DEBUG, the access token among
them, so its loggers are held at INFO whatever the app's level: credentials never reach a log.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sp_api.api import Feeds, Finances, Orders, Reports
from sp_api.auth import AccessTokenClient
from sp_api.base import Marketplaces

from seller_desk.backend.amazon.credentials import SpApiCredentials

logging.getLogger("sp_api").setLevel(logging.INFO)


def _token_client(lwa_url: str) -> type[AccessTokenClient]:
    parts = urlsplit(lwa_url)

    class LocalTokenClient(AccessTokenClient):  # type: ignore[misc]
        scheme = f"{parts.scheme}://"
        host = parts.netloc
        path = parts.path or "/auth/o2/token"

    return LocalTokenClient


@dataclass
class SpApi:
    feeds: Any
    reports: Any
    finances: Any
    orders: Any

    @classmethod
    def connect(
        cls,
        credentials: SpApiCredentials,
        marketplace: str = "US",
        *,
        endpoint: str | None = None,
        lwa_url: str | None = None,
        timeout: float = 30.0,
    ) -> SpApi:
        place = Marketplaces[marketplace]
        kwargs: dict[str, Any] = {
            "marketplace": place,
            "credentials": credentials.for_sp_api(),
            "timeout": timeout,
        }
        if lwa_url is not None:
            kwargs["auth_token_client_class"] = _token_client(lwa_url)
        built = []
        for api in (Feeds, Reports, Finances, Orders):
            client = api(**kwargs)
            if endpoint is not None:
                client.endpoint = endpoint.rstrip("/")
            built.append(client)
        return cls(*built)
