"""Engine and session factory for the configured database URL.

One engine (a connection pool) per database URL in the process: SQLAlchemy's model, and what
the app, the CLI commands, the setup steps and the migrations all share. It holds connections,
no store data. Whoever owns a database's use disposes its engine when done (the app's lifespan
at shutdown, through AppState.close); a later session on that URL opens a fresh pool.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker


def normalise_url(url: str) -> str:
    """Pick the installed drivers for bare scheme names (psycopg 3, PyMySQL)."""
    for bare, driver in (
        ("postgresql://", "postgresql+psycopg://"),
        ("postgres://", "postgresql+psycopg://"),
        ("mysql://", "mysql+pymysql://"),
        ("mariadb://", "mysql+pymysql://"),
    ):
        if url.startswith(bare):
            return driver + url[len(bare) :]
    return url


MAX_ENGINES = 8  # databases with an open pool at once (tests make many; a service uses one)
_engines: OrderedDict[str, Engine] = OrderedDict()  # normalised URL -> engine, least recent first
_engines_lock = threading.Lock()


def get_engine(url: str) -> Engine:
    """The process's pooled engine for url (SQLite gets foreign keys on and a busy timeout)."""
    url = normalise_url(url)
    with _engines_lock:
        engine = _engines.get(url)
        if engine is None:
            engine = _engines[url] = _create_engine(url)
        _engines.move_to_end(url)
        evicted = _engines.popitem(last=False)[1] if len(_engines) > MAX_ENGINES else None
    if evicted is not None:
        evicted.dispose()  # its sessions in flight keep their connections; idle ones close
    return engine


def dispose_engine(url: str) -> None:
    """Close url's pooled connections and forget its engine (the app's shutdown, tests)."""
    with _engines_lock:
        engine = _engines.pop(normalise_url(url), None)
    if engine is not None:
        engine.dispose()


def _create_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # noqa: ANN001
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True, pool_recycle=1800)


def session_factory(url: str) -> sessionmaker[Session]:
    """A sessionmaker bound to the engine for url."""
    return sessionmaker(get_engine(url), expire_on_commit=False)


@contextmanager
def session_scope(url: str) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error."""
    session = session_factory(url)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
