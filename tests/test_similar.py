"""Liknande kommuner: Kolada's groups of similar kommuner in the store, the catalogue's choice of
group per indicator, and the view of a kommun among its group, on SQLite and PostgreSQL."""

import statistics
from datetime import date

import numpy as np
import pytest
from sqlalchemy import delete, func, select, update

from indicators.catalogue import CatalogueError, load_catalogue
from indicators.catalogue.similar_groups import read_similar_groups, similar_group_for
from indicators.reads import cache
from indicators.reads.models import SimilarState
from indicators.reads.similar import describe, quartiles, similar_group, similar_view
from indicators.settings import Settings
from indicators.store import models as m
from indicators.store.engine import session_scope, write_session
from indicators.store.store import Store
from indicators.vocabulary.domain import DEFAULT_SIMILAR_KIND, ObservationStatus, SimilarKind
from indicators.vocabulary.formatting import format_value
from indicators.writes.bootstrap import prepare_store
from indicators.writes.catalogue_sync import sync_similar_groups

ANEBY_ALDREOMSORG = {"0488", "0617", "0642", "1763", "1960", "2309", "2460"}


def test_the_shipped_file_gives_one_group_per_kommun_and_kind():
    groups = read_similar_groups()
    assert len({(g.kind, g.area_code) for g in groups}) == len(groups) == 290 * 12 - 1
    aneby = similar_group_for("0604", SimilarKind.ALDREOMSORG)
    assert aneby is not None
    assert aneby.id == "G176488"
    assert aneby.title == "Liknande kommuner äldreomsorg, Aneby, 2024"
    assert set(aneby.members) == ANEBY_ALDREOMSORG
    overall = similar_group_for("0680", SimilarKind.OVERGRIPANDE)
    assert overall is not None and overall.title.startswith("Liknande kommuner, övergripande")
    assert all(g.area_code not in g.members and len(g.members) == 7 for g in groups)


def test_the_catalogue_names_a_group_per_indicator_with_a_default(catalogue):
    kinds = {i.id: catalogue.similar_kind(i) for i in catalogue.indicators}
    assert kinds["U21401"] is SimilarKind.ALDREOMSORG  # the indicator's own field
    assert kinds["N33820"] is SimilarKind.IFO
    assert kinds["U01405"] is SimilarKind.SOCIOEKONOMI  # its first mätområde's (Strategi 1)
    assert kinds["U07353"] is DEFAULT_SIMILAR_KIND is SimilarKind.OVERGRIPANDE


def test_an_unknown_group_kind_is_refused_naming_the_entry(tmp_path):
    text = load_catalogue.__defaults__[0].read_text(encoding="utf-8")
    broken = text.replace('liknande_kommuner = "ifo"', 'liknande_kommuner = "skola"', 1)
    path = tmp_path / "katalog.toml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(CatalogueError) as error:
        load_catalogue(path)
    assert any("indicators 'N33820', fält liknande_kommuner" in p for p in error.value.problems), (
        error.value.problems
    )


def _counts(url: str) -> tuple[int, int]:
    with session_scope(url) as s:
        return (
            s.scalar(select(func.count()).select_from(m.SimilarGroup)) or 0,
            s.scalar(select(func.count()).select_from(m.SimilarGroupMember)) or 0,
        )


def test_prepare_stores_the_groups_once_and_the_indicator_kinds(prepared_store_url):
    groups = read_similar_groups()
    assert _counts(prepared_store_url) == (len(groups), sum(len(g.members) for g in groups))
    again = prepare_store(Settings(database_url=prepared_store_url, seed_demo=False))
    assert again.group_changes == 0
    store = Store(prepared_store_url)
    group = similar_group(store, "0604", SimilarKind.ALDREOMSORG)
    assert group is not None and {c for c, _ in group.members} == ANEBY_ALDREOMSORG
    assert group.area_name == "Aneby" and group.year == 2024
    with session_scope(prepared_store_url) as s:
        kinds = dict(s.execute(select(m.Indicator.id, m.Indicator.similar_kind)).all())
    assert kinds["U21401"] == SimilarKind.ALDREOMSORG
    assert kinds["U01405"] == SimilarKind.SOCIOEKONOMI


def test_a_new_snapshot_of_the_groups_replaces_only_what_changed(prepared_store_url):
    groups = read_similar_groups()
    aneby = next(g for g in groups if g.id == "G176488")
    renewed = aneby.__class__(
        id="G999999",
        kind=aneby.kind,
        area_code=aneby.area_code,
        title="Liknande kommuner äldreomsorg, Aneby, 2026",
        year=2026,
        members=(*aneby.members[:6], "0680"),
    )
    changed = [renewed if g.id == aneby.id else g for g in groups]
    with write_session(prepared_store_url) as s:
        report = sync_similar_groups(s, changed)
    assert report.added == {"similar_group": 1, "similar_group_member": 7}
    assert report.removed == {"similar_group": 1, "similar_group_member": 7}
    cache.clear_all()
    group = similar_group(Store(prepared_store_url), "0604", SimilarKind.ALDREOMSORG)
    assert group is not None and group.id == "G999999" and ("0680", "Jönköping") in group.members
    with write_session(prepared_store_url) as s:
        assert sync_similar_groups(s, changed).changes == 0


def _stored(store: Store, indicator_id: str, codes: set[str], year: int) -> dict[str, float]:
    with session_scope(store.url) as s:
        rows = s.execute(
            select(m.Observation.area_code, m.Observation.value).where(
                m.Observation.indicator_id == indicator_id,
                m.Observation.area_code.in_(codes),
                m.Observation.gender == "T",
                m.Observation.status == "ok",
                m.Observation.period_start == date(year, 1, 1),
            )
        ).all()
    return {code: value for code, value in rows}


