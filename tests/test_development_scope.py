"""development_table judges the catalogue's indicators only (issue 16: every indicator in the
store made Översikt, Strategigrupp, Kommun and Jämförelse six times the work at national
scale), and any indicator judged alone gets exactly what the table gives it."""

from sqlalchemy import select

from indicators.reads import cache
from indicators.reads.followup.baseline import (
    JUDGED_AREAS,
    development_table,
    indicator_development_table,
)
from indicators.store import models as m
from indicators.store.engine import session_scope
from indicators.store.store import Store


def test_the_table_holds_the_catalogue_and_one_indicator_alone_is_judged_alike(
    any_demo_store: Store,
):
    cache.clear_all()
    table = development_table(any_demo_store)
    with session_scope(any_demo_store.url) as s:
        catalogue = set(s.scalars(select(m.IndicatorMatomrade.indicator_id)).all())
    assert set(table.latest) == catalogue
    for ind in sorted(catalogue)[::7]:
        alone = indicator_development_table(any_demo_store, ind)
        assert alone.latest[ind] == table.latest[ind]
        for code in JUDGED_AREAS:
            assert alone.development(ind, code) == table.development(ind, code), (ind, code)
