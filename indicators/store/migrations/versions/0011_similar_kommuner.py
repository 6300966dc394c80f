"""Koladas grupper av liknande kommuner, och vilken grupp varje indikator jämförs med

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 23:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = (
    "overgripande",
    "aldreomsorg",
    "ifo",
    "lss",
    "socioekonomi",
    "ekonomiskt-bistand",
    "arbetsmarknad",
    "raddningstjanst",
    "grundskola",
    "gymnasieskola",
    "fritidshem",
    "forskola",
)


def _kind() -> sa.Enum:
    return sa.Enum(
        *KINDS, name="similar_kind", native_enum=False, create_constraint=True, length=32
    )


def upgrade() -> None:
    with op.batch_alter_table("indicator") as batch:
        batch.add_column(
            sa.Column("similar_kind", _kind(), server_default="overgripande", nullable=False)
        )
    op.create_table(
        "similar_group",
        sa.Column("id", sa.String(length=20), nullable=False),
        sa.Column("kind", _kind(), nullable=False),
        sa.Column("area_code", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["area_code"], ["area.code"], name=op.f("fk_similar_group_area_code_area")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_similar_group")),
        sa.UniqueConstraint("kind", "area_code", name="uq_similar_group_kind_area"),
    )
    op.create_table(
        "similar_group_member",
        sa.Column("group_id", sa.String(length=20), nullable=False),
        sa.Column("area_code", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["area_code"], ["area.code"], name=op.f("fk_similar_group_member_area_code_area")
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["similar_group.id"],
            name=op.f("fk_similar_group_member_group_id_similar_group"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("group_id", "area_code", name=op.f("pk_similar_group_member")),
    )
    op.create_index("ix_similar_group_member_area", "similar_group_member", ["area_code"])


def downgrade() -> None:
    op.drop_index("ix_similar_group_member_area", table_name="similar_group_member")
    op.drop_table("similar_group_member")
    op.drop_table("similar_group")
    with op.batch_alter_table("indicator") as batch:
        # SQLite's batch copy would otherwise keep the column's CHECK without the column.
        batch.drop_constraint(op.f("ck_indicator_similar_kind"), type_="check")
        batch.drop_column("similar_kind")
