"""Is the store there? Answered by the database itself, with a short timeout."""

import logging

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from indicators.store.engine import engine_for
from indicators.store.store import Store

log = logging.getLogger(__name__)


def store_reachable(store: Store) -> bool:
    try:
        with engine_for(store.url).connect() as conn:
            conn.execute(text("SELECT 1 FROM data_version"))
        return True
    except SQLAlchemyError as error:
        log.warning("Lagret nås inte: %s", error.__class__.__name__)
        return False
