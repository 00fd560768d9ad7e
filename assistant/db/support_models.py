"""Customer-service tables: the audit log of order actions and pending confirmations."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from assistant.db.models import Base, utcnow
from assistant.jsontypes import JsonObject

ORDER_ACTIONS = ("cancel", "return", "exchange")


class OrderAction(Base):
    """An executed write action on an order: what, by whom, before and after (the audit log)."""

    __tablename__ = "order_actions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[str] = mapped_column(String(64), index=True)  # the customer
    action: Mapped[str] = mapped_column(String(16))  # one of ORDER_ACTIONS
    params: Mapped[JsonObject] = mapped_column(JSON, default=dict)
    summary: Mapped[str] = mapped_column(Text, default="")
    status_before: Mapped[str] = mapped_column(String(32))
    status_after: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(64))  # who executed it (agent identity)
    actor_role: Mapped[str] = mapped_column(String(16))
    conversation_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class PendingConfirmation(Base):
    """A proposed action waiting for the explicit confirmation step (token stored hashed)."""

    __tablename__ = "pending_confirmations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(16))
    params: Mapped[JsonObject] = mapped_column(JSON, default=dict)
    summary: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(64))
    conversation_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    used_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
