"""What the import history page and "Sedan förra mötet" ask: the batches, what one batch
changed, what arrived since a moment, and the revisions of one value (who, when, which file)."""

from dataclasses import dataclass, replace
from datetime import date

import pandas as pd
from sqlalchemy import String, and_, func, select, type_coerce

from indicators.imports.save import frame_of, later_writer

# The batch lists are reads of their own; re-exported for the history's callers.
from indicators.reads.batches import batch_summaries
from indicators.reads.batches import import_batches as import_batches
from indicators.reads.batches import imported_since as imported_since
from indicators.reads.hidden_cells import area_parents, hide
from indicators.reads.models import BatchSummary
from indicators.reads.suppression import REASON_COLUMN, primary_mask
from indicators.settings import get_settings
from indicators.store import models as m
from indicators.store.engine import session_scope
from indicators.store.store import Store
from indicators.vocabulary.domain import (
    OBSERVATION_KEY,
    OBSERVATION_NUMBERS,
    OBSERVATION_VALUES,
    ObservationStatus,
    PeriodType,
)
from indicators.vocabulary.periods import period_label

_REV = m.ObservationRevision.__table__
_OBS = m.Observation.__table__
_BATCH = m.ImportBatch.__table__


CHANGE_COLUMNS = [
    "indicator_id",
    "indicator_title",
    "area_code",
    "area_name",
    "period_type",
    "period_start",
    "period",  # canonical label, e.g. "2023"
    "gender",
    "previous_value",
    "previous_numerator",
    "previous_denominator",
    "previous_status",  # None: the value did not exist before this batch
    "previous_status_reason",
    "current_value",  # what the store holds now (NaN and status None when the key is gone)
    "current_numerator",
    "current_denominator",
    "current_status",
    "current_status_reason",
    "current_batch_id",
]


@dataclass(frozen=True)
class BatchDetail:
    batch: BatchSummary
    changes: pd.DataFrame  # CHANGE_COLUMNS, one row per value the batch wrote, at most `limit`
    total_changes: int
    can_undo: bool
    undo_blocked_by: int | None  # a later, not undone batch that wrote some of the same keys


@dataclass(frozen=True)
class ValueState:
    value: float | None
    numerator: float | None
    denominator: float | None
    status: ObservationStatus
    status_reason: str


@dataclass(frozen=True)
class ValueChange:
    """One batch's write of one value. `after` is None when the write was undone and later
    writes hide what it wrote, or when the value has since been removed."""

    batch: BatchSummary
    before: ValueState | None  # None: the value did not exist before
    after: ValueState | None


def batch_detail(store: Store, batch_id: int, *, limit: int = 5000) -> BatchDetail | None:
    with session_scope(store.url) as session:
        found = batch_summaries(session, _BATCH.c.id == batch_id)
        if not found:
            return None
        batch = found[0]
        total = session.scalar(
            select(func.count()).select_from(_REV).where(_REV.c.batch_id == batch_id)
        )
        key = and_(*(_OBS.c[c] == _REV.c[c] for c in _KEY))
        rows = session.execute(
            select(
                _REV.c.indicator_id,
                m.Indicator.title,
                _REV.c.area_code,
                m.Area.name,
                type_coerce(_REV.c.period_type, String),
                _REV.c.period_start,
                type_coerce(_REV.c.gender, String),
                _REV.c.previous_value,
                _REV.c.previous_numerator,
                _REV.c.previous_denominator,
                type_coerce(_REV.c.previous_status, String),
                _REV.c.previous_status_reason,
                _OBS.c.value,
                _OBS.c.numerator,
                _OBS.c.denominator,
                type_coerce(_OBS.c.status, String),
                _OBS.c.status_reason,
                _OBS.c.batch_id,
            )
            .select_from(_REV)
            .join(m.Indicator, m.Indicator.id == _REV.c.indicator_id)
            .join(m.Area, m.Area.code == _REV.c.area_code)
            .outerjoin(_OBS, key)
            .where(_REV.c.batch_id == batch_id)
            .order_by(_REV.c.id)
            .limit(limit)
        ).all()
        columns = [c for c in CHANGE_COLUMNS if c != "period"]
        changes = frame_of(rows, columns).astype({c: float for c in _NUMBERS})
        changes.insert(
            CHANGE_COLUMNS.index("period"),
            "period",
            [
                period_label(PeriodType(t), d)
                for t, d in zip(changes["period_type"], changes["period_start"], strict=True)
            ],
        )
        blocker = None if batch.undone or batch.is_demo else later_writer(session, batch_id)
        return BatchDetail(
            batch=batch,
            changes=changes,
            total_changes=int(total or 0),
            can_undo=not batch.is_demo and not batch.undone and blocker is None,
            undo_blocked_by=blocker,
        )


_NUMBERS = [f"{when}_{n}" for when in ("previous", "current") for n in OBSERVATION_NUMBERS]
_KEY = list(OBSERVATION_KEY)


