"""Every table derived from the observations and kept in step with them by store.summaries.

Importing this module registers their refreshers in the order one is built from the other (the
hidden cells, then the follow-up totals hidden by them): a process that writes observations
imports it, or the tables it did not refresh are marked incomplete. `prepare` rebuilds them here."""

from sqlalchemy.orm import Session

from indicators.reads import hidden_cells
from indicators.reads.followup import stored_totals


def needs_rebuild(s: Session, threshold: int) -> bool:
    return hidden_cells.needs_rebuild(s, threshold) or stored_totals.needs_rebuild(s, threshold)


def rebuild(s: Session, threshold: int) -> None:
    """Both tables whole, in the session's transaction, for `threshold`."""
    hidden_cells.rebuild_stored(s, threshold)
    stored_totals.rebuild_stored(s, threshold)
