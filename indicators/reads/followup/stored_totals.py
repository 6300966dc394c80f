"""The yearly totals every follow-up page starts from, stored as the pages show them.

Översikt, Strategi, Strategigrupp, Kommun, Jämförelse and Mötesläge all judge each catalogue
indicator's development from the same rows: its yearly totals (gender T) in Riket, the county
and the county's 13 kommuner, with small numbers and the cells complementary suppression hides
over the whole hierarchy already hidden (indicators.reads.hidden_cells). At national scale
(6.5 M observations) reading and hiding them took about 140 ms of every cold page; the 13 500
rows read from here take a fraction of that.

Rewritten for the indicators a write touched in that write's own transaction (store.summaries),
after the hidden cells it is built from, so a reader sees both as of the same commit. Read only
while complete for the current suppression threshold, together with the hidden cells; otherwise
the views judge the observations as before (`judged_totals`), which gives the same rows."""

from collections.abc import Callable, Iterable, Mapping

import pandas as pd
from sqlalchemy import bindparam, delete, or_, select, text
from sqlalchemy.orm import Session

from indicators.reads import hidden_cells
from indicators.reads.suppression import REASON_COLUMN
from indicators.settings import get_settings
from indicators.store import bulk, summaries
from indicators.store import models as m
from indicators.store.engine import session_scope
from indicators.store.frames import (
    VALUE_COLUMNS,
    as_date,
    observation_columns,
    plain,
    read_frame,
)
from indicators.store.store import Store
from indicators.vocabulary.domain import (
    COUNTY_CODE,
    COUNTY_KOMMUN_CODES,
    NATION_CODE,
    Gender,
    PeriodType,
    ValueKind,
)

FOLLOWUP_AREAS: tuple[str, ...] = (NATION_CODE, COUNTY_CODE, *COUNTY_KOMMUN_CODES)
# What the follow-up views read of each total.
TOTAL_COLUMNS = [
    "indicator_id",
    "area_code",
    "year",
    "value",
    "numerator",
    "denominator",
    "status",
    REASON_COLUMN,
]

STORED = "followup_totals"
_STORED_COLUMNS = [*TOTAL_COLUMNS[:-1], "reason"]
_STORED_WRITE = bulk.insert(bulk.plain_table(bulk.mapped_table(m.FollowupTotal)), _STORED_COLUMNS)

Hider = Callable[[pd.DataFrame, Mapping[str, ValueKind]], pd.DataFrame]


def judged_totals(
    s: Session,
    kinds: Mapping[str, ValueKind],
    hide: Hider,
    *,
    areas: Iterable[str] = FOLLOWUP_AREAS,
    from_year: int | None = None,
) -> pd.DataFrame:
    """The indicators' yearly totals (gender T) in the areas, read from the observations and
    hidden by `hide(frame, kinds)`, as TOTAL_COLUMNS."""
    query = select(*observation_columns(VALUE_COLUMNS)).where(
        m.Observation.indicator_id.in_(sorted(kinds)),
        m.Observation.area_code.in_(list(areas)),
        m.Observation.gender == Gender.TOTAL,
        m.Observation.period_type == PeriodType.YEAR,
    )
    if from_year is not None:
        query = query.where(m.Observation.period_start >= pd.Timestamp(from_year, 1, 1).date())
    frame = read_frame(s, query, VALUE_COLUMNS, dates=["period_start"])
    if frame.empty:
        return pd.DataFrame(columns=TOTAL_COLUMNS)
    frame["status"] = frame["status"].astype(str)
    frame = hide(frame, kinds)
    frame["year"] = [d.year for d in frame["period_start"]]
    frame["status"] = frame["status"].astype(str)
    return frame[TOTAL_COLUMNS].reset_index(drop=True)


def is_complete(s: Session, threshold: int) -> bool:
    """Readable: built for this threshold, from hidden cells that are complete for it too."""
    return summaries.is_complete(s, STORED, threshold) and hidden_cells.stored_is_complete(
        s, threshold
    )


TotalRow = tuple[str, str, int, float | None, float | None, float | None, str, str]

