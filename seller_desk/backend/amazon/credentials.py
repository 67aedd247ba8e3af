"""SP-API credentials (LWA refresh token, app id and secret): from the OS keyring, else the environment;
never in a log, a repr or an error message.

Keyring entries live under the service ``seller-desk-sp-api`` with the user names
``<seller>:refresh_token``, ``<seller>:lwa_app_id`` and ``<seller>:lwa_client_secret``; the environment
uses the names python-amazon-sp-api documents (``SP_API_REFRESH_TOKEN``, ``LWA_APP_ID``,
``LWA_CLIENT_SECRET``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

KEYRING_SERVICE = "seller-desk-sp-api"
FIELDS = ("refresh_token", "lwa_app_id", "lwa_client_secret")
ENVIRONMENT = {"refresh_token": "SP_API_REFRESH_TOKEN", "lwa_app_id": "LWA_APP_ID",
               "lwa_client_secret": "LWA_CLIENT_SECRET"}  # fmt: skip


@dataclass(frozen=True, slots=True)
class SpApiCredentials:
    refresh_token: str = field(repr=False)
    lwa_app_id: str = field(repr=False)
    lwa_client_secret: str = field(repr=False)

    def __repr__(self) -> str:
        return f"SpApiCredentials(lwa_app_id={self.lwa_app_id[:6]}…, secrets hidden)"

    def for_sp_api(self) -> dict[str, str]:
        """The ``credentials=`` mapping python-amazon-sp-api takes."""
        return {"refresh_token": self.refresh_token, "lwa_app_id": self.lwa_app_id,
                "lwa_client_secret": self.lwa_client_secret}  # fmt: skip


def load_credentials(seller: str, environ: Mapping[str, str] | None = None) -> SpApiCredentials | None:
    """The seller's credentials from the keyring, else from the environment; None when incomplete."""
    values = _from_keyring(seller)
    if values is None:
        env = os.environ if environ is None else environ
        values = {name: env.get(variable, "") for name, variable in ENVIRONMENT.items()}
    if not all(values.get(name) for name in FIELDS):
        return None
    return SpApiCredentials(**{name: values[name] for name in FIELDS})


def _from_keyring(seller: str) -> dict[str, str] | None:
    import keyring
    from keyring.errors import KeyringError

    try:
        values = {name: keyring.get_password(KEYRING_SERVICE, f"{seller}:{name}") or "" for name in FIELDS}
    except KeyringError:
        return None
    return values if all(values.values()) else None
