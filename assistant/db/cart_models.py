"""Cart tables: one cart per shopper (or per anonymous widget key), its lines, and the replies
stored for idempotent writes (an `Idempotency-Key` sent twice gets the first reply back)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from assistant.db.models import Base, Money, utcnow
from assistant.jsontypes import JsonObject


class Cart(Base):
    """A shopper's cart; owner is `user:<id>` for a signed-in shopper, `key:<id>` otherwise."""

    __tablename__ = "carts"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    owner: Mapped[str] = mapped_column(String(80), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    items: Mapped[list[CartItem]] = relationship(
        back_populates="cart", cascade="all, delete-orphan", order_by="CartItem.id"
    )


class CartItem(Base):
    """One product in a cart, with the unit price the shopper last agreed to."""

    __tablename__ = "cart_items"
    __table_args__ = (UniqueConstraint("cart_id", "product_id", name="uq_cart_items_product"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    cart_id: Mapped[str] = mapped_column(ForeignKey("carts.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[str] = mapped_column(String(64))
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    # the catalog price when the item was last added or changed: a later difference is reported
    agreed_price: Mapped[float | None] = mapped_column(Money, nullable=True)
    added_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    cart: Mapped[Cart] = relationship(back_populates="items")


class IdempotentReply(Base):
    """The reply to a write sent with an Idempotency-Key, kept so a retry gets it again."""

    __tablename__ = "idempotent_replies"
    __table_args__ = (UniqueConstraint("scope", "key", name="uq_idempotent_replies_scope_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    scope: Mapped[str] = mapped_column(String(80))  # whose key it is (the cart owner)
    key: Mapped[str] = mapped_column(String(128))
    fingerprint: Mapped[str] = mapped_column(String(64))  # SHA-256 of the request it answered
    status_code: Mapped[int] = mapped_column(Integer)
    body: Mapped[JsonObject] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
