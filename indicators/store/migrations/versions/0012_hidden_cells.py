"""Dolda celler som sammanfattning, skriven i samma transaktion som varje import

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 23:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "hidden_cell",
        sa.Column("indicator_id", sa.String(length=40), nullable=False),
        sa.Column("area_code", sa.String(length=20), nullable=False),
        sa.Column("period_type", sa.String(length=16), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("gender", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint(
            "indicator_id",
            "area_code",
            "period_type",
            "period_start",
            "gender",
            name=op.f("pk_hidden_cell"),
        ),
    )
    # No row: the table is not complete, so nothing reads it until `prepare` has built it from
    # the observations (writers.bootstrap).
    op.create_table(
        "summary_state",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("threshold", sa.Integer(), nullable=False),
        sa.Column("complete", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_summary_state")),
    )


def downgrade() -> None:
    op.drop_table("summary_state")
    op.drop_table("hidden_cell")
