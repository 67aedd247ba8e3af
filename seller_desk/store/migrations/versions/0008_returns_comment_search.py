"""The full-text index of customers' return comments (FTS5, external content over ``returns``).

Created empty: ``store.comment_index.catch_up_batch`` fills it in the background, so neither this
migration nor any pull pays for tokenizing a million comments in one go. Not in the ORM models (a
virtual table); the schema test knows to skip it and its shadow tables.

Revision ID: 0008
Revises: 0006
Create Date: 2026-11-22 09:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        "CREATE VIRTUAL TABLE returns_fts USING fts5(customer_comment, content='returns', "
        "content_rowid='id', tokenize='unicode61 remove_diacritics 2')"
    )


def downgrade() -> None:
    op.execute("DROP TABLE returns_fts")
