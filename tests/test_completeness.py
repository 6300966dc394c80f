"""Inrapportering: the catalogue's delivery fields, due dates in Swedish time, and the
completeness matrix on both backends (a real import into a production install)."""

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from delivery_samples import DELIVERED, HEALTH, HIDDEN_VALUE, SIP, deliver

from indicators.catalogue import CatalogueError, load_catalogue
from indicators.paths import CATALOGUE_FILE
from indicators.reads.completeness import (
    completeness,
    completeness_frames,
    late_deliveries,
    latest_due_period,
)
from indicators.reads.models import DeliveryState
from indicators.reads.queries import catalogue_tree, indicator_series
from indicators.store.store import Store
from indicators.vocabulary.deadlines import parse_due_rule, swedish_today
from indicators.vocabulary.domain import COUNTY_CODE, COUNTY_KOMMUN_CODES, Deliverer, PeriodType

# --- The rule and the day ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "period_type", "start", "due"),
    [
        ("31 mars året efter", PeriodType.YEAR, date(2025, 1, 1), date(2026, 3, 31)),
        ("  30 September  samma år ", PeriodType.HALF_YEAR, date(2025, 1, 1), date(2025, 9, 30)),
        ("60 dagar efter periodens slut", PeriodType.QUARTER, date(2025, 10, 1), date(2026, 3, 1)),
        ("29 februari året efter", PeriodType.YEAR, date(2024, 1, 1), date(2025, 2, 28)),
        ("1 dag efter periodens slut", PeriodType.MONTH, date(2025, 2, 1), date(2025, 3, 1)),
    ],
)
def test_a_due_rule_gives_the_day_for_each_period(rule, period_type, start, due):
    assert parse_due_rule(rule).due_date(period_type, start) == due


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ("31 mars", "okänd regel"),
        ("31 mors året efter", "okänd månad 'mors'"),
        ("31 april året efter", "april har ingen dag 31"),
        ("snart", "31 mars året efter"),
    ],
)
def test_a_rule_that_cannot_be_read_is_refused_in_swedish(rule, words):
    with pytest.raises(ValueError, match=words):
        parse_due_rule(rule)


def test_today_is_the_swedish_date():
    """A deadline passes at midnight in Stockholm: 22.30 UTC on 31 March is 1 April there."""
    assert swedish_today(datetime(2026, 3, 31, 22, 30, tzinfo=UTC)) == date(2026, 4, 1)
    assert swedish_today(datetime(2026, 12, 31, 22, 59, tzinfo=UTC)) == date(2026, 12, 31)
    assert swedish_today(datetime(2026, 12, 31, 23, 0, tzinfo=UTC)) == date(2027, 1, 1)


# --- The catalogue ------------------------------------------------------------------------------


def _indicator_in(catalogue, indicator_id):
    return next(i for i in catalogue.indicators if i.id == indicator_id)


def test_the_catalogue_names_who_delivers_and_which_series_ended(catalogue):
    assert _indicator_in(catalogue, SIP).due == "31 mars året efter"
    kommunerna = {i.id for i in catalogue.indicators if i.delivered_by is Deliverer.KOMMUNER}
    assert {SIP, "RJL-KONTINUITETSINDEX-SABO"} <= kommunerna
    assert all(i.due for i in catalogue.indicators if i.delivered_by is not Deliverer.SOURCE)
    ended = {i.id: i.discontinued_start for i in catalogue.indicators if i.discontinued_from}
    assert ended["U21401"] == date(2025, 1, 1)
    # Kolada marks an ended series in its title, "(- 2024)": the catalogue says so too.
    for i in catalogue.indicators:
        if "(- 2024)" in i.title or "(-2023)" in i.title:
            assert i.discontinued_start is not None, i.id


def _broken_copy(tmp_path: Path, old: str, new: str) -> Path:
    text = CATALOGUE_FILE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "katalog.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_a_bad_due_rule_names_the_indicator(tmp_path):
    path = _broken_copy(tmp_path, 'due = "31 mars året efter"', 'due = "sista mars"')
    with pytest.raises(CatalogueError) as refused:
        load_catalogue(path)
    assert any("RJL-" in p and "sista mars" in p for p in refused.value.problems)


