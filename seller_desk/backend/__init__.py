"""The tracking backend: the server of record that desktops sync with (design/SYNC.md).

It owns its own SQL store (``store``: SQLite by default, PostgreSQL for a team; the same code), keeps a
server-wide change feed of every mirrored row (``feed``), applies the sellers' mutations exactly once
under idempotency keys with the money rules checked inside the same transaction (``mutations``),
ingests carrier scans and upstream data (``tracking``, ``ingest``), and serves all of it over HTTP
(``api``). Nothing here imports Qt or the desktop's store: a backend runs on a server with neither.
"""
