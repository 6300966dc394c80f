"""One list of an observation's columns: the vocabulary's names are the stored table's."""

from indicators.imports.records import RECORD_COLUMNS
from indicators.store.models import Observation, ObservationRevision
from indicators.vocabulary.domain import OBSERVATION_COLUMNS, OBSERVATION_KEY, OBSERVATION_VALUES


def test_the_vocabulary_names_the_stored_columns() -> None:
    stored = set(Observation.__table__.columns.keys())
    assert set(OBSERVATION_COLUMNS) <= stored
    assert stored - set(OBSERVATION_COLUMNS) == {"id", "batch_id"}
    revision = set(ObservationRevision.__table__.columns.keys())
    assert set(OBSERVATION_KEY) | {f"previous_{c}" for c in OBSERVATION_VALUES} <= revision


def test_a_parsed_record_is_an_observation_with_its_provenance() -> None:
    assert [*OBSERVATION_COLUMNS, "sheet", "row", "value_column"] == RECORD_COLUMNS
