"""Fixtures for the customer-service tests: the retail_orders data loaded once, copied per test."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.config import Settings
from assistant.db.models import Base, Order, User
from assistant.db.session import get_engine, session_factory, session_scope
from tests.conftest import SHARED_DATA

RETAIL = SHARED_DATA / "retail_orders"
POLICY = RETAIL / "policy.md"


@pytest.fixture(scope="session")
def retail_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file with retail_orders ingested by the project's loader (built once)."""
    if not RETAIL.is_dir():
        pytest.skip(f"retail_orders data not found at {RETAIL}")
    import assistant.db.support_models  # noqa: F401  (registers the support tables)
    from assistant.ingest.pipeline import ingest

    path = tmp_path_factory.mktemp("retail") / "shopassist.db"
    url = f"sqlite:///{path}"
    Base.metadata.create_all(get_engine(url))
    with session_scope(url) as session:
        ingest(session, "catalog", RETAIL, "retail-orders")
        ingest(session, "orders", RETAIL, "retail-orders")
    get_engine(url).dispose()
    return path


@pytest.fixture
def retail_settings(retail_template: Path, tmp_path: Path) -> Settings:
    """Settings on a private copy of the retail database, with the retail policy."""
    data = tmp_path / "var"
    data.mkdir()
    shutil.copyfile(retail_template, data / "shopassist.db")
    return Settings(data_dir=data, database_url="", policy_path=str(POLICY))


@pytest.fixture
def db(retail_settings: Settings) -> Iterator[Session]:
    """A session on the private retail database."""
    session = session_factory(retail_settings.effective_database_url)()
    try:
        yield session
    finally:
        session.close()


def first_order(session: Session, status: str, gift_card: bool | None = None) -> Order:
    """The first order (by id) in status; gift_card selects orders paid (or not) by gift card."""
    for order in session.scalars(select(Order).where(Order.status == status).order_by(Order.id)):
        paid = [p.get("payment_method_id", "") for p in order.payment or []]
        if gift_card is None or gift_card == any(m.startswith("gift_card") for m in paid):
            return order
    raise AssertionError(f"no {status} order in the data")


def other_user(session: Session, not_id: str) -> str:
    """Some user other than not_id."""
    return session.scalar(select(User.id).where(User.id != not_id).order_by(User.id))


def snapshot(session: Session) -> dict:
    """Everything a write action may touch, to prove a refused one changed nothing."""
    from assistant.db.support_models import OrderAction, PendingConfirmation

    session.expire_all()
    return {
        "orders": {o.id: (o.status, repr(o.payment)) for o in session.scalars(select(Order))},
        "users": {u.id: repr(u.attributes) for u in session.scalars(select(User))},
        "actions": session.scalars(select(OrderAction.id)).all(),
        "pending": session.scalars(select(PendingConfirmation.id)).all(),
    }


def new_conversation(
    session: Session, user_id: str | None, *texts: str, key_id: int | None = None
) -> str:
    """A widget conversation in which the shopper wrote texts (as the chat would store it)."""
    import uuid

    from assistant.db.models import Conversation, Message

    conv = Conversation(id=str(uuid.uuid4()), user_id=user_id, channel="widget")
    session.add(conv)
    author = f"user:{user_id}" if user_id else f"key:{key_id}"
    for text in texts:
        session.add(Message(conversation_id=conv.id, role="user", content=text, author=author))
        session.add(Message(conversation_id=conv.id, role="assistant", content="Let me check."))
    session.commit()
    return conv.id


@pytest.fixture
def keys(db: Session) -> dict[str, str]:
    """Raw API keys: two agents, two shoppers (widget) and an anonymous widget key."""
    from assistant.services.keys import create_key

    first = first_order(db, "pending")
    second = other_user(db, first.user_id)
    return {
        "agent": create_key(db, "agent", name="agent one").raw,
        "agent2": create_key(db, "agent", name="agent two").raw,
        "shopper": create_key(db, "widget", user_id=first.user_id).raw,
        "stranger": create_key(db, "widget", user_id=second).raw,
        "shopper_id": first.user_id,
        "stranger_id": second,
    }


@pytest.fixture
def client(retail_settings: Settings):
    """A TestClient on the app over the private retail database."""
    from fastapi.testclient import TestClient

    from assistant.api.app import create_app

    with TestClient(create_app(retail_settings)) as c:
        yield c
