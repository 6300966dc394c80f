"""Every table derived from the observations and kept in step with them by store.summaries.

Importing this module registers their refreshers in the order one is built from the other: the
hidden cells, then the follow-up totals hidden by them, then each series' last write. A process
that writes observations imports it, or the tables it did not refresh are marked incomplete.
`prepare` rebuilds them here."""

from sqlalchemy.orm import Session

from indicators.reads import hidden_cells
from indicators.reads.followup import stored_totals, stored_updates


def needs_rebuild(s: Session, threshold: int) -> bool:
    return (
        hidden_cells.needs_rebuild(s, threshold)
        or stored_totals.needs_rebuild(s, threshold)
        or stored_updates.needs_rebuild(s)
    )


def rebuild(s: Session, threshold: int) -> None:
    """Every table whole, in the session's transaction, for `threshold`."""
    hidden_cells.rebuild_stored(s, threshold)
    stored_totals.rebuild_stored(s, threshold)
    stored_updates.rebuild_stored(s, threshold)