def value_state(
    value: float | None, num: float | None, den: float | None, status: str, reason: str | None
) -> ValueState:
    return ValueState(
        value=value,
        numerator=num,
        denominator=den,
        status=ObservationStatus(status),
        status_reason=reason or "",
    )


def value_history(
    store: Store,
    indicator_id: str,
    area_code: str,
    period_type: PeriodType | str,
    period_start: date,
    gender: str,
    *,
    as_reader: bool = False,
) -> list[ValueChange]:
    """Every import that wrote this value, newest first, with the value before and after.
    `as_reader`: as a läsare may see them (ReaderView), else the stored values themselves."""
    key_values = {
        "indicator_id": indicator_id,
        "area_code": area_code,
        "period_type": PeriodType(period_type).value,
        "period_start": period_start,
        "gender": str(gender),
    }
    with session_scope(store.url) as session:
        revisions = session.execute(
            select(
                _REV.c.batch_id,
                _REV.c.previous_value,
                _REV.c.previous_numerator,
                _REV.c.previous_denominator,
                type_coerce(_REV.c.previous_status, String),
                _REV.c.previous_status_reason,
            )
            .where(*(_REV.c[c] == v for c, v in key_values.items()))
            .order_by(_REV.c.batch_id)
        ).all()
        current = session.execute(
            select(
                _OBS.c.value,
                _OBS.c.numerator,
                _OBS.c.denominator,
                type_coerce(_OBS.c.status, String),
                _OBS.c.status_reason,
            ).where(*(_OBS.c[c] == v for c, v in key_values.items()))
        ).first()
        batches = {
            b.id: b for b in batch_summaries(session, _BATCH.c.id.in_([r[0] for r in revisions]))
        }
    befores = [None if r[4] is None else value_state(*r[1:]) for r in revisions]
    now = None if current is None else value_state(*current)
    if as_reader:
        key: ValueKey = (
            indicator_id,
            area_code,
            PeriodType(period_type).value,
            period_start,
            gender,
        )
        view = reader_view(store, [key])
        befores = [view.past(key, state) for state in befores]
        now = view.now(key, now)
    changes = []
    for i, revision in enumerate(revisions):
        batch = batches[revision[0]]
        later = list(range(i + 1, len(revisions)))
        if batch.undone_at is not None:
            # Only writes made before this batch was undone saw what it wrote.
            seen = [j for j in later if batches[revisions[j][0]].imported_at < batch.undone_at]
            after = befores[seen[0]] if seen else None
        else:
            after = befores[later[0]] if later else now
        changes.append(ValueChange(batch=batch, before=befores[i], after=after))
    return list(reversed(changes))


# ---------------------------------------------------------------- what a läsare may see

ValueKey = tuple[str, str, str, date, str]  # indicator_id, area_code, period_type, start, gender
PAST_REASON = "tidigare värde, visas inte för läsare"
_NOW_COLUMNS = [*OBSERVATION_NUMBERS, "status"]


@dataclass(frozen=True)
class ReaderView:
    """Which values of a history a läsare may see (issue 11, item 8).

    Now: exactly what every other view shows (indicators.reads.hidden_cells). Before: a past value
    is shown only when nothing in its indicator, period and part of the hierarchy (a region's
    kommuner; or Riket and the regions) is hidden now or was ever small or hidden, in any state
    the revisions keep. A past state is a store of its own whose hidden cells no view judged, and
    the histories of all values of a column together would give that old column back, so a past
    number is only shown where that old column had nothing to hide."""

    now_hidden: dict[ValueKey, str]
    closed: frozenset[tuple[str, str, date, str]]
    parents: dict[str, str]

    def _group(self, key: ValueKey) -> tuple[str, str, date, str]:
        indicator, area, period_type, start, _ = key
        region = self.parents.get(area)
        if region is not None and region in self.parents:
            scope = region  # a kommun: its region's sum
        elif area in self.parents or area in self.parents.values():
            scope = "*"  # Riket and the regions
        else:
            scope = area  # a unit: only its own T = K + M
        return (indicator, period_type, start, scope)

    def now(self, key: ValueKey, state: ValueState | None) -> ValueState | None:
        if state is None or key not in self.now_hidden:
            return state
        return _hidden_state(state, self.now_hidden[key])

    def past(self, key: ValueKey, state: ValueState | None) -> ValueState | None:
        if state is None or state.status is not ObservationStatus.OK:
            return state
        if key in self.now_hidden:
            return _hidden_state(state, self.now_hidden[key])
        if self._group(key) in self.closed:
            return _hidden_state(state, PAST_REASON)
        return state


def _hidden_state(state: ValueState, reason: str) -> ValueState:
    if state.status is ObservationStatus.SUPPRESSED and state.value is None:
        return state
    return ValueState(None, None, None, ObservationStatus.SUPPRESSED, reason or "sekretess")


