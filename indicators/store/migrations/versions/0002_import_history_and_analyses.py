"""Importhistorik (revisioner, ångra), indikatorers ursprung och analyser

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 07:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _period_type() -> sa.Enum:
    return sa.Enum(
        "year",
        "half_year",
        "quarter",
        "month",
        name="period_type",
        native_enum=False,
        create_constraint=True,
        length=16,
    )


def upgrade() -> None:
    with op.batch_alter_table("indicator") as batch:
        batch.add_column(
            sa.Column("origin", sa.String(length=16), server_default="katalog", nullable=False)
        )
    with op.batch_alter_table("import_batch") as batch:
        batch.add_column(sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("undone_by", sa.String(length=120), nullable=True))

    op.create_table(
        "observation_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.String(length=40), nullable=False),
        sa.Column("area_code", sa.String(length=20), nullable=False),
        sa.Column("period_type", _period_type(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column(
            "gender",
            sa.Enum(
                "T", "K", "M", name="gender", native_enum=False, create_constraint=True, length=16
            ),
            nullable=False,
        ),
        sa.Column("previous_value", sa.Float(), nullable=True),
        sa.Column("previous_numerator", sa.Float(), nullable=True),
        sa.Column("previous_denominator", sa.Float(), nullable=True),
        sa.Column(
            "previous_status",
            sa.Enum(
                "ok",
                "missing",
                "suppressed",
                "not_applicable",
                name="obs_status",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=True,
        ),
        sa.Column("previous_status_reason", sa.String(length=120), nullable=False),
        sa.Column("previous_batch_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["area_code"], ["area.code"], name=op.f("fk_observation_revision_area_code_area")
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["import_batch.id"],
            name=op.f("fk_observation_revision_batch_id_import_batch"),
        ),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicator.id"],
            name=op.f("fk_observation_revision_indicator_id_indicator"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["previous_batch_id"],
            ["import_batch.id"],
            name=op.f("fk_observation_revision_previous_batch_id_import_batch"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_observation_revision")),
    )
    op.create_index(
        "ix_observation_revision_batch", "observation_revision", ["batch_id"], unique=False
    )
    op.create_index(
        "ix_observation_revision_key",
        "observation_revision",
        ["indicator_id", "area_code", "period_type", "period_start", "gender"],
        unique=False,
    )

    op.create_table(
        "analysis",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.String(length=40), nullable=False),
        sa.Column("area_code", sa.String(length=20), nullable=True),
        sa.Column("period_type", _period_type(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("written_by", sa.String(length=120), nullable=False),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["area_code"], ["area.code"], name=op.f("fk_analysis_area_code_area")
        ),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicator.id"],
            name=op.f("fk_analysis_indicator_id_indicator"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_analysis")),
    )
    op.create_index(
        "ix_analysis_indicator", "analysis", ["indicator_id", "period_start"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_analysis_indicator", table_name="analysis")
    op.drop_table("analysis")
    op.drop_index("ix_observation_revision_key", table_name="observation_revision")
    op.drop_index("ix_observation_revision_batch", table_name="observation_revision")
    op.drop_table("observation_revision")
    with op.batch_alter_table("import_batch") as batch:
        batch.drop_column("undone_by")
        batch.drop_column("undone_at")
    with op.batch_alter_table("indicator") as batch:
        batch.drop_column("origin")
