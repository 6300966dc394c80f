"""Inrapportering: vem som lämnar in en indikator, sista inlämningsdag och avslutad serie

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 23:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The catalogue sync fills the columns from katalog.toml right after the migration.
    op.add_column(
        "indicator",
        sa.Column("delivered_by", sa.String(length=16), server_default="källa", nullable=False),
    )
    op.add_column(
        "indicator",
        sa.Column("due_rule", sa.String(length=80), server_default="", nullable=False),
    )
    op.add_column("indicator", sa.Column("discontinued_from", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("indicator") as batch:
        batch.drop_column("discontinued_from")
        batch.drop_column("due_rule")
        batch.drop_column("delivered_by")
