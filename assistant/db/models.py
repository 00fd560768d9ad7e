"""The typed ORM: catalog, users, behaviour events, orders, conversations, feedback, API keys."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from assistant.jsontypes import JsonObject

# The funnel: product events, search, page views, reviews and shares, the assistant's exposure
# (widget shown / opened, a chat message sent, a product card clicked) and an experiment's
# exposure. The first six are the original types; the others came with migration 0004, but
# "impression": a product shown in search results (query, page = the search's id, value = its
# 1-based position), which the learned reranker's click model reads with that search's clicks.
INTERACTION_TYPES = ("view", "click", "cart", "fav", "purchase")  # what the recommender learns
PRODUCT_EVENT_TYPES = (
    "view",
    "click",
    "cart",
    "fav",
    "purchase",
    "review",
    "share",
    "card_click",
    "impression",
)
ASSISTANT_EVENT_TYPES = ("widget_shown", "widget_open", "chat_message", "card_click")
EVENT_TYPES = (
    "view",
    "click",
    "cart",
    "fav",
    "purchase",
    "search",
    "page",
    "review",
    "share",
    "widget_shown",
    "widget_open",
    "chat_message",
    "card_click",
    "exposure",
    "impression",
)
ORDER_STATUSES = (
    "pending",
    "processed",
    "delivered",
    "cancelled",
    "return requested",
    "exchange requested",
)
ROLES = ("widget", "agent", "admin")

Money = Numeric(12, 2, asdecimal=False)


def utcnow() -> datetime:
    """Timezone-naive UTC now (stored naive so SQLite, PostgreSQL and MariaDB agree)."""
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    """Declarative base of every table."""

    type_annotation_map = {JsonObject: JSON, list[Any]: JSON}
    # every model is mapped to a Table (DeclarativeBase says FromClause), so Core helpers that
    # need a Table (update(), insert dialects) accept Model.__table__
    __table__: ClassVar[Table]


class Product(Base):
    """A catalog product."""

    __tablename__ = "products"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(String(512))
    description: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(255), default="", index=True)  # "A > B > C"
    brand: Mapped[str] = mapped_column(String(128), default="", index=True)
    price: Mapped[float | None] = mapped_column(Money, nullable=True)
    currency: Mapped[str] = mapped_column(String(3), default="INR")
    rating: Mapped[float | None] = mapped_column(Float, nullable=True)
    rating_count: Mapped[int] = mapped_column(Integer, default=0)
    attributes: Mapped[JsonObject] = mapped_column(JSON, default=dict)
    in_stock: Mapped[bool] = mapped_column(Boolean, default=True)
    image_url: Mapped[str] = mapped_column(String(1024), default="")
    source: Mapped[str] = mapped_column(String(32), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    variants: Mapped[list[ProductVariant]] = relationship(
        back_populates="product", cascade="all, delete-orphan"
    )


class ProductVariant(Base):
    """A purchasable variant of a product (size, colour, ...)."""

    __tablename__ = "product_variants"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    product_id: Mapped[str] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), index=True
    )
    options: Mapped[JsonObject] = mapped_column(JSON, default=dict)
    price: Mapped[float | None] = mapped_column(Money, nullable=True)
    in_stock: Mapped[bool] = mapped_column(Boolean, default=True)

    product: Mapped[Product] = relationship(back_populates="variants")


class User(Base):
    """A shopper."""

    __tablename__ = "users"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(255), default="")
    email: Mapped[str] = mapped_column(String(255), default="")
    attributes: Mapped[JsonObject] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Event(Base):
    """A behaviour event; (source, client_event_id) is unique so re-sending is harmless."""

    __tablename__ = "events"
    __table_args__ = (
        UniqueConstraint("source", "client_event_id", name="uq_events_source_client_id"),
        Index("ix_events_user_ts", "user_id", "ts"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[str] = mapped_column(String(64))
    product_id: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    type: Mapped[str] = mapped_column(String(16))  # one of EVENT_TYPES
    ts: Mapped[datetime] = mapped_column(DateTime, index=True)
    dwell_seconds: Mapped[float | None] = mapped_column(Float, nullable=True)
    session_id: Mapped[str] = mapped_column(String(64), default="")
    query: Mapped[str] = mapped_column(String(512), default="")
    category_id: Mapped[str] = mapped_column(String(64), default="")
    source: Mapped[str] = mapped_column(String(32), default="api")
    client_event_id: Mapped[str] = mapped_column(String(128))
    # 0004: the page of a page view; a purchase's revenue or a review's rating; an exposure's
    # experiment and the arm the shopper was assigned
    page: Mapped[str] = mapped_column(String(512), default="")
    value: Mapped[float | None] = mapped_column(Float, nullable=True)
    experiment: Mapped[str] = mapped_column(String(64), default="")
    arm: Mapped[str] = mapped_column(String(32), default="")


class Order(Base):
    """A customer order."""

    __tablename__ = "orders"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(32), index=True)  # one of ORDER_STATUSES
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    total: Mapped[float | None] = mapped_column(Money, nullable=True)
    currency: Mapped[str] = mapped_column(String(3), default="INR")
    address: Mapped[JsonObject] = mapped_column(JSON, default=dict)
    fulfillments: Mapped[list[Any]] = mapped_column(JSON, default=list)  # tracking ids + items
    payment: Mapped[list[Any]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    items: Mapped[list[OrderItem]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="OrderItem.id"
    )


class OrderItem(Base):
    """One line of an order."""

    __tablename__ = "order_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[str] = mapped_column(String(64))
    variant_id: Mapped[str] = mapped_column(String(64), default="")
    name: Mapped[str] = mapped_column(String(512), default="")
    price: Mapped[float | None] = mapped_column(Money, nullable=True)
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    options: Mapped[JsonObject] = mapped_column(JSON, default=dict)

    order: Mapped[Order] = relationship(back_populates="items")


class Conversation(Base):
    """A chat conversation (widget or agent-assisted)."""

    __tablename__ = "conversations"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    channel: Mapped[str] = mapped_column(String(16), default="widget")
    status: Mapped[str] = mapped_column(String(16), default="open")  # open|queued|claimed|closed
    handoff_reason: Mapped[str] = mapped_column(Text, default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    assigned_agent: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    messages: Mapped[list[Message]] = relationship(
        back_populates="conversation", cascade="all, delete-orphan", order_by="Message.id"
    )


class Message(Base):
    """One message of a conversation, with the tool calls behind it and the products it cites."""

    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(16))  # user|assistant|agent|tool|system
    content: Mapped[str] = mapped_column(Text, default="")
    tool_calls: Mapped[list[Any]] = mapped_column(JSON, default=list)
    cited_product_ids: Mapped[list[Any]] = mapped_column(JSON, default=list)
    author: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    conversation: Mapped[Conversation] = relationship(back_populates="messages")


class Feedback(Base):
    """A shopper's thumbs up/down and comment on an assistant message."""

    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    message_id: Mapped[int] = mapped_column(
        ForeignKey("messages.id", ondelete="CASCADE"), index=True
    )
    rating: Mapped[int] = mapped_column(Integer)  # +1 / -1
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ApiKey(Base):
    """An API key, stored as a SHA-256 hash, carrying a role (and a shopper for widget keys)."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(128), default="")
    role: Mapped[str] = mapped_column(String(16))  # one of ROLES
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12), default="")
    user_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
