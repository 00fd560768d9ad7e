"""Database layer: typed ORM models, engine/session helpers, Alembic migrations."""

from assistant.db.models import Base
from assistant.db.session import get_engine, session_factory, session_scope

__all__ = ["Base", "get_engine", "session_factory", "session_scope"]