def test_an_ended_series_must_name_a_period_of_its_type(tmp_path):
    path = _broken_copy(tmp_path, 'discontinued_from = "2025"', 'discontinued_from = "2025Q1"')
    with pytest.raises(CatalogueError) as refused:
        load_catalogue(path)
    assert any("'U21401'" in p and "discontinued_from" in p for p in refused.value.problems)


# --- The matrix on both backends ----------------------------------------------------------------

ON_TIME = date(2026, 3, 31)  # the last day SIP 2025 is on time
LATE = date(2026, 4, 1)


@pytest.fixture
def delivered(prepared_store_url: str) -> tuple[Store, int]:
    store = Store(prepared_store_url)
    return store, deliver(store, 2025)


def _states(matrix, indicator_id):
    return {a.code: matrix.cell(indicator_id, a.code).state for a in matrix.areas}


def test_every_cell_gets_its_state(delivered):
    store, _ = delivered
    matrix = completeness(store, "2025", today=LATE)
    assert [a.code for a in matrix.areas] == [*COUNTY_KOMMUN_CODES, COUNTY_CODE]
    sip = _states(matrix, SIP)
    assert sip["0604"] is DeliveryState.DELIVERED
    assert sip["0617"] is DeliveryState.SUPPRESSED  # 3 people: hidden
    assert sip["0642"] is DeliveryState.SUPPRESSED  # the source hid it
    assert sip["0643"] in (DeliveryState.DELIVERED, DeliveryState.SUPPRESSED)
    assert sip[COUNTY_CODE] is DeliveryState.NOT_EXPECTED  # measured per kommun only
    late = {c for c in COUNTY_KOMMUN_CODES if c not in DELIVERED}
    assert {c for c, s in sip.items() if s is DeliveryState.LATE} == late
    # No due date: missing, never late.
    health = _states(matrix, HEALTH)
    assert health["0604"] is DeliveryState.DELIVERED and health[COUNTY_CODE] is health["0604"]
    assert {s for c, s in health.items() if c not in ("0604", COUNTY_CODE)} == {
        DeliveryState.MISSING
    }
    # A region-level measure is not expected of a kommun; an ended series of no one.
    assert set(_states(matrix, "U70445").values()) == {
        DeliveryState.NOT_EXPECTED,
        DeliveryState.MISSING,
    }
    assert matrix.cell("U70445", "0680").reason == "mäts inte per kommun"
    assert set(_states(matrix, "U21401").values()) == {DeliveryState.NOT_EXPECTED}
    assert matrix.cell("U21401", "0680").reason == "serien finns inte från 2025"


def test_before_the_due_date_a_missing_value_is_awaited(delivered):
    store, _ = delivered
    matrix = completeness(store, "2025", today=ON_TIME)
    assert matrix.cell(SIP, "0680").state is DeliveryState.PENDING
    assert matrix.cell(SIP, "0680").due == date(2026, 3, 31)
    assert matrix.late == ()


def test_sekretess_is_the_same_cell_as_every_other_view_hides(delivered):
    """The Indikator page's read hides exactly the cells the matrix calls sekretess."""
    store, _ = delivered
    matrix = completeness(store, "2025", today=LATE)
    for indicator_id in (SIP, HEALTH):
        series = indicator_series(store, indicator_id, [*COUNTY_KOMMUN_CODES, COUNTY_CODE])
        shown = series[series["period"] == "2025"]
        hidden = {
            a for a, s in zip(shown["area_code"], shown["status"], strict=True) if s == "suppressed"
        }
        states = _states(matrix, indicator_id)
        assert {c for c, s in states.items() if s is DeliveryState.SUPPRESSED} == hidden
        assert hidden or indicator_id == HEALTH


