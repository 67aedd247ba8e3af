"""Alembic revisions of the desktop store.

``HEAD_REVISION`` lets start-up decide "nothing to migrate" from one tiny query, without importing
Alembic (≈ 100 ms); a test keeps it equal to the script directory's real head.
"""

HEAD_REVISION = "0013"