_SELECTED = "indicator_id, area_code, year, value, numerator, denominator, status, reason"

# Plain text SQL: the mapped columns' type processing doubled the read of 13 500 rows. In the
# key's order, which the primary key's index gives for free and the grouping keeps.
_READ_STORED = text(
    f"SELECT {_SELECTED} FROM followup_total WHERE indicator_id IN :ids "
    "ORDER BY indicator_id, area_code, year"
).bindparams(bindparam("ids", expanding=True))
_READ_STORED_IN = text(
    f"SELECT {_SELECTED} FROM followup_total WHERE indicator_id IN :ids "
    "AND area_code IN :areas AND year >= :from_year ORDER BY indicator_id, area_code, year"
).bindparams(bindparam("ids", expanding=True), bindparam("areas", expanding=True))


def stored_rows(
    s: Session,
    indicator_ids: Iterable[str],
    areas: Iterable[str] | None = None,
    from_year: int | None = None,
) -> list[TotalRow]:
    """The stored totals of the indicators in TOTAL_COLUMNS' order (only when `is_complete`),
    of the areas and from the year when given."""
    ids = sorted(set(indicator_ids))
    if not ids:
        return []
    if areas is None and from_year is None:
        found = s.execute(_READ_STORED, {"ids": ids})
    else:
        codes = sorted(set(FOLLOWUP_AREAS if areas is None else areas))
        start = from_year if from_year is not None else 0
        found = s.execute(_READ_STORED_IN, {"ids": ids, "areas": codes, "from_year": start})
    # fetchall: iterating the result asks the driver for one row at a time (a third of the read).
    return [tuple(r) for r in found.fetchall()]


# What judging each series' development needs of it, picked by the database: the total at the
# indicator's latest shown year among the areas, and the area's first shown total from the
# baseline year before that one (baseline.baseline_cell's rule). Two rows a series instead of
# every year of every series: making 13 500 rows into Python objects was most of a cold
# development table at national scale.
_JUDGED_PAIRS = text(
    "WITH shown AS (SELECT indicator_id, area_code, year FROM followup_total "
    "WHERE indicator_id IN :ids AND area_code IN :areas AND status = 'ok' "
    "AND value IS NOT NULL), "
    "last AS (SELECT indicator_id, MAX(year) AS latest FROM shown GROUP BY indicator_id), "
    "base AS (SELECT s.indicator_id, s.area_code, MIN(s.year) AS year FROM shown s "
    "JOIN last l ON l.indicator_id = s.indicator_id "
    "WHERE s.year >= :baseline AND s.year < l.latest GROUP BY s.indicator_id, s.area_code) "
    "SELECT 0 AS role, t.indicator_id, t.area_code, t.year, t.value, t.numerator, "
    "t.denominator, t.status, t.reason FROM followup_total t "
    "JOIN last l ON t.indicator_id = l.indicator_id AND t.year = l.latest "
    "WHERE t.area_code IN :areas "
    "UNION ALL "
    "SELECT 1 AS role, t.indicator_id, t.area_code, t.year, t.value, t.numerator, "
    "t.denominator, t.status, t.reason FROM followup_total t "
    "JOIN base b ON t.indicator_id = b.indicator_id AND t.area_code = b.area_code "
    "AND t.year = b.year"
).bindparams(bindparam("ids", expanding=True), bindparam("areas", expanding=True))


def judged_rows(
    s: Session, indicator_ids: Iterable[str], areas: Iterable[str], baseline_year: int
) -> tuple[list[TotalRow], list[TotalRow]]:
    """(latest, baseline): each series' total at its indicator's latest shown year among the
    areas, and its first shown total from `baseline_year` before that year (only when
    `is_complete`)."""
    ids, codes = sorted(set(indicator_ids)), sorted(set(areas))
    latest: list[TotalRow] = []
    base: list[TotalRow] = []
    if not ids or not codes:
        return latest, base
    found = s.execute(_JUDGED_PAIRS, {"ids": ids, "areas": codes, "baseline": baseline_year})
    for role, *row in found.fetchall():
        (base if role else latest).append(tuple(row))
    return latest, base


