"""The catalogue file: validation that names the entry, references, and real Kolada metadata."""

from pathlib import Path

import pytest

from indicators.catalogue import CatalogueError, load_catalogue
from indicators.catalogue.kolada import kolada_catalogue
from indicators.paths import CATALOGUE_FILE
from indicators.vocabulary.domain import AreaLevel, ValueKind

STRATEGY_2_GROUPS = {"barn-och-unga", "psykiatri-och-missbruk", "aldre"}


def test_shipped_catalogue_covers_the_strategy_document(catalogue):
    assert [s.number for s in catalogue.strategies] == [1, 2, 3, 4]
    assert {g.id for g in catalogue.strategigrupper} == STRATEGY_2_GROUPS
    titles = {m.title for m in catalogue.matomraden}
    for expected in [
        "Tillsammans för jämlik hälsa och ett bra liv i Jönköpings län",
        "Strategi för hälsa",
        "Kraftsamling psykisk hälsa",
        "Tillgänglighet",
        "Samordning av vård, insatser och omsorg",
        "Kontinuitet, fast läkarkontakt och kontinuitetsindex",
        "Nationella indikatorer God och nära vård",
    ]:
        assert expected in titles
    assert len(catalogue.indicators) >= 30
    for m in catalogue.matomraden:
        members = [i for i in catalogue.indicators if m.id in i.matomraden]
        assert members, f"mätområde {m.id} saknar indikatorer"
        assert any(i.headline for i in members), f"mätområde {m.id} saknar rubrikindikator"
    for m in (m for m in catalogue.matomraden if m.strategy == 2):
        assert set(m.strategigrupper) == STRATEGY_2_GROUPS


@pytest.mark.parametrize(
    "kpi",
    [
        "U21401",
        "N21497",
        "N20509",
        "U21343",
        "U21344",
        "U21571",
        "N21605",
        "U23401",
        "U23431",
        "U72552",
        "U79119",
        "N79179",
        "U70450",
        "N78113",
        "N79533",
        "N79541",
        "N20403",
        "U79135",
        "N20506",
        "U21340",
        "U21341",
        "U21342",
        "U07344",
        "N70552",
        "N70559",
        "N70465",
        "U61901",
    ],
)
def test_domain_kolada_indicators_are_in_the_catalogue(catalogue, kpi):
    assert kpi in {i.id for i in catalogue.indicators}


def test_kolada_indicators_match_the_shipped_kolada_metadata(catalogue):
    kolada = kolada_catalogue()
    for ind in (i for i in catalogue.indicators if i.source == "Kolada"):
        kpi = kolada.get(ind.source_id)
        assert kpi is not None, ind.id
        assert ind.title == kpi.title, ind.id
        assert ind.by_gender == kpi.by_gender, ind.id
        assert ind.area_level == kpi.area_level, ind.id


def test_regional_indicators_are_declared_as_regional_exports(catalogue):
    regional = [i for i in catalogue.indicators if i.source == "regional export"]
    ids = {i.id for i in regional}
    assert {"RJL-KONTINUITETSINDEX-PV", "RJL-FAST-LAKARKONTAKT", "RJL-SIP-DELAKTIGHET"} <= ids
    for ind in regional:
        assert not ind.source_id
        if ind.value_kind is ValueKind.RATE:
            assert ind.numerator and ind.denominator, ind.id


def test_coded_indicators_carry_their_codes(catalogue):
    coded = [i for i in catalogue.indicators if i.value_kind is ValueKind.CODED]
    assert coded
    for ind in coded:
        labels = {c.code: c.label for c in ind.codes}
        assert labels in ({2: "Breddinfört", 1: "Testverksamhet", 0: "Nej"}, {1: "Ja", 0: "Nej"})


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "katalog.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _broken(tmp_path: Path, entry_id: str, old: str, new: str) -> CatalogueError:
    """The shipped catalogue with one line of one entry changed."""
    text = CATALOGUE_FILE.read_text(encoding="utf-8")
    start = text.index(f'id = "{entry_id}"')
    end = text.find("\n[[", start)
    block = text[start:end]
    assert old in block
    with pytest.raises(CatalogueError) as info:
        load_catalogue(_write(tmp_path, text[:start] + block.replace(old, new, 1) + text[end:]))
    return info.value


def test_an_invalid_field_is_reported_with_the_entry_and_field(tmp_path):
    error = _broken(tmp_path, "U21401", 'value_kind = "mean"', 'value_kind = "medel"')
    assert len(error.problems) == 1
    assert "indicators 'U21401'" in error.problems[0]
    assert "value_kind" in error.problems[0]
    assert "katalog.toml" in str(error)


def test_an_unknown_matomrade_is_reported_by_indicator(tmp_path):
    error = _broken(
        tmp_path, "U21401", 'matomraden = ["s2-kontinuitet"]', 'matomraden = ["s2-okand"]'
    )
    assert any("'s2-okand'" in p and "indikator" in p for p in error.problems)


def test_a_duplicate_id_is_refused(tmp_path):
    error = _broken(tmp_path, "U23431", 'id = "U23431"', 'id = "U23401"')
    assert any("'U23401'" in p and "mer än en gång" in p for p in error.problems)


def test_codes_on_a_non_coded_indicator_are_refused(tmp_path):
    text = CATALOGUE_FILE.read_text(encoding="utf-8")
    start = text.index('id = "U23401"')
    end = text.index("[[indicators]]", start)
    block = text[start:end] + '\n[[indicators.codes]]\ncode = 1\nlabel = "Ja"\n'
    with pytest.raises(CatalogueError) as info:
        load_catalogue(_write(tmp_path, text[:start] + block + text[end:]))
    assert any("U23401" in p and "kodade" in p for p in info.value.problems)


def test_toml_syntax_errors_are_reported(tmp_path):
    with pytest.raises(CatalogueError, match="TOML-syntaxfel"):
        load_catalogue(_write(tmp_path, "version = \n"))


def test_kolada_search_finds_ids_by_title_and_definition():
    kolada = kolada_catalogue()
    assert len(kolada) == 6099
    assert kolada.get("u21401").title.startswith("Personalkontinuitet")
    assert kolada.get("U21401").discontinued
    hits = [k.id for k in kolada.search("fast omsorgskontakt")]
    assert "N21497" in hits
    by_definition = [k.id for k in kolada.search("två eller fler besök av hemtjänsten")]
    assert "U21401" in by_definition
    assert kolada.get("N21497").area_level is AreaLevel.KOMMUN
