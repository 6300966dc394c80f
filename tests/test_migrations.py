"""Alembic migrations on a real SQLite file and a real PostgreSQL database: up to head, down to
nothing and up again, and the schema they build is exactly the models' (compare_metadata)."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from indicators.store import models as m
from indicators.store.engine import engine_for
from indicators.store.migrate import current_revision, downgrade_to, head_revision, upgrade_to_head


def _differences(url: str) -> list:
    with engine_for(url).connect() as conn:
        dialect = conn.dialect.name

        def include_object(
            obj: object, _name: object, type_: str, reflected: bool, _compare_to: object
        ) -> bool:
            # PostgreSQL checks the bulk tables' keys by statement triggers (0015).
            return not m.statement_checked_key(obj, type_, reflected, dialect)

        context = MigrationContext.configure(conn, opts={"include_object": include_object})
        return compare_metadata(context, m.Base.metadata)


def _tables(url: str) -> set[str]:
    return set(inspect(engine_for(url)).get_table_names())


def test_migrations_create_exactly_the_models(store_url):
    upgrade_to_head(store_url)
    assert current_revision(store_url) == head_revision(store_url)
    assert _differences(store_url) == []


def test_migrations_downgrade_to_nothing_and_up_again(store_url):
    upgrade_to_head(store_url)
    downgrade_to(store_url, "base")
    assert _tables(store_url) == {"alembic_version"}
    assert current_revision(store_url) is None
    upgrade_to_head(store_url)
    assert current_revision(store_url) == head_revision(store_url)
    assert {"observation", "app_user", "audit_event", "data_version"} <= _tables(store_url)
    assert _differences(store_url) == []


def test_every_revision_downgrades_one_step_and_up_again(store_url):
    """Each step down undoes exactly its own step up: the schema after down-and-up is the
    models' again, whichever revision the step starts from."""
    upgrade_to_head(store_url)
    head = head_revision(store_url)
    downgrade_to(store_url, "-1")
    assert current_revision(store_url) != head
    upgrade_to_head(store_url)
    assert _differences(store_url) == []


def _small_demo(url: str) -> None:
    from indicators.settings import Settings
    from indicators.store.engine import session_scope
    from indicators.vocabulary.domain import COUNTY_CODE, COUNTY_KOMMUN_CODES, NATION_CODE
    from indicators.writes.bootstrap import prepare_store
    from indicators.writes.seed import seed_demo

    prepare_store(Settings(database_url=url, seed_demo=False))
    with session_scope(url) as session:
        seed_demo(
            session,
            years=range(2022, 2024),
            area_codes=[NATION_CODE, COUNTY_CODE, *COUNTY_KOMMUN_CODES],
        )


def test_migrations_that_copy_tables_keep_every_value(stores):
    """Batch mode copies a SQLite table to change a CHECK; copying `indicator`, which
    observations reference with ON DELETE CASCADE, must not delete them (it did, with foreign
    keys on). A store goes down to 0007 and up to head again with all its values, links and
    codes."""
    from sqlalchemy import text

    url = stores.from_template("small-demo", _small_demo)
    tables = ("observation", "indicator_matomrade", "indicator_code", "indicator")

    def counts() -> dict[str, int]:
        with engine_for(url).connect() as conn:
            return {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in tables}

    before = counts()
    assert before["observation"] > 0
    downgrade_to(url, "0007")
    assert counts() == before
    upgrade_to_head(url)
    assert counts() == before
    assert _differences(url) == []


def test_a_store_with_rows_takes_new_rows_after_the_migrations(stores):
    """The migrations that change a CHECK copied tables on PostgreSQL too, and a copied table's
    id sequence began again at 1: the next audit entry or import collided with the first row
    ("duplicate key … pk_audit_event"). A store with values and log entries goes down to 0003 and
    up to head, and then takes a new log entry, a new import and a new activity."""
    from datetime import date

    from indicators.imports.pipeline import CONFIRM_ALL, save
    from indicators.imports.records import UploadedFile
    from indicators.reads.audit import audit_events
    from indicators.reads.models import ActivityFields
    from indicators.store.store import Store
    from indicators.vocabulary.domain import ActivityStatus
    from indicators.writes.analyses import add_analysis
    from indicators.writes.plans import add_activity

    url = stores.from_template("small-demo", _small_demo)
    store = Store(url)
    entries = len(audit_events(store))
    assert entries > 0
    downgrade_to(url, "0003")
    upgrade_to_head(url)
    add_analysis(store, "U23401", "2023", "Efter migreringen", "Analytiker")
    template = (
        "Indikator;Område;Period;Kön;Värde;Täljare;Nämnare;Status\nU23401;0680;2023;T;61;;;\n"
    )
    result = save(
        store, [UploadedFile("efter.csv", template.encode())], user="Test", confirmed=CONFIRM_ALL
    )
    assert result.files[0].batch_id is not None, result
    add_activity(
        store,
        "aldre",
        ActivityFields(
            title="Efter migreringen",
            owner="Jönköpings kommun",
            start_date=date(2024, 1, 1),
            end_date=None,
            status=ActivityStatus.PAGAR,
        ),
        "Analytiker",
    )
    assert len(audit_events(store)) == entries + 3