# The two latest shown years of each series, picked by the database: Sedan förra mötet compares
# them, and reading every year of every series to keep two was most of its time.
_LATEST_TWO = text(
    f"SELECT {_SELECTED} "
    "FROM (SELECT t.*, ROW_NUMBER() OVER "
    "(PARTITION BY indicator_id, area_code ORDER BY year DESC) AS nth "
    "FROM followup_total t WHERE indicator_id IN :ids AND area_code IN :areas "
    "AND status = 'ok' AND value IS NOT NULL) latest WHERE nth <= 2 "
    "ORDER BY indicator_id, area_code, year"
).bindparams(bindparam("ids", expanding=True), bindparam("areas", expanding=True))


# Strategi's spreads: the county's totals of every year and the kommuner's in the indicator's
# latest year with a shown total (status ok) among the areas, and the years any area has.
_COUNTY_AND_LATEST = text(
    "WITH latest AS (SELECT indicator_id, MAX(year) AS year FROM followup_total "
    "WHERE indicator_id IN :ids AND area_code IN :areas AND status = 'ok' "
    "GROUP BY indicator_id) "
    f"SELECT {', '.join(f't.{c}' for c in _SELECTED.split(', '))} FROM followup_total t "
    "LEFT JOIN latest l ON l.indicator_id = t.indicator_id "
    "WHERE t.indicator_id IN :ids AND t.area_code IN :areas "
    "AND (t.area_code = :county OR t.year = l.year) "
    "ORDER BY t.indicator_id, t.area_code, t.year"
).bindparams(bindparam("ids", expanding=True), bindparam("areas", expanding=True))
_YEARS_OF = text(
    "SELECT DISTINCT indicator_id, year FROM followup_total "
    "WHERE indicator_id IN :ids AND area_code IN :areas ORDER BY indicator_id, year"
).bindparams(bindparam("ids", expanding=True), bindparam("areas", expanding=True))


def county_and_latest(
    s: Session, indicator_ids: Iterable[str], areas: Iterable[str], county: str
) -> tuple[list[TotalRow], dict[str, tuple[int, ...]]]:
    """(`county`'s totals of every year and the other areas' in the latest year with a shown
    total among `areas`, indicator → every year any of the areas has a total); only when
    `is_complete`."""
    ids, codes = sorted(set(indicator_ids)), sorted(set(areas))
    if not ids or not codes:
        return [], {}
    params = {"ids": ids, "areas": codes, "county": county}
    rows = [tuple(r) for r in s.execute(_COUNTY_AND_LATEST, params).fetchall()]
    years: dict[str, list[int]] = {}
    for ind, year in s.execute(_YEARS_OF, params).fetchall():
        years.setdefault(ind, []).append(year)
    return rows, {ind: tuple(ys) for ind, ys in years.items()}


def latest_two_shown(
    s: Session, indicator_ids: Iterable[str], areas: Iterable[str]
) -> list[TotalRow]:
    """Each series' two latest years with a shown value, older first (only when
    `is_complete`)."""
    ids, codes = sorted(set(indicator_ids)), sorted(set(areas))
    if not ids or not codes:
        return []
    return [tuple(r) for r in s.execute(_LATEST_TWO, {"ids": ids, "areas": codes}).fetchall()]


SourceReasons = dict[tuple[str, int], str]  # (area, year) → the source's own reason


def indicator_totals(
    store: Store, indicator_id: str, areas: Iterable[str]
) -> tuple[list[TotalRow], SourceReasons] | None:
    """One indicator's stored totals in the areas, and beside them the source's own reasons
    ("bortfall", a flag on a shown value), which the table does not keep: it keeps only the
    reason for hiding, which replaces the source's. None when the table does not hold all its
    rows there: it is not complete, an area is not one of FOLLOWUP_AREAS, or the indicator has
    other periods than years there (pooled years beside a yearly series, or quarters)."""
    codes = sorted(set(areas))
    if not set(codes) <= set(FOLLOWUP_AREAS):
        return None
    o = m.Observation
    with session_scope(store.url) as s:
        if not is_complete(s, get_settings().suppression_threshold):
            return None
        found = s.execute(
            select(plain(o.area_code), plain(o.period_type), o.period_start, o.status_reason).where(
                o.indicator_id == indicator_id,
                o.area_code.in_(codes),
                o.gender == Gender.TOTAL,
                or_(o.period_type != PeriodType.YEAR, o.status_reason != ""),
            )
        ).all()
        if any(str(kind) != PeriodType.YEAR.value for _, kind, _, _ in found):
            return None
        rows = stored_rows(s, [indicator_id], codes)
    reasons = {(str(area), as_date(start).year): str(why) for area, _, start, why in found if why}
    return rows, reasons


