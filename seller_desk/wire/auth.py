"""``POST /v1/auth/token``: a device token exchanged for a short-lived access token.

The device token (printed once by ``backend token create``, kept in the desktop's keyring) is the
long-lived credential; the access token is what travels with every other call, so a token captured
from one request stops working within the backend's ``--access-token-ttl``. The shape follows OAuth 2's
token response (RFC 6749 §5.1), so generic HTTP tooling understands it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class AccessTokenOut(BaseModel):
    model_config = ConfigDict(extra="forbid")

    access_token: str = Field(description="send as 'Authorization: Bearer <access_token>' on other calls")
    token_type: Literal["bearer"] = "bearer"
    expires_at: datetime = Field(description="UTC; after it the backend answers 401 token_expired")
    expires_in: int = Field(ge=0, description="seconds from now until expires_at")
