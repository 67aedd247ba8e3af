"""The desktop's local SQLite store: models, engine, units of work, migrations and queries."""