def read_stored(s: Session, indicator_ids: Iterable[str]) -> pd.DataFrame:
    """`stored_rows` as a frame of TOTAL_COLUMNS."""
    frame = pd.DataFrame.from_records(stored_rows(s, indicator_ids), columns=TOTAL_COLUMNS)
    for column in ("value", "numerator", "denominator"):
        frame[column] = frame[column].astype("float64")
    return frame


def frame_rows(frame: pd.DataFrame) -> list[TotalRow]:
    """A frame of TOTAL_COLUMNS as `stored_rows` gives them (NaN read as None)."""
    if frame.empty:
        return []

    def numbers(column: str) -> list[float | None]:
        return [None if v != v else v for v in frame[column].astype(float).tolist()]  # NaN

    return list(
        zip(
            frame["indicator_id"].astype(str).tolist(),
            frame["area_code"].astype(str).tolist(),
            frame["year"].astype(int).tolist(),
            numbers("value"),
            numbers("numerator"),
            numbers("denominator"),
            frame["status"].astype(str).tolist(),
            frame[REASON_COLUMN].fillna("").astype(str).tolist(),
            strict=True,
        )
    )


def _in_transaction_hider(s: Session) -> Hider:
    parents = hidden_cells.parents_in(s)

    def pattern(ids: tuple[str, ...], _regions: tuple[str, ...]) -> Mapping[hidden_cells.Key, str]:
        # Every area here is Riket, the county or one of its kommuner: the county's pattern.
        return hidden_cells.stored_pattern(s, ids, parents)

    def hide(frame: pd.DataFrame, kinds: Mapping[str, ValueKind]) -> pd.DataFrame:
        return hidden_cells.apply_hidden(
            frame, kinds, parents, pattern, period_type=PeriodType.YEAR
        )

    return hide


def _write(s: Session, indicator_ids: Iterable[str]) -> None:
    ids = sorted(set(indicator_ids))
    s.execute(delete(m.FollowupTotal).where(m.FollowupTotal.indicator_id.in_(ids)))
    kinds = {
        str(i): ValueKind(str(kind))
        for i, kind in s.execute(
            select(m.Indicator.id, plain(m.Indicator.value_kind)).where(m.Indicator.id.in_(ids))
        ).all()
    }
    if not kinds:
        return
    frame = judged_totals(s, kinds, _in_transaction_hider(s))
    if not frame.empty:
        rows = frame.rename(columns={REASON_COLUMN: "reason"})[_STORED_COLUMNS]
        bulk.write_rows(s, _STORED_WRITE, rows)


def refresh_stored(s: Session, indicator_ids: frozenset[str]) -> None:
    """The totals of the indicators a write touched, rewritten in its transaction after their
    hidden cells. A table that is not complete stays so: `prepare` rebuilds it whole."""
    if is_complete(s, get_settings().suppression_threshold):
        _write(s, indicator_ids)


def rebuild_stored(s: Session, threshold: int) -> None:
    """Every indicator's totals, in the session's transaction, after the hidden cells have been
    built for `threshold`; the table is then marked complete for it."""
    s.execute(delete(m.FollowupTotal))
    ids = s.scalars(select(m.Indicator.id).order_by(m.Indicator.id)).all()
    for start in range(0, len(ids), 50):
        _write(s, ids[start : start + 50])
    summaries.mark_complete(s, STORED, threshold)


def needs_rebuild(s: Session, threshold: int) -> bool:
    return not summaries.is_complete(s, STORED, threshold)


summaries.register(STORED, refresh_stored)
