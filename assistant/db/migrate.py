"""Alembic migrations driven from code (no alembic.ini): upgrade, stamp, and a schema diff."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, inspect
from sqlalchemy.engine import Connection, make_url

import assistant.db as db_pkg
from assistant.config import Settings
from assistant.db.models import Base
from assistant.db.session import get_engine

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def load_models() -> MetaData:
    """Import every `assistant.db.*models` module so Base.metadata holds all tables."""
    for info in pkgutil.iter_modules(db_pkg.__path__):
        if info.name.endswith("models"):
            importlib.import_module(f"assistant.db.{info.name}")
    return Base.metadata


def alembic_config(url: str, connection: Connection | None = None) -> Config:
    """An Alembic Config pointing at assistant/migrations for url (or an open connection)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    """The single head revision of the migration chain (the chain must stay linear)."""
    heads = ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads()
    if len(heads) != 1:
        raise RuntimeError(f"migration chain has {len(heads)} heads {heads}; it must be linear")
    return heads[0]


def current_revision(url: str) -> str | None:
    """The revision the database at url is at (None when it was never migrated)."""
    with get_engine(url).connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _ensure_sqlite_dir(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)


def upgrade_url(url: str, revision: str = "head") -> str:
    """Migrate the database at url to revision; returns the revision it is at afterwards.

    A database whose tables were made by `Base.metadata.create_all` (no alembic_version yet)
    is stamped at head instead of being re-created.
    """
    _ensure_sqlite_dir(url)
    engine = get_engine(url)
    with engine.begin() as conn:
        tables = set(inspect(conn).get_table_names())
        cfg = alembic_config(url, conn)
        if "alembic_version" not in tables and "products" in tables:
            command.stamp(cfg, "head")
        else:
            command.upgrade(cfg, revision)
    return current_revision(url) or ""


def upgrade(settings: Settings) -> str:
    """Bring the configured database to the latest schema (`shopassist db upgrade`, setup step)."""
    return upgrade_url(settings.effective_database_url)


def schema_diff(url: str) -> list[Any]:
    """Differences between the live schema at url and the ORM models (empty when they match)."""
    metadata = load_models()
    with get_engine(url).connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(ctx, metadata)
