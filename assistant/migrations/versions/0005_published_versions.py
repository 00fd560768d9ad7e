"""published_versions: pointers all replicas share (the search index's current version)

Revision ID: 0005_published_versions
Revises: 0004_engagement
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_published_versions"
down_revision = "0004_engagement"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "published_versions",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("version", sa.String(length=128), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )


def downgrade() -> None:
    op.drop_table("published_versions")
