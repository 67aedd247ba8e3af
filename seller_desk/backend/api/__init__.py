"""The backend's HTTP API (design/SYNC.md "Wire protocol"): ``create_app`` builds it."""

from seller_desk.backend.api.app import BackendState, create_app

__all__ = ["BackendState", "create_app"]
