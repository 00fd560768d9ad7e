"""The rows the demo store writes to its import files (catalog JSONL, events CSV, orders JSONL)."""

from __future__ import annotations

from typing import NotRequired

from typing_extensions import TypedDict


class DemoAttributes(TypedDict):
    """A demo product's attributes."""

    pack_size: str
    type: str  # the product noun ("Kettle"), also what shoppers search for


class DemoProduct(TypedDict):
    """A catalog.jsonl row."""

    product_id: str
    title: str
    description: str
    category: str
    brand: str
    price: float
    currency: str
    rating: float | None
    rating_count: int
    in_stock: bool
    image_url: str
    group_id: str
    attributes: DemoAttributes
    _quality: NotRequired[float]  # ground truth while generating; not written


class DemoAddress(TypedDict):
    """A shopper's address."""

    city: str
    state: str
    zip: str
    country: str


class DemoUserAttributes(TypedDict):
    """What the store knows of a shopper besides name and email."""

    address: DemoAddress


class DemoUser(TypedDict):
    """A shopper, as written with each of their orders."""

    name: str
    email: str
    attributes: DemoUserAttributes


class DemoEvent(TypedDict):
    """An events.csv row ("" for empty cells)."""

    client_event_id: str
    user_id: str
    product_id: str
    type: str
    ts: str
    dwell_seconds: float | str
    session_id: str
    query: str


class DemoOrderLine(TypedDict):
    """An ordered item."""

    product_id: str
    name: str
    price: float
    quantity: int
    options: dict[str, str]


class DemoFulfillment(TypedDict):
    """A shipment: its tracking ids and items."""

    tracking_id: list[str]
    item_ids: list[str]


class DemoPayment(TypedDict):
    """A payment or refund of an order."""

    transaction_type: str
    amount: float
    payment_method_id: NotRequired[str]


class DemoOrder(TypedDict):
    """An orders.jsonl row: the order, its items, shipments, payments and its shopper."""

    order_id: str
    user_id: str
    status: str
    created_at: str
    currency: str
    total: float
    address: DemoAddress
    items: list[DemoOrderLine]
    fulfillments: list[DemoFulfillment]
    payment_history: list[DemoPayment]
    user: DemoUser
