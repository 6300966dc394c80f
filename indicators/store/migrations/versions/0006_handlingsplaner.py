"""Handlingsplaner: strategigruppernas aktiviteter och de indikatorer de syftar till att påverka

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 23:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUSES = ("planerad", "pågår", "klar", "pausad")
ACTIONS_BEFORE = (
    "import",
    "ångra import",
    "målvärde satt",
    "målvärde borttaget",
    "analys skriven",
    "analys borttagen",
    "katalogändring",
    "indikator tillagd",
    "konto skapat",
    "roll ändrad",
    "konto avstängt",
    "konto återaktiverat",
    "lösenord ändrat",
    "inloggning",
    "misslyckad inloggning",
)
PLAN_ACTIONS = (
    "aktivitet tillagd",
    "aktivitet ändrad",
    "aktivitet borttagen",
    "handlingsplan importerad",
)
ACTION_CHECK = "ck_audit_event_audit_action"


def _set_actions(actions: Sequence[str]) -> None:
    allowed = "action IN (" + ", ".join(f"'{a}'" for a in actions) + ")"
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table("audit_event", recreate="always") as batch:
            batch.drop_constraint(op.f(ACTION_CHECK), type_="check")
            batch.create_check_constraint(op.f(ACTION_CHECK), allowed)
    else:
        # Altered in place: a copied table would start its id sequence again at 1.
        op.drop_constraint(op.f(ACTION_CHECK), "audit_event", type_="check")
        op.create_check_constraint(op.f(ACTION_CHECK), "audit_event", allowed)


def upgrade() -> None:
    op.create_table(
        "activity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("strategigrupp_id", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                *STATUSES,
                name="activity_status",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.Column("changed_by", sa.String(length=120), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["strategigrupp_id"],
            ["strategigrupp.id"],
            name=op.f("fk_activity_strategigrupp_id_strategigrupp"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity")),
    )
    op.create_index(
        "ix_activity_strategigrupp", "activity", ["strategigrupp_id", "start_date"], unique=False
    )
    op.create_table(
        "activity_indicator",
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activity.id"],
            name=op.f("fk_activity_indicator_activity_id_activity"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicator.id"],
            name=op.f("fk_activity_indicator_indicator_id_indicator"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("activity_id", "indicator_id", name=op.f("pk_activity_indicator")),
    )
    _set_actions(ACTIONS_BEFORE + PLAN_ACTIONS)


def downgrade() -> None:
    # The older schema has no words for plan changes: those entries go with it.
    listed = ", ".join(f"'{a}'" for a in PLAN_ACTIONS)
    op.execute(sa.text(f"DELETE FROM audit_event WHERE action IN ({listed})"))
    _set_actions(ACTIONS_BEFORE)
    op.drop_table("activity_indicator")
    op.drop_index("ix_activity_strategigrupp", table_name="activity")
    op.drop_table("activity")