def test_summaries_per_kommun_and_indicator(delivered):
    store, _batch = delivered
    matrix = completeness(store, "2025", today=LATE, delivered_by=Deliverer.KOMMUNER)
    assert {i.id for i in matrix.indicators} == {SIP, "RJL-KONTINUITETSINDEX-SABO"}
    assert matrix.selection == "kommunerna lämnar in"
    aneby = matrix.by_area["0604"]
    assert aneby.sentence("2025") == "1 av 2 förväntade mått inlämnade för 2025"
    assert aneby.late == 1
    assert matrix.by_area["0680"].sentence("2025") == "0 av 2 förväntade mått inlämnade för 2025"
    sip = matrix.by_indicator[SIP]
    assert (sip.expected, sip.delivered, sip.late) == (13, 4, 9)
    # The date of the last import is the batch's.
    assert matrix.cell(SIP, "0604").imported_at is not None
    assert sip.last_import == matrix.cell(SIP, "0604").imported_at
    assert matrix.cell(SIP, "0680").imported_at is None
    assert [d.indicator.id for d in matrix.late] == [SIP, "RJL-KONTINUITETSINDEX-SABO"]
    assert len(matrix.late[0].areas) == 9


def test_filters_by_strategy_matomrade_and_group(delivered):
    store, _ = delivered
    tree = catalogue_tree(store)
    two = completeness(store, "2025", today=LATE, strategy=2)
    s2 = {i.id for st in tree if st.number == 2 for ma in st.matomraden for i in ma.indicators}
    assert {i.id for i in two.indicators} == s2
    sip_area = completeness(store, "2025", today=LATE, matomrade="s2-sip-delaktighet")
    assert SIP in {i.id for i in sip_area.indicators}
    assert "Samordnad individuell plan" in sip_area.selection
    aldre = completeness(store, "2025", today=LATE, strategigrupp="aldre")
    assert all("aldre" in i.strategigrupp_ids for i in aldre.indicators)


def test_the_download_never_holds_a_hidden_value(delivered):
    store, _ = delivered
    frames = completeness_frames(completeness(store, "2025", today=LATE))
    assert list(frames) == ["Matris", "Per område", "Att påminna om", "Celler"]
    cells = [v for frame in frames.values() for v in frame.to_numpy().ravel()]
    # Statuses, dates and counts only: no value, numerator or denominator travels.
    assert not {"Värde", "Täljare", "Nämnare"} & {c for f in frames.values() for c in f.columns}
    assert HIDDEN_VALUE not in {str(v) for v in cells} and 7.5 not in cells
    matrix = frames["Matris"].set_index("Indikator")
    assert matrix.loc[SIP, "Gnosjö"] == "sekretess"
    assert matrix.loc[SIP, "Jönköping"] == "försenad"
    assert matrix.loc[SIP, "Sista inlämningsdag"] == "2026-03-31"
    cells = frames["Celler"].set_index(["Områdeskod", "Indikator"])
    assert cells.loc[("0604", SIP), "Läge"] == "inlämnad"
    assert re.fullmatch(
        r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", cells.loc[("0604", SIP), "Senast inläst (svensk tid)"]
    )
    assert cells.loc[("0680", SIP), "Senast inläst (svensk tid)"] == ""
    assert cells.loc[("0680", "U70445"), "Orsak"] == "mäts inte per kommun"
    remind = frames["Att påminna om"]
    late = remind[(remind["Indikator"] == SIP) & (remind["Läge"] == "försenad")]
    assert len(late) == 9 and "Jönköping" in set(late["Område"])


def test_late_deliveries_name_the_latest_period_past_its_date(delivered):
    store, _ = delivered
    after = late_deliveries(store, LATE)
    sip = next(d for d in after if d.indicator.id == SIP)
    assert sip.period == "2025" and sip.due == date(2026, 3, 31)
    assert {a.code for a in sip.areas} == {c for c in COUNTY_KOMMUN_CODES if c not in DELIVERED}
    # On the due date itself 2025 is not yet late; 2024, never delivered, is.
    before = late_deliveries(store, ON_TIME)
    assert {d.period for d in before} == {"2024"}
    assert len(next(d for d in before if d.indicator.id == SIP).areas) == 13
    sip_summary = next(
        i
        for st in catalogue_tree(store)
        for ma in st.matomraden
        for i in ma.indicators
        if i.id == SIP
    )
    assert latest_due_period(sip_summary, LATE) == "2025"
    assert latest_due_period(sip_summary, ON_TIME) == "2024"
