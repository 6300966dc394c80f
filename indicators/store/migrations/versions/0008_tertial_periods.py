"""Tertial som periodtyp (T1–T3, fyra månader)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 23:20:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Every table with a period_type column; each has its CHECK named ck_<table>_period_type.
TABLES = ("indicator", "observation", "observation_revision", "target", "analysis")
BEFORE = ("year", "half_year", "quarter", "month")
AFTER = ("year", "half_year", "tertial", "quarter", "month")


def _replace_check(kinds: tuple[str, ...]) -> None:
    allowed = ", ".join(f"'{k}'" for k in kinds)
    for table in TABLES:
        # SQLite cannot alter a CHECK in place: batch mode copies the table.
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint("period_type", type_="check")
            batch.create_check_constraint("period_type", f"period_type IN ({allowed})")


def upgrade() -> None:
    _replace_check(AFTER)


def downgrade() -> None:
    # Values of a kind the older schema does not know cannot stay.
    for table in TABLES:
        op.execute(f"DELETE FROM {table} WHERE period_type = 'tertial'")
    _replace_check(BEFORE)
