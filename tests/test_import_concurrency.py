"""Two writers on one store at the same moment, on real SQLite and PostgreSQL: two imports of
the same keys, and an undo racing an import. Each runs in its own thread with its own
connection; the store's write lock must make the outcome one of the serial orders.

The race is forced, not hoped for: `Interleaving` holds every writer at its first write until
each other writer has either read the store too (the interleaving that lost data) or is about
to take the store's write lock (then it cannot read until the first writer has committed)."""

import sqlite3
import threading
from collections.abc import Callable
from contextlib import closing
from datetime import date
from typing import Any

import pytest
from sqlalchemy import Engine, event, text
from sqlalchemy.engine import make_url
from summary_stores import prepare_county
from test_import_save import RATE, USER, parsed, record

from indicators.imports import pipeline
from indicators.imports import save as save_module
from indicators.imports.history import value_history
from indicators.imports.pipeline import CONFIRM_ALL, FileStatus, save_parsed, undo_batch
from indicators.store.engine import engine_for
from indicators.store.store import Store

KEY = (RATE, "0680", "year", date(2023, 1, 1), "T")
WRITES = ("INSERT", "UPDATE", "DELETE", "CREATE TEMPORARY")
LOCKS = ("PG_ADVISORY_XACT_LOCK", "BEGIN IMMEDIATE")
WAIT_SECONDS = 60  # only a hang ends here; the test never waits for time to pass


@pytest.fixture
def store(stores) -> Store:
    return Store(stores.from_template("import-save", prepare_county))


