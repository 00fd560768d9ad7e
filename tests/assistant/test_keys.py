"""API keys: created by the CLI, printed once, stored hashed, carrying a role."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from assistant.api.app import create_app
from assistant.cli import app, load_commands
from assistant.config import get_settings
from assistant.db.models import ApiKey
from assistant.db.session import session_scope
from assistant.services.keys import hash_key


def test_keys_create_prints_raw_key_once_and_stores_hash(tmp_path, monkeypatch):
    monkeypatch.setenv("SHOPASSIST_DATA_DIR", str(tmp_path / "var"))
    get_settings.cache_clear()
    try:
        load_commands()
        runner = CliRunner()
        r = runner.invoke(app, ["keys", "create", "--role", "widget", "--user-id", "u7"])
        assert r.exit_code == 0, r.output
        raw = r.stdout.strip().splitlines()[0]
        assert raw.startswith("sa_") and len(raw) > 30
        settings = get_settings()
        with session_scope(settings.effective_database_url) as db:
            row = db.scalar(select(ApiKey))
            assert row.key_hash == hash_key(raw) and raw not in (row.key_hash, row.prefix)
            assert (row.role, row.user_id) == ("widget", "u7")
        with TestClient(create_app(settings)) as c:
            assert (
                c.get("/v1/products/x", headers={"X-API-Key": raw}).status_code == 404
            )  # authorised
            assert c.get("/v1/products/x", headers={"X-API-Key": raw + "x"}).status_code == 401
        bad = runner.invoke(app, ["keys", "create", "--role", "root"])
        assert bad.exit_code == 1 and "unknown role" in bad.output
    finally:
        get_settings.cache_clear()


def test_revoked_key_is_refused(settings):
    from assistant.db.models import Base
    from assistant.db.session import get_engine
    from assistant.services.keys import create_key, revoke_key

    settings.data_dir.mkdir(parents=True)
    Base.metadata.create_all(get_engine(settings.effective_database_url))
    with session_scope(settings.effective_database_url) as db:
        key = create_key(db, "agent")
        assert revoke_key(db, key.key_id) and not revoke_key(db, 9999)
    with TestClient(create_app(settings)) as c:
        r = c.get("/v1/products/x", headers={"X-API-Key": key.raw})
        assert r.status_code == 401 and "revoked" in r.text


def test_demo_widget_key_is_created_once_and_reused(settings):
    from assistant.db.models import Base
    from assistant.db.session import get_engine
    from assistant.services.keys import DEMO_KEY_FILE, ensure_demo_key

    settings.data_dir.mkdir(parents=True)
    Base.metadata.create_all(get_engine(settings.effective_database_url))
    raw = ensure_demo_key(settings)
    assert ensure_demo_key(settings) == raw
    assert (settings.data_dir / DEMO_KEY_FILE).stat().st_mode & 0o077 == 0
    with session_scope(settings.effective_database_url) as db:
        assert db.scalar(select(ApiKey).where(ApiKey.key_hash == hash_key(raw))).role == "widget"