def test_the_view_gives_the_groups_quartiles_and_the_kommuns_place(any_demo_store):
    view = similar_view(any_demo_store, "U23401", "0604")
    assert view is not None and view.state is SimilarState.OK
    assert view.kind is SimilarKind.ALDREOMSORG
    assert view.group is not None and view.group.id == "G176488"
    year = int(view.period)
    members = _stored(any_demo_store, "U23401", ANEBY_ALDREOMSORG, year)
    own = _stored(any_demo_store, "U23401", {"0604"}, year)["0604"]
    assert len(members) == 7
    snap = view.snapshot
    q1, median, q3 = np.percentile(sorted(members.values()), [25, 50, 75])
    assert (snap.q1, snap.median, snap.q3) == pytest.approx((q1, median, q3))
    assert snap.median == pytest.approx(statistics.median(members.values()))
    # lower is better (days of waiting): the place counts the kommuner with fewer days
    better = sum(1 for v in members.values() if round(v) < round(own))
    assert view.rank == better + 1 and view.rank_of == 8
    assert view.members[0].is_own and view.members[0].text == format_value(own, 0, "dagar")
    assert [mb.code for mb in view.members[1:]] == sorted(members, key=lambda c: members[c])
    text = describe(view)
    assert f"Aneby hade {format_value(own, 0, 'dagar')} {year}, plats {view.rank} av 8" in text
    assert f"Gruppens median var {format_value(median, 0, 'dagar')}" in text
    assert view.trend_from == "2020"
    before = _stored(any_demo_store, "U23401", {"0604"}, 2020)["0604"]
    assert view.own_change == pytest.approx(own - before)


def test_hidden_values_are_never_counted_nor_shown(demo_copy):
    view = similar_view(demo_copy, "U23401", "0604")
    year = view.period
    members = _stored(demo_copy, "U23401", ANEBY_ALDREOMSORG, int(year))
    hidden_by_source, small = "0617", "2309"
    with write_session(demo_copy.url) as s:
        obs = m.Observation.__table__
        key = (obs.c.indicator_id == "U23401", obs.c.period_start == date(int(year), 1, 1))
        s.execute(
            update(obs)
            .where(*key, obs.c.area_code == hidden_by_source)
            .values(status=ObservationStatus.SUPPRESSED, value=None)
        )
        # rests on 3 people: suppression hides it (and whatever would give it away)
        s.execute(
            update(obs).where(*key, obs.c.area_code == small).values(numerator=3, denominator=3)
        )
    cache.clear_all()
    view = similar_view(demo_copy, "U23401", "0604", period=year)
    shown = {mb.code: mb for mb in view.members}
    assert shown[hidden_by_source].value is None and shown[hidden_by_source].text == "sekretess"
    assert shown[small].value is None and shown[small].text == "sekretess"
    visible = [v for c, v in members.items() if c not in (hidden_by_source, small)]
    visible = [v for c, v in members.items() if shown[c].value is not None]
    assert len(visible) <= 5
    assert view.snapshot.median == pytest.approx(statistics.median(visible))
    assert view.snapshot.shown == len(visible)
    assert view.state is SimilarState.PARTIAL
    assert "Gnosjö" in view.missing and "Krokom" in view.missing
    assert "Värde saknas eller är dolt för" in describe(view)


def test_missing_values_name_the_command_that_fetches_them(demo_copy):
    with write_session(demo_copy.url) as s:
        s.execute(
            delete(m.Observation.__table__).where(
                m.Observation.indicator_id == "U23401",
                m.Observation.area_code.in_(ANEBY_ALDREOMSORG),
            )
        )
    cache.clear_all()
    view = similar_view(demo_copy, "U23401", "0604")
    assert view.state is SimilarState.NO_VALUES
    assert view.fetch_command.startswith(
        "python -m indicators fetch-kolada --liknande 0604 --kpi U23401 --from "
    )
    assert view.fetch_command.endswith(" --save")
    text = describe(view)
    assert "Värden för de 7 liknande kommunerna (äldreomsorg) saknas i lagret" in text
    assert view.fetch_command in text


def test_regional_indicators_and_missing_groups_say_why(demo_copy):
    assert similar_view(demo_copy, "N79179", "0680").state is SimilarState.NOT_KOMMUN
    with write_session(demo_copy.url) as s:
        s.execute(delete(m.SimilarGroup.__table__).where(m.SimilarGroup.area_code == "0604"))
    cache.clear_all()
    view = similar_view(demo_copy, "U23401", "0604")
    assert view.state is SimilarState.NO_GROUP
    assert "python -m indicators prepare" in describe(view)
    assert similar_view(demo_copy, "FINNS-INTE", "0604") is None


def test_coded_answers_are_counted_never_averaged(any_demo_store):
    view = similar_view(any_demo_store, "U21343", "0687")
    assert view.state in (SimilarState.OK, SimilarState.PARTIAL)
    assert all(p.median is None and p.q1 is None for p in view.periods)
    assert view.rank is None
    assert sum(c.count for c in view.code_counts) == sum(
        1 for mb in view.members if not mb.is_own and mb.value is not None
    )


def test_quartiles_need_three_values():
    assert quartiles([1.0, 2.0]) is None
    assert quartiles([1.0, 2.0, 3.0, 4.0]) == (1.75, 2.5, 3.25)
