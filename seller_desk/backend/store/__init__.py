"""The backend's own SQL store: models, engine and migrations (never the desktop's ``seller_desk.store``).

The two stores look alike because the change feed carries the desktop's mirror columns, but they are
different databases with different owners: the backend's tables add tenancy (``seller_id``), the
change log, idempotency records and the ledger, and run on PostgreSQL as well as SQLite.
"""

from seller_desk.backend.store.engine import Database, is_postgres_url, sqlite_url
from seller_desk.backend.store.migrate import HEAD_REVISION, upgrade

__all__ = ["HEAD_REVISION", "Database", "is_postgres_url", "sqlite_url", "upgrade"]
