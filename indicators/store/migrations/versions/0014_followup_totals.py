"""Uppföljningssidornas årsvärden och senaste import per serie som sammanfattningar, skrivna i
samma transaktion som varje import

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 02:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Without a summary_state row the table is not complete: nothing reads it until `prepare`
    # has built it (writes.bootstrap).
    op.create_table(
        "followup_total",
        sa.Column("indicator_id", sa.String(length=40), nullable=False),
        sa.Column("area_code", sa.String(length=20), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("numerator", sa.Float(), nullable=True),
        sa.Column("denominator", sa.Float(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint(
            "indicator_id", "area_code", "year", name=op.f("pk_followup_total")
        ),
    )

    op.create_table(
        "series_update",
        sa.Column("indicator_id", sa.String(length=40), nullable=False),
        sa.Column("area_code", sa.String(length=20), nullable=False),
        sa.Column("period_type", sa.String(length=16), nullable=False),
        sa.Column("gender", sa.String(length=16), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("demo", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "indicator_id", "area_code", "period_type", "gender", name=op.f("pk_series_update")
        ),
    )
    # "What was imported since a date": the moments, read in order.
    op.create_index("ix_series_update_imported_at", "series_update", ["imported_at"])


def downgrade() -> None:
    op.drop_index("ix_series_update_imported_at", table_name="series_update")
    op.drop_table("series_update")
    op.drop_table("followup_total")
