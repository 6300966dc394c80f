"""Status "för osäkert" (uncertain): a value the source calls too uncertain to publish

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 23:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUSES_0005 = ("ok", "missing", "suppressed", "not_applicable")
STATUSES = (*STATUSES_0005, "uncertain")
# (table, column) of every observation status; the CHECK is named after the enum, obs_status.
_COLUMNS = (("observation", "status"), ("observation_revision", "previous_status"))


def _allowed(column: str, statuses: Sequence[str]) -> str:
    return f"{column} IN (" + ", ".join(f"'{s}'" for s in statuses) + ")"


def _set_statuses(statuses: Sequence[str]) -> None:
    for table, column in _COLUMNS:
        name = f"ck_{table}_obs_status"
        if op.get_bind().dialect.name == "sqlite":
            # SQLite cannot alter a CHECK: batch mode copies the table with the new one.
            with op.batch_alter_table(table, recreate="always") as batch:
                batch.drop_constraint(op.f(name), type_="check")
                batch.create_check_constraint(op.f(name), _allowed(column, statuses))
        else:
            # Altered in place: a copied table would start its id sequence again at 1.
            op.drop_constraint(op.f(name), table, type_="check")
            op.create_check_constraint(op.f(name), table, _allowed(column, statuses))


def upgrade() -> None:
    _set_statuses(STATUSES)


def downgrade() -> None:
    # The older schema has no word for "too uncertain": such values become missing, their
    # reason (the source's own note) kept.
    op.execute(sa.text("UPDATE observation SET status = 'missing' WHERE status = 'uncertain'"))
    op.execute(
        sa.text(
            "UPDATE observation_revision SET previous_status = 'missing' "
            "WHERE previous_status = 'uncertain'"
        )
    )
    _set_statuses(STATUSES_0005)
