"""Errors a user can act on: each names the file or directory and says what happened."""

from __future__ import annotations


class StoreError(Exception):
    """The local store cannot be opened or written. The message is shown to the user as is."""


class NewerStoreError(StoreError):
    """The database was written by a newer Seller Desk; opening it could corrupt it."""


class CorruptStoreError(StoreError):
    """The file is not a SQLite database, or SQLite reports it damaged."""


class UnwritableStoreError(StoreError):
    """The data directory or database file cannot be created or written."""
