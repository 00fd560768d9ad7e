"""engagement: page, value, experiment and arm on events; the experiments table

Revision ID: 0004_engagement
Revises: 0003_carts
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_engagement"
down_revision = "0003_carts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # server defaults fill the rows already there (the ORM fills new ones)
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("page", sa.String(length=512), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("value", sa.Float(), nullable=True))
        batch_op.add_column(
            sa.Column("experiment", sa.String(length=64), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("arm", sa.String(length=32), nullable=False, server_default="")
        )
    op.create_table(
        "experiments",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("arms", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )


def downgrade() -> None:
    op.drop_table("experiments")
    with op.batch_alter_table("events", schema=None) as batch_op:
        for name in ("arm", "experiment", "value", "page"):
            batch_op.drop_column(name)
