"""The app state: one per app (made and closed by its lifespan), slots that follow versions."""

from __future__ import annotations

from fastapi.testclient import TestClient

from assistant.api.app import create_app
from assistant.db import session as db_session
from assistant.db.models import Product
from assistant.db.session import get_engine, session_scope
from assistant.services import products
from assistant.services.state import AppState, Slot


def test_a_slot_keeps_a_value_per_version_and_builds_it_once():
    slot: Slot[list[str]] = Slot()
    built: list[str] = []

    def build(version: str):
        def make() -> list[str]:
            built.append(version)
            return [version]

        return make

    first = slot.get("v1", build("v1"))
    assert slot.get("v1", build("v1")) is first and built == ["v1"]
    assert slot.get("v2", build("v2")) == ["v2"] and built == ["v1", "v2"]  # a new version
    assert slot.recent(60) == ["v2"] and slot.recent(0) is None
    slot.expire()
    assert slot.recent(60) is None and slot.get("v2", build("v2")) == ["v2"]
    assert slot.recent(60) == ["v2"] and built == ["v1", "v2"]  # confirmed, not rebuilt
    slot.clear()
    assert slot.recent(60) is None and slot.get("v2", build("v2")) == ["v2"]
    assert built == ["v1", "v2", "v2"]


def test_closing_the_state_disposes_its_database_engine(settings):
    url = settings.effective_database_url
    settings.data_dir.mkdir(parents=True)
    engine = get_engine(url)
    with AppState(settings) as state:
        slot: Slot[int] = Slot()
        state.extra = slot  # type: ignore[attr-defined]  # a slot like the state's own
        slot.put("v", 1)
        assert get_engine(url) is engine
    assert slot.recent(60) is None  # close() emptied it
    assert db_session.normalise_url(url) not in db_session._engines
    assert get_engine(url) is not engine  # a later session opens a fresh pool


def test_the_lifespan_makes_one_state_per_app_and_closes_it(settings, monkeypatch):
    closed: list[AppState] = []
    monkeypatch.setattr(AppState, "close", lambda self: closed.append(self))
    app = create_app(settings)
    with TestClient(app) as client:
        assert client.get("/healthz").status_code == 200
        state = app.state.app_state
        assert isinstance(state, AppState) and state.settings is settings
    assert closed == [state]
    given = AppState(settings)
    app = create_app(settings, state=given)
    with TestClient(app):
        assert app.state.app_state is given
    assert closed == [state]  # a state given to the app stays its caller's to close


def test_the_catalog_names_are_read_once_per_period(
    store_settings, store_state, store, monkeypatch
):
    with session_scope(store_settings.effective_database_url) as db:
        first = products.catalog_for(store_state, db)
        assert products.catalog_for(store_state, db) is first and "Amul" in first.brands
        assert first.lexicon is first.lexicon  # worked out once per catalog
        db.add(Product(id="999", title="Copper Kettle 1 L", brand="Newbrand", price=10.0))
        db.flush()
        assert products.catalog_for(store_state, db) is first  # within the period
        monkeypatch.setattr(products, "VOCAB_TTL_S", 0.0)
        again = products.catalog_for(store_state, db)
        assert again is not first and "Newbrand" in again.brands
