"""Qt item models: thin adapters over plain-data queries (ARCHITECTURE.md example 5)."""
