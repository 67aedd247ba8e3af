"""Alembic migrations of the backend store (run by ``seller_desk.backend.store.migrate.upgrade``)."""
