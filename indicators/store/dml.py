"""What INSERT, UPDATE and DELETE statements report back."""

from typing import Any

from sqlalchemy import CursorResult, Result


def rows_matched(result: Result[*tuple[Any, ...]]) -> int:
    """How many rows an UPDATE or DELETE matched. `Session.execute` is typed to return a plain
    Result, but for these statements it hands back a CursorResult, which alone has the count."""
    if not isinstance(result, CursorResult):
        raise TypeError(f"{type(result).__name__} is not the result of an UPDATE or DELETE")
    return result.rowcount


def inserted_id(result: Result[*tuple[Any, ...]]) -> int:
    """The integer primary key an INSERT of one row gave it."""
    if not isinstance(result, CursorResult) or result.inserted_primary_key is None:
        raise TypeError(f"{type(result).__name__} is not the result of a one-row INSERT")
    return int(result.inserted_primary_key[0])
