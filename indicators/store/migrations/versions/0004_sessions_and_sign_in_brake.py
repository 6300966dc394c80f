"""Inloggningsgeneration per konto, spärr mot upprepade felinloggningar, inloggningar i loggen

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06 20:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACTIONS_0003 = (
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
)
SIGN_IN_ACTIONS = ("inloggning", "misslyckad inloggning")
ACTION_CHECK = "ck_audit_event_audit_action"


def _allowed(actions: Sequence[str]) -> str:
    return "action IN (" + ", ".join(f"'{a}'" for a in actions) + ")"


def _set_actions(actions: Sequence[str]) -> None:
    if op.get_bind().dialect.name == "sqlite":
        # SQLite cannot alter a CHECK: batch mode copies the table with the new one.
        with op.batch_alter_table("audit_event", recreate="always") as batch:
            batch.drop_constraint(op.f(ACTION_CHECK), type_="check")
            batch.create_check_constraint(op.f(ACTION_CHECK), _allowed(actions))
    else:
        # Altered in place: a copied table would start its id sequence again at 1.
        op.drop_constraint(op.f(ACTION_CHECK), "audit_event", type_="check")
        op.create_check_constraint(op.f(ACTION_CHECK), "audit_event", _allowed(actions))


def upgrade() -> None:
    with op.batch_alter_table("app_user") as batch:
        batch.add_column(
            sa.Column("session_generation", sa.Integer(), server_default="0", nullable=False)
        )
    op.create_table(
        "sign_in_failure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("username", sa.String(length=120), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_failure")),
    )
    op.create_index("ix_sign_in_failure_username", "sign_in_failure", ["username", "occurred_at"])
    op.create_index("ix_sign_in_failure_address", "sign_in_failure", ["address", "occurred_at"])
    op.create_index("ix_sign_in_failure_occurred_at", "sign_in_failure", ["occurred_at"])
    _set_actions(ACTIONS_0003 + SIGN_IN_ACTIONS)


def downgrade() -> None:
    # The older schema has no words for sign-ins: those entries go with it.
    op.execute(
        sa.text("DELETE FROM audit_event WHERE action IN ('inloggning', 'misslyckad inloggning')")
    )
    _set_actions(ACTIONS_0003)
    op.drop_table("sign_in_failure")
    with op.batch_alter_table("app_user") as batch:
        batch.drop_column("session_generation")
