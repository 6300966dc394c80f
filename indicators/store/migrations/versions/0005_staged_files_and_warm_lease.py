"""Uppladdningar som väntar på bekräftelse och förvärmningens lås i databasen (flera värdar)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 22:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "staged_file",
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("owner", sa.String(length=120), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("token", "position", name=op.f("pk_staged_file")),
    )
    op.create_index("ix_staged_file_expires_at", "staged_file", ["expires_at"])
    op.create_table(
        "warm_lease",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_warm_lease")),
    )


def downgrade() -> None:
    # Previews waiting for confirmation are lost: they are uploaded again.
    op.drop_table("warm_lease")
    op.drop_index("ix_staged_file_expires_at", table_name="staged_file")
    op.drop_table("staged_file")