def reader_view(store: Store, keys: list[ValueKey]) -> ReaderView:
    """What a läsare may see of the values `keys` name (and of nothing else)."""
    parents = dict(area_parents(store))
    empty = ReaderView({}, frozenset(), parents)
    if not keys:
        return empty
    ids = sorted({k[0] for k in keys})
    starts = sorted({k[3] for k in keys})
    regions = {parents[a] for _, a, *_ in keys if parents.get(a) in parents}
    outer = {a for a, p in parents.items() if p not in parents} | (
        set(parents.values()) - set(parents)
    )
    areas = sorted(outer | {a for a, p in parents.items() if p in regions} | {k[1] for k in keys})
    columns = [*_KEY, *_NOW_COLUMNS]
    with session_scope(store.url) as session:
        kinds = dict(
            session.execute(
                select(m.Indicator.id, type_coerce(m.Indicator.value_kind, String)).where(
                    m.Indicator.id.in_(ids)
                )
            ).all()
        )
        where = (
            _OBS.c.indicator_id.in_(ids),
            _OBS.c.area_code.in_(areas),
            _OBS.c.period_start.in_(starts),
        )
        now = frame_of(
            session.execute(
                select(
                    *(
                        type_coerce(_OBS.c[c], String)
                        if c in ("period_type", "gender", "status")
                        else _OBS.c[c]
                        for c in columns
                    )
                ).where(*where)
            ).all(),
            columns,
        )
        past = frame_of(
            session.execute(
                select(
                    *(
                        type_coerce(_REV.c[c], String)
                        if c in ("period_type", "gender")
                        else _REV.c[c]
                        for c in _KEY
                    ),
                    _REV.c.previous_value,
                    _REV.c.previous_numerator,
                    _REV.c.previous_denominator,
                    type_coerce(_REV.c.previous_status, String),
                ).where(
                    _REV.c.indicator_id.in_(ids),
                    _REV.c.area_code.in_(areas),
                    _REV.c.period_start.in_(starts),
                    _REV.c.previous_status.is_not(None),
                )
            ).all(),
            [*_KEY, *_NOW_COLUMNS],
        )
    now_hidden: dict[ValueKey, str] = {}
    if not now.empty:
        now = now.astype({c: float for c in OBSERVATION_NUMBERS})
        judged = hide(store, now, kinds)
        hidden = judged[judged["status"].astype(str) == ObservationStatus.SUPPRESSED]
        for i, a, t, d, g, reason in hidden[[*_KEY, REASON_COLUMN]].itertuples(index=False):
            now_hidden[(str(i), str(a), str(t), d, str(g))] = str(reason)
    view = ReaderView(now_hidden, frozenset(), parents)
    closed = {view._group(k) for k in now_hidden}
    if not past.empty:
        past = past.astype({c: float for c in OBSERVATION_NUMBERS})
        threshold = get_settings().suppression_threshold
        small = primary_mask(past.assign(status="ok"), threshold, kinds=kinds).to_numpy()
        was_hidden = (past["status"].astype(str) == ObservationStatus.SUPPRESSED).to_numpy()
        for i, a, t, d, g in past.loc[small | was_hidden, _KEY].itertuples(index=False):
            closed.add(view._group((str(i), str(a), str(t), d, str(g))))
    return ReaderView(now_hidden, frozenset(closed), parents)


def for_reader(
    store: Store, detail: BatchDetail, later: dict[ValueKey, ValueState | None]
) -> tuple[BatchDetail, dict[ValueKey, ValueState | None]]:
    """One batch's changes as a läsare may see them: the values now as everywhere else, the
    values before and those the batch wrote (`later`, from imports.written) by ReaderView."""
    changes = detail.changes.copy()
    keys: list[ValueKey] = [
        (str(i), str(a), str(t), d, str(g))
        for i, a, t, d, g in changes[_KEY].itertuples(index=False)
    ]
    view = reader_view(store, keys)
    for when, judge in (("previous", view.past), ("current", view.now)):
        values, nums, dens, statuses, reasons = (
            changes[f"{when}_{c}"].tolist() for c in OBSERVATION_VALUES
        )
        for i, key in enumerate(keys):
            status = statuses[i]
            if not isinstance(status, str):
                continue  # the value did not exist (before) or no longer exists (now)
            state = value_state(values[i], nums[i], dens[i], status, reasons[i])
            shown = judge(key, state)
            if shown is not state and shown is not None:
                for c in OBSERVATION_NUMBERS:
                    changes.at[i, f"{when}_{c}"] = float("nan")
                changes.at[i, f"{when}_status"] = shown.status.value
                changes.at[i, f"{when}_status_reason"] = shown.status_reason
    masked = {key: view.past(key, state) for key, state in later.items()}
    return replace(detail, changes=changes), masked
