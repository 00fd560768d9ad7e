"""Order look-ups for shoppers (scoped to their own orders) and agents (any order)."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from assistant.db.models import ORDER_STATUSES, Order, User
from assistant.errors import Invalid, NotFound
from assistant.jsontypes import JsonObject
from assistant.services.records import OrderItemView, OrderView, TrackingView, UserProfile


def normalise_order_id(order_id: str) -> str:
    """Order ids are stored as '#W1234567'; accept 'W1234567' too (a '#' is awkward in URLs)."""
    order_id = (order_id or "").strip()
    if order_id and not order_id.startswith("#"):
        order_id = "#" + order_id
    return order_id


def _load_order(session: Session, order_id: str) -> Order | None:
    oid = normalise_order_id(order_id)
    if not oid:
        return None
    return session.scalar(select(Order).where(Order.id == oid).options(selectinload(Order.items)))


def order_to_dict(order: Order) -> OrderView:
    """The order as a tool result: status, items, tracking, totals, payments."""
    items = [
        OrderItemView(
            item_id=it.variant_id,
            product_id=it.product_id,
            name=it.name,
            options=dict(it.options or {}),
            price=it.price,
            quantity=it.quantity,
        )
        for it in order.items
    ]
    total = order.total
    if total is None:
        total = round(sum((it["price"] or 0.0) * it["quantity"] for it in items), 2)
    tracking = [
        TrackingView(
            tracking_ids=[str(t) for t in f.get("tracking_id") or []],
            item_ids=[str(i) for i in f.get("item_ids") or []],
        )
        for f in (order.fulfillments or [])
        if isinstance(f, dict)
    ]
    return OrderView(
        order_id=order.id,
        user_id=order.user_id,
        status=order.status,
        items=items,
        total=total,
        currency=order.currency,
        tracking=tracking,
        address=dict(order.address or {}),
        payments=[dict(p) for p in (order.payment or []) if isinstance(p, dict)],
        created_at=order.created_at.isoformat() if order.created_at else None,
    )


def get_order(session: Session, order_id: str, principal_user_id: str | None) -> OrderView:
    """One order; a shopper (principal_user_id set) sees only their own, agents (None) any.

    A foreign order reads exactly like a missing one so its existence never leaks.
    """
    order = _load_order(session, order_id)
    if order is None or (principal_user_id is not None and order.user_id != principal_user_id):
        raise NotFound(f"order {order_id!r} not found")
    return order_to_dict(order)


def list_orders(session: Session, user_id: str, status: str | None = None) -> list[OrderView]:
    """The user's orders (optionally one status), newest first, as tool results."""
    if status is not None and status not in ORDER_STATUSES:
        raise Invalid(f"unknown status {status!r}; valid: {', '.join(ORDER_STATUSES)}")
    query = select(Order).where(Order.user_id == user_id).options(selectinload(Order.items))
    if status is not None:
        query = query.where(Order.status == status)
    orders = session.scalars(query.order_by(Order.created_at.desc(), Order.id)).all()
    return [order_to_dict(o) for o in orders]


def order_status_counts(session: Session, user_id: str) -> dict[str, int]:
    """How many orders the user has in each status."""
    return dict(Counter(session.scalars(select(Order.status).where(Order.user_id == user_id))))


def get_user(session: Session, user_id: str) -> User:
    """The user, or NotFound."""
    user = session.get(User, user_id) if user_id else None
    if user is None:
        raise NotFound(f"customer {user_id!r} not found")
    return user


def payment_methods(user: User) -> dict[str, JsonObject]:
    """The user's payment methods by id (stored as a dict by id or as a list)."""
    raw = (user.attributes or {}).get("payment_methods") or {}
    if isinstance(raw, list):
        return {str(m.get("id")): dict(m) for m in raw if isinstance(m, dict) and m.get("id")}
    return {str(k): dict(v) for k, v in raw.items() if isinstance(v, dict)}


def user_profile(user: User) -> UserProfile:
    """Who the customer is: name, email, default address, payment methods."""
    attrs = user.attributes or {}
    return UserProfile(
        user_id=user.id,
        name=user.name,
        email=user.email,
        address=attrs.get("address") or {},
        payment_methods=list(payment_methods(user).values()),
    )