class Interleaving:
    """Statement hooks on the engine for the named threads (see the module docstring)."""

    def __init__(self, engine: Engine, names: list[str]) -> None:
        self.engine = engine
        self.state = dict.fromkeys(names, "start")
        self.condition = threading.Condition()
        self.results: dict[str, Any] = {}
        self.errors: list[BaseException] = []
        event.listen(engine, "before_cursor_execute", self._before)

    def close(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._before)

    def _before(self, _conn, _cursor, statement: str, *_args: object) -> None:
        name = threading.current_thread().name
        if name not in self.state:
            return
        text = statement.lstrip().upper()
        with self.condition:
            if any(lock in text for lock in LOCKS):
                self.state[name] = "locking"
                self.condition.notify_all()
            elif self.state[name] in ("start", "locking") and text.startswith(WRITES):
                self.state[name] = "read"
                self.condition.notify_all()
                others = [n for n in self.state if n != name]
                assert self.condition.wait_for(
                    lambda: all(self.state[n] != "start" for n in others), WAIT_SECONDS
                ), "the other writer never reached the store"

    def run(self, work: dict[str, Callable[[], Any]]) -> dict[str, Any]:
        def body(name: str, task: Callable[[], Any]) -> None:
            try:
                self.results[name] = task()
            except BaseException as error:  # re-raised in the test's thread below
                self.errors.append(error)
            finally:
                with self.condition:
                    self.state[name] = "done"
                    self.condition.notify_all()

        threads = [
            threading.Thread(target=body, args=(name, task), name=name)
            for name, task in work.items()
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(WAIT_SECONDS)
        self.close()
        if self.errors:
            raise self.errors[0]
        return self.results


def stored_value(store: Store) -> float | None:
    with engine_for(store.url).connect() as connection:
        return connection.execute(
            text(
                "SELECT value FROM observation WHERE indicator_id = :i AND area_code = :a "
                "AND period_type = :t AND period_start = :s AND gender = :g"
            ),
            dict(zip("iatsg", KEY, strict=True)),
        ).scalar()


def test_two_imports_of_the_same_keys_at_once_are_both_kept_in_order(store: Store) -> None:
    demo = stored_value(store)
    assert demo is not None  # the Exempeldata value the first import replaces
    race = Interleaving(engine_for(store.url), ["första", "andra"])
    results = race.run(
        {
            "första": lambda: save_parsed(
                store, [parsed([record(value=11.0)], "a.csv")], user="A", confirmed=CONFIRM_ALL
            ),
            "andra": lambda: save_parsed(
                store, [parsed([record(value=22.0)], "b.csv")], user="B", confirmed=CONFIRM_ALL
            ),
        }
    )
    assert all(r.status is FileStatus.SAVED for r in results.values())
    later, earlier = value_history(store, *KEY)[:2]  # newest first
    assert later.batch.id > earlier.batch.id
    written = {"a.csv": 11.0, "b.csv": 22.0}
    assert {later.batch.source_name, earlier.batch.source_name} == set(written)
    # The later import's "before" is exactly what the earlier one wrote: nothing vanished.
    assert earlier.before is not None and earlier.before.value == demo
    assert later.before is not None
    assert later.before.value == written[earlier.batch.source_name]
    assert stored_value(store) == written[later.batch.source_name]
    undone = undo_batch(store, later.batch.id, user=USER)
    assert undone.undone, undone.message
    assert stored_value(store) == written[earlier.batch.source_name]


def test_an_undo_racing_an_import_leaves_a_history_that_undoes_correctly(store: Store) -> None:
    demo = stored_value(store)
    assert demo is not None
    first = save_parsed(
        store, [parsed([record(value=11.0)], "a.csv")], user="A", confirmed=CONFIRM_ALL
    )
    first_id = first.files[0].batch_id
    race = Interleaving(engine_for(store.url), ["ångra", "importera"])
    results = race.run(
        {
            "ångra": lambda: undo_batch(store, first_id, user=USER),
            "importera": lambda: save_parsed(
                store, [parsed([record(value=22.0)], "b.csv")], user="B", confirmed=CONFIRM_ALL
            ),
        }
    )
    imported = results["importera"]
    assert imported.status is FileStatus.SAVED
    # Either serial order is right: the undo first (then the import replaced the demo value),
    # or the import first (then the undo is refused: a later import wrote the same value).
    undone = results["ångra"]
    expected_before = demo if undone.undone else 11.0
    if not undone.undone:
        assert undone.blocking_batch_id == imported.files[0].batch_id
    assert stored_value(store) == 22.0
    newest = value_history(store, *KEY)[0]
    assert newest.batch.id == imported.files[0].batch_id
    assert newest.before is not None and newest.before.value == expected_before
    assert undo_batch(store, imported.files[0].batch_id, user=USER).undone
    assert stored_value(store) == expected_before


def test_an_import_and_an_undo_that_wait_too_long_are_refused_in_swedish(stores) -> None:
    """SQLite with a short busy timeout (`?timeout=` in DATABASE_URL): while another writer
    holds the store, an import and an undo give up with the Swedish sentence and change
    nothing."""
    if stores.backend != "sqlite":
        pytest.skip("PostgreSQL waits the fixed lock_timeout; the sentence is the same")
    url = stores.from_template("import-save", prepare_county)
    store = Store(f"{url}?timeout=0.2")
    saved = save_parsed(
        store, [parsed([record(value=11.0)], "a.csv")], user="A", confirmed=CONFIRM_ALL
    )
    before = stored_value(store)
    with closing(sqlite3.connect(make_url(url).database, isolation_level=None)) as other:
        other.execute("BEGIN IMMEDIATE")  # another process's writer, mid-import
        refused = save_parsed(
            store, [parsed([record(value=22.0)], "b.csv")], user="B", confirmed=CONFIRM_ALL
        )
        not_undone = undo_batch(store, saved.files[0].batch_id, user=USER)
        other.execute("ROLLBACK")
    assert refused.status is FileStatus.REJECTED
    assert "Databasen är upptagen" in refused.problems[-1].message
    assert not not_undone.undone and "Databasen är upptagen" in not_undone.message
    assert stored_value(store) == before == 11.0


def test_a_save_compares_again_when_an_import_landed_after_its_review(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The review made before the write lock is taken under it only while the store is at the
    # data version it read; here another import lands in between and must be compared with.
    demo = stored_value(store)
    assert demo is not None
    landed: list[object] = []
    original = pipeline._review

    def review_then_another_import(*args: Any) -> Any:
        found = original(*args)
        if not landed:
            other = parsed([record(value=demo + 1)], "b.csv")
            landed.append(save_parsed(store, [other], user="B", confirmed=CONFIRM_ALL))
        return found

    monkeypatch.setattr(pipeline, "_review", review_then_another_import)
    result = save_parsed(store, [parsed([record(value=demo + 2)], "a.csv")], user="A")
    assert result.status is FileStatus.SAVED, [p.message for p in result.problems]
    later, earlier = value_history(store, *KEY)[:2]
    assert later.batch.source_name == "a.csv" and earlier.batch.source_name == "b.csv"
    # a.csv's revision keeps what b.csv wrote, not the value its first review saw.
    assert later.before is not None and later.before.value == demo + 1
    assert stored_value(store) == demo + 2
    assert undo_batch(store, later.batch.id, user=USER).undone
    assert stored_value(store) == demo + 1


def test_a_save_with_nothing_written_since_its_review_reads_the_store_once(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    demo = stored_value(store)
    assert demo is not None
    calls: list[int] = []
    original = save_module.review_file

    def counted(*args: Any) -> Any:
        calls.append(1)
        return original(*args)

    monkeypatch.setattr(save_module, "review_file", counted)
    result = save_parsed(store, [parsed([record(value=demo + 2)], "a.csv")], user="A")
    assert result.status is FileStatus.SAVED, [p.message for p in result.problems]
    assert len(calls) == 1 and stored_value(store) == demo + 2
    [entry] = value_history(store, *KEY)[:1]
    assert entry.before is not None and entry.before.value == demo
