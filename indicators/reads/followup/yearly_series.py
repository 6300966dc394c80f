"""One indicator's yearly totals as a chart frame, read from the stored totals.

Mötesläge's chart slide and the Indikator page's county chart draw Riket, the county and its
kommuner. Reading them from the observations and hiding small numbers over the whole hierarchy
took about half of a cold slide at national scale; the stored totals (stored_totals) are the
same rows, already hidden. Where the table does not hold them all (another gender, a series
with other periods than years, an area outside the follow-up areas, a table not complete for
the threshold: `stored_totals.indicator_totals`) the frame is `indicator_series`' own."""

from collections.abc import Sequence
from datetime import date

import pandas as pd

from indicators.reads.cache import cached_query
from indicators.reads.followup import stored_totals
from indicators.reads.queries import SERIES_COLUMNS, county_areas, indicator_series
from indicators.reads.suppression import REASON_COLUMN
from indicators.store.store import Store
from indicators.vocabulary.domain import Gender


@cached_query(maxsize=64)
def yearly_series(
    store: Store, indicator_id: str, areas: tuple[str, ...], gender: Gender = Gender.TOTAL
) -> pd.DataFrame:
    """`indicator_series(store, indicator_id, list(areas), gender)`, of the stored totals when
    they hold it."""
    found = (
        stored_totals.indicator_totals(store, indicator_id, areas)
        if gender is Gender.TOTAL
        else None
    )
    if found is None or not found[0]:  # no totals: the observations' own empty, typed frame
        return indicator_series(store, indicator_id, list(areas), gender)
    rows, reasons = found
    return _frame(store, rows, reasons, areas)


def _frame(
    store: Store,
    rows: Sequence[stored_totals.TotalRow],
    reasons: stored_totals.SourceReasons,
    areas: tuple[str, ...],
) -> pd.DataFrame:
    # In the areas' display order, as indicator_series sorts them; rows come by area, then year.
    wanted = set(areas)
    order = [a for a in county_areas(store) if a.code in wanted]
    by_area: dict[str, list[stored_totals.TotalRow]] = {}
    for row in rows:
        by_area.setdefault(row[1], []).append(row)
    records = [
        (
            area.code,
            area.name,
            area.kind.value,
            str(year),
            date(year, 1, 1),
            Gender.TOTAL.value,
            value,
            numerator,
            denominator,
            status,
            # A hidden cell says why it is hidden; any other keeps the source's own reason.
            hidden or reasons.get((area.code, year), ""),
        )
        for area in order
        for _, _, year, value, numerator, denominator, status, hidden in by_area.get(area.code, [])
    ]
    frame = pd.DataFrame.from_records(records, columns=[*SERIES_COLUMNS, REASON_COLUMN])
    for column in ("value", "numerator", "denominator"):
        frame[column] = frame[column].astype("float64")
    return frame
