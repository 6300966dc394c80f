"""Sammanslagna perioder (pooled years, "2021-2024") as period kinds of their own

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 00:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PERIOD_TYPES_0008 = ("year", "half_year", "tertial", "quarter", "month")
POOLED = tuple(f"years_{n}" for n in range(2, 11))
# Every table whose rows name a period; the CHECK is named after the enum, period_type. An
# indicator's own kind stays year, half-year, quarter or month: a yearly indicator takes pooled
# years too (validation), and SQLite could only change indicator's CHECK by copying the table,
# which its ON DELETE CASCADE references would empty.
_TABLES = ("observation", "observation_revision", "target", "analysis")


def _allowed(kinds: Sequence[str]) -> str:
    return "period_type IN (" + ", ".join(f"'{k}'" for k in kinds) + ")"


def _set_kinds(kinds: Sequence[str]) -> None:
    for table in _TABLES:
        name = op.f(f"ck_{table}_period_type")
        if op.get_bind().dialect.name == "sqlite":
            # SQLite cannot alter a CHECK: batch mode copies the table with the new one (no
            # table references these four).
            with op.batch_alter_table(table, recreate="always") as batch:
                batch.drop_constraint(name, type_="check")
                batch.create_check_constraint(name, _allowed(kinds))
        else:
            op.drop_constraint(name, table, type_="check")
            op.create_check_constraint(name, table, _allowed(kinds))


def upgrade() -> None:
    _set_kinds(PERIOD_TYPES_0008 + POOLED)


def downgrade() -> None:
    # The older schema has no pooled periods: their values, history, targets and analyses go.
    kinds = ", ".join(f"'{k}'" for k in POOLED)
    for table in ("observation_revision", "observation", "target", "analysis"):
        op.execute(sa.text(f"DELETE FROM {table} WHERE period_type IN ({kinds})"))
    _set_kinds(PERIOD_TYPES_0008)
