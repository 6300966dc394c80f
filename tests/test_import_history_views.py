"""Queries behind the import history detail and the Indikatorer page's Kolada section, against
a fresh real SQLite store and a fresh PostgreSQL database."""

from datetime import date

import pytest

from indicators.imports.history import batch_detail
from indicators.imports.pipeline import save, undo_batch
from indicators.imports.records import UploadedFile
from indicators.imports.written import written_later
from indicators.reads.queries import added_indicators, catalogue_tree
from indicators.store.store import Store

HEADER = "Indikator;Område;Period;Kön;Värde;Täljare;Nämnare;Status\n"
KEY = ("N21497", "0680", "year", date(2023, 1, 1), "T")


@pytest.fixture
def store(prepared_store_url) -> Store:
    """A production install without values, on SQLite and on PostgreSQL."""
    return Store(prepared_store_url)


def _save(store: Store, name: str, rows: str, **options: bool) -> int:
    file = UploadedFile(name=name, content=(HEADER + rows).encode("utf-8-sig"))
    result = save(store, [file], user="Anna Analytiker", **options)
    assert result.ok, [p.message for p in result.problems]
    return result.files[0].batch_id


def test_added_indicators_lists_those_added_from_kolada(store: Store) -> None:
    assert added_indicators(store) == []
    _save(store, "kolada.csv", "N00003;0680;2023;T;12;;;\n", add_kolada_indicators=True)
    added = added_indicators(store)
    assert [i.id for i in added] == ["N00003"]
    assert added[0].source == "Kolada"
    in_tree = {i.id for s in catalogue_tree(store) for ma in s.matomraden for i in ma.indicators}
    assert "N00003" not in in_tree  # so the Indikatorer page needs its own section


def test_written_later_keeps_what_an_overwritten_batch_wrote(store: Store) -> None:
    first = _save(store, "a.csv", "N21497;0680;2023;T;87,5;35;40;\n")
    assert KEY[2] == batch_detail(store, first).changes["period_type"].iloc[0]
    assert written_later(store, first) == {}  # still the last writer: the store holds it
    second = _save(store, "b.csv", "N21497;0680;2023;T;90;36;40;\n")
    state = written_later(store, first)[KEY]
    assert state is not None and state.value == 87.5
    assert written_later(store, second) == {}


def test_written_later_of_an_undone_batch_is_unknown_after_the_undo(store: Store) -> None:
    first = _save(store, "a.csv", "N21497;0680;2023;T;87,5;35;40;\n")
    assert undo_batch(store, first, user="Anna Analytiker").undone
    _save(store, "b.csv", "N21497;0680;2023;T;90;36;40;\n")
    assert written_later(store, first) == {KEY: None}
    assert written_later(store, 9999) == {}
