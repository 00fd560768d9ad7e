"""Alembic migrations: upgrade creates exactly the ORM schema on SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from assistant.config import Settings
from assistant.db.migrate import (
    alembic_config,
    current_revision,
    head_revision,
    load_models,
    schema_diff,
    upgrade,
    upgrade_url,
)
from assistant.db.session import get_engine


def test_upgrade_matches_models(db_url: str) -> None:
    assert upgrade_url(db_url) == head_revision()
    tables = set(inspect(get_engine(db_url)).get_table_names())
    assert set(load_models().tables) <= tables
    assert schema_diff(db_url) == []
    # idempotent: a second upgrade is a no-op
    assert upgrade_url(db_url) == head_revision()


def test_revision_chain_is_linear() -> None:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    revisions = list(script.walk_revisions())
    assert len(script.get_heads()) == 1
    assert sum(1 for r in revisions if r.down_revision is None) == 1


def test_upgrade_from_settings_creates_sqlite_dir(settings: Settings) -> None:
    assert not settings.data_dir.exists()
    assert upgrade(settings) == head_revision()
    assert (settings.data_dir / "shopassist.db").is_file()
    assert current_revision(settings.effective_database_url) == head_revision()


def test_create_all_database_is_stamped_not_recreated(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'legacy.db'}"
    load_models().create_all(get_engine(url))
    assert current_revision(url) is None
    assert upgrade_url(url) == head_revision()
    assert schema_diff(url) == []
