"""Uploads waiting between preview and confirmation, and the warmer's lease: rows every host
shares, so nothing that decides behaviour is kept on one machine. None of these takes the
store's write lock: each is one short transaction that no import's diff reads, and the lease is
decided by the row itself (a second UPDATE waits for the first and then matches nothing)."""

from datetime import UTC, datetime

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from indicators.store import models as m
from indicators.store.dml import rows_matched
from indicators.store.engine import session_scope


def now() -> datetime:
    return datetime.now(UTC)


def put_files(
    url: str, token: str, owner: str, files: list[tuple[str, bytes]], expires_at: datetime
) -> None:
    """Keep `files` (name, content) under `token`, all in one transaction."""
    with session_scope(url) as session:
        drop_expired(session)
        if files:
            session.execute(
                insert(m.StagedFile),
                [
                    {
                        "token": token,
                        "position": i,
                        "owner": owner,
                        "name": name,
                        "size": len(content),
                        "expires_at": expires_at,
                        "content": content,
                    }
                    for i, (name, content) in enumerate(files)
                ],
            )
        else:
            # An empty upload still needs a row to name its owner.
            session.add(
                m.StagedFile(
                    token=token,
                    position=-1,
                    owner=owner,
                    name="",
                    size=0,
                    expires_at=expires_at,
                    content=b"",
                )
            )


def owner_of(url: str, token: str) -> str | None:
    """The account that staged `token`, or None if it is gone or expired."""
    with session_scope(url) as session:
        return session.execute(
            select(m.StagedFile.owner)
            .where(m.StagedFile.token == token, m.StagedFile.expires_at >= now())
            .limit(1)
        ).scalar()


def files_of(url: str, token: str) -> list[tuple[str, bytes]] | None:
    """The files (name, content) staged under `token` in their order; None if gone or expired."""
    with session_scope(url) as session:
        rows = session.execute(
            select(m.StagedFile.position, m.StagedFile.name, m.StagedFile.content)
            .where(m.StagedFile.token == token, m.StagedFile.expires_at >= now())
            .order_by(m.StagedFile.position)
        ).all()
    if not rows:
        return None
    return [(name, bytes(content)) for position, name, content in rows if position >= 0]


def remove(url: str, token: str) -> None:
    with session_scope(url) as session:
        session.execute(delete(m.StagedFile).where(m.StagedFile.token == token))


def remove_expired(url: str) -> int:
    """Drop every staged upload past its expiry; returns how many files went."""
    with session_scope(url) as session:
        return drop_expired(session)


def drop_expired(session: Session) -> int:
    """remove_expired inside the caller's transaction (prepare's, say)."""
    return rows_matched(
        session.execute(delete(m.StagedFile).where(m.StagedFile.expires_at < now()))
    )


def take_warm_lease(url: str, version: int) -> bool:
    """True for exactly one caller per data version across every host and worker: the row moves
    forward only if nobody has taken this version (or a later one) yet."""
    with session_scope(url) as session:
        moved = rows_matched(
            session.execute(
                update(m.WarmLease)
                .where(m.WarmLease.id == 1, m.WarmLease.version < version)
                .values(version=version)
            )
        )
        if moved:
            return True
        if session.get(m.WarmLease, 1) is not None:
            return False
    # No row yet: the first insert wins, a concurrent one fails on the primary key.
    try:
        with session_scope(url) as session:
            session.add(m.WarmLease(id=1, version=version))
        return True
    except IntegrityError:
        return False
