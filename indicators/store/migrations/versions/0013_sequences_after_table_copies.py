"""Räknarna för id i PostgreSQL ställs efter högsta id efter tabellkopiorna i 0004, 0006 och 0007

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 01:00:00

Those migrations copied audit_event, observation and observation_revision on PostgreSQL too
(batch mode, recreate="always"); a copied table's id sequence started again at 1 while the rows
kept their ids, so the next insert collided with the first row. They now alter the CHECK in
place; a store that ran the earlier form gets every sequence moved past its table's highest id
here. Nothing to do on SQLite, whose ids follow the table itself.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SERIAL_COLUMNS = sa.text(
    "SELECT table_name, column_name FROM information_schema.columns "
    "WHERE table_schema = current_schema() "
    "AND (column_default LIKE 'nextval(%' OR is_identity = 'YES')"
)


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    for table, column in bind.execute(_SERIAL_COLUMNS).all():
        quoted_table = bind.dialect.identifier_preparer.quote(table)
        quoted_column = bind.dialect.identifier_preparer.quote(column)
        bind.execute(
            sa.text(
                f"SELECT setval(pg_get_serial_sequence(:table, :column), "
                f"COALESCE((SELECT max({quoted_column}) FROM {quoted_table}), 0) + 1, false)"
            ),
            {"table": quoted_table, "column": column},
        )


def downgrade() -> None:
    # Sequences past the highest id are right for every earlier revision too.
    pass
